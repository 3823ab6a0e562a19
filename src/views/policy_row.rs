//! One row of the policy form: a route's method, path pattern, access rule and the schemes it
//! accepts, its place in the order, and what is wrong with it. A fragment, not a component: it has no state of its
//! own, and each component costs the page's download more than a function does.

use yew::prelude::*;

use crate::components::builder::METHODS;
use crate::dom;
use crate::views::policy_state::{Action, Field, RowDraft, ACCESS_KINDS};

/// The row at `index` (from 0); `last` when it cannot move down, `security` when it shows the
/// schemes it accepts, `error` what is wrong with it in words, and `onedit` is told every edit
/// of it.
pub fn view_row(
    index: usize,
    row: &RowDraft,
    last: bool,
    security: bool,
    error: Option<&str>,
    onedit: &Callback<Action>,
) -> Html {
    let set = |field: Field| {
        let onedit = onedit.clone();
        move |value: String| {
            onedit.emit(Action::Edit {
                row: index,
                field,
                value,
            })
        }
    };
    let onmethod = {
        let set = set(Field::Method);
        Callback::from(move |event: Event| set(dom::select_value(&event)))
    };
    let onpath = {
        let set = set(Field::Path);
        Callback::from(move |event: InputEvent| set(dom::input_value(&event)))
    };
    let onaccess = {
        let set = set(Field::Access);
        Callback::from(move |event: Event| set(dom::select_value(&event)))
    };
    let onvalue = {
        let set = set(Field::Value);
        Callback::from(move |event: InputEvent| set(dom::input_value(&event)))
    };
    let onsecurity = {
        let set = set(Field::Security);
        Callback::from(move |event: InputEvent| set(dom::input_value(&event)))
    };
    let onup = onedit.reform(move |_: MouseEvent| Action::MoveUp(index));
    let ondown = onedit.reform(move |_: MouseEvent| Action::MoveDown(index));
    let onremove = onedit.reform(move |_: MouseEvent| Action::Remove(index));

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
            if security {
                <label class="field row-security">
                    <span>{"Schemes"}</span>
                    <input type="text" value={row.security.clone()} oninput={onsecurity} data-testid="policy-security" spellcheck="false"
                        placeholder="any scheme" title="Names by commas, any one accepted; a+b: both sent together; {}: none needed"
                        aria-label={format!("{label}: the schemes it accepts, by name, any one of them; a plus joins schemes sent together; braces for none needed; empty for any")} />
                </label>
            }
            <span class="row-tools" role="group" aria-label={format!("{label}: order")}>
                <button type="button" onclick={onup} disabled={index == 0} data-testid="policy-up"
                    aria-label={format!("Move route {} up", index + 1)} title="Move up">{"↑"}</button>
                <button type="button" onclick={ondown} disabled={last} data-testid="policy-down"
                    aria-label={format!("Move route {} down", index + 1)} title="Move down">{"↓"}</button>
                <button type="button" onclick={onremove} data-testid="policy-remove"
                    aria-label={format!("Remove route {}", index + 1)} title="Remove">{"✕"}</button>
            </span>
            if let Some(message) = error {
                { view_row_error(&error_id, message) }
            }
        </li>
    }
}

/// What is wrong with the row, announced when it appears; `id` is what the path field's
/// `aria-describedby` names.
fn view_row_error(id: &str, message: &str) -> Html {
    html! {
        <p class="row-error" id={id.to_string()} data-testid="policy-row-error" role="alert">{message.to_string()}</p>
    }
}
