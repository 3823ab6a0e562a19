//! A probe report of several identities opened in the Check view (`authpath probe
//! --identities --format json`, by file or drop): the live access matrix, identities ×
//! requests, coloured as the Matrix view, each cell its status and mark; the open cell's
//! exchange as the report has it (credentials masked by the probe), its findings, and beside
//! it the RFC answer and decision path of the cell's stand-in under the page's policy, which
//! the engine evaluates. The report is read by the engine (`identities::ProbeReport`); nothing
//! of it goes into a link.

use std::rc::Rc;

use authpath_engine::identities::{ProbeExchange, ProbeFinding, ProbeReport};
use authpath_engine::{evaluate, graph, Profile, Scenario, Status};
use yew::prelude::*;

use crate::components::decision_path::DecisionPath;
use crate::components::status;
use crate::state::{Action, OpenedReport};

/// The report's matrix and the open cell, in place of the Check view's result.
pub fn view_probe_report(
    opened: &OpenedReport,
    picked: Option<usize>,
    scenario: &Scenario,
    onaction: &Callback<Action>,
) -> Html {
    let (name, report) = opened;
    let errors = report
        .exchanges
        .iter()
        .flat_map(|exchange| &exchange.findings)
        .filter(|finding| finding.severity == "error")
        .count();
    // The first cell with an error opens by itself: that is what the report is read for.
    let open = picked.or_else(|| {
        report.exchanges.iter().position(|exchange| {
            exchange
                .findings
                .iter()
                .any(|finding| finding.severity == "error")
        })
    });
    let summary = format!(
        "{name}: {} probed as {} identities, {} requests, {errors} error{}.",
        report.target,
        report.identities.len(),
        report.exchanges.len(),
        if errors == 1 { "" } else { "s" }
    );
    html! {
        <>
            <section class="column probe-report" aria-labelledby="probe-heading" data-testid="probe-report">
                <h2 id="probe-heading">{"Probe report: the access matrix"}</h2>
                <p data-testid="probe-summary">{summary}</p>
                <p class="muted">{"Each cell is what the server answered that identity, and its mark: ok, BOLA (another's object answered, OWASP API1:2023), BFLA (a function answered without the rights, API5:2023), refused (a refusal where the identity may), a rule id, or ? (not judged). Pick a cell to open its exchange."}</p>
                { view_matrix(report, open, onaction) }
            </section>
            { match open.and_then(|index| report.exchanges.get(index).map(|exchange| (index, exchange))) {
                Some((index, exchange)) => view_cell(report, index, exchange, scenario),
                None => html! {
                    <section class="column check-compare" aria-label="The cell">
                        <p class="muted">{"Pick a cell of the matrix."}</p>
                    </section>
                },
            } }
        </>
    }
}

fn view_matrix(report: &ProbeReport, open: Option<usize>, onaction: &Callback<Action>) -> Html {
    let rows = report.rows();
    html! {
        <div class="table-wrap">
            <table class="matrix probe-matrix" data-testid="probe-matrix">
                <caption class="visually-hidden">{"The status and mark of each request as each identity"}</caption>
                <thead>
                    <tr>
                        <th scope="col">{"Request"}</th>
                        { for report.identities.iter().map(|who| html! {
                            <th scope="col" data-testid="probe-identity">
                                {who.name.clone()}
                                <small class="probe-sends">{ if who.sends.is_empty() { "no credentials".to_string() } else { who.sends.join(", ") } }</small>
                            </th>
                        }) }
                    </tr>
                </thead>
                <tbody>
                    { for rows.iter().map(|row| {
                        let operation = report
                            .cell(row, report.identities.first().map_or("", |who| who.name.as_str()))
                            .or_else(|| report.exchanges.iter().position(|exchange| exchange.endpoint == *row))
                            .and_then(|index| report.exchanges.get(index))
                            .and_then(|exchange| exchange.cell.as_ref())
                            .map(|cell| cell.operation.clone())
                            .unwrap_or_default();
                        html! {
                            <tr>
                                <th scope="row" class="route-head">
                                    <code>{row.to_string()}</code>
                                    // The route only where the path fills its parameters.
                                    if operation != *row {
                                        <small>{operation}</small>
                                    }
                                </th>
                                { for report.identities.iter().map(|who| {
                                    match report.cell(row, &who.name) {
                                        None => html! { <td class="probe-absent" aria-label={format!("{row} as {}: not asked", who.name)}>{"·"}</td> },
                                        Some(index) => view_matrix_cell(report, index, open == Some(index), onaction),
                                    }
                                }) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}

fn view_matrix_cell(
    report: &ProbeReport,
    index: usize,
    current: bool,
    onaction: &Callback<Action>,
) -> Html {
    let Some(exchange) = report.exchanges.get(index) else {
        return Html::default();
    };
    let mark = exchange
        .cell
        .as_ref()
        .map_or("?".to_string(), |cell| cell.mark.clone());
    let status = exchange
        .status
        .map_or("—".to_string(), |status| status.to_string());
    let breach = matches!(mark.as_str(), "BOLA" | "BFLA" | "refused");
    let error = mark != "ok" && mark != "?";
    let onclick = onaction.reform(move |_: MouseEvent| Action::PickCell(index));
    html! {
        <td>
            <button type="button"
                class={classes!("matrix-cell", "probe-cell", status_class(exchange.status), error.then_some("probe-error"), breach.then_some("probe-breach"))}
                aria-pressed={current.to_string()} data-testid="probe-cell" data-mark={mark.clone()}
                data-identity={exchange.identity.clone().unwrap_or_default()} data-endpoint={exchange.endpoint.clone()}
                aria-label={format!("{}: {status}, {mark}", exchange.name)} {onclick}>
                <span class="code">{status}</span>
                <span class="probe-mark">{mark}</span>
            </button>
        </td>
    }
}

/// The class the Matrix view colours a status with; a cell without an answer as other errors.
fn status_class(status: Option<u16>) -> &'static str {
    status.map_or("s400", |code| status::status_class(Status::Other(code)))
}

/// The open cell: its exchange and findings, and the RFC answer and decision path of its
/// stand-in under the page's policy.
fn view_cell(
    report: &ProbeReport,
    index: usize,
    exchange: &ProbeExchange,
    scenario: &Scenario,
) -> Html {
    let evaluation = report
        .stand_in(index, scenario)
        .map(|(stand, raw)| Rc::new(evaluate(&raw, &stand)));
    let purpose = exchange.cell.as_ref().map(|cell| {
        let may = match cell.may.as_str() {
            "yes" => "may",
            "no" => "may not",
            _ => "may or may not (unknown)",
        };
        format!("{} ({}): the identity {may}.", cell.operation, cell.purpose)
    });
    html! {
        <section class="column check-compare probe-cell-detail" aria-labelledby="probe-cell-heading" data-testid="probe-cell-detail">
            <h3 id="probe-cell-heading">{exchange.name.clone()}</h3>
            if let Some(purpose) = purpose {
                <p class="muted">{purpose}</p>
            }
            <ul class="check-findings lint" data-testid="probe-findings" data-count={exchange.findings.len().to_string()}>
                { for exchange.findings.iter().map(view_finding) }
            </ul>
            if exchange.findings.is_empty() {
                <p class="no-findings">{"✓ No findings."}</p>
            }
            if !exchange.unjudged.is_empty() {
                <ul class="check-unjudged">
                    { for exchange.unjudged.iter().map(|unjudged| html! { <li>{unjudged.clone()}</li> }) }
                </ul>
            }
            <div class="check-sides">
                <figure class="check-side">
                    <figcaption>{"Sent (credentials masked by the probe)"}</figcaption>
                    <pre class="code raw-response" data-testid="probe-request">{exchange.request.trim_end().to_string()}</pre>
                </figure>
                <figure class="check-side">
                    <figcaption>{"The server's answer"}</figcaption>
                    <pre class="code raw-response" data-testid="probe-response">
                        { exchange.response.as_deref().or(exchange.error.as_deref()).unwrap_or_default().trim_end().to_string() }
                    </pre>
                </figure>
            </div>
            if let Some(evaluation) = evaluation {
                <figure class="check-side">
                    <figcaption>{"The RFC answer for this identity (rfc profile, this page's policy)"}</figcaption>
                    <pre class="code raw-response" data-testid="probe-rfc-answer">{evaluation.response.to_string()}</pre>
                </figure>
                <details class="compare-path" open=true>
                    <summary>{"Its decision path"}</summary>
                    <DecisionPath nodes={Rc::new(graph(Profile::Rfc))} evaluation={evaluation.clone()} step={evaluation.trace.len().saturating_sub(1)} />
                </details>
            }
        </section>
    }
}

fn view_finding(finding: &ProbeFinding) -> Html {
    let severity = match finding.severity.as_str() {
        "error" => "error",
        "warning" => "warning",
        _ => "note",
    };
    html! {
        <li class={classes!("finding", severity)} data-rule={finding.rule.clone()}>
            <span class="severity">{severity}</span>
            <span class="finding-body">
                <strong>{finding.rule.clone()}</strong>
                <span>{finding.message.clone()}</span>
                if !finding.url.is_empty() {
                    <a href={finding.url.clone()} target="_blank" rel="noopener noreferrer">{finding.source.clone()}</a>
                }
                if !finding.fix.is_empty() {
                    <span class="fix">{finding.fix.clone()}</span>
                }
            </span>
        </li>
    }
}
