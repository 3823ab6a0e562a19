//! The views beside the simulator: policy editor, matrix, compare, check, learn and quiz. One
//! component per file (the policy editor's rows, server settings and OpenAPI import have files
//! of their own,
//! and so has the data the editor and its rows both read, `policy_state`, and Learn's CSRF
//! section, `learn_csrf`, and the Check view's probe report, `probe_report`); each draws the
//! engine's answers and none decides anything itself.

pub mod check;
pub mod compare;
pub mod learn;
pub mod learn_csrf;
pub mod matrix;
pub mod policy;
pub mod policy_keys;
pub mod policy_openapi;
pub mod policy_row;
pub mod policy_server;
pub mod policy_state;
pub mod probe_report;
pub mod quiz;

use yew::prelude::*;

use crate::parts::{Part, Waiting};
use crate::state::{Action, State, View};

/// The view `state.view` names, or nothing for the simulator (the app draws that one). A view
/// this build does not hold (src/parts.rs) is a wait while the full build loads; each arm's
/// guard is a constant, so the landing build has none of their code.
pub fn view(state: &State, onaction: &Callback<Action>) -> Html {
    let onaction = onaction.clone();
    let scenario = state.scenario.clone();
    let here = |view: View| Part::View(view).here();
    match state.view {
        View::Simulator => Html::default(),
        View::Policy if here(View::Policy) => html! {
            <policy::PolicyEditor {scenario} resets={state.server_resets} spec={state.spec.clone()} {onaction} />
        },
        View::Matrix if here(View::Matrix) => {
            html! { <matrix::MatrixView {scenario} {onaction} /> }
        }
        View::Compare if here(View::Compare) => html! {
            <compare::CompareView {scenario} raw={state.raw_request()} preset={state.preset} {onaction} />
        },
        View::Check if here(View::Check) => html! {
            <check::CheckView {scenario} input={state.check.clone()} {onaction} />
        },
        View::Learn if here(View::Learn) => html! { <learn::LearnView {scenario} {onaction} /> },
        View::Quiz if here(View::Quiz) => {
            let onseed = onaction.reform(Action::SetQuizSeed);
            html! { <quiz::QuizView {scenario} seed={state.quiz_seed} {onseed} {onaction} /> }
        }
        view => html! {
            <Waiting part={Part::View(view)} />
        },
    }
}
