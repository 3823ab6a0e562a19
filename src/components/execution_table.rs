//! The execution table: the trace as a debugger shows it, one row per check; a row's number
//! shows that step.

use std::rc::Rc;

use authpath_engine::Evaluation;
use yew::prelude::*;

use crate::components::decision_path::{outcome_mark, outcome_word};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct ExecutionTableProps {
    pub evaluation: Rc<Evaluation>,
    /// The index of the step shown.
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
