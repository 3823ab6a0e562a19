//! The execution table and the variable tracker: the trace as a debugger shows it.

use std::rc::Rc;

use authpath_engine::{Authentication, Authorization, Evaluation, Vars};
use yew::prelude::*;

use crate::components::decision_path::{outcome_mark, outcome_word};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct TraceProps {
    pub evaluation: Rc<Evaluation>,
    /// The index of the step shown.
    pub step: usize,
}

#[derive(Properties, PartialEq)]
pub struct ExecutionTableProps {
    pub evaluation: Rc<Evaluation>,
    pub step: usize,
    pub onaction: Callback<Action>,
}

#[component]
pub fn ExecutionTable(props: &ExecutionTableProps) -> Html {
    let trace = &props.evaluation.trace;
    html! {
        <div class="table-wrap">
            <table class="execution-table" data-testid="execution-table">
                <caption>{"Execution table"}</caption>
                <thead>
                    <tr>
                        <th scope="col">{"#"}</th>
                        <th scope="col">{"Check and condition"}</th>
                        <th scope="col">{"Result"}</th>
                        <th scope="col">{"Status"}</th>
                    </tr>
                </thead>
                <tbody>
                    { for trace.iter().enumerate().map(|(index, step)| {
                        let onclick = {
                            let onaction = props.onaction.clone();
                            Callback::from(move |_: MouseEvent| onaction.emit(Action::ShowStep(Some(index))))
                        };
                        let state = if index == props.step { "current" } else if index < props.step { "done" } else { "ahead" };
                        let decided = index + 1 == trace.len();
                        html! {
                            <tr class={classes!(state, outcome_word(step.outcome))} data-step={index.to_string()}
                                aria-current={(index == props.step).then_some("step")}>
                                <td>
                                    <button type="button" class="step-button" {onclick}
                                        aria-label={format!("Show step {}", index + 1)}>{index + 1}</button>
                                </td>
                                <td class="check-cell">
                                    <span class="node-name">{step.node.title()}</span>
                                    {" · "}<code class="check-name">{step.check.clone()}</code>
                                    <code class="condition">{step.condition.clone()}</code>
                                </td>
                                <td class="result">
                                    <span class="mark" aria-hidden="true">{outcome_mark(step.outcome)}</span>
                                    {" "}<strong>{outcome_word(step.outcome)}</strong>
                                    <br/><span class="detail">{step.detail.clone()}</span>
                                </td>
                                <td class="response">
                                    { match (decided, step.vars.response_code) {
                                        (true, Some(code)) => html! { <strong>{code.code()}</strong> },
                                        _ => html! { <span class="muted">{"—"}</span> },
                                    } }
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn VariableTracker(props: &TraceProps) -> Html {
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
