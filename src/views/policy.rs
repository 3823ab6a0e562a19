//! The policy editor: the scenario's routes as form rows and as TOML text, kept in sync; the
//! realm and the clock. An invalid edit is shown where it is and the last valid policy stays
//! in force, so every other view keeps working while the text is being typed.

use std::rc::Rc;

use authpath_engine::{Access, Policy, PolicyError, Route, Scenario};
use yew::prelude::*;

use crate::components::builder::METHODS;
use crate::dom;
use crate::state::Action;

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

/// The editor's TOML: the engine's own writer and reader (no TOML crate in the page).
pub use authpath_engine::policy_text::{read as read_policy_text, write as policy_text};

#[derive(Properties, PartialEq)]
pub struct PolicyEditorProps {
    pub scenario: Rc<Scenario>,
    pub onaction: Callback<Action>,
}

#[component]
pub fn PolicyEditor(props: &PolicyEditorProps) -> Html {
    let scenario = props.scenario.clone();
    let rows = use_state(|| rows_of(&scenario.policy));
    let text = use_state(|| policy_text(&scenario.policy));
    let text_error = use_state(|| None::<PolicyError>);
    // The policy this editor last put in force: when the scenario's policy is another one
    // (reset, a link, back/forward), the form and the text follow it; when it is this one,
    // what the person is typing is left alone.
    let sent = use_mut_ref(|| scenario.policy.clone());
    {
        let rows = rows.clone();
        let text = text.clone();
        let text_error = text_error.clone();
        let sent = sent.clone();
        use_effect_with(scenario.policy.clone(), move |policy| {
            if *sent.borrow() != *policy {
                *sent.borrow_mut() = policy.clone();
                rows.set(rows_of(policy));
                text.set(policy_text(policy));
                text_error.set(None);
            }
        });
    }

    let apply = {
        let scenario = scenario.clone();
        let onaction = props.onaction.clone();
        let sent = sent.clone();
        move |policy: Policy| {
            if policy != scenario.policy {
                *sent.borrow_mut() = policy.clone();
                let mut next = Scenario::clone(&scenario);
                next.policy = policy;
                onaction.emit(Action::SetScenario(Rc::new(next)));
            }
        }
    };

    // A form edit: the rows change; when they are all valid the text is rewritten from them
    // and the policy goes in force.
    let edit_rows = {
        let rows = rows.clone();
        let text = text.clone();
        let text_error = text_error.clone();
        let apply = apply.clone();
        Callback::from(move |next: Vec<RowDraft>| {
            if let Ok(policy) = policy_of(&next) {
                text.set(policy_text(&policy));
                text_error.set(None);
                apply(policy);
            }
            rows.set(next);
        })
    };
    let row_errors = policy_of(&rows).err().unwrap_or_default();

    let ontext = {
        let rows = rows.clone();
        let text = text.clone();
        let text_error = text_error.clone();
        let apply = apply.clone();
        Callback::from(move |event: InputEvent| {
            let value = dom::textarea_value(&event);
            match read_policy_text(&value) {
                Ok(policy) => {
                    rows.set(rows_of(&policy));
                    text_error.set(None);
                    apply(policy);
                }
                Err(error) => text_error.set(Some(error)),
            }
            text.set(value);
        })
    };
    let onreset = {
        let onaction = props.onaction.clone();
        let scenario = scenario.clone();
        Callback::from(move |_: MouseEvent| {
            let defaults = Scenario::default();
            let mut next = Scenario::clone(&scenario);
            next.policy = defaults.policy;
            next.realm = defaults.realm;
            next.now = defaults.now;
            onaction.emit(Action::SetScenario(Rc::new(next)));
        })
    };
    let onrealm = {
        let onaction = props.onaction.clone();
        let scenario = scenario.clone();
        Callback::from(move |event: InputEvent| {
            let mut next = Scenario::clone(&scenario);
            next.realm = dom::input_value(&event);
            onaction.emit(Action::SetScenario(Rc::new(next)));
        })
    };
    let clock_error = use_state(|| false);
    let onclock = {
        let onaction = props.onaction.clone();
        let scenario = scenario.clone();
        let clock_error = clock_error.clone();
        Callback::from(move |event: InputEvent| {
            match dom::input_value(&event).trim().parse::<u64>() {
                Ok(now) => {
                    clock_error.set(false);
                    let mut next = Scenario::clone(&scenario);
                    next.now = now;
                    onaction.emit(Action::SetScenario(Rc::new(next)));
                }
                Err(_) => clock_error.set(true),
            }
        })
    };
    let onadd = {
        let rows = rows.clone();
        let edit_rows = edit_rows.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*rows).clone();
            next.push(RowDraft {
                method: "GET".to_string(),
                path: format!("/new-{}", next.len() + 1),
                access: "authenticated".to_string(),
                value: String::new(),
            });
            edit_rows.emit(next);
        })
    };

    let row_views = rows.iter().enumerate().map(|(index, row)| {
        let change = |update: fn(&mut RowDraft, String)| {
            let rows = rows.clone();
            let edit_rows = edit_rows.clone();
            move |value: String| {
                let mut next = (*rows).clone();
                if let Some(row) = next.get_mut(index) {
                    update(row, value);
                }
                edit_rows.emit(next);
            }
        };
        let onmethod = {
            let change = change(|row, value| row.method = value);
            Callback::from(move |event: Event| change(dom::select_value(&event)))
        };
        let onpath = {
            let change = change(|row, value| row.path = value);
            Callback::from(move |event: InputEvent| change(dom::input_value(&event)))
        };
        let onaccess = {
            let change = change(|row, value| row.access = value);
            Callback::from(move |event: Event| change(dom::select_value(&event)))
        };
        let onvalue = {
            let change = change(|row, value| row.value = value);
            Callback::from(move |event: InputEvent| change(dom::input_value(&event)))
        };
        let reorder = |to: Option<usize>| {
            let rows = rows.clone();
            let edit_rows = edit_rows.clone();
            Callback::from(move |_: MouseEvent| {
                let mut next = (*rows).clone();
                match to {
                    // A click can land on a row an update just removed: nothing to move.
                    Some(to) if to < next.len() && index < next.len() => next.swap(index, to),
                    Some(_) => return,
                    None if index < next.len() => {
                        next.remove(index);
                    }
                    None => return,
                }
                edit_rows.emit(next);
            })
        };
        let onup = reorder(index.checked_sub(1));
        let ondown = reorder(Some(index + 1));
        let onremove = reorder(None);
        let error = row_errors
            .iter()
            .find(|(at, _)| *at == index)
            .map(|(_, message)| message.clone());
        let has_value = matches!(row.access.as_str(), "role" | "scope" | "owner");
        let label = format!("Route {}", index + 1);
        let error_id = format!("policy-row-error-{index}");
        let known_method = METHODS.contains(&row.method.as_str());
        html! {
            <li class={classes!("policy-row", error.is_some().then_some("invalid"))} data-testid="policy-row" data-index={index.to_string()}>
                <span class="row-number" aria-hidden="true">{index + 1}</span>
                <label class="field row-method">
                    <span>{"Method"}</span>
                    <select onchange={onmethod} data-testid="policy-method" aria-label={format!("{label}: method")}>
                        { for METHODS.iter().map(|method| html! {
                            <option value={*method} selected={row.method == *method}>{*method}</option>
                        }) }
                        if !known_method {
                            <option value={row.method.clone()} selected=true>{row.method.clone()}</option>
                        }
                    </select>
                </label>
                <label class="field row-path">
                    <span>{"Path pattern"}</span>
                    <input type="text" value={row.path.clone()} oninput={onpath} data-testid="policy-path" spellcheck="false"
                        aria-label={format!("{label}: path pattern")} aria-invalid={error.is_some().then_some("true")}
                        aria-describedby={error.is_some().then(|| error_id.clone())} />
                </label>
                <label class="field row-access">
                    <span>{"Access"}</span>
                    <select onchange={onaccess} data-testid="policy-access" aria-label={format!("{label}: access rule")}>
                        { for ACCESS_KINDS.iter().map(|id| html! {
                            <option value={*id} selected={row.access == *id}>{*id}</option>
                        }) }
                    </select>
                </label>
                <label class="field row-value">
                    <span>{ match row.access.as_str() { "role" => "Role", "scope" => "Scope", "owner" => "Path parameter", _ => "Value" } }</span>
                    <input type="text" value={row.value.clone()} oninput={onvalue} data-testid="policy-access-value" spellcheck="false"
                        disabled={!has_value} aria-label={format!("{label}: role, scope or parameter")} />
                </label>
                <span class="row-tools" role="group" aria-label={format!("{label}: order")}>
                    <button type="button" onclick={onup} disabled={index == 0} data-testid="policy-up"
                        aria-label={format!("Move route {} up", index + 1)} title="Move up">{"↑"}</button>
                    <button type="button" onclick={ondown} disabled={index + 1 == rows.len()} data-testid="policy-down"
                        aria-label={format!("Move route {} down", index + 1)} title="Move down">{"↓"}</button>
                    <button type="button" onclick={onremove} data-testid="policy-remove"
                        aria-label={format!("Remove route {}", index + 1)} title="Remove">{"✕"}</button>
                </span>
                if let Some(message) = error {
                    <p class="row-error" id={error_id} data-testid="policy-row-error" role="alert">{message}</p>
                }
            </li>
        }
    });

    let in_force = policy_of(&rows).is_ok() && text_error.is_none();
    let (date, time) = utc_date(scenario.now);

    html! {
        <main class="view policy-view" data-testid="policy-view">
            <section class="column" aria-labelledby="policy-heading">
                <div class="view-head">
                    <h2 id="policy-heading">{"Policy: the API's routes"}</h2>
                    <button type="button" onclick={onreset} data-testid="policy-reset">{"Reset to the demo API"}</button>
                </div>
                <p class="muted">{"Routes are matched in order; every view evaluates requests against this policy. Edit the rows or the text: each follows the other."}</p>
                <p class={classes!("policy-state", (!in_force).then_some("stale"))} data-testid="policy-state" aria-live="polite">
                    { if in_force {
                        format!("✓ In force: {} routes.", scenario.policy.routes.len())
                    } else {
                        format!("The edit has an error; the last valid policy ({} routes) stays in force.", scenario.policy.routes.len())
                    } }
                </p>
                <div class="policy-panes">
                    <div class="policy-form">
                        <h3>{"Routes"}</h3>
                        <ol class="policy-rows">{ for row_views }</ol>
                        <button type="button" onclick={onadd} data-testid="policy-add">{"+ Add a route"}</button>
                    </div>
                    <div class="policy-text">
                        <label for="policy-text" class="raw-label">{"As TOML"}<small>{"the format of authpath eval --policy"}</small></label>
                        <textarea id="policy-text" class="code" value={(*text).clone()} oninput={ontext} spellcheck="false" rows="24"
                            data-testid="policy-text" aria-invalid={text_error.is_some().then_some("true")}
                            aria-describedby="policy-text-status" />
                        <div id="policy-text-status" class="parse-status">
                            { match &*text_error {
                                Some(error) => html! {
                                    <div class="parse-error" data-testid="policy-error" role="alert">
                                        <p>{error.to_string()}</p>
                                        { for error.line.and_then(|line| caret(&text, line, error.column)).map(|caret| html! {
                                            <pre class="caret">{caret}</pre>
                                        }) }
                                    </div>
                                },
                                None => html! { <p class="parse-ok">{"✓ The text is a valid policy."}</p> },
                            } }
                        </div>
                    </div>
                </div>
            </section>
            <section class="column" aria-labelledby="server-heading">
                <h2 id="server-heading">{"Server"}</h2>
                <div class="server-fields">
                    <label class="field grow">
                        <span>{"Realm"}</span>
                        <input type="text" value={scenario.realm.clone()} oninput={onrealm} data-testid="policy-realm" spellcheck="false" />
                        <small class="muted">{"Named in every challenge: WWW-Authenticate: Bearer realm=\"…\" (RFC 9110 §11.5)."}</small>
                    </label>
                    <label class="field grow">
                        <span>{"Clock (Unix seconds)"}</span>
                        <input type="text" inputmode="numeric" value={scenario.now.to_string()} oninput={onclock} data-testid="policy-clock"
                            aria-invalid={clock_error.then_some("true")} />
                        <small class="muted" data-testid="policy-clock-date">
                            { if *clock_error { "Not a whole number of seconds: the last valid clock stays.".to_string() } else { format!("{date} {time} UTC; tokens are checked against it (exp, nbf).") } }
                        </small>
                    </label>
                </div>
            </section>
        </main>
    }
}

/// The line `line` of `text` and a caret under `column`, to show where an error is.
fn caret(text: &str, line: usize, column: Option<usize>) -> Option<String> {
    let source = text.lines().nth(line.checked_sub(1)?)?;
    let column = column.unwrap_or(1).max(1);
    Some(format!("{source}\n{}^", " ".repeat(column - 1)))
}

/// The UTC date and time of a Unix time, e.g. ("2026-01-01", "00:00:00"), from the engine's
/// own formatting of its clock.
pub fn utc_date(seconds: u64) -> (String, String) {
    let stamp = authpath_engine::token::format_utc(seconds);
    let (date, time) = stamp.split_once('T').unwrap_or((stamp.as_str(), ""));
    (date.to_string(), time.trim_end_matches('Z').to_string())
}
