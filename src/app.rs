//! The root component: holds the one reducer, keeps it in the link, evaluates the request and
//! lays out the page (or, with `?embed`, just the scenario).

use authpath_engine::{evaluate, graph};
use yew::prelude::*;

use crate::components::builder::Builder;
use crate::components::decision_path::DecisionPath;
use crate::components::execution_table::ExecutionTable;
use crate::components::notices::Notices;
use crate::components::presets::PresetBar;
use crate::components::raw_request::RawRequest;
use crate::components::response::ResponsePanel;
use crate::components::share::ShareBar;
use crate::components::stepper::Stepper;
use crate::components::variable_tracker::VariableTracker;
use crate::dom;
use crate::link;
use crate::state::{Action, State, Theme, View};

/// How long one step stays on screen while playing.
const PLAY_INTERVAL_MS: u32 = 800;

/// How long the address waits after the last edit before it follows the page.
const REPLACE_DELAY_MS: u32 = 120;

/// The state a page opens with: the link's, over the defaults.
fn initial_state(mode: dom::Mode) -> State {
    let decoded = link::decode(&dom::fragment(), &State::default());
    let mut state = decoded.state;
    state.notices = decoded.ignored;
    state.theme = match mode.theme {
        Some("dark") => Theme::Dark,
        Some("light") => Theme::Light,
        _ => Theme::System,
    };
    state
}

#[component]
pub fn App() -> Html {
    let mode = *use_memo((), |_| dom::mode());
    let state = use_reducer(move || initial_state(mode));
    let onaction = state.dispatcher().to_callback();

    let raw = state.raw_request();
    let evaluation = use_memo((raw.clone(), state.scenario.clone()), |(raw, scenario)| {
        evaluate(raw, scenario)
    });
    let nodes = use_memo(state.profile(), |profile| graph(*profile));
    let len = evaluation.trace.len();
    let step = state.current_step(len);
    let fragment = link::encode(&state);

    use_effect_with(state.theme, |theme| dom::set_theme(theme.attribute()));
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
                let decoded = link::decode(&dom::fragment(), &State::default());
                let mut state = decoded.state;
                state.notices = decoded.ignored;
                onaction.emit(Action::Load(Box::new(state)));
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
            if mode.embed {
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
            if !mode.embed {
                <Builder
                    mock={state.mock.clone()}
                    route={state.route}
                    custom={state.custom.is_some()}
                    scenario={state.scenario.clone()}
                    onaction={onaction.clone()}
                />
            }
            <RawRequest
                raw={raw}
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
            if mode.embed {
                <details class="embed-details">
                    <summary>{"Execution table and variables"}</summary>
                    <ExecutionTable evaluation={evaluation.clone()} step={step} onaction={onaction.clone()} />
                    <VariableTracker evaluation={evaluation.clone()} step={step} />
                </details>
            } else {
                <ExecutionTable evaluation={evaluation.clone()} step={step} onaction={onaction.clone()} />
                <VariableTracker evaluation={evaluation.clone()} step={step} />
            }
        </section>
    };
    let response_column = html! {
        <section class="column response-column" aria-labelledby="response-heading">
            <h2 id="response-heading">{"3 · Response"}</h2>
            <ResponsePanel evaluation={evaluation.clone()} profile={state.profile()} step={step} onaction={onaction.clone()} />
        </section>
    };
    let notices = html! {
        <Notices notices={state.notices.clone()} onaction={onaction.clone()} />
    };

    if mode.embed {
        let open_href = format!("{}#{}", dom::base_url(), fragment);
        return html! {
            <div class="app embed" data-testid="app" data-embed="true">
                {notices}
                <main class="columns">
                    {request_column}
                    {response_column}
                    {path_column}
                </main>
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
                    <ShareBar fragment={fragment.clone()} />
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
                        <main class="columns">
                            {request_column}
                            {path_column}
                            {response_column}
                        </main>
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
