//! The views beside the simulator: policy editor, matrix, compare, learn and quiz. Each is one
//! component over the engine's answers; none decides anything itself.

pub mod compare;
pub mod learn;
pub mod matrix;
pub mod policy;
pub mod quiz;

use yew::prelude::*;

use crate::state::{Action, State, View};

/// The view `state.view` names, or nothing for the simulator (the app draws that one).
pub fn view(state: &State, onaction: &Callback<Action>) -> Html {
    let onaction = onaction.clone();
    let scenario = state.scenario.clone();
    match state.view {
        View::Simulator => Html::default(),
        View::Policy => html! { <policy::PolicyEditor {scenario} {onaction} /> },
        View::Matrix => {
            html! { <matrix::MatrixView {scenario} profile={state.profile} {onaction} /> }
        }
        View::Compare => html! {
            <compare::CompareView {scenario} raw={state.raw_request()} preset={state.preset} {onaction} />
        },
        View::Learn => html! { <learn::LearnView {onaction} /> },
        View::Quiz => {
            let onseed = onaction.reform(Action::SetQuizSeed);
            html! { <quiz::QuizView {scenario} seed={state.quiz_seed} {onseed} {onaction} /> }
        }
    }
}

/// Milliseconds from the page's time origin, with sub-millisecond resolution where the
/// browser allows it (`performance.now()`); 0 outside a browser.
pub fn now_ms() -> f64 {
    let window = gloo::utils::window();
    let Ok(performance) = js_sys::Reflect::get(&window, &"performance".into()) else {
        return 0.0;
    };
    let Ok(now) = js_sys::Reflect::get(&performance, &"now".into()) else {
        return 0.0;
    };
    let now: js_sys::Function = wasm_bindgen::JsCast::unchecked_into(now);
    now.call0(&performance)
        .ok()
        .and_then(|value| value.as_f64())
        .unwrap_or(0.0)
}
