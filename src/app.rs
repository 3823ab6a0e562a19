//! The root component: holds the one reducer, keeps it in the link, evaluates the request and
//! lays out the page (or, with `?embed`, just the scenario).

use std::rc::Rc;

use authpath_engine::{evaluate, graph};
use yew::prelude::*;

use crate::components::builder::Builder;
use crate::components::decision_path::DecisionPath;
use crate::components::execution_table::ExecutionTable;
use crate::components::explain::{view_narration, Alternatives, CodePanel};
use crate::components::notices::Notices;
use crate::components::presets::PresetBar;
use crate::components::raw_request::RawRequest;
use crate::components::response::ResponsePanel;
use crate::components::share::ShareBar;
use crate::components::stepper::Stepper;
use crate::components::variable_tracker::VariableTracker;
use crate::dom;
use crate::link;
use crate::parts::{Ask, Handover, Part, Waiting};
use crate::state::{Action, State, Theme, View};

/// How long one step stays on screen while playing.
const PLAY_INTERVAL_MS: u32 = 800;

/// How long the address waits after the last edit before it follows the page.
const REPLACE_DELAY_MS: u32 = 120;

/// Which page the HTML was prerendered as (`cargo xtask dist`, src/prerender.rs): the first
/// render must draw exactly this, or hydration fails. The address (fragment, `?embed`,
/// `?theme=`) is read after hydration, in an effect, and applied on top.
#[derive(Clone, Debug, Default, PartialEq, Properties)]
pub struct AppProps {
    /// The link fragment the page was prerendered from; empty for the default scenario.
    #[prop_or_default]
    pub fragment: String,
    /// Whether the page was prerendered as an embed.
    #[prop_or_default]
    pub embed: bool,
    /// What a landing build handed over (src/parts.rs): then the page is drawn afresh from it,
    /// and the address is not read again.
    #[prop_or_default]
    pub handover: Option<Handover>,
}

/// The state a link opens: the fragment's, over the defaults, with what it could not read.
pub fn linked_state(fragment: &str) -> State {
    let decoded = link::decode(fragment, &State::default());
    let mut state = decoded.state;
    state.notices = decoded.ignored;
    state
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let state = use_reducer(|| match &props.handover {
        Some(handover) => handover.state(),
        None => linked_state(&props.fragment),
    });
    let embed = use_state_eq(|| props.embed);
    let live = use_state_eq(|| false);
    let onaction = state.dispatcher().to_callback();
    {
        // After hydration: the address's scenario, layout and theme replace the prerendered
        // page's; then the page is marked live, once that render is in the DOM.
        let onaction = onaction.clone();
        let embed = embed.clone();
        let live = live.clone();
        let page = props.fragment.clone();
        let focus = props
            .handover
            .as_ref()
            .map(|handover| handover.focus.clone());
        use_effect_with((), move |_| {
            if let Some(focus) = focus {
                // Handed over: the state is the landing build's, theme and layout included.
                live.set(true);
                if let Some(testid) = focus {
                    dom::focus_testid(&testid);
                }
                return;
            }
            let mode = dom::mode();
            let fragment = dom::fragment();
            if !fragment.is_empty() && fragment != page {
                onaction.emit(Action::Load(Box::new(linked_state(&fragment))));
            }
            match mode.theme {
                Some("dark") => onaction.emit(Action::SetTheme(Theme::Dark)),
                Some("light") => onaction.emit(Action::SetTheme(Theme::Light)),
                _ => {}
            }
            if mode.embed {
                embed.set(true);
            }
            live.set(true);
        });
    }
    use_effect_with(*live, |live| {
        if *live {
            dom::mark_live();
        }
    });
    let embed = *embed;
    crate::parts::remember(&state, embed);

    let raw = state.raw_request();
    let evaluation = use_memo((raw.clone(), state.scenario.clone()), |(raw, scenario)| {
        evaluate(raw, scenario)
    });
    let nodes = use_memo(state.profile(), |profile| graph(*profile));
    let len = evaluation.trace.len();
    let step = state.current_step(len);
    let fragment = link::encode(&state);

    // Not before the app is live: the prerendered page's theme is the system's, and
    // assets/early.js may already have written the address's `?theme=`.
    use_effect_with((state.theme, *live), |(theme, live)| {
        if *live {
            dom::set_theme(theme.attribute());
        }
    });
    use_effect_with((), |_| dom::register_service_worker());
    {
        // Presets and views get their own history entry; everything else replaces it, once
        // the edits pause: a history write costs Chromium a millisecond or more, too much
        // for every keystroke and click.
        let last_mark = use_mut_ref(|| state.history_mark);
        let unwritten = use_mut_ref(|| None::<String>);
        let timer = use_mut_ref(|| None::<dom::Running>);
        use_effect_with(
            (fragment.clone(), state.history_mark),
            move |(fragment, mark)| {
                let push = *last_mark.borrow() != *mark;
                *last_mark.borrow_mut() = *mark;
                if push {
                    // The entry being left keeps its last state.
                    timer.borrow_mut().take();
                    if let Some(previous) = unwritten.borrow_mut().take() {
                        dom::write_fragment(&previous, false);
                    }
                    dom::write_fragment(fragment, true);
                } else {
                    *unwritten.borrow_mut() = Some(fragment.clone());
                    let pending = unwritten.clone();
                    *timer.borrow_mut() = Some(dom::after(REPLACE_DELAY_MS, move || {
                        if let Some(fragment) = pending.borrow_mut().take() {
                            dom::write_fragment(&fragment, false);
                        }
                    }));
                }
            },
        );
    }
    {
        let onaction = onaction.clone();
        use_effect_with((), move |_| {
            let listener = dom::on_history_move(move || {
                onaction.emit(Action::Load(Box::new(linked_state(&dom::fragment()))));
            });
            move || drop(listener)
        });
    }
    {
        let onaction = onaction.clone();
        use_effect_with((state.playing, len), move |(playing, len)| {
            let len = *len;
            let interval = playing
                .then(|| dom::every(PLAY_INTERVAL_MS, move || onaction.emit(Action::Tick(len))));
            move || drop(interval)
        });
    }
    {
        // In an iframe, tell the parent page our height after every render that changed it.
        let last_height = use_mut_ref(|| 0);
        use_effect(move || {
            if embed {
                let height = dom::document_height();
                if *last_height.borrow() != height {
                    *last_height.borrow_mut() = height;
                    dom::post_height(height);
                }
            }
        });
    }

    let request_column = html! {
        <section class="column request-column" aria-labelledby="request-heading">
            <h2 id="request-heading">{"1 · Request"}</h2>
            if !embed {
                <Builder
                    mock={state.mock.clone()}
                    route={state.route}
                    custom={state.custom.is_some()}
                    scenario={state.scenario.clone()}
                    onaction={onaction.clone()}
                />
            }
            <RawRequest
                raw={raw.clone()}
                custom={state.custom.is_some()}
                share_credentials={state.share_credentials}
                error={evaluation.request.as_ref().err().cloned()}
                cut_from={state.cut_from}
                onaction={onaction.clone()}
            />
        </section>
    };
    let path_column = html! {
        <section class="column path-column" aria-labelledby="path-heading">
            <h2 id="path-heading">{"2 · Decision path"}</h2>
            <Stepper step={step} len={len} playing={state.playing} onaction={onaction.clone()} />
            <DecisionPath nodes={nodes.clone()} evaluation={evaluation.clone()} step={step} />
            // The same alternatives as under the response: a part the landing build asks for.
            if !embed && Part::Alternatives.here() { <crate::components::decision_path::AtTheStep raw={Rc::<str>::from(raw.as_str())} evaluation={evaluation.clone()} scenario={state.scenario.clone()} step={step} onaction={onaction.clone()} /> }
            { view_narration(&evaluation) }
            if embed {
                <details class="embed-details">
                    <summary>{"Execution table and variables"}</summary>
                    <ExecutionTable evaluation={evaluation.clone()} step={step} onaction={onaction.clone()} />
                    <VariableTracker evaluation={evaluation.clone()} step={step} />
                </details>
            } else {
                // Closed until asked for: a third of the page's elements, which a first reader,
                // who has the path and the answer, does not need at once (BENCHMARKS.md). A
                // disclosure, so it opens without the app too.
                <details class="execution-details" data-testid="execution-details">
                    <summary>{format!("Execution table: {len} checks")}</summary>
                    <ExecutionTable evaluation={evaluation.clone()} step={step} onaction={onaction.clone()} />
                </details>
                <VariableTracker evaluation={evaluation.clone()} step={step} />
            }
        </section>
    };
    let response_column = html! {
        <section class="column response-column" aria-labelledby="response-heading">
            <h2 id="response-heading">{"3 · Response"}</h2>
            <ResponsePanel evaluation={evaluation.clone()} profile={state.profile()} step={step} onaction={onaction.clone()}>
                if embed {
                } else if Part::Alternatives.here() {
                    <Alternatives raw={Rc::<str>::from(raw.as_str())} scenario={state.scenario.clone()} onaction={onaction.clone()} />
                } else {
                    <Ask part={Part::Alternatives} testid="ask-alternatives" focus="alternatives" />
                }
            </ResponsePanel>
            if embed {
            } else if Part::Code.here() {
                <CodePanel evaluation={evaluation.clone()} scenario={state.scenario.clone()} />
            } else {
                <Ask part={Part::Code} testid="ask-code" focus="code-language" />
            }
        </section>
    };
    let notices = html! {
        <Notices notices={state.notices.clone()} onaction={onaction.clone()} />
    };

    // A scenario with public keys, in the landing build: the full build shows it (src/parts.rs).
    let waiting = Part::missing(&state)
        .filter(|part| *part == Part::PublicKeys)
        .map(|part| html! { <Waiting {part} /> });

    if embed {
        // Relative, so it is known without a browser: the full page beside this one.
        let open_href = format!("./{}#{fragment}", crate::pages::page_file(&state, false));
        return html! {
            <div class="app embed" data-testid="app" data-embed="true">
                {notices}
                if let Some(waiting) = waiting {
                    {waiting}
                } else {
                    <main class="columns">
                        {request_column}
                        {response_column}
                        {path_column}
                    </main>
                }
                <p class="embed-footer">
                    <a href={open_href} target="_blank" rel="noopener" data-testid="open-in-authpath">{"Open in authpath ↗"}</a>
                </p>
            </div>
        };
    }

    let ontheme = {
        let onaction = onaction.clone();
        Callback::from(move |event: Event| {
            let theme = match dom::select_value(&event).as_str() {
                "light" => Theme::Light,
                "dark" => Theme::Dark,
                _ => Theme::System,
            };
            onaction.emit(Action::SetTheme(theme));
        })
    };
    let theme_value = state.theme.attribute().unwrap_or("system");

    html! {
        <div class="app" data-testid="app">
            <header class="masthead">
                <div class="brand">
                    <h1><span class="logo" aria-hidden="true">{"⟶"}</span>{"authpath"}</h1>
                    <p class="tagline">{"Why does this API answer 401, 403, 404 or 200? Build a request, watch the server decide."}</p>
                </div>
                <div class="masthead-tools">
                    <ShareBar fragment={fragment.clone()}
                        page={crate::pages::page_file(&state, false)}
                        embed_page={crate::pages::page_file(&state, true)} />
                    <label class="theme-switch">
                        <span>{"Theme"}</span>
                        <select onchange={ontheme} data-testid="select-theme">
                            { for [("system", "System"), ("light", "Light"), ("dark", "Dark")].iter().map(|(value, label)| html! {
                                <option value={*value} selected={*value == theme_value}>{*label}</option>
                            }) }
                        </select>
                    </label>
                </div>
            </header>
            {notices}
            if View::ALL.len() > 1 {
                <nav class="tabs" aria-label="Views">
                    { for View::ALL.iter().map(|view| {
                        let onclick = {
                            let onaction = onaction.clone();
                            let view = *view;
                            Callback::from(move |_: MouseEvent| onaction.emit(Action::SetView(view)))
                        };
                        let current = state.view == *view;
                        html! {
                            <button type="button" class={classes!("tab", current.then_some("current"))}
                                aria-current={current.then_some("page")} data-testid={format!("view-{}", view.id())} {onclick}>
                                {view.title()}
                            </button>
                        }
                    }) }
                </nav>
            }
            { match state.view {
                View::Simulator => html! {
                    <>
                        <PresetBar active={state.preset} onaction={onaction.clone()} />
                        if let Some(waiting) = waiting {
                            {waiting}
                        } else {
                            <main class="columns">
                                {request_column}
                                {path_column}
                                {response_column}
                            </main>
                        }
                    </>
                },
                _ => crate::views::view(&state, &onaction),
            } }
            <footer class="footer">
                <p>
                    {"Everything runs in your browser: the pipeline is Rust compiled to WebAssembly, and nothing you type leaves this page. "}
                    {"The demo key, users and passwords are public test values."}
                </p>
            </footer>
        </div>
    }
}
