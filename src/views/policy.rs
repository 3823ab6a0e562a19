//! The policy editor: the scenario's routes as form rows and as TOML text, kept in sync; the
//! realm and the clock. An invalid edit is shown where it is and the last valid policy stays
//! in force, so every other view keeps working while the text is being typed.
//!
//! The editor keeps what is being typed in a reducer of its own ([`Editor`], [`Action`]); the
//! page's state sees only valid policies. Each row is drawn by [`view_row`], the realm and the
//! clock are [`ServerSettings`].

use std::rc::Rc;

use authpath_engine::{Access, Policy, PolicyError, Route, Scenario};
use yew::prelude::*;

use crate::dom;
use crate::state;
use crate::views::policy_keys::KeySettings;
use crate::views::policy_row::view_row;
use crate::views::policy_server::ServerSettings;

/// The access rules a form row offers, by id (also their label); the ones with a value take it
/// from a text field.
pub const ACCESS_KINDS: [&str; 5] = ["public", "authenticated", "role", "scope", "owner"];

/// One form row as typed: plain strings, so a half-typed row can be shown with its error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowDraft {
    pub method: String,
    pub path: String,
    /// One of the ids of [`ACCESS_KINDS`].
    pub access: String,
    /// The role, scope or parameter name; ignored for public and authenticated.
    pub value: String,
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
        }
    }

    /// The route this row describes, checked as the engine checks a policy; the error names
    /// what is wrong, in words.
    pub fn to_route(&self) -> Result<Route, String> {
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
        let route = Route {
            method: self.method.trim().to_string(),
            path: self.path.trim().to_string(),
            access,
        };
        Policy {
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

/// The policy the rows describe, or the errors of each invalid row (row index, message).
pub fn policy_of(rows: &[RowDraft]) -> Result<Policy, Vec<(usize, String)>> {
    let mut routes = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        match row.to_route() {
            Ok(route) => routes.push(route),
            Err(message) => errors.push((index, message)),
        }
    }
    if errors.is_empty() {
        Ok(Policy { routes })
    } else {
        Err(errors)
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
    /// The TOML text was edited.
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
    /// policy is the one to put in force.
    fn with_rows(&self, rows: Vec<RowDraft>) -> Editor {
        let mut next = self.clone();
        if let Ok(policy) = policy_of(&rows) {
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
        match Policy::from_toml(&text) {
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
                value: String::new(),
            }),
            Action::EditText(text) => return Rc::new(self.with_text(text)),
            Action::Follow(policy) => return Rc::new(Editor::new(&policy)),
        }
        Rc::new(self.with_rows(rows))
    }
}

#[derive(Properties, PartialEq)]
pub struct PolicyEditorProps {
    pub scenario: Rc<Scenario>,
    /// How many times the server was reset: each reset drops what is typed, read or not.
    pub resets: u32,
    pub onaction: Callback<state::Action>,
}

#[component]
pub fn PolicyEditor(props: &PolicyEditorProps) -> Html {
    let policy = &props.scenario.policy;
    let editor = use_reducer({
        let policy = policy.clone();
        move || Editor::new(&policy)
    });
    {
        // The editor follows a policy put in force elsewhere, and a reset, which drops an
        // invalid text even when the demo's policy was already the one in force.
        let editor = editor.clone();
        let seen_resets = use_mut_ref(|| props.resets);
        use_effect_with((policy.clone(), props.resets), move |(policy, resets)| {
            let reset = *seen_resets.borrow() != *resets;
            *seen_resets.borrow_mut() = *resets;
            if reset || editor.policy != *policy {
                editor.dispatch(Action::Follow(policy.clone()));
            }
        });
    }
    {
        // A valid edit goes in force; the page's state never sees an invalid one.
        let onaction = props.onaction.clone();
        let in_force = policy.clone();
        use_effect_with(editor.policy.clone(), move |edited| {
            if *edited != in_force {
                onaction.emit(state::Action::SetPolicy(edited.clone()));
            }
        });
    }

    let onedit = editor.dispatcher().to_callback();
    let ontext = onedit.reform(|event: InputEvent| Action::EditText(dom::textarea_value(&event)));
    let onadd = onedit.reform(|_: MouseEvent| Action::AddRow);
    let onreset = props
        .onaction
        .reform(|_: MouseEvent| state::Action::ResetServer);

    let checked = policy_of(&editor.rows);
    let in_force = checked.is_ok() && editor.text_error.is_none();
    let row_errors = checked.err().unwrap_or_default();
    let count = editor.rows.len();
    let rows = editor.rows.iter().enumerate().map(|(index, row)| {
        let error = row_errors
            .iter()
            .find(|(at, _)| *at == index)
            .map(|(_, message)| message.as_str());
        view_row(index, row, index + 1 == count, error, &onedit)
    });

    html! {
        <main class="view policy-view" data-testid="policy-view">
            <section class="column" aria-labelledby="policy-heading">
                <div class="view-head">
                    <h2 id="policy-heading">{"Policy: the API's routes"}</h2>
                    <button type="button" onclick={onreset} data-testid="policy-reset">{"Reset to the demo API"}</button>
                </div>
                <p class="muted">{"Routes are matched in order; every view evaluates requests against this policy. Edit the rows or the text: each follows the other."}</p>
                { view_in_force(in_force, policy.routes.len()) }
                <div class="policy-panes">
                    <div class="policy-form">
                        <h3>{"Routes"}</h3>
                        <ol class="policy-rows">{ for rows }</ol>
                        <button type="button" onclick={onadd} data-testid="policy-add">{"+ Add a route"}</button>
                    </div>
                    { view_text(&editor.text, editor.text_error.as_ref(), ontext) }
                </div>
            </section>
            // Keyed by the resets: a reset starts them afresh, without what was typed.
            <ServerSettings key={props.resets} realm={props.scenario.realm.clone()} now={props.scenario.now} onaction={props.onaction.clone()} />
            <KeySettings key={props.resets} scenario={props.scenario.clone()} onaction={props.onaction.clone()} />
        </main>
    }
}

/// Whether the edit is in force, or the last valid policy (of `routes` routes) still is.
fn view_in_force(in_force: bool, routes: usize) -> Html {
    html! {
        <p class={classes!("policy-state", (!in_force).then_some("stale"))} data-testid="policy-state" aria-live="polite">
            { if in_force {
                format!("✓ In force: {routes} routes.")
            } else {
                format!("The edit has an error; the last valid policy ({routes} routes) stays in force.")
            } }
        </p>
    }
}

/// The policy as TOML text, editable, and whether it reads as a policy.
fn view_text(text: &str, error: Option<&PolicyError>, oninput: Callback<InputEvent>) -> Html {
    html! {
        <div class="policy-text">
            <label for="policy-text" class="raw-label">{"As TOML"}<small>{"the format of authpath eval --policy"}</small></label>
            <textarea id="policy-text" class="code" value={text.to_string()} {oninput} spellcheck="false" rows="24"
                data-testid="policy-text" aria-invalid={error.is_some().then_some("true")}
                aria-describedby="policy-text-status" />
            <div id="policy-text-status" class="parse-status">
                { match error {
                    Some(error) => view_text_error(text, error),
                    None => html! { <p class="parse-ok">{"✓ The text is a valid policy."}</p> },
                } }
            </div>
        </div>
    }
}

/// Why the text is not a policy, with a caret under the place the error names.
fn view_text_error(text: &str, error: &PolicyError) -> Html {
    html! {
        <div class="parse-error" data-testid="policy-error" role="alert">
            <p>{error.to_string()}</p>
            { for error.line.and_then(|line| caret(text, line, error.column)).map(|caret| html! {
                <pre class="caret">{caret}</pre>
            }) }
        </div>
    }
}

/// The line `line` of `text` and a caret under `column`, to show where an error is.
fn caret(text: &str, line: usize, column: Option<usize>) -> Option<String> {
    let source = text.lines().nth(line.checked_sub(1)?)?;
    let column = column.unwrap_or(1).max(1);
    Some(format!("{source}\n{}^", " ".repeat(column - 1)))
}
