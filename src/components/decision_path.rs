//! The decision path: the engine's node graph as SVG, the taken path highlighted, and the
//! same path as an ordered list for screen readers; under it ([`AtTheStep`]) what would change
//! the answer at the step that decided, and the other requests that end at the step shown.

use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use authpath_engine::teach::alternatives::alternatives;
use authpath_engine::teach::class::same_exit;
use authpath_engine::text::shorten;
use authpath_engine::{Evaluation, GraphNode, Node, Outcome, Profile, Scenario, Step};
use yew::prelude::*;

use crate::components::explain::{lead, split};
use crate::components::status::status_class;
use crate::state::Action;

// Geometry, in viewBox units. One row per node, top to bottom, so the drawing reads the same
// at 390 px and 1280 px; only its scale changes. A pill holds a status and an exit label of up
// to 21 characters together, e.g. "403 CSRF check failed"; a longer one is shortened, and
// its whole text is in the pill's title.
const WIDTH: u32 = 420;
const ROW: u32 = 88;
const TOP: u32 = 8;
const NODE_X: u32 = 34;
const NODE_W: u32 = 212;
const NODE_H: u32 = 54;
const PILL_X: u32 = 258;
const PILL_W: u32 = 156;
const PILL_H: u32 = 22;
const PILL_GAP: u32 = 4;
const DETAIL_CHARS: usize = 31;
const PILL_CHARS: usize = 21;

#[derive(Properties, PartialEq)]
pub struct DecisionPathProps {
    pub nodes: Rc<Vec<GraphNode>>,
    pub evaluation: Rc<Evaluation>,
    /// The index of the step shown; steps after it are not drawn as taken yet.
    pub step: usize,
}

/// Numbers the diagrams on a page, so two of them (Compare) never share an element id.
static DIAGRAMS: AtomicUsize = AtomicUsize::new(0);

#[component]
pub fn DecisionPath(props: &DecisionPathProps) -> Html {
    let serial = *use_memo((), |_| DIAGRAMS.fetch_add(1, Ordering::Relaxed));
    let arrow = format!("arrow-{serial}");
    let title_id = format!("decision-path-title-{serial}");
    let path = Path::new(&props.evaluation.trace, props.step);
    let height = TOP * 2 + ROW * props.nodes.len() as u32;
    let row_of = |node: Node| props.nodes.iter().position(|n| n.node == node);

    let mut edges = Html::default();
    let mut shapes = Vec::new();
    for (row, graph_node) in props.nodes.iter().enumerate() {
        let top = TOP + ROW * row as u32;
        let mid = top + NODE_H / 2;
        let terminal: Vec<_> = graph_node
            .exits
            .iter()
            .filter(|exit| exit.to.is_none())
            .collect();
        let pills_height = terminal.len() as u32 * (PILL_H + PILL_GAP);
        let pills_top = (mid + PILL_GAP / 2).saturating_sub(pills_height / 2);
        let mut pills = Vec::new();
        for (index, exit) in terminal.iter().enumerate() {
            let y = pills_top + index as u32 * (PILL_H + PILL_GAP);
            let taken = path.terminal_exit(graph_node.node, &exit.id);
            let label = exit.status_label();
            let class = classes!(
                "exit",
                "terminal",
                taken.then_some("taken"),
                exit.status.first().copied().map(status_class)
            );
            pills.push(html! {
                <g {class} data-exit={exit.label.clone()} data-exit-id={exit.id.clone()} data-taken={taken.to_string()}>
                    <title>{format!("{}: {label}", exit.label)}</title>
                    <line x1={(NODE_X + NODE_W).to_string()} y1={mid.to_string()} x2={PILL_X.to_string()} y2={(y + PILL_H / 2).to_string()} />
                    <rect x={PILL_X.to_string()} y={y.to_string()} width={PILL_W.to_string()} height={PILL_H.to_string()} rx="11" />
                    <text x={(PILL_X + 10).to_string()} y={(y + 15).to_string()}>
                        <tspan class="exit-status">{label.clone()}</tspan>
                        {" "}{shorten(&exit.label, PILL_CHARS.saturating_sub(label.len()))}
                    </text>
                </g>
            });
        }
        for exit in graph_node.exits.iter() {
            let Some(target_row) = exit.to.and_then(row_of) else {
                continue;
            };
            let taken = path.edge(graph_node.node, &exit.id);
            let class = classes!("exit", "flow", taken.then_some("taken"));
            let target_top = TOP + ROW * target_row as u32;
            let label_y = top + NODE_H + 19;
            if target_row == row + 1 {
                let x = NODE_X + NODE_W / 2;
                edges = html! { <>{edges}
                    <g {class} data-exit={exit.label.clone()} data-exit-id={exit.id.clone()} data-taken={taken.to_string()}>
                        <line x1={x.to_string()} y1={(top + NODE_H).to_string()} x2={x.to_string()} y2={(target_top - 3).to_string()} marker-end={format!("url(#{arrow})")} />
                        <text x={(x + 8).to_string()} y={label_y.to_string()}>{shorten(&exit.label, 24)}</text>
                    </g>
                </> };
            } else {
                // A jump over rows runs down the left margin; a longer one further out, so that a
                // jump nested inside another (rfc's "public" around "none: optional") has its own
                // line and label.
                let x = if target_row > row + 2 {
                    NODE_X / 2 - 2
                } else {
                    NODE_X / 2 + 10
                };
                let target_mid = target_top + NODE_H / 2;
                edges = html! { <>{edges}
                    <g {class} data-exit={exit.label.clone()} data-exit-id={exit.id.clone()} data-taken={taken.to_string()}>
                        <polyline fill="none" marker-end={format!("url(#{arrow})")}
                            points={format!("{NODE_X},{mid} {x},{mid} {x},{target_mid} {},{target_mid}", NODE_X - 3)} />
                        <text class="jump-label" x={(x - 4).to_string()} y={((mid + target_mid) / 2).to_string()}
                            text-anchor="middle" transform={format!("rotate(-90 {} {})", x - 4, (mid + target_mid) / 2)}>{shorten(&exit.label, 20)}</text>
                    </g>
                </> };
            }
        }

        let state = path.state(graph_node.node);
        let detail = state
            .last
            .map(|step| format!("{} {}", outcome_mark(step.outcome), step.detail));
        let class = classes!(
            "node",
            state.taken.then_some("taken"),
            state.current.then_some("current"),
            state.last.map(|step| outcome_word(step.outcome)),
        );
        shapes.push(html! {
            <g {class} data-node={graph_node.node.id()} data-taken={state.taken.to_string()}>
                <title>{ match &detail { Some(detail) => format!("{}: {}", graph_node.title, detail), None => graph_node.title.clone() } }</title>
                <rect x={NODE_X.to_string()} y={top.to_string()} width={NODE_W.to_string()} height={NODE_H.to_string()} rx="8" />
                <text class="node-title" x={(NODE_X + 12).to_string()} y={(top + 22).to_string()}>{graph_node.title.clone()}</text>
                <text class="node-detail" x={(NODE_X + 12).to_string()} y={(top + 42).to_string()}>
                    { detail.as_deref().map(|d| shorten(d, DETAIL_CHARS)).unwrap_or_else(|| "not reached".to_string()) }
                </text>
            </g>
        });
        shapes.extend(pills);
    }

    html! {
        <figure class="decision-path">
            <svg data-testid="decision-path" viewBox={format!("0 0 {WIDTH} {height}")} role="img"
                aria-labelledby={title_id.clone()} preserveAspectRatio="xMidYMin meet">
                <title id={title_id.clone()}>{"The pipeline the request goes through; the taken path is highlighted."}</title>
                <defs>
                    <marker id={arrow.clone()} viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" />
                    </marker>
                </defs>
                {edges}
                { for shapes }
            </svg>
            <figcaption class="visually-hidden">
                <ol data-testid="decision-path-text">
                    { for props.evaluation.trace.iter().take(props.step + 1).map(|step| html! {
                        <li>{format!("{}: {} — {} ({})", step.node.title(), step.check, step.detail, outcome_word(step.outcome))}</li>
                    }) }
                </ol>
            </figcaption>
        </figure>
    }
}

/// What the trace, up to the shown step, says about each node and edge.
struct Path<'a> {
    shown: &'a [Step],
    /// The shown step is the one that decided the response.
    at_end: bool,
}

struct NodeState<'a> {
    taken: bool,
    current: bool,
    last: Option<&'a Step>,
}

impl<'a> Path<'a> {
    fn new(trace: &'a [Step], step: usize) -> Self {
        let end = (step + 1).min(trace.len());
        Path {
            shown: trace.get(..end).unwrap_or_default(),
            at_end: end == trace.len(),
        }
    }

    fn state(&self, node: Node) -> NodeState<'a> {
        let last = self.shown.iter().rev().find(|step| step.node == node);
        NodeState {
            taken: last.is_some(),
            current: self.shown.last().is_some_and(|step| step.node == node),
            last,
        }
    }

    /// The request left `from` by the continuing exit `id`, and the shown steps go on past it.
    fn edge(&self, from: Node, id: &str) -> bool {
        self.shown.split_last().is_some_and(|(_, before)| {
            before
                .iter()
                .any(|step| step.node == from && step.exit.as_deref() == Some(id))
        })
    }

    /// The request left the pipeline at `node` through the exit `id`: the engine's trace
    /// names the exit it took, so exactly one lights, whatever statuses others share.
    fn terminal_exit(&self, node: Node, id: &str) -> bool {
        let Some(last) = self.shown.last() else {
            return false;
        };
        self.at_end && last.node == node && last.exit.as_deref() == Some(id)
    }
}

pub fn outcome_mark(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "✓",
        Outcome::Skipped => "–",
        Outcome::Failed => "✗",
        Outcome::Answered => "●",
    }
}

/// The outcome in words; also its CSS class.
pub fn outcome_word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "passed",
        Outcome::Skipped => "skipped",
        Outcome::Failed => "failed",
        Outcome::Answered => "answered",
    }
}

#[derive(Properties, PartialEq)]
pub struct AtTheStepProps {
    /// The raw request on screen.
    pub raw: Rc<str>,
    pub evaluation: Rc<Evaluation>,
    pub scenario: Rc<Scenario>,
    /// The index of the step shown.
    pub step: usize,
    pub onaction: Callback<Action>,
}

/// Under the decision path: at the step that decided, the engine's alternatives (the same as
/// under the response), each a button that applies it; and for the step shown, the other
/// requests that leave its node by the same exit (`teach::class`), asked for with a button for
/// the request on screen, since finding them evaluates every request the builder can make.
#[component]
pub fn AtTheStep(props: &AtTheStepProps) -> Html {
    let found = use_memo(
        (props.raw.clone(), props.scenario.clone()),
        |(raw, scenario)| alternatives(raw, scenario),
    );
    // The request the class was asked for: an edit hides it again, so that typing never waits
    // for the hundreds of evaluations it takes.
    let asked_for = use_state(|| None::<Rc<str>>);
    let want_class = asked_for.as_ref() == Some(&props.raw);
    let classes = use_memo(
        (
            props.raw.clone(),
            props.scenario.clone(),
            props.evaluation.clone(),
            want_class,
        ),
        |(raw, scenario, evaluation, wanted)| {
            if *wanted {
                same_exit(evaluation, raw, scenario, CLASS_EXAMPLES)
            } else {
                Vec::new()
            }
        },
    );
    let trace = &props.evaluation.trace;
    let last = trace.len().saturating_sub(1);
    let shown = trace.get(props.step.min(last));
    let decided = trace.last();
    let apply = |request: String, profile: Option<Profile>| {
        let onaction = props.onaction.clone();
        Callback::from(move |_: MouseEvent| {
            onaction.emit(Action::ApplyAlternative(request.clone(), profile))
        })
    };
    let (first, _) = split(&found);
    let at_decision = props.step >= last;
    let class = shown.and_then(|step| classes.iter().find(|class| class.node == step.node));
    html! {
        <div class="at-step" data-testid="step-panel">
            if let (true, Some(decided)) = (at_decision, decided) {
                <section class="step-alternatives" data-testid="step-alternatives" aria-labelledby="step-alternatives-heading">
                    <h3 id="step-alternatives-heading">{format!("At “{}”, the step that decided: what would change it", decided.node.title())}</h3>
                    if first.is_empty() {
                        <p class="muted">{"Nothing small: no change the engine tried gives another status."}</p>
                    } else {
                        <ul>
                            { for first.into_iter().map(|alternative| {
                                let status = alternative.status;
                                html! {
                                    <li data-testid="step-alternative" data-status={status.code().to_string()}>
                                        <button type="button" class={classes!("alternative", status_class(status))}
                                            onclick={apply(alternative.request.clone(), alternative.profile)}>
                                            <span class="alternative-lead">{lead(alternative)}</span>
                                            {": "}
                                            <span class="alternative-change">{alternative.change.clone()}</span>
                                        </button>
                                    </li>
                                }
                            }) }
                        </ul>
                    }
                </section>
            }
            if let Some(step) = shown {
                <section class="step-class" data-testid="step-class" aria-labelledby="step-class-heading">
                    <h3 id="step-class-heading">{format!("Other requests that end at “{}” the same way", step.node.title())}</h3>
                    if !want_class {
                        <button type="button" class="try" data-testid="step-class-show"
                            onclick={{ let asked_for = asked_for.clone(); let raw = props.raw.clone(); Callback::from(move |_: MouseEvent| asked_for.set(Some(raw.clone()))) }}>
                            {"Show them"}
                        </button>
                    } else if let Some(class) = class {
                        if class.examples.is_empty() {
                            <p class="muted">{"No other request the builder makes leaves this step this way."}</p>
                        } else {
                            <ul>
                                { for class.examples.iter().map(|example| html! {
                                    <li data-testid="step-class-example">
                                        <button type="button" class="class-example" onclick={apply(example.request.clone(), None)}>
                                            {example.words.clone()}
                                        </button>
                                    </li>
                                }) }
                            </ul>
                        }
                    } else {
                        <p class="muted">{"The request has not left this step yet: its exit comes at a later check."}</p>
                    }
                </section>
            }
        </div>
    }
}

/// How many other requests of a class are listed.
const CLASS_EXAMPLES: usize = 4;
