//! The policy editor: the scenario's routes as form rows and the whole policy (schemes and
//! routes) as TOML text, kept in sync; the realm and the clock. An invalid edit is shown where it is and the last valid policy stays
//! in force, so every other view keeps working while the text is being typed.
//!
//! The editor keeps what is being typed in a reducer of its own ([`Editor`], [`Action`], in
//! [`super::policy_state`]); the page's state sees only valid policies. Each row is drawn by
//! [`view_row`], the realm and the clock are [`ServerSettings`], the OpenAPI import above them
//! is [`SpecImportPanel`].

use std::rc::Rc;

use authpath_engine::{Policy, PolicyError, Scenario};
use yew::prelude::*;

use crate::dom;
use crate::state;
use crate::views::policy_keys::KeySettings;
use crate::views::policy_openapi::SpecImportPanel;
use crate::views::policy_row::view_row;
use crate::views::policy_server::ServerSettings;
use crate::views::policy_state::{policy_of, Action, Editor};

#[derive(Properties, PartialEq)]
pub struct PolicyEditorProps {
    pub scenario: Rc<Scenario>,
    /// How many times the server was reset: each reset drops what is typed, read or not.
    pub resets: u32,
    /// The OpenAPI spec pasted or opened, and its last import.
    pub spec: state::SpecInput,
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

    let view = use_node_ref();
    {
        let view = view.clone();
        use_effect(move || dom::show_selected_options(&view));
    }

    let onedit = editor.dispatcher().to_callback();
    let ontext = onedit.reform(|event: InputEvent| Action::EditText(dom::textarea_value(&event)));
    let onadd = onedit.reform(|_: MouseEvent| Action::AddRow);
    let onreset = props
        .onaction
        .reform(|_: MouseEvent| state::Action::ResetServer);

    let checked = policy_of(&editor.rows, &editor.policy);
    // A route's schemes are offered where the policy has schemes to name (or a row names some,
    // so nothing it says is hidden).
    let with_schemes = !editor.policy.schemes.is_empty();
    let in_force = checked.is_ok() && editor.text_error.is_none();
    let row_errors = checked.err().unwrap_or_default();
    let count = editor.rows.len();
    let rows = editor.rows.iter().enumerate().map(|(index, row)| {
        let error = row_errors
            .iter()
            .find(|(at, _)| *at == index)
            .map(|(_, message)| message.as_str());
        let security = with_schemes || !row.security.trim().is_empty();
        view_row(index, row, index + 1 == count, security, error, &onedit)
    });

    html! {
        <main class="view policy-view" data-testid="policy-view" ref={view}>
            <SpecImportPanel spec={props.spec.clone()} fits_a_link={state::fits_a_link(policy)} onaction={props.onaction.clone()} />
            <section class="column" aria-labelledby="policy-heading">
                <div class="view-head">
                    <h2 id="policy-heading">{"Policy: the API's schemes and routes"}</h2>
                    <button type="button" onclick={onreset} data-testid="policy-reset">{"Reset to the demo API"}</button>
                </div>
                <p class="muted">{"Routes are matched in order; every view evaluates requests against this policy. Edit the rows or the text: each follows the other."}</p>
                { view_in_force(in_force, policy.routes.len()) }
                <div class="policy-panes">
                    <div class="policy-form">
                        { view_schemes(&editor.policy) }
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

/// The policy's security schemes, as OpenAPI's `securitySchemes`: read here, edited in the
/// text. Nothing for a policy without schemes, whose server reads credentials on every route.
fn view_schemes(policy: &Policy) -> Html {
    if policy.schemes.is_empty() {
        return Html::default();
    }
    html! {
        <section class="policy-schemes" data-testid="policy-schemes" aria-labelledby="policy-schemes-heading">
            <h3 id="policy-schemes-heading">{"Schemes"}</h3>
            <ul>
                { for policy.schemes.iter().map(|(name, scheme)| html! {
                    <li data-testid="policy-scheme" data-scheme={name.clone()}>
                        <code>{name.clone()}</code>{" "}{scheme.describe()}
                    </li>
                }) }
            </ul>
            <p class="muted">{"Edit the schemes in the text. A route's “Schemes” field names those it accepts, any one of them; left empty, it accepts every scheme."}</p>
        </section>
    }
}

/// The policy as TOML text, editable, and whether it reads as a policy.
fn view_text(text: &str, error: Option<&PolicyError>, oninput: Callback<InputEvent>) -> Html {
    html! {
        <div class="policy-text">
            <label for="policy-text" class="raw-label">{"As TOML"}<small>{"the format of authpath eval --policy; JSON pasted here reads too"}</small></label>
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
