//! The variable tracker: the pipeline's variables after the step shown, and which of them
//! that step changed.

use std::rc::Rc;

use authpath_engine::{Authentication, Authorization, Evaluation, Vars};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct VariableTrackerProps {
    pub evaluation: Rc<Evaluation>,
    /// The index of the step shown.
    pub step: usize,
}

#[component]
pub fn VariableTracker(props: &VariableTrackerProps) -> Html {
    let trace = &props.evaluation.trace;
    let now = trace
        .get(props.step)
        .map(|step| step.vars)
        .unwrap_or_default();
    let before = props
        .step
        .checked_sub(1)
        .and_then(|index| trace.get(index))
        .map(|step| step.vars)
        .unwrap_or_default();
    let row = |name: &'static str, value: String, changed: bool| {
        html! {
            <tr class={classes!(changed.then_some("changed"))} data-var={name}>
                <th scope="row"><code>{name}</code></th>
                <td data-testid={format!("var-{name}")}>{value}</td>
                <td class="muted">{ if changed { "changed at this step" } else { "" } }</td>
            </tr>
        }
    };
    html! {
        <table class="variable-tracker" data-testid="variable-tracker">
            <caption>{format!("Variables after step {}", props.step + 1)}</caption>
            <tbody>
                {row("authentication", authentication_word(now.authentication).to_string(),
                    props.step > 0 && now.authentication != before.authentication)}
                {row("authorization", authorization_word(now.authorization).to_string(),
                    props.step > 0 && now.authorization != before.authorization)}
                {row("response_code", response_word(&now),
                    props.step > 0 && now.response_code != before.response_code)}
            </tbody>
        </table>
    }
}

fn authentication_word(value: Authentication) -> &'static str {
    match value {
        Authentication::Unknown => "unknown",
        Authentication::Anonymous => "anonymous",
        Authentication::Passed => "passed",
        Authentication::Failed => "failed",
    }
}

fn authorization_word(value: Authorization) -> &'static str {
    match value {
        Authorization::NotChecked => "not checked",
        Authorization::NotRequired => "not required",
        Authorization::Passed => "passed",
        Authorization::Failed => "failed",
    }
}

fn response_word(vars: &Vars) -> String {
    vars.response_code.map_or_else(
        || "not decided".to_string(),
        |status| format!("{} {}", status.code(), status.reason()),
    )
}
