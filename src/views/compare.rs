//! Compare: the simulator's request under any two profiles side by side (by default `rfc`
//! against the simulator's profile, or `naive` when that is `rfc`): both raw responses, both
//! paths, the differences in status and headers, and the lint findings that say which answer
//! breaks which rule, with how to fix it in a framework.

use std::rc::Rc;

use authpath_engine::{evaluate, graph, Evaluation, Profile, Response, Scenario};
use yew::prelude::*;

use crate::components::decision_path::DecisionPath;
use crate::components::presets::PresetBar;
use crate::components::profile::profile_options;
use crate::components::response::view_finding;
use crate::components::status::{status_banner, Banner};
use crate::dom;
use crate::state::{Action, View};

#[derive(Properties, PartialEq)]
pub struct CompareViewProps {
    pub scenario: Rc<Scenario>,
    /// The simulator's raw request: the one compared.
    pub raw: String,
    /// The preset the request equals, if any, for the preset bar.
    pub preset: Option<&'static str>,
    pub onaction: Callback<Action>,
}

/// One difference between the two responses: what, and each side's value (`None`: absent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub what: String,
    pub left: Option<String>,
    pub right: Option<String>,
}

/// The status line and every header whose values differ between two responses, in the order
/// they first appear; header names compare case-insensitively.
pub fn differences(left: &Response, right: &Response) -> Vec<Difference> {
    let mut found = Vec::new();
    if left.status != right.status {
        found.push(Difference {
            what: "Status".to_string(),
            left: Some(left.status.to_string()),
            right: Some(right.status.to_string()),
        });
    }
    let mut names: Vec<&str> = Vec::new();
    for header in left.headers.iter().chain(&right.headers) {
        if !names
            .iter()
            .any(|name| name.eq_ignore_ascii_case(&header.name))
        {
            names.push(&header.name);
        }
    }
    for name in names {
        let values = |response: &Response| {
            let values: Vec<&str> = response.headers_named(name).collect();
            (!values.is_empty()).then(|| values.join("\n"))
        };
        let (left, right) = (values(left), values(right));
        if left != right {
            found.push(Difference {
                what: name.to_string(),
                left,
                right,
            });
        }
    }
    if left.body != right.body {
        found.push(Difference {
            what: "Body".to_string(),
            left: Some(left.body.clone()).filter(|body| !body.is_empty()),
            right: Some(right.body.clone()).filter(|body| !body.is_empty()),
        });
    }
    found
}

/// The profile compared with `rfc` when Compare opens: the simulator's, unless that is `rfc`
/// itself, then `naive`, whose mistakes show most.
pub fn second_by_default(chosen: Profile) -> Profile {
    if chosen == Profile::Rfc {
        Profile::Naive
    } else {
        chosen
    }
}

#[component]
pub fn CompareView(props: &CompareViewProps) -> Html {
    let left = use_state(|| Profile::Rfc);
    let chosen = props.scenario.profile;
    let right = use_state(|| second_by_default(chosen));
    let run = |profile: Profile| {
        let mut scenario = Scenario::clone(&props.scenario);
        scenario.profile = profile;
        Rc::new(evaluate(&props.raw, &scenario))
    };
    let evaluations = use_memo(
        (props.raw.clone(), props.scenario.clone(), *left, *right),
        |(_, _, left, right)| (run(*left), run(*right)),
    );
    let (left_evaluation, right_evaluation) = &*evaluations;
    let found = differences(&left_evaluation.response, &right_evaluation.response);

    let select = |state: UseStateHandle<Profile>| {
        Callback::from(move |event: Event| {
            if let Some(profile) = Profile::from_id(&dom::select_value(&event)) {
                state.set(profile);
            }
        })
    };
    let onsimulator = {
        let onaction = props.onaction.clone();
        Callback::from(move |_: MouseEvent| onaction.emit(Action::SetView(View::Simulator)))
    };

    html! {
        <>
            <PresetBar active={props.preset} onaction={props.onaction.clone()} />
            <main class="view compare-view" data-testid="compare-view">
                <section class="column compare-request" aria-labelledby="compare-heading">
                    <div class="view-head">
                        <h2 id="compare-heading">{"Compare: one request, two servers"}</h2>
                        <button type="button" class="link-button" onclick={onsimulator} data-testid="compare-edit">{"Edit the request in the simulator"}</button>
                    </div>
                    <pre class="code compare-raw-request" data-testid="compare-request" aria-label="The raw request">{props.raw.clone()}</pre>
                    <h3>{"What differs"}</h3>
                    if found.is_empty() {
                        <p class="no-findings" data-testid="compare-differences" data-count="0">{"Both servers answer byte for byte alike."}</p>
                    } else {
                        <div class="table-wrap">
                            <table class="compare-differences" data-testid="compare-differences" data-count={found.len().to_string()}>
                                <thead>
                                    <tr>
                                        <th scope="col">{"What"}</th>
                                        <th scope="col">{left.id()}</th>
                                        <th scope="col">{right.id()}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    { for found.iter().map(|difference| html! {
                                        <tr data-testid="compare-difference" data-what={difference.what.clone()}>
                                            <th scope="row">{difference.what.clone()}</th>
                                            <td><code>{difference.left.clone().unwrap_or_else(|| "(absent)".to_string())}</code></td>
                                            <td><code>{difference.right.clone().unwrap_or_else(|| "(absent)".to_string())}</code></td>
                                        </tr>
                                    }) }
                                </tbody>
                            </table>
                        </div>
                    }
                </section>
                <div class="compare-sides">
                    { view_side("left", *left, left_evaluation, right_evaluation, select(left.clone())) }
                    { view_side("right", *right, right_evaluation, left_evaluation, select(right.clone())) }
                </div>
            </main>
        </>
    }
}

/// One server's answer: profile choice, status, raw response (lines the other lacks marked),
/// decision path and lint.
fn view_side(
    side: &'static str,
    profile: Profile,
    evaluation: &Rc<Evaluation>,
    other: &Evaluation,
    onchange: Callback<Event>,
) -> Html {
    let response = &evaluation.response;
    let raw = response.to_string();
    let theirs = other.response.to_string();
    let their_lines: Vec<&str> = theirs.split("\r\n").collect();
    let lines: Vec<&str> = raw.split("\r\n").collect();
    let count = lines.len();
    let line_views = lines.iter().enumerate().map(|(index, line)| {
        let differs = !line.is_empty() && !their_lines.contains(line);
        let separator = if index + 1 < count { "\r\n" } else { "" };
        html! {
            <>
                <span class={classes!("line", differs.then_some("differs"))} data-differs={differs.to_string()}>{*line}</span>
                {separator}
            </>
        }
    });
    let nodes = Rc::new(graph(profile));
    let step = evaluation.trace.len().saturating_sub(1);
    html! {
        <section class="column compare-side" data-testid={format!("compare-{side}")} data-profile={profile.id()}
            aria-label={format!("The {} server", profile.id())}>
            <label class="field">
                <span>{"Server profile"}</span>
                <select {onchange} data-testid={format!("compare-profile-{side}")}>
                    { profile_options(profile, None) }
                </select>
            </label>
            <p class="profile-models compact" data-testid="compare-models">{profile.spec().models}</p>
            { status_banner(response.status, Banner::Compact, "compare-status") }
            <pre class="code raw-response" data-testid="compare-response" aria-label={format!("Raw response, {}", profile.id())}>{ for line_views }</pre>
            <h3>{"Lint"}</h3>
            <div class="lint" data-testid="compare-lint">
                if evaluation.findings.is_empty() {
                    <p class="no-findings">{"✓ No findings."}</p>
                } else {
                    <ul>{ for evaluation.findings.iter().map(|finding| view_finding(finding, profile, false)) }</ul>
                }
            </div>
            <details class="compare-path" open=true>
                <summary>{"Decision path"}</summary>
                <DecisionPath {nodes} evaluation={evaluation.clone()} {step} />
            </details>
        </section>
    }
}
