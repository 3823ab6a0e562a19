//! Check: the lint of an exchange with any server. The person pastes the request and the
//! response their server gave (or a `curl -v` / `curl -i` transcript), or opens a HAR file and
//! picks an entry; the engine's `exchange::check` judges it. The view shows the findings and
//! the rules that could not judge, what each part of the response means, the decision path of
//! the request under the page's policy and profile, and the RFC-correct response beside the
//! pasted one. A probe report of several identities opens as its access matrix
//! (`probe_report`). Nothing pasted or opened goes into the page's link (state.rs keeps it out
//! of link.rs).

use std::rc::Rc;

use authpath_engine::exchange::{check, parse_response, read_exchanges, Exchange, Source};
use authpath_engine::identities::ProbeReport;
use authpath_engine::teach::explain::annotate;
use authpath_engine::{evaluate, graph, Evaluation, Profile, Response, Scenario};
use yew::prelude::*;

use crate::components::decision_path::DecisionPath;
use crate::components::response::view_finding;
use crate::components::status::{status_banner, Banner};
use crate::dom;
use crate::state::{Action, CheckInput, OpenedFile};
use crate::views::compare::differences;
use crate::views::probe_report::view_probe_report;

#[derive(Properties, PartialEq)]
pub struct CheckViewProps {
    pub scenario: Rc<Scenario>,
    pub input: CheckInput,
    pub onaction: Callback<Action>,
}

/// An example of a broken exchange, for the button that fills the form: a 403 to a request
/// without credentials, with a bare Bearer challenge.
const EXAMPLE_REQUEST: &str =
    "GET /profile HTTP/1.1\r\nHost: api.example.com\r\nAccept: application/json\r\n\r\n";
const EXAMPLE_RESPONSE: &str = "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nWWW-Authenticate: Bearer\r\n\r\n{\"detail\":\"Authentication credentials were not provided.\"}";

/// One exchange that was read: where from, its texts, and its response's status code (`None`
/// when the response does not parse).
#[derive(PartialEq)]
struct Entry {
    source: Source,
    exchange: Exchange,
    status: Option<u16>,
}

/// What the input holds: the exchanges read from it, or why it cannot be read (`Ok` and empty
/// when nothing was given yet).
fn entries_of(
    request: &str,
    response: &str,
    file: Option<&OpenedFile>,
) -> Result<Vec<Entry>, String> {
    let read = match (file, request.trim(), response.trim()) {
        (Some(file), _, _) => file.1.clone(),
        (None, "", "") => Ok(Vec::new()),
        // A transcript or a whole exchange may stand alone in either box.
        (None, text, "") | (None, "", text) => read_exchanges(text),
        (None, _, _) => Ok(vec![(
            Source::Raw,
            Exchange {
                request: request.to_string(),
                response: response.to_string(),
            },
        )]),
    };
    let exchanges = read.map_err(|error| error.to_string())?;
    Ok(exchanges
        .into_iter()
        .map(|(source, exchange)| Entry {
            status: parse_response(&exchange.response)
                .ok()
                .map(|response| response.status.code()),
            source,
            exchange,
        })
        .collect())
}

/// The entries worth listing, in order: every 4xx, 401 and 403 first; all of them when none is
/// a 4xx.
fn listed(entries: &[Entry]) -> Vec<usize> {
    let client_error = |entry: &Entry| entry.status.is_some_and(|code| (400..500).contains(&code));
    let mut found: Vec<usize> = (0..entries.len())
        .filter(|index| client_error(&entries[*index]))
        .collect();
    if found.is_empty() {
        return (0..entries.len()).collect();
    }
    found.sort_by_key(|index| !matches!(entries[*index].status, Some(401 | 403)));
    found
}

/// The request line of an exchange, for the list: `GET /profile`, or where it came from.
fn label(entry: &Entry) -> String {
    let line = entry.exchange.request.lines().next().unwrap_or_default();
    let shown = line.rsplit_once(' ').map_or(line, |(start, _)| start);
    if shown.is_empty() {
        "(no request)".to_string()
    } else {
        authpath_engine::text::shorten(shown, 80)
    }
}

#[component]
pub fn CheckView(props: &CheckViewProps) -> Html {
    let input = &props.input;
    // Picking an exchange or ticking the scenario reads nothing again: a HAR is read once.
    let entries = use_memo(
        (
            input.request.clone(),
            input.response.clone(),
            input.file.clone(),
        ),
        |(request, response, file)| entries_of(request, response, file.as_deref()),
    );
    let scenario = &props.scenario;
    let list = match &*entries {
        Ok(entries) => listed(entries),
        Err(_) => Vec::new(),
    };
    let picked = input
        .picked
        .filter(|index| list.contains(index))
        .or_else(|| list.first().copied());
    let exchange = match (&*entries, picked) {
        (Ok(entries), Some(index)) => entries.get(index).map(|entry| entry.exchange.clone()),
        _ => None,
    };
    let judged = use_memo(
        (exchange.clone(), scenario.clone(), input.with_scenario),
        |(exchange, scenario, with_scenario)| {
            exchange.as_ref().map(|exchange| {
                let checked = check(exchange, with_scenario.then_some(&**scenario));
                let known = !exchange.request.trim().is_empty();
                let here = known.then(|| Rc::new(evaluate(&exchange.request, scenario)));
                let correct = here.as_ref().map(|here| match scenario.profile {
                    Profile::Rfc => here.clone(),
                    _ => {
                        let mut rfc = Scenario::clone(scenario);
                        rfc.profile = Profile::Rfc;
                        Rc::new(evaluate(&exchange.request, &rfc))
                    }
                });
                (checked, here, correct)
            })
        },
    );

    let onrequest = props
        .onaction
        .reform(|event: InputEvent| Action::SetCheckRequest(dom::textarea_value(&event)));
    let onresponse = props
        .onaction
        .reform(|event: InputEvent| Action::SetCheckResponse(dom::textarea_value(&event)));
    let open = |onaction: Callback<Action>| {
        move |name: String, text: String| {
            // A probe report of several identities opens as its matrix; anything else is read
            // for exchanges.
            if let Ok(report) = ProbeReport::read(&text) {
                onaction.emit(Action::OpenProbeReport(Rc::new((name, report))));
                return;
            }
            let read = read_exchanges(&text);
            onaction.emit(Action::OpenCheckFile(Rc::new((name, read))));
        }
    };
    let onchoose = {
        let onaction = props.onaction.clone();
        Callback::from(move |event: Event| dom::read_chosen_file(&event, open(onaction.clone())))
    };
    let ondrop = {
        let onaction = props.onaction.clone();
        Callback::from(move |event: DragEvent| {
            dom::read_dropped_file(&event, open(onaction.clone()))
        })
    };
    let ondragover = Callback::from(|event: DragEvent| dom::allow_drop(&event));
    let onscenario = props
        .onaction
        .reform(|event: Event| Action::SetCheckScenario(dom::checkbox_checked(&event)));
    let onexample = {
        let onaction = props.onaction.clone();
        Callback::from(move |_: MouseEvent| {
            onaction.emit(Action::SetCheckRequest(EXAMPLE_REQUEST.to_string()));
            onaction.emit(Action::SetCheckResponse(EXAMPLE_RESPONSE.to_string()));
        })
    };

    let error = match (&*entries, &*judged) {
        (Err(error), _) => Some(format!("This cannot be read: {error}.")),
        (_, Some((checked, _, _))) => checked
            .response
            .as_ref()
            .err()
            .map(|error| format!("The response does not parse: {error}.")),
        _ => None,
    };
    let request_note = judged.as_ref().as_ref().and_then(|(checked, _, _)| {
        let known = exchange.as_ref().is_some_and(|exchange| !exchange.request.trim().is_empty());
        match &checked.request {
            Err(error) if known => Some(format!(
                "The request does not parse ({error}); the rules that read it are judged from its text alone."
            )),
            Err(_) => Some("No request was given (a curl -i transcript holds only the response): the rules that need it say so below.".to_string()),
            Ok(_) => None,
        }
    });

    html! {
        <main class="view check-view" data-testid="check-view">
            <section class="column check-input" aria-labelledby="check-heading">
                <h2 id="check-heading">{"Check: the answer your server gave"}</h2>
                <p class="muted">{"Paste the request and the response, a curl -v or curl -i transcript (in either box), or open a HAR file exported from the browser's developer tools. It is read here, in this page, and never goes into a link."}</p>
                <label class="field">
                    <span>{"Raw request, or a whole transcript"}</span>
                    <textarea class="code" rows="7" spellcheck="false" data-testid="check-request"
                        value={input.request.clone()} oninput={onrequest}
                        placeholder={"GET /profile HTTP/1.1\nHost: api.example.com"} />
                </label>
                <label class="field">
                    <span>{"Raw response"}</span>
                    <textarea class="code" rows="7" spellcheck="false" data-testid="check-response"
                        value={input.response.clone()} oninput={onresponse}
                        placeholder="HTTP/1.1 403 Forbidden" />
                </label>
                <div class="check-file" {ondrop} {ondragover} data-testid="check-drop">
                    <label class="field">
                        <span>{"Or open a HAR file or a probe report (authpath probe --identities --format json), or drop it here"}</span>
                        <input type="file" accept=".har,.json,application/json" onchange={onchoose} data-testid="check-file" />
                    </label>
                </div>
                <label class="check-scenario">
                    <input type="checkbox" checked={input.with_scenario} onchange={onscenario} data-testid="check-with-scenario" />
                    <span>{"Verify the credentials with this page's scenario (its keys, users, routes and clock, from the Policy view). Leave it off for tokens from your own server: their validity is then unknown, and the rules that need it say so."}</span>
                </label>
                <button type="button" class="link-button" onclick={onexample} data-testid="check-example">{"Fill in an example"}</button>
                if let Some(error) = &error {
                    <p class="check-error" role="alert" data-testid="check-error">{error.clone()}</p>
                }
                { view_list(&entries, &list, picked, input.file.as_ref().map(|file| file.0.as_str()), &props.onaction) }
            </section>
            { match (&input.report, &*judged) {
                (Some(report), _) => view_probe_report(report, input.cell, scenario, &props.onaction),
                (None, Some((checked, here, correct))) => view_result(checked, here.as_ref(), correct.as_ref(), scenario.profile, request_note),
                (None, None) => html! {
                    <section class="column check-result">
                        <ul class="check-findings" data-testid="check-findings" data-count="0"></ul>
                        <p class="muted">{"Nothing to check yet."}</p>
                    </section>
                },
            } }
        </main>
    }
}

/// The exchanges to pick from, when there is more than one.
fn view_list(
    entries: &Result<Vec<Entry>, String>,
    list: &[usize],
    picked: Option<usize>,
    file: Option<&str>,
    onaction: &Callback<Action>,
) -> Html {
    let Ok(entries) = entries else {
        return Html::default();
    };
    if entries.len() < 2 && file.is_none() {
        return Html::default();
    }
    let summary = format!(
        "{}{} exchanges; {} listed (every 4xx, 401 and 403 first).",
        file.map(|name| format!("{name}: ")).unwrap_or_default(),
        entries.len(),
        list.len()
    );
    html! {
        <div class="check-list">
            <p data-testid="check-list-summary">{summary}</p>
            <ul data-testid="check-entries">
                { for list.iter().map(|index| {
                    let entry = &entries[*index];
                    let onclick = onaction.reform({
                        let index = *index;
                        move |_: MouseEvent| Action::PickExchange(index)
                    });
                    let current = picked == Some(*index);
                    let number = format!("#{}", index + 1);
                    let status = entry.status.map_or("?".to_string(), |code| code.to_string());
                    html! {
                        <li>
                            <button type="button" class={classes!("check-entry", current.then_some("current"))}
                                aria-pressed={current.to_string()} data-testid="check-entry" data-status={status.clone()} {onclick}>
                                <span class="check-entry-status">{status}</span>
                                <span>{format!("{number} {}", label(entry))}</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

/// The judgement of one exchange: findings, unjudged rules, the explanation of the response,
/// the correct response beside it, and the decision path here.
fn view_result(
    checked: &authpath_engine::exchange::Checked,
    here: Option<&Rc<Evaluation>>,
    correct: Option<&Rc<Evaluation>>,
    profile: Profile,
    request_note: Option<String>,
) -> Html {
    let findings = html! {
        <>
            <h3 id="check-findings-heading">{"Findings"}</h3>
            <ul class="check-findings lint" data-testid="check-findings" data-count={checked.findings.len().to_string()}
                aria-labelledby="check-findings-heading">
                { for checked.findings.iter().map(|finding| view_finding(finding, profile, true)) }
            </ul>
            if checked.findings.is_empty() && checked.response.is_ok() {
                <p class="no-findings">{"✓ No findings: this response breaks none of the rules that could judge it."}</p>
            }
            if !checked.unjudged.is_empty() {
                <h3>{"Could not judge"}</h3>
                <ul class="check-unjudged" data-testid="check-unjudged">
                    { for checked.unjudged.iter().map(|unjudged| html! {
                        <li data-rule={unjudged.rule.id()}>
                            <strong>{format!("{} · {}", unjudged.rule.id(), unjudged.rule.title())}</strong>
                            {": "}{unjudged.needs.clone()}
                        </li>
                    }) }
                </ul>
            }
        </>
    };
    let Ok(response) = &checked.response else {
        return html! { <section class="column check-result" aria-label="Findings">{findings}</section> };
    };
    html! {
        <>
            <section class="column check-result" aria-label="Findings">
                { status_banner(response.status, Banner::Compact, "check-status") }
                if let Some(note) = request_note {
                    <p class="muted" data-testid="check-request-note">{note}</p>
                }
                {findings}
                <h3>{"What each part of the response means"}</h3>
                { view_explanation(response) }
            </section>
            <section class="column check-compare" aria-label="The RFC-correct response">
                { view_comparison(response, correct.map(|evaluation| &evaluation.response)) }
                if let Some(here) = here {
                    <details class="compare-path" open=true>
                        <summary>{format!("Decision path of this request here ({} profile, the page's policy)", profile.id())}</summary>
                        <DecisionPath nodes={Rc::new(graph(profile))} evaluation={here.clone()} step={here.trace.len().saturating_sub(1)} />
                    </details>
                }
            </section>
        </>
    }
}

/// Every annotated part of the response with what it means and its source.
fn view_explanation(response: &Response) -> Html {
    let annotated = annotate(response);
    let notes = annotated
        .lines
        .iter()
        .flat_map(|line| line.spans.iter())
        .filter_map(|span| span.note.as_ref().map(|note| (span, note)));
    html! {
        <ul class="check-explain" data-testid="check-explain">
            { for notes.map(|(span, note)| html! {
                <li data-rule={note.rule.map(|rule| rule.id())}>
                    <code>{authpath_engine::text::shorten(&span.text, 60)}</code>
                    {" — "}{note.meaning.clone()}{" "}
                    <a href={note.url} target="_blank" rel="noopener noreferrer">{note.source}</a>
                </li>
            }) }
        </ul>
    }
}

/// The pasted response beside the RFC-correct one, lines the other lacks marked, and the
/// differences listed.
fn view_comparison(pasted: &Response, correct: Option<&Response>) -> Html {
    let Some(correct) = correct else {
        return html! {
            <p class="muted">{"Paste the request too to see the RFC-correct response for it."}</p>
        };
    };
    let found = differences(pasted, correct);
    html! {
        <>
            <h3>{"Your response and the RFC-correct one"}</h3>
            <div class="check-sides">
                { view_raw("Your server", "check-pasted", pasted, correct) }
                { view_raw("RFC-correct (rfc profile)", "check-correct", correct, pasted) }
            </div>
            if found.is_empty() {
                <p class="no-findings" data-testid="check-differences" data-count="0">{"Byte for byte the RFC-correct answer."}</p>
            } else {
                <ul class="check-differences" data-testid="check-differences" data-count={found.len().to_string()}>
                    { for found.iter().map(|difference| html! {
                        <li data-what={difference.what.clone()}>
                            <strong>{difference.what.clone()}</strong>{": yours "}
                            <code>{difference.left.clone().unwrap_or_else(|| "(absent)".to_string())}</code>
                            {", correct "}
                            <code>{difference.right.clone().unwrap_or_else(|| "(absent)".to_string())}</code>
                        </li>
                    }) }
                </ul>
            }
        </>
    }
}

/// One raw response, each line the other response lacks marked.
fn view_raw(
    title: &'static str,
    testid: &'static str,
    response: &Response,
    other: &Response,
) -> Html {
    let raw = response.to_string();
    let theirs = other.to_string();
    let their_lines: Vec<&str> = theirs.split("\r\n").collect();
    let lines: Vec<&str> = raw.split("\r\n").collect();
    let count = lines.len();
    html! {
        <figure class="check-side">
            <figcaption>{title}</figcaption>
            <pre class="code raw-response" data-testid={testid} aria-label={title}>
                { for lines.iter().enumerate().map(|(index, line)| {
                    let differs = !line.is_empty() && !their_lines.contains(line);
                    let separator = if index + 1 < count { "\r\n" } else { "" };
                    html! {
                        <>
                            <span class={classes!("line", differs.then_some("differs"))} data-differs={differs.to_string()}>{*line}</span>
                            {separator}
                        </>
                    }
                }) }
            </pre>
        </figure>
    }
}
