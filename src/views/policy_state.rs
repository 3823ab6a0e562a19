//! The policy editor's data: the rows and the text as typed, and its own reducer ([`Editor`],
//! [`Action`]) that keeps them in step and holds the last valid policy. Pure data, like
//! `state.rs`: the editor ([`super::policy`]) and its rows ([`super::policy_row`]) both read it,
//! so it imports neither of them.

use std::rc::Rc;

use authpath_engine::{Access, Policy, PolicyError, Requirement, Route};
use yew::Reducible;

/// The access rules a form row offers, by id (also their label); the ones with a value take it
/// from a text field.
pub const ACCESS_KINDS: [&str; 5] = ["public", "authenticated", "role", "scope", "owner"];

/// One form row as typed: plain strings, so a half-typed row can be shown with its error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowDraft {
    pub method: String,
    pub path: String,
    /// One of the ids of [`ACCESS_KINDS`].
    pub access: String,
    /// The role, scope or parameter name; ignored for public and authenticated.
    pub value: String,
    /// The route's `security`: the ways it accepts, separated by commas or spaces, each a
    /// scheme's name, names joined by `+` (sent together), or `{}` (no credentials needed);
    /// empty for every scheme of the policy.
    pub security: String,
}

impl RowDraft {
    /// The row for a route of a policy.
    pub fn from_route(route: &Route) -> RowDraft {
        let (access, value) = route.access.name();
        RowDraft {
            method: route.method.clone(),
            path: route.path.clone(),
            access: access.to_string(),
            value: value.unwrap_or_default().to_string(),
            security: route
                .security
                .as_ref()
                .map(|requirements| {
                    requirements
                        .iter()
                        .map(|requirement| match requirement.schemes.as_slice() {
                            [] => "{}".to_string(),
                            names => names.join("+"),
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
        }
    }

    /// The route this row describes as a route of `policy`, whose schemes its security names,
    /// checked as the engine checks a policy; the error names what is wrong, in words.
    pub fn to_route(&self, policy: &Policy) -> Result<Route, String> {
        let value = self.value.trim().to_string();
        let needs_value = |what: &str| {
            if value.is_empty() {
                Err(format!("name the {what}"))
            } else {
                Ok(value.clone())
            }
        };
        let argument = match self.access.as_str() {
            "public" | "authenticated" => None,
            "owner" => Some(needs_value("path parameter")?),
            rule => Some(needs_value(rule)?),
        };
        let access = Access::named(&self.access, argument)?;
        // `apiKey + bearer` is one way: the spaces around a `+` do not separate.
        let security = self
            .security
            .split('+')
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("+");
        let requirements: Vec<Requirement> = security
            .split(|character: char| character == ',' || character.is_whitespace())
            .filter(|way| !way.chars().all(|character| character == '+'))
            .map(|way| match way {
                "{}" => Requirement::anonymous(),
                names => Requirement::all(names.split('+').filter(|name| !name.is_empty())),
            })
            .collect();
        let route = Route {
            method: self.method.trim().to_string(),
            path: self.path.trim().to_string(),
            access,
            security: (!requirements.is_empty()).then_some(requirements),
            example: None,
        };
        Policy {
            schemes: policy.schemes.clone(),
            routes: vec![route.clone()],
        }
        .validate()
        // The message alone: a form row already says which route it is.
        .map_err(|error| error.message)?;
        Ok(route)
    }
}

/// The form rows for a policy.
pub fn rows_of(policy: &Policy) -> Vec<RowDraft> {
    policy.routes.iter().map(RowDraft::from_route).collect()
}

/// The policy the rows describe, with the schemes of `policy` (the form edits routes; the
/// schemes are edited in the text), or the errors of each invalid row (row index, message).
pub fn policy_of(rows: &[RowDraft], policy: &Policy) -> Result<Policy, Vec<(usize, String)>> {
    let mut routes = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        match row.to_route(policy) {
            Ok(route) => routes.push(route),
            Err(message) => errors.push((index, message)),
        }
    }
    if errors.is_empty() {
        Ok(Policy {
            schemes: policy.schemes.clone(),
            routes,
        })
    } else {
        Err(errors)
    }
}

/// The policy a text describes: JSON when it opens with `{` (as links and `authpath eval
/// --policy` write it), TOML otherwise.
pub fn read_policy(text: &str) -> Result<Policy, PolicyError> {
    if text.trim_start().starts_with('{') {
        Policy::from_json(text)
    } else {
        Policy::from_toml(text)
    }
}

/// What the editor holds while the person types: the rows and the text as typed, and the
/// policy they last agreed on.
#[derive(Clone, Debug, PartialEq)]
pub struct Editor {
    pub rows: Vec<RowDraft>,
    pub text: String,
    /// Why the text is not a policy, while it is not.
    pub text_error: Option<PolicyError>,
    /// The last valid policy the rows or the text described: the one in force, or about to be.
    /// When the scenario's policy becomes another one (reset, a link, back/forward), the
    /// editor follows it; while it is this one, what the person is typing is left alone.
    pub policy: Policy,
}

/// A field of a form row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Method,
    Path,
    Access,
    /// The role, scope or parameter name.
    Value,
    /// The names of the schemes the route accepts.
    Security,
}

/// What the person did in the editor, or what happened to the scenario's policy meanwhile.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A field of the row at `row` was changed to `value`.
    Edit {
        row: usize,
        field: Field,
        value: String,
    },
    MoveUp(usize),
    MoveDown(usize),
    Remove(usize),
    AddRow,
    /// The policy text (TOML, or JSON) was edited.
    EditText(String),
    /// The scenario's policy was changed elsewhere: the form and the text show it.
    Follow(Policy),
}

impl Editor {
    /// The editor showing `policy`, with nothing typed yet.
    pub fn new(policy: &Policy) -> Editor {
        Editor {
            rows: rows_of(policy),
            text: policy.to_toml(),
            text_error: None,
            policy: policy.clone(),
        }
    }

    /// A form edit: when every row is valid, the text is rewritten from them and their
    /// policy, with the schemes of the last valid one, is the one to put in force.
    fn with_rows(&self, rows: Vec<RowDraft>) -> Editor {
        let mut next = self.clone();
        if let Ok(policy) = policy_of(&rows, &self.policy) {
            next.text = policy.to_toml();
            next.text_error = None;
            next.policy = policy;
        }
        next.rows = rows;
        next
    }

    /// A text edit: when the text is a valid policy, the rows are rewritten from it.
    fn with_text(&self, text: String) -> Editor {
        let mut next = self.clone();
        match read_policy(&text) {
            Ok(policy) => {
                next.rows = rows_of(&policy);
                next.text_error = None;
                next.policy = policy;
            }
            Err(error) => next.text_error = Some(error),
        }
        next.text = text;
        next
    }
}

impl Reducible for Editor {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut rows = self.rows.clone();
        // A click can land on a row an update just removed: then there is nothing to do.
        match action {
            Action::Edit { row, field, value } => {
                let Some(draft) = rows.get_mut(row) else {
                    return self;
                };
                let target = match field {
                    Field::Method => &mut draft.method,
                    Field::Path => &mut draft.path,
                    Field::Access => &mut draft.access,
                    Field::Value => &mut draft.value,
                    Field::Security => &mut draft.security,
                };
                *target = value;
            }
            Action::MoveUp(index) if index > 0 && index < rows.len() => rows.swap(index - 1, index),
            Action::MoveDown(index) if index + 1 < rows.len() => rows.swap(index, index + 1),
            Action::Remove(index) if index < rows.len() => {
                rows.remove(index);
            }
            Action::MoveUp(_) | Action::MoveDown(_) | Action::Remove(_) => return self,
            Action::AddRow => rows.push(RowDraft {
                method: "GET".to_string(),
                path: format!("/new-{}", rows.len() + 1),
                access: "authenticated".to_string(),
                ..RowDraft::default()
            }),
            Action::EditText(text) => return Rc::new(self.with_text(text)),
            Action::Follow(policy) => return Rc::new(Editor::new(&policy)),
        }
        Rc::new(self.with_rows(rows))
    }
}
