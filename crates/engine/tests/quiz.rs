//! The quiz: every question's right option is what the pipeline answers for its request, no
//! option appears twice, distractors are plausible, and a seed always gives the same quiz.

mod support;

use std::collections::HashSet;

use authpath_engine::teach::quiz::{client_action, required_header};
use authpath_engine::teach::quiz::{generate_quiz, Choice, ClientAction, Question, QuestionKind};
use authpath_engine::{evaluate, Profile, Scenario, Status};

const SEEDS: std::ops::Range<u64> = 0..200;

/// The answer the engine gives to `question`, computed afresh from its raw request.
fn engine_answer(question: &Question, scenario: &Scenario) -> Option<Choice> {
    let evaluation = evaluate(&question.raw, scenario);
    let response = &evaluation.response;
    match question.kind {
        QuestionKind::Status => Some(Choice::Status(response.status)),
        QuestionKind::NextAction => Some(Choice::Action(client_action(response))),
        QuestionKind::Header => required_header(response).map(|(name, _)| Choice::Header(name)),
        QuestionKind::Step => evaluation.decided().map(|step| Choice::Node(step.node)),
    }
}

fn rfc() -> Scenario {
    Scenario::default()
}

#[test]
fn the_right_option_is_the_engines_answer() {
    let scenario = rfc();
    for seed in SEEDS {
        for question in generate_quiz(&scenario, seed, 10).questions {
            assert_eq!(
                question.correct(),
                engine_answer(&question, &scenario).as_ref(),
                "seed {seed}: {}\n{}",
                question.prompt,
                question.raw
            );
            assert_eq!(question.raw, question.request.to_raw(&scenario));
            assert_eq!(question.evaluation, evaluate(&question.raw, &scenario));
        }
    }
}

#[test]
fn options_are_distinct_and_never_repeat_the_answer() {
    for seed in SEEDS {
        for question in generate_quiz(&rfc(), seed, 10).questions {
            let labels: HashSet<String> = question.choices.iter().map(Choice::label).collect();
            assert_eq!(
                labels.len(),
                question.choices.len(),
                "seed {seed}: {question:?}"
            );
            assert!(
                (3..=4).contains(&question.choices.len()),
                "seed {seed}: {}",
                question.choices.len()
            );
            let correct = question.correct().expect("the answer indexes an option");
            let copies = question.choices.iter().filter(|c| *c == correct).count();
            assert_eq!(copies, 1, "seed {seed}");
        }
    }
}

#[test]
fn a_header_question_offers_no_other_header_the_response_carries() {
    for seed in SEEDS {
        for question in generate_quiz(&rfc(), seed, 10).questions {
            if question.kind != QuestionKind::Header {
                continue;
            }
            let response = &question.evaluation.response;
            for (index, choice) in question.choices.iter().enumerate() {
                let Choice::Header(name) = choice else {
                    panic!("seed {seed}: a header question offers {choice:?}");
                };
                assert_eq!(
                    response.header(name).is_some(),
                    index == question.answer,
                    "seed {seed}: {name} in\n{response}"
                );
            }
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_quiz() {
    let scenario = rfc();
    for seed in [0, 1, 42, u64::MAX] {
        assert_eq!(
            generate_quiz(&scenario, seed, 12),
            generate_quiz(&scenario, seed, 12)
        );
    }
    let first = generate_quiz(&scenario, 1, 10);
    let second = generate_quiz(&scenario, 2, 10);
    assert_ne!(first.questions, second.questions);
}

#[test]
fn a_quiz_has_the_length_asked_and_mixes_every_kind() {
    for seed in 0..50 {
        let quiz = generate_quiz(&rfc(), seed, 8);
        assert_eq!(quiz.questions.len(), 8, "seed {seed}");
        let kinds: HashSet<QuestionKind> = quiz.questions.iter().map(|q| q.kind).collect();
        assert_eq!(kinds.len(), 4, "seed {seed}: {kinds:?}");
    }
}

#[test]
fn questions_are_asked_of_the_rfc_profile() {
    let naive = Scenario {
        profile: Profile::Naive,
        ..Scenario::default()
    };
    assert_eq!(generate_quiz(&naive, 5, 10), generate_quiz(&rfc(), 5, 10));
}

/// The distractors of a status question: the statuses people confuse with it.
fn check_status_distractors(status: Status, expected: &[u16]) {
    let found = (0..400u64).find_map(|seed| {
        generate_quiz(&rfc(), seed, 10)
            .questions
            .into_iter()
            .find(|q| q.kind == QuestionKind::Status && q.evaluation.response.status == status)
    });
    let question = found.unwrap_or_else(|| panic!("no status question answered {status}"));
    let mut codes: Vec<u16> = question
        .choices
        .iter()
        .filter_map(|choice| match choice {
            Choice::Status(other) if *other != status => Some(other.code()),
            _ => None,
        })
        .collect();
    codes.sort_unstable();
    assert_eq!(codes, expected, "distractors for {status}");
}

#[test]
fn status_distractors_are_the_usual_confusions() {
    // 401 vs 403 vs 404: the confusion RFC 9110 §15.5.2 and §15.5.4 separate.
    check_status_distractors(Status::Unauthorized, &[400, 403, 404]);
    check_status_distractors(Status::Forbidden, &[200, 401, 404]);
    check_status_distractors(Status::NotFound, &[401, 403, 405]);
    check_status_distractors(Status::Ok, &[204, 401, 403]);
}

/// What a client does after a status (RFC 9110 §15.5.2, §15.5.4; RFC 6750 §3.1).
fn check_action(raw: &str, action: ClientAction) {
    let response = evaluate(raw, &rfc()).response;
    assert_eq!(client_action(&response), action, "{raw}\n{response}");
}

#[test]
fn the_next_action_follows_the_status() {
    let raw = |id: &str| support::preset(id).request.to_raw(&rfc());
    check_action(&raw("no-token"), ClientAction::Authenticate);
    check_action(&raw("expired-token"), ClientAction::Authenticate);
    check_action(&raw("user-on-admin"), ClientAction::DoNotRetry);
    check_action(&raw("insufficient-scope"), ClientAction::RequestScope);
    check_action(&raw("public-page"), ClientAction::UseResponse);
    check_action(
        "GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n",
        ClientAction::CheckAddress,
    );
    check_action(
        "POST /public HTTP/1.1\r\nHost: a\r\n\r\n",
        ClientAction::ChangeMethod,
    );
    check_action("not http", ClientAction::FixRequest);
}

#[test]
fn an_empty_policy_still_gives_a_whole_quiz() {
    let scenario = Scenario {
        policy: authpath_engine::Policy {
            schemes: Default::default(),
            routes: Vec::new(),
        },
        users: Vec::new(),
        ..Scenario::default()
    };
    let quiz = generate_quiz(&scenario, 3, 6);
    assert_eq!(quiz.questions.len(), 6);
    for question in &quiz.questions {
        assert_eq!(
            question.correct(),
            engine_answer(question, &scenario).as_ref()
        );
    }
}

/// Each myth is a status question whose right option is what the pipeline answers afresh for
/// its request under the myth's profile; the status the myth believes is among the options and
/// is not that answer, so every myth shown is one the engine refutes.
#[test]
fn every_myth_is_refuted_by_the_pipeline() {
    use authpath_engine::teach::quiz::myths;
    let scenario = Scenario::default();
    let found = myths(&scenario);
    assert_eq!(found.len(), 5);
    for myth in &found {
        let question = &myth.question;
        assert_eq!(question.kind, QuestionKind::Status, "{}", myth.myth);
        let under = Scenario {
            profile: myth.profile,
            ..scenario.clone()
        };
        let status = evaluate(&question.request.to_raw(&under), &under)
            .response
            .status;
        assert_eq!(
            question.correct(),
            Some(&Choice::Status(status)),
            "{}",
            myth.myth
        );
        assert_ne!(status, myth.believed, "{}", myth.myth);
        assert!(
            question.choices.contains(&Choice::Status(myth.believed)),
            "{}: the believed answer is an option",
            myth.myth
        );
        let unique: HashSet<_> = question.choices.iter().collect();
        assert_eq!(unique.len(), question.choices.len(), "{}", myth.myth);
    }
    // The same scenario, the same myths.
    assert_eq!(myths(&scenario), found);
}
