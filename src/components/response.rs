//! The raw response, what each line means, the exports, and the lint findings.

use std::rc::Rc;

use authpath_engine::teach::explain::{annotate, Note};
use authpath_engine::teach::mock::curl_command;
use authpath_engine::{Evaluation, Finding, Header, Profile, Severity};
use serde::Serialize;
use yew::prelude::*;

use crate::components::copy::use_copy;
use crate::components::profile::view_fix;
use crate::components::status::{status_banner, Banner};
use crate::dom;
use crate::state::Action;

/// The base address the curl export uses; the demo API's own host.
const API_BASE: &str = "https://api.authpath.example";

#[derive(Properties, PartialEq)]
pub struct ResponsePanelProps {
    pub evaluation: Rc<Evaluation>,
    /// The profile the evaluation ran under, whose framework the findings' fixes are for.
    pub profile: Profile,
    /// The index of the step shown.
    pub step: usize,
    pub onaction: Callback<Action>,
    /// Drawn under the response, before the lint: what would change the answer.
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn ResponsePanel(props: &ResponsePanelProps) -> Html {
    let evaluation = &props.evaluation;
    let response = &evaluation.response;
    let raw = use_memo(evaluation.clone(), |evaluation| {
        evaluation.response.to_string()
    });
    let annotated = use_memo(evaluation.clone(), |evaluation| {
        annotate(&evaluation.response)
    });
    let note = use_state_eq(|| None::<Note>);
    // A new response makes the old explanation and "copied" label stale.
    let copy = use_copy(evaluation.clone());
    {
        let note = note.clone();
        use_effect_with(evaluation.clone(), move |_| note.set(None));
    }

    let decided_at = evaluation.trace.len().saturating_sub(1);
    let produced = props.step == decided_at;
    let deciding = evaluation.trace.last();

    let curl = evaluation
        .request
        .as_ref()
        .ok()
        .map(|request| curl_command(request, API_BASE));
    let oncopy_response = copy.onclick("response", Some(raw.to_string()));
    let oncopy_curl = copy.onclick("curl", curl.clone());
    let ondownload = {
        let evaluation = evaluation.clone();
        Callback::from(move |_: MouseEvent| {
            let fixture = fixture(&evaluation);
            dom::download("authpath-fixture.json", "application/json", &fixture);
        })
    };
    let onshow_decision = {
        let onaction = props.onaction.clone();
        Callback::from(move |_: MouseEvent| onaction.emit(Action::ShowStep(None)))
    };

    let lines = annotated.lines.iter().enumerate().map(|(index, line)| {
        let spans = line.spans.iter().map(|span| match &span.note {
            Some(span_note) => {
                let show = {
                    let note = note.clone();
                    let span_note = span_note.clone();
                    move || note.set(Some(span_note.clone()))
                };
                let onmouseenter = {
                    let show = show.clone();
                    Callback::from(move |_: MouseEvent| show())
                };
                let onfocus = Callback::from(move |_: FocusEvent| show());
                html! {
                    <span class="annotated" tabindex="0" {onmouseenter} {onfocus}
                        data-rule={span_note.rule.map(|rule| rule.id())}>{span.text.clone()}</span>
                }
            }
            None => html! { {span.text.clone()} },
        });
        let separator = (index + 1 < annotated.lines.len()).then_some("\r\n");
        // A line of the response leads back to the step that produced it: the deciding one.
        let onclick = {
            let onaction = props.onaction.clone();
            Callback::from(move |_: MouseEvent| onaction.emit(Action::ShowStep(Some(decided_at))))
        };
        html! {
            <>
                <span class={classes!("line", produced.then_some("produced"))} data-line={index.to_string()} {onclick}>{ for spans }</span>
                {separator.unwrap_or_default()}
            </>
        }
    });

    html! {
        <div class="response-panel">
            { status_banner(response.status, Banner::Live, "status-code") }
            <div class="toolbar" role="group" aria-label="Export">
                <button type="button" onclick={oncopy_response} data-testid="copy-response">
                    { copy.label("response", "Copy response", "✓ Copied") }
                </button>
                <button type="button" onclick={oncopy_curl} disabled={curl.is_none()} data-testid="copy-curl"
                    title={curl.is_none().then_some("The request does not parse, so there is no curl command")}>
                    { copy.label("curl", "Copy as curl", "✓ Copied") }
                </button>
                <button type="button" onclick={ondownload} data-testid="download-fixture"
                    title="A JSON test fixture: the request and the response your API should give">
                    {"Download fixture"}
                </button>
            </div>
            <p class="produced-by">
                if !produced {
                    <strong>{format!("Not decided yet at step {}. ", props.step + 1)}</strong>
                }
                { match deciding {
                    Some(step) => html! {
                        <>
                            {"Decided at "}
                            <button type="button" class="link-button" onclick={onshow_decision}>
                                {format!("step {} · {}", decided_at + 1, step.check)}
                            </button>
                            {format!(" — {}", step.detail)}
                        </>
                    },
                    None => html! {},
                } }
            </p>
            <pre class={classes!("code", "raw-response", produced.then_some("at-decision"))} data-testid="raw-response"
                aria-label="Raw HTTP response">{ for lines }</pre>
            <div class="note-box" aria-live="polite" data-testid="line-note">
                { match &*note {
                    Some(note) => html! {
                        <>
                            <p>{note.meaning.clone()}</p>
                            <p class="source">
                                { for note.rule.map(|rule| html! { <span class="rule-id">{rule.id()}</span> }) }
                                <a href={note.url} target="_blank" rel="noopener noreferrer">{note.source}</a>
                            </p>
                        </>
                    },
                    None => html! { <p class="muted">{"Hover or focus a part of the response to see what it means and which rule is behind it."}</p> },
                } }
            </div>
            { props.children.clone() }
            <h3 id="lint-heading">{"Lint: this response against the RFCs"}</h3>
            <div class="lint" data-testid="lint" aria-labelledby="lint-heading">
                if evaluation.findings.is_empty() {
                    <p class="no-findings">{"✓ No findings: this response follows every rule that applies to it."}</p>
                } else {
                    <ul>{ for evaluation.findings.iter().map(|finding| view_finding(finding, props.profile, true)) }</ul>
                }
            </div>
        </div>
    }
}

/// One lint finding, with how to fix it in `profile`'s framework when its table says; `explain`
/// adds the rule's plain-language explanation (Compare leaves it out to stay compact).
pub fn view_finding(finding: &Finding, profile: Profile, explain: bool) -> Html {
    let severity = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    html! {
        <li class={classes!("finding", severity)} data-rule={finding.rule.id()}>
            <span class="severity">{severity}</span>
            <span class="finding-body">
                <strong>{format!("{} · {}", finding.rule.id(), finding.rule.title())}</strong>
                <span>{finding.message.clone()}</span>
                if explain {
                    <span class="why">{finding.rule.explanation()}</span>
                }
                <a href={finding.rule.url()} target="_blank" rel="noopener noreferrer">{finding.rule.source()}</a>
                { view_fix(profile, finding.rule) }
            </span>
        </li>
    }
}

/// A JSON fixture a team can drop into its own API tests: the request and the exact response.
fn fixture(evaluation: &Evaluation) -> String {
    let response = &evaluation.response;
    let request = match &evaluation.request {
        Ok(request) => FixtureRequest::Parsed {
            method: &request.method,
            target: &request.target,
            headers: &request.headers,
            body: &request.body,
        },
        Err(error) => FixtureRequest::Refused {
            error: &error.message,
        },
    };
    let fixture = Fixture {
        generator: "authpath",
        request,
        expected: Expected {
            status: response.status.code(),
            headers: &response.headers,
            body: &response.body,
        },
        raw_response: response.to_string(),
    };
    // Serializing strings and numbers cannot fail.
    serde_json::to_string_pretty(&fixture).unwrap_or_default()
}

/// The fixture's members, written in this order.
#[derive(Serialize)]
struct Fixture<'a> {
    generator: &'a str,
    request: FixtureRequest<'a>,
    expected: Expected<'a>,
    raw_response: String,
}

#[derive(Serialize)]
#[serde(untagged)]
enum FixtureRequest<'a> {
    Parsed {
        method: &'a str,
        target: &'a str,
        headers: &'a [Header],
        body: &'a str,
    },
    Refused {
        error: &'a str,
    },
}

#[derive(Serialize)]
struct Expected<'a> {
    status: u16,
    headers: &'a [Header],
    body: &'a str,
}
