//! The views rendered in headless Chromium: the matrix shows the engine's statuses, the quiz
//! answers with the engine's answer, and the policy form and its TOML describe one policy.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use authpath::state::Action;
use authpath::views::matrix::{MatrixView, MatrixViewProps};
use authpath::views::policy::{policy_of, rows_of, RowDraft};
use authpath::views::quiz::{QuizView, QuizViewProps};
use authpath_engine::teach::matrix::build_matrix;
use authpath_engine::teach::quiz::generate_quiz;
use authpath_engine::{Access, Policy, Profile, Scenario};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::Callback;

mod support;

use support::fresh_root;

wasm_bindgen_test_configure!(run_in_browser);

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("valid selector");
    (0..list.length())
        .filter_map(|index| list.item(index))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect()
}

#[wasm_bindgen_test]
async fn the_matrix_shows_the_engines_status_in_every_cell() {
    for profile in Profile::all() {
        let scenario = Rc::new(Scenario {
            profile,
            ..Scenario::default()
        });
        let root = fresh_root();
        let props = MatrixViewProps {
            scenario: scenario.clone(),
            onaction: Callback::noop(),
        };
        yew::Renderer::<MatrixView>::with_root_and_props(root.clone(), props).render();
        yew::scheduler::flush().await;
        let expected = build_matrix(&Scenario {
            profile,
            ..Scenario::default()
        });
        let cells = all(&root, "[data-testid=matrix-cell]");
        assert_eq!(cells.len(), expected.cells.len());
        for (element, cell) in cells.iter().zip(&expected.cells) {
            assert_eq!(
                element.get_attribute("data-status"),
                Some(cell.status.code().to_string())
            );
            assert_eq!(
                element.get_attribute("data-credential").as_deref(),
                Some(cell.column.id())
            );
        }
    }
}

#[wasm_bindgen_test]
async fn a_matrix_cell_opens_its_request_in_the_simulator() {
    let opened = Rc::new(std::cell::RefCell::new(None));
    let root = fresh_root();
    let props = MatrixViewProps {
        scenario: Rc::new(Scenario {
            profile: Profile::Naive,
            ..Scenario::default()
        }),
        onaction: {
            let opened = opened.clone();
            Callback::from(move |action: Action| *opened.borrow_mut() = Some(action))
        },
    };
    yew::Renderer::<MatrixView>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let cell = root
        .query_selector("[data-route='GET /admin'][data-credential='expired']")
        .expect("valid selector")
        .expect("the cell")
        .dyn_into::<HtmlElement>()
        .expect("a button");
    cell.click();
    yew::scheduler::flush().await;
    let expected = build_matrix(&Scenario {
        profile: Profile::Naive,
        ..Scenario::default()
    });
    let request = expected
        .cells
        .iter()
        .find(|cell| cell.row == 2 && cell.column.id() == "expired")
        .map(|cell| cell.request.clone())
        .expect("the cell's request");
    assert_eq!(
        *opened.borrow(),
        Some(Action::Open(request, Profile::Naive))
    );
}

#[wasm_bindgen_test]
async fn the_quiz_marks_the_engines_answer_as_right() {
    let scenario = Rc::new(Scenario::default());
    let root = fresh_root();
    let reported = Rc::new(std::cell::Cell::new(None));
    let props = QuizViewProps {
        scenario: scenario.clone(),
        onaction: Callback::noop(),
        seed: Some(11),
        onseed: {
            let reported = reported.clone();
            Callback::from(move |seed| reported.set(Some(seed)))
        },
    };
    yew::Renderer::<QuizView>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    assert_eq!(
        reported.get(),
        Some(11),
        "the view tells the page its seed, for the link"
    );
    let quiz = generate_quiz(&scenario, 11, 10);
    let first = quiz.questions.first().expect("a question");
    let options = all(&root, "[data-testid=quiz-option]");
    assert_eq!(options.len(), first.choices.len());
    // Answer wrongly on purpose when possible: the right option must still be the one marked.
    let wrong = (first.answer + 1) % options.len();
    options
        .get(wrong)
        .and_then(|option| option.clone().dyn_into::<HtmlElement>().ok())
        .expect("an option")
        .click();
    yew::scheduler::flush().await;
    let marked: Vec<usize> = all(&root, "[data-testid=quiz-option]")
        .iter()
        .enumerate()
        .filter(|(_, option)| option.get_attribute("data-correct").as_deref() == Some("true"))
        .map(|(index, _)| index)
        .collect();
    assert_eq!(marked, vec![first.answer]);
    let correct = first.correct().expect("the answer").label();
    let text = all(&root, "[data-testid=quiz-option]")
        .get(first.answer)
        .and_then(|option| option.text_content())
        .unwrap_or_default();
    assert!(text.contains(&correct), "{text} / {correct}");
    assert!(root
        .query_selector("[data-testid=quiz-explanation]")
        .ok()
        .flatten()
        .is_some());
}

/// A form row and the route it makes, or the words of its error.
fn check_row(method: &str, path: &str, access: &str, value: &str, expected: Result<Access, &str>) {
    let row = RowDraft {
        method: method.to_string(),
        path: path.to_string(),
        access: access.to_string(),
        value: value.to_string(),
    };
    match (row.to_route(), expected) {
        (Ok(route), Ok(access)) => assert_eq!(route.access, access, "{row:?}"),
        (Err(message), Err(words)) => assert!(message.contains(words), "{row:?}: {message}"),
        (got, want) => panic!("{row:?}: got {got:?}, want {want:?}"),
    }
}

#[wasm_bindgen_test]
fn form_rows_become_routes_or_say_what_is_wrong() {
    check_row("GET", "/a", "public", "ignored", Ok(Access::Public));
    check_row("GET", "/a", "authenticated", "", Ok(Access::Authenticated));
    check_row(
        "GET",
        "/a",
        "role",
        " admin ",
        Ok(Access::Role("admin".into())),
    );
    check_row("GET", "/a", "scope", "r:w", Ok(Access::Scope("r:w".into())));
    check_row(
        "GET",
        "/a/{id}",
        "owner",
        "id",
        Ok(Access::Owner("id".into())),
    );
    check_row("GET", "/a", "role", "", Err("name the role"));
    check_row("GET", "a", "public", "", Err("must start with /"));
    check_row("G T", "/a", "public", "", Err("HTTP token"));
    check_row("GET", "/a/{id}", "owner", "user", Err("not in the path"));
    check_row("GET", "/a/{id", "public", "", Err("whole {name}"));
    // The row shows the message without the route the engine names, whatever the path holds.
    let row = RowDraft {
        method: "GET".to_string(),
        path: "/a): b".to_string(),
        access: "owner".to_string(),
        value: "id".to_string(),
    };
    assert_eq!(
        row.to_route(),
        Err("the owner rule names {id}, which is not in the path".to_string())
    );
}

#[wasm_bindgen_test]
fn form_and_toml_describe_the_same_policy() {
    let policy = Policy::default_api();
    let rows = rows_of(&policy);
    assert_eq!(policy_of(&rows), Ok(policy.clone()));
    let text = policy.to_toml();
    assert_eq!(Policy::from_toml(&text), Ok(policy.clone()));
    assert_eq!(rows_of(&Policy::from_toml(&text).expect("valid")), rows);
    // An invalid row names its index; the others are not blamed.
    let mut broken = rows.clone();
    if let Some(row) = broken.get_mut(3) {
        row.path = "users".to_string();
    }
    let errors = policy_of(&broken).expect_err("row 4 is invalid");
    assert_eq!(
        errors.iter().map(|(index, _)| *index).collect::<Vec<_>>(),
        vec![3]
    );
    // Invalid text is an error with its place; it never yields a policy.
    let error = Policy::from_toml(&text.replace("access = \"public\"", "access = \"publik\""))
        .expect_err("publik is no access rule");
    assert_eq!((error.line, error.column), (Some(4), Some(10)));
}
