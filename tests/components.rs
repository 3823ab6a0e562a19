//! Components rendered in headless Chromium with real engine evaluations, asserted on the DOM.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use authpath::components::decision_path::{DecisionPath, DecisionPathProps};
use authpath::components::variable_tracker::{VariableTracker, VariableTrackerProps};
use authpath_engine::teach::mock::{attack_presets, presets};
use authpath_engine::{evaluate, graph, Evaluation, Node, Profile, Scenario};
use wasm_bindgen_test::*;
use web_sys::Element;

mod support;

use support::fresh_root;

wasm_bindgen_test_configure!(run_in_browser);

fn evaluation_of(preset: &str) -> Rc<Evaluation> {
    let scenario = Scenario::default();
    let request = presets()
        .into_iter()
        .find(|p| p.id == preset)
        .map(|p| p.request.to_raw(&scenario))
        .unwrap_or_else(|| panic!("no preset {preset}"));
    Rc::new(evaluate(&request, &scenario))
}

fn attribute(root: &Element, selector: &str, name: &str) -> String {
    root.query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .get_attribute(name)
        .unwrap_or_default()
}

/// The text of the first element `selector` finds, empty when none does.
fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|element| element.text_content())
        .unwrap_or_default()
}

async fn render_path(preset: &str, step: Option<usize>) -> (Element, Rc<Evaluation>) {
    let evaluation = evaluation_of(preset);
    let root = fresh_root();
    let step = step.unwrap_or(evaluation.trace.len() - 1);
    let props = DecisionPathProps {
        nodes: Rc::new(graph(Default::default())),
        evaluation: evaluation.clone(),
        step,
    };
    yew::Renderer::<DecisionPath>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    (root, evaluation)
}

/// Every preset under every profile: the nodes the trace visits light, and exactly one way
/// out, the one the engine took, naming the status it answered; each continuing edge lights
/// only where the trace went on through it.
#[wasm_bindgen_test]
async fn decision_path_lights_exactly_the_exit_taken_for_every_preset_and_profile() {
    let mut all = presets();
    all.extend(attack_presets());
    for profile in Profile::all() {
        let nodes = Rc::new(graph(profile));
        for preset in &all {
            let scenario = preset.scenario(&Scenario {
                profile,
                ..Scenario::default()
            });
            let evaluation = Rc::new(evaluate(&preset.request.to_raw(&scenario), &scenario));
            let root = fresh_root();
            let props = DecisionPathProps {
                nodes: nodes.clone(),
                evaluation: evaluation.clone(),
                step: evaluation.trace.len() - 1,
            };
            yew::Renderer::<DecisionPath>::with_root_and_props(root.clone(), props).render();
            yew::scheduler::flush().await;
            let name = format!("{} under {}", preset.id, profile.id());
            for node in nodes.iter() {
                let visited = evaluation.trace.iter().any(|step| step.node == node.node);
                let selector = format!("[data-node=\"{}\"]", node.node.id());
                assert_eq!(
                    attribute(&root, &selector, "data-taken"),
                    visited.to_string(),
                    "{name}: node {} taken?",
                    node.node.id()
                );
            }
            let taken_exits = root
                .query_selector_all(".exit.terminal[data-taken=\"true\"]")
                .expect("selector");
            assert_eq!(
                taken_exits.length(),
                1,
                "{name}: exactly one way out lights"
            );
            let code = evaluation.response.status.code().to_string();
            let exit_text = taken_exits
                .get(0)
                .and_then(|n| n.text_content())
                .unwrap_or_default();
            assert!(
                exit_text.contains(&code),
                "{name}: exit {exit_text:?} names {code}"
            );
            let mut visited: Vec<Node> = evaluation.trace.iter().map(|step| step.node).collect();
            visited.dedup();
            let flows = root
                .query_selector_all(".exit.flow[data-taken=\"true\"]")
                .expect("selector");
            assert_eq!(
                flows.length() as usize,
                visited.len() - 1,
                "{name}: one lit edge between each two nodes visited"
            );
        }
    }
}

#[wasm_bindgen_test]
async fn decision_path_at_the_first_step_shows_only_parse_taken() {
    let (root, _) = render_path("no-token", Some(0)).await;
    let taken = root
        .query_selector_all(".node[data-taken=\"true\"]")
        .expect("selector");
    assert_eq!(taken.length(), 1);
    assert_eq!(
        attribute(&root, ".node[data-taken=\"true\"]", "data-node"),
        "parse"
    );
    let exits = root
        .query_selector_all(".exit.terminal[data-taken=\"true\"]")
        .expect("selector");
    assert_eq!(
        exits.length(),
        0,
        "no way out is taken before the deciding step"
    );
}

#[wasm_bindgen_test]
async fn variable_tracker_shows_the_values_after_the_deciding_step() {
    let evaluation = evaluation_of("user-on-admin");
    let root = fresh_root();
    let step = evaluation.trace.len() - 1;
    yew::Renderer::<VariableTracker>::with_root_and_props(
        root.clone(),
        VariableTrackerProps {
            evaluation: evaluation.clone(),
            step,
        },
    )
    .render();
    yew::scheduler::flush().await;
    let var = |name: &str| text(&root, &format!("[data-testid=\"var-{name}\"]"));
    assert_eq!(var("authentication"), "passed");
    assert_eq!(var("authorization"), "failed");
    assert_eq!(var("response_code"), "403 Forbidden");
}

#[wasm_bindgen_test]
async fn the_whole_app_mounts_and_shows_the_engines_response() {
    let root = fresh_root();
    yew::Renderer::<authpath::app::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let raw_response = text(&root, "[data-testid=\"raw-response\"]");
    let status = text(&root, "[data-testid=\"status-code\"]");
    // The default request is a valid token on an authenticated route.
    let scenario = Scenario::default();
    let expected = evaluate(
        &authpath_engine::teach::mock::MockRequest::default().to_raw(&scenario),
        &scenario,
    );
    assert_eq!(raw_response, expected.response.to_string());
    assert_eq!(status, expected.response.status.code().to_string());
    let rows = root
        .query_selector_all("[data-testid=\"execution-table\"] tbody tr")
        .expect("selector");
    assert_eq!(rows.length() as usize, expected.trace.len());
}
