//! The matrix: every kind of credentials × every route, the status the pipeline answers in
//! each cell, coloured by class. Hover or focus says why; a click opens the cell in the
//! simulator; any second profile marks the cells that differ and counts them.

use std::rc::Rc;

use authpath_engine::teach::matrix::{build_matrix, Cell, Column, Matrix};
use authpath_engine::{Profile, Scenario, Status};
use yew::prelude::*;

use crate::components::profile::profile_options;
use crate::components::status::status_class;
use crate::dom;
use crate::state::Action;

/// The status classes of the legend, each by one status that has its colour.
const LEGEND: [(Status, &str); 5] = [
    (Status::Ok, "2xx success"),
    (Status::BadRequest, "400 bad request"),
    (Status::Unauthorized, "401 who are you?"),
    (Status::Forbidden, "403 not allowed"),
    (Status::NotFound, "404 / 405 not here"),
];

#[derive(Properties, PartialEq)]
pub struct MatrixViewProps {
    /// The simulator's scenario; the matrix shows its profile first.
    pub scenario: Rc<Scenario>,
    pub onaction: Callback<Action>,
}

/// The matrices of one render and how long building them took.
#[derive(PartialEq)]
struct Built {
    matrix: Matrix,
    other: Option<Matrix>,
    /// How many requests were evaluated, and in how many milliseconds.
    requests: usize,
    milliseconds: f64,
}

#[component]
pub fn MatrixView(props: &MatrixViewProps) -> Html {
    let compare = use_state(|| false);
    let other_profile = use_state(|| None::<Profile>);
    let focused = use_state(|| None::<usize>);
    let profile = props.scenario.profile;
    // A second profile chosen earlier that has since become the first gives way to the default.
    let second = (*other_profile)
        .filter(|other| *other != profile)
        .unwrap_or(if profile == Profile::Rfc {
            Profile::Naive
        } else {
            Profile::Rfc
        });
    let second = compare.then_some(second);

    let built = use_memo((props.scenario.clone(), second), |(scenario, second)| {
        // The whole matrix, timed in the browser: the bar is one frame (16 ms).
        let start = dom::now_ms();
        let matrix = build_matrix(scenario);
        let other = second.map(|profile| {
            build_matrix(&Scenario {
                profile,
                ..Scenario::clone(scenario)
            })
        });
        let milliseconds = dom::now_ms() - start;
        let requests = matrix.cells.len() + other.as_ref().map_or(0, |m| m.cells.len());
        Built {
            matrix,
            other,
            requests,
            milliseconds,
        }
    });
    let matrix = &built.matrix;
    let other = built.other.as_ref();

    let onprofile = {
        let onaction = props.onaction.clone();
        Callback::from(move |event: Event| {
            if let Some(profile) = Profile::from_id(&dom::select_value(&event)) {
                onaction.emit(Action::SetProfile(profile));
            }
        })
    };
    let oncompare = {
        let compare = compare.clone();
        Callback::from(move |event: Event| compare.set(dom::checkbox_checked(&event)))
    };
    let onother = {
        let other_profile = other_profile.clone();
        Callback::from(move |event: Event| {
            other_profile.set(Profile::from_id(&dom::select_value(&event)));
        })
    };
    let export = |extension: &'static str, mime: &'static str| {
        let built = built.clone();
        Callback::from(move |_: MouseEvent| {
            let text = if extension == "csv" {
                built.matrix.to_csv()
            } else {
                built.matrix.to_markdown()
            };
            let name = format!("authpath-matrix-{}.{extension}", built.matrix.profile.id());
            dom::download(&name, mime, &text);
        })
    };
    let oncsv = export("csv", "text/csv");
    let onmarkdown = export("md", "text/markdown");

    let focused_cell = (*focused).and_then(|index| matrix.cells.get(index).map(|c| (index, c)));
    let columns = Column::all();

    let body = matrix.rows.iter().enumerate().map(|(row_index, row)| {
        let cells = columns.iter().enumerate().map(|(column, credential)| {
            let index = row_index * columns.len() + column;
            let Some(cell) = matrix.cell(row_index, *credential) else {
                return html! { <td></td> };
            };
            let theirs = other.and_then(|other| other.cells.get(index));
            let differs = other.is_some_and(|other| matrix.differs(other, index));
            let onclick = {
                let onaction = props.onaction.clone();
                let request = cell.request.clone();
                Callback::from(move |_: MouseEvent| onaction.emit(Action::Open(request.clone(), profile)))
            };
            let show = {
                let focused = focused.clone();
                move || focused.set(Some(index))
            };
            let onmouseenter = {
                let show = show.clone();
                Callback::from(move |_: MouseEvent| show())
            };
            let onfocus = Callback::from(move |_: FocusEvent| show());
            let label = match theirs {
                Some(theirs) => format!("{} under {}, {} under {}", cell.status, profile.id(), theirs.status, theirs_profile(other)),
                None => cell.status.to_string(),
            };
            html! {
                <td class={classes!("matrix-td", differs.then_some("differs"))}>
                    <button type="button" class={classes!("matrix-cell", status_class(cell.status))}
                        data-testid="matrix-cell" data-route={format!("{} {}", row.route.method, row.route.path)}
                        data-credential={credential.id()} data-status={cell.status.code().to_string()}
                        data-other-status={theirs.map(|t| t.status.code().to_string())}
                        data-differs={other.is_some().then(|| differs.to_string())}
                        title={format!("{} — {}: {}. Click to open it in the simulator.", cell.status, cell.check, cell.reason)}
                        aria-label={format!("{} {} with {}: {label}. Open in the simulator.", row.route.method, row.path, credential.title())}
                        {onclick} {onmouseenter} {onfocus}>
                        <span class="code">{cell.status.code()}</span>
                        if let Some(theirs) = theirs {
                            <span class={classes!("code", "second", status_class(theirs.status))}>{theirs.status.code()}</span>
                        }
                        if differs {
                            <span class="differs-mark" aria-hidden="true">{"≠"}</span>
                        }
                    </button>
                </td>
            }
        });
        html! {
            <tr>
                <th scope="row" class="route-head">
                    <code>{format!("{} {}", row.route.method, row.route.path)}</code>
                    <small>{row.route.access.describe()}</small>
                </th>
                { for cells }
            </tr>
        }
    });

    html! {
        <main class="view matrix-view" data-testid="matrix-view">
            <section class="column" aria-labelledby="matrix-heading">
                <div class="view-head">
                    <h2 id="matrix-heading">{"Matrix: credentials × routes"}</h2>
                    <div class="toolbar" role="group" aria-label="Export">
                        <button type="button" onclick={oncsv} data-testid="matrix-export-csv">{"Download CSV"}</button>
                        <button type="button" onclick={onmarkdown} data-testid="matrix-export-markdown">{"Download Markdown"}</button>
                    </div>
                </div>
                <div class="matrix-controls">
                    <label class="field">
                        <span>{"Profile"}</span>
                        <select onchange={onprofile} data-testid="matrix-profile">
                            { profile_options(profile, None) }
                        </select>
                    </label>
                    <label class="check">
                        <input type="checkbox" checked={*compare} onchange={oncompare} data-testid="matrix-compare" />
                        <span>{"Compare with a second profile"}</span>
                    </label>
                    if *compare {
                        <label class="field">
                            <span>{"Second profile"}</span>
                            <select onchange={onother} data-testid="matrix-second-profile">
                                { profile_options(second.unwrap_or(profile), Some(profile)) }
                            </select>
                        </label>
                    }
                    <p class="timing" data-testid="matrix-timing">
                        {format!("Evaluated {} requests in {} ms", built.requests, tenths(built.milliseconds))}
                    </p>
                </div>
                if let Some(other) = other {
                    <p class="muted" data-testid="matrix-differences">
                        <strong data-testid="matrix-diff-count">{matrix.differences(other)}</strong>
                        {format!(" of {} cells differ between {} and {} (marked ≠; first code {}, second {}).",
                            matrix.cells.len(), profile.id(), other.profile.id(), profile.id(), other.profile.id())}
                    </p>
                }
                <div class="table-wrap">
                    <table class="matrix" data-testid="matrix">
                        <caption class="visually-hidden">{format!("Status for each kind of credentials on each route, profile {}", profile.id())}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{"Route · access"}</th>
                                { for columns.iter().map(|credential| html! { <th scope="col">{credential.title()}</th> }) }
                            </tr>
                        </thead>
                        <tbody>{ for body }</tbody>
                    </table>
                </div>
                <div class="note-box matrix-reason" aria-live="polite" data-testid="matrix-reason">
                    { match focused_cell {
                        Some((_, cell)) => view_reason(matrix, cell),
                        None => html! { <p class="muted">{"Hover or focus a cell to see why; click it to open that request in the simulator."}</p> },
                    } }
                </div>
                <div class="legend" data-testid="matrix-legend">
                    <ul class="legend-classes">
                        { for LEGEND.iter().map(|(status, title)| html! {
                            <li><span class={classes!("swatch", status_class(*status))} aria-hidden="true"></span>{*title}</li>
                        }) }
                    </ul>
                    <ul class="legend-counts" aria-label="Cells per status">
                        { for matrix.counts().iter().map(|(status, count)| view_count(*status, *count)) }
                    </ul>
                </div>
            </section>
        </main>
    }
}

/// Milliseconds with one decimal, without pulling float formatting into the page.
fn tenths(milliseconds: f64) -> String {
    let tenths = (milliseconds * 10.0).round().max(0.0) as u64;
    format!("{}.{}", tenths / 10, tenths % 10)
}

fn theirs_profile(other: Option<&Matrix>) -> &'static str {
    other.map_or("", |other| other.profile.id())
}

fn view_reason(matrix: &Matrix, cell: &Cell) -> Html {
    let route = matrix
        .rows
        .get(cell.row)
        .map(|row| format!("{} {}", row.route.method, row.path))
        .unwrap_or_default();
    html! {
        <>
            <p><strong>{format!("{route} · {}", cell.column.title())}</strong>{format!(" → {}", cell.status)}</p>
            <p>{format!("Decided at “{}” ({}): {}", cell.node.title(), cell.check, cell.reason)}</p>
        </>
    }
}

fn view_count(status: Status, count: usize) -> Html {
    html! {
        <li class={classes!("count", status_class(status))} data-status={status.code().to_string()}>
            <strong>{status.code()}</strong>{format!(" × {count}")}
        </li>
    }
}
