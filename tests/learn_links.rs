//! Learn's links: each one the club and the status table give opens, in the simulator, a
//! request the engine answers with the status the words beside it speak of; the myths' links
//! open the request the myth's question is about. Native.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use authpath::link::decode;
use authpath::state::State;
use authpath::views::learn::links;
use authpath_engine::teach::quiz::myths;
use authpath_engine::{evaluate, Scenario};

#[test]
fn every_learn_link_opens_the_status_its_words_name() {
    let scenario = Rc::new(Scenario::default());
    let mut seen = 0;
    for linked in links() {
        let (href, evaluation) = linked.open(&scenario);
        assert_eq!(
            evaluation.response.status.code(),
            linked.code,
            "{}",
            linked.id
        );
        let fragment = href.strip_prefix('#').expect("a fragment link");
        let opened = decode(fragment, &State::default());
        assert!(
            opened.ignored.is_empty(),
            "{}: {:?}",
            linked.id,
            opened.ignored
        );
        let state = opened.state;
        let answer = evaluate(&state.raw_request(), &state.scenario).response;
        assert_eq!(answer.status.code(), linked.code, "{}: {href}", linked.id);
        assert_eq!(
            state.raw_request(),
            linked.state(&scenario).raw_request(),
            "{}",
            linked.id
        );
        seen += 1;
    }
    assert_eq!(seen, 7);
    // The statuses a reader is told about: 401, 403, 400, 404 (500 links to the 401 a
    // broken token really gets).
    let codes: Vec<u16> = links().map(|linked| linked.code).collect();
    for code in [400, 401, 403, 404] {
        assert!(codes.contains(&code), "{code}");
    }
}

#[test]
fn each_myth_opens_its_question_in_the_simulator() {
    let scenario = Rc::new(Scenario::default());
    for myth in myths(&scenario) {
        let href = authpath::views::learn::myth_link(&myth, &scenario);
        let opened = decode(href.trim_start_matches('#'), &State::default());
        assert!(
            opened.ignored.is_empty(),
            "{}: {:?}",
            myth.myth,
            opened.ignored
        );
        let state = opened.state;
        assert_eq!(state.profile(), myth.profile, "{}", myth.myth);
        let answer = evaluate(&state.raw_request(), &state.scenario).response;
        assert_eq!(
            answer.status, myth.question.evaluation.response.status,
            "{}: {href}",
            myth.myth
        );
    }
}
