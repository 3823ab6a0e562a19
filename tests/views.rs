//! The views rendered in headless Chromium: the matrix shows the engine's statuses and counts
//! the cells two profiles differ in, Compare compares `rfc` with the chosen profile, every
//! finding carries its framework's fix, Learn's framework rows answer as the engine does, the
//! quiz answers with the engine's answer, and the policy form and its TOML describe one policy.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use authpath::components::builder::{Builder, BuilderProps};
use authpath::state::Action;
use authpath::views::compare::{CompareView, CompareViewProps};
use authpath::views::learn::{LearnView, LearnViewProps};
use authpath::views::learn_csrf;
use authpath::views::matrix::{MatrixView, MatrixViewProps};
use authpath::views::policy::{PolicyEditor, PolicyEditorProps};
use authpath::views::policy_openapi::{SpecImportPanel, SpecImportProps};
use authpath::views::policy_state::{policy_of, rows_of, RowDraft};
use authpath::views::quiz::{QuizView, QuizViewProps};
use authpath_engine::profile::Family;
use authpath_engine::teach::matrix::build_matrix;
use authpath_engine::teach::mock::{preset, presets, CredentialKind, CsrfToken, MockRequest};
use authpath_engine::teach::quiz::generate_quiz;
use authpath_engine::{evaluate, Access, Policy, Profile, Scenario};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::Callback;

mod support;

use support::fresh_root;

wasm_bindgen_test_configure!(run_in_browser);

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

fn scenario_under(profile: Profile) -> Rc<Scenario> {
    Rc::new(Scenario {
        profile,
        ..Scenario::default()
    })
}

fn click(root: &Element, selector: &str) {
    root.query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .dyn_into::<HtmlElement>()
        .expect("an HTML element")
        .click();
}

/// Chooses `value` in the select `selector` finds, as a person would: a `change` that bubbles
/// to the root, where Yew listens.
fn choose(root: &Element, selector: &str, value: &str) {
    let select = root
        .query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .dyn_into::<HtmlSelectElement>()
        .expect("a select");
    select.set_value(value);
    let event = js_sys::eval("new Event('change', { bubbles: true })")
        .expect("an event")
        .dyn_into::<web_sys::Event>()
        .expect("an Event");
    select.dispatch_event(&event).expect("dispatched");
}

#[wasm_bindgen_test]
async fn the_matrix_counts_the_cells_any_two_profiles_differ_in() {
    // Each profile once on each side (against its neighbour in the list): every pair would be
    // 240 matrices of the whole demo API, longer than the browser lets a test run unanswered.
    let profiles = Profile::all();
    let pairs = profiles
        .iter()
        .zip(profiles.iter().cycle().skip(1))
        .map(|(first, second)| (*first, *second));
    for (first, second) in pairs {
        let root = fresh_root();
        let props = MatrixViewProps {
            scenario: scenario_under(first),
            onaction: Callback::noop(),
        };
        yew::Renderer::<MatrixView>::with_root_and_props(root.clone(), props).render();
        yew::scheduler::flush().await;
        click(&root, "[data-testid=matrix-compare]");
        yew::scheduler::flush().await;
        choose(&root, "[data-testid=matrix-second-profile]", second.id());
        yew::scheduler::flush().await;
        let expected = build_matrix(&scenario_under(first))
            .differences(&build_matrix(&scenario_under(second)));
        let count = root
            .query_selector("[data-testid=matrix-diff-count]")
            .ok()
            .flatten()
            .and_then(|element| element.text_content());
        assert_eq!(
            count,
            Some(expected.to_string()),
            "{} against {}",
            first.id(),
            second.id()
        );
        let marked = all(&root, "[data-testid=matrix-cell][data-differs=true]").len();
        assert_eq!(marked, expected, "{} against {}", first.id(), second.id());
    }
}

async fn render_compare(chosen: Profile, raw: &str) -> Element {
    let root = fresh_root();
    let props = CompareViewProps {
        scenario: scenario_under(chosen),
        raw: raw.to_string(),
        preset: None,
        onaction: Callback::noop(),
    };
    yew::Renderer::<CompareView>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

fn no_token_raw() -> String {
    preset("no-token")
        .expect("the no-token preset")
        .request
        .to_raw(&Scenario::default())
}

#[wasm_bindgen_test]
async fn compare_opens_with_rfc_against_the_chosen_profile() {
    let raw = no_token_raw();
    for chosen in Profile::all() {
        let root = render_compare(chosen, &raw).await;
        let expected_right = if chosen == Profile::Rfc {
            Profile::Naive
        } else {
            chosen
        };
        for (side, profile) in [("left", Profile::Rfc), ("right", expected_right)] {
            let selector = format!("[data-testid=compare-{side}]");
            assert_eq!(
                attribute(&root, &selector, "data-profile"),
                profile.id(),
                "{} chosen: {side}",
                chosen.id()
            );
            let status = evaluate(&raw, &scenario_under(profile)).response.status;
            assert_eq!(
                text(&root, &format!("{selector} [data-testid=compare-status]")),
                status.code().to_string(),
                "{} chosen: {side}",
                chosen.id()
            );
        }
        // Both selects group the profiles as the builder's does.
        let groups = all(&root, "[data-testid=compare-profile-right] optgroup");
        assert_eq!(groups.len(), 2, "reference servers and frameworks");
    }
}

#[wasm_bindgen_test]
async fn compare_compares_any_pair() {
    let raw = no_token_raw();
    let root = render_compare(Profile::Rfc, &raw).await;
    for left in Profile::all() {
        for right in Profile::all() {
            choose(&root, "[data-testid=compare-profile-left]", left.id());
            choose(&root, "[data-testid=compare-profile-right]", right.id());
            yew::scheduler::flush().await;
            for (side, profile) in [("left", left), ("right", right)] {
                let status = evaluate(&raw, &scenario_under(profile)).response.status;
                assert_eq!(
                    text(
                        &root,
                        &format!("[data-testid=compare-{side}] [data-testid=compare-status]")
                    ),
                    status.code().to_string(),
                    "{} against {}: {side}",
                    left.id(),
                    right.id()
                );
            }
        }
    }
}

#[wasm_bindgen_test]
async fn every_finding_shows_its_frameworks_fix_exactly_when_the_table_has_one() {
    for profile in Profile::all() {
        for item in presets() {
            let scenario = scenario_under(profile);
            let raw = item.request.to_raw(&scenario);
            // Compare draws each finding with the same fragment as the simulator's lint.
            let root = render_compare(profile, &raw).await;
            let side = if profile == Profile::Rfc {
                "left"
            } else {
                "right"
            };
            let evaluation = evaluate(&raw, &scenario);
            let findings = all(&root, &format!("[data-testid=compare-{side}] .finding"));
            assert_eq!(findings.len(), evaluation.findings.len());
            for (element, finding) in findings.iter().zip(&evaluation.findings) {
                let shown = element
                    .query_selector("[data-testid=finding-fix]")
                    .expect("valid selector");
                let context = format!("{} {} {}", profile.id(), item.id, finding.rule.id());
                match (profile.spec().fix(finding.rule), shown) {
                    (None, None) => {}
                    (Some(fix), Some(shown)) => {
                        let words = shown.text_content().unwrap_or_default();
                        assert!(words.contains(fix.advice), "{context}: {words}");
                        let link = shown.query_selector("a").expect("valid selector");
                        let link = link.unwrap_or_else(|| panic!("{context}: no link"));
                        assert_eq!(link.get_attribute("href").as_deref(), Some(fix.docs));
                        assert_eq!(
                            link.get_attribute("rel").as_deref(),
                            Some("noopener noreferrer")
                        );
                    }
                    (want, got) => panic!("{context}: fix {want:?}, shown {:?}", got.is_some()),
                }
            }
        }
    }
}

#[wasm_bindgen_test]
async fn learn_has_a_row_per_framework_that_opens_it_in_the_simulator() {
    let opened = Rc::new(std::cell::RefCell::new(None));
    let root = fresh_root();
    let scenario = Rc::new(Scenario::default());
    let props = LearnViewProps {
        scenario: scenario.clone(),
        onaction: {
            let opened = opened.clone();
            Callback::from(move |action: Action| *opened.borrow_mut() = Some(action))
        },
    };
    yew::Renderer::<LearnView>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let frameworks: Vec<Profile> = Profile::all()
        .into_iter()
        .filter(|profile| profile.spec().family == Family::Framework)
        .collect();
    let rows = all(&root, "[data-testid=learn-framework]");
    assert_eq!(rows.len(), frameworks.len());
    let request: MockRequest = preset("no-token").expect("the preset").request;
    for (row, profile) in rows.iter().zip(&frameworks) {
        assert_eq!(
            row.get_attribute("data-profile").as_deref(),
            Some(profile.id())
        );
        let status = evaluate(&request.to_raw(&scenario), &scenario_under(*profile))
            .response
            .status;
        let words = row.text_content().unwrap_or_default();
        assert!(
            words.contains(&status.to_string()),
            "{}: {words}",
            profile.id()
        );
        assert!(
            words.contains(profile.spec().models),
            "{}: {words}",
            profile.id()
        );
        row.clone()
            .dyn_into::<HtmlElement>()
            .expect("a button")
            .click();
        yew::scheduler::flush().await;
        assert_eq!(
            *opened.borrow(),
            Some(Action::Open(request.clone(), *profile))
        );
    }
}

#[wasm_bindgen_test]
async fn the_builder_says_what_a_framework_profile_models_and_where_it_was_read() {
    for profile in Profile::all() {
        let root = fresh_root();
        let props = BuilderProps {
            mock: MockRequest::default(),
            route: None,
            custom: false,
            scenario: scenario_under(profile),
            onaction: Callback::noop(),
        };
        yew::Renderer::<Builder>::with_root_and_props(root.clone(), props).render();
        yew::scheduler::flush().await;
        let spec = profile.spec();
        assert_eq!(text(&root, "[data-testid=profile-models]"), spec.models);
        let framework = spec.family == Family::Framework;
        let version = text(&root, "[data-testid=profile-version]");
        assert!(version.contains(spec.version), "{}", profile.id());
        assert_eq!(!version.is_empty(), framework, "{}", profile.id());
        let sources = all(&root, "[data-testid=profile-sources] li");
        let expected = if framework { spec.sources.len() } else { 0 };
        assert_eq!(sources.len(), expected, "{}", profile.id());
        for (element, source) in sources.iter().zip(spec.sources) {
            assert_eq!(element.text_content().as_deref(), Some(*source));
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
        security: String::new(),
    };
    match (row.to_route(&Policy::default()), expected) {
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
        security: String::new(),
    };
    assert_eq!(
        row.to_route(&Policy::default()),
        Err("the owner rule names {id}, which is not in the path".to_string())
    );
}

#[wasm_bindgen_test]
fn form_and_toml_describe_the_same_policy() {
    let policy = Policy::default_api();
    let rows = rows_of(&policy);
    assert_eq!(policy_of(&rows, &policy), Ok(policy.clone()));
    let text = policy.to_toml();
    assert_eq!(Policy::from_toml(&text), Ok(policy.clone()));
    assert_eq!(rows_of(&Policy::from_toml(&text).expect("valid")), rows);
    // An invalid row names its index; the others are not blamed.
    let mut broken = rows.clone();
    if let Some(row) = broken.get_mut(3) {
        row.path = "users".to_string();
    }
    let errors = policy_of(&broken, &policy).expect_err("row 4 is invalid");
    assert_eq!(
        errors.iter().map(|(index, _)| *index).collect::<Vec<_>>(),
        vec![3]
    );
    // Invalid text is an error with its place; it never yields a policy.
    let error = Policy::from_toml(&text.replace("access = \"public\"", "access = \"publik\""))
        .expect_err("publik is no access rule");
    // After the four schemes (seventeen lines with their blank ones), the first route's access.
    assert_eq!((error.line, error.column), (Some(21), Some(10)));
}

/// Renders the builder for `mock` and returns its root.
async fn render_builder(mock: MockRequest, onaction: Callback<Action>) -> Element {
    let root = fresh_root();
    let props = BuilderProps {
        mock,
        route: None,
        custom: false,
        scenario: Rc::new(Scenario::default()),
        onaction,
    };
    yew::Renderer::<Builder>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

fn disabled(root: &Element, selector: &str) -> bool {
    root.query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .has_attribute("disabled")
}

#[wasm_bindgen_test]
async fn the_csrf_control_shows_for_a_session_on_an_unsafe_method_only() {
    let methods = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"];
    for kind in CredentialKind::ALL {
        for method in methods {
            for token in [true, false] {
                let mock = MockRequest {
                    kind,
                    method: method.to_string(),
                    token,
                    ..MockRequest::default()
                };
                let root = render_builder(mock.clone(), Callback::noop()).await;
                let name = format!("{kind:?} {method} token {token}");
                let unsafe_method = !matches!(method, "GET" | "HEAD" | "OPTIONS");
                let shown = all(&root, "[data-testid=select-csrf]").len() == 1;
                assert_eq!(
                    shown,
                    kind == CredentialKind::Session && token && unsafe_method,
                    "{name}"
                );
                assert_eq!(shown, mock.sends_csrf_token(), "{name}");
                // Only a token carries claims: a password, a key or a session has no role claim.
                let claims =
                    token && matches!(kind, CredentialKind::Bearer | CredentialKind::Query);
                assert_eq!(
                    disabled(&root, "[data-testid=select-role]"),
                    !claims,
                    "{name}"
                );
                assert_eq!(
                    disabled(&root, "[data-testid='toggle-scope-reports:read']"),
                    !claims,
                    "{name}"
                );
            }
        }
    }
    // The control is labelled and says what it chose; choosing acts on the state.
    let chosen = Rc::new(std::cell::RefCell::new(Vec::new()));
    let onaction = {
        let chosen = chosen.clone();
        Callback::from(move |action: Action| chosen.borrow_mut().push(action))
    };
    let session_post = MockRequest {
        kind: CredentialKind::Session,
        method: "POST".to_string(),
        ..MockRequest::default()
    };
    let root = render_builder(session_post, onaction).await;
    let label = root
        .query_selector("[data-testid=select-csrf]")
        .ok()
        .flatten()
        .and_then(|select| select.parent_element())
        .and_then(|label| label.text_content())
        .unwrap_or_default();
    assert!(label.starts_with("CSRF token"), "{label}");
    assert_eq!(
        attribute(&root, "[data-testid=select-csrf] option[selected]", "value"),
        "sent"
    );
    for (id, csrf) in [("missing", CsrfToken::Missing), ("wrong", CsrfToken::Wrong)] {
        choose(&root, "[data-testid=select-csrf]", id);
        yew::scheduler::flush().await;
        assert_eq!(chosen.borrow().last(), Some(&Action::SetCsrf(csrf)));
    }
}

/// The status the page shows.
fn status_shown(root: &Element) -> String {
    text(root, "[data-testid=status-code]")
}

#[wasm_bindgen_test]
async fn a_session_post_without_its_csrf_token_is_refused_and_a_get_is_not() {
    let root = fresh_root();
    yew::Renderer::<authpath::app::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let scenario = Scenario::default();
    let route = scenario
        .policy
        .routes
        .iter()
        .position(|route| route.method == "POST" && route.path == "/users/{id}/notes")
        .expect("the demo API's POST route");
    choose(&root, "[data-testid=select-route]", &route.to_string());
    yew::scheduler::flush().await;
    choose(&root, "[data-testid=select-kind]", "session");
    yew::scheduler::flush().await;
    choose(&root, "[data-testid=select-csrf]", "missing");
    yew::scheduler::flush().await;
    let request = MockRequest {
        method: "POST".to_string(),
        path: "/users/alice/notes".to_string(),
        kind: CredentialKind::Session,
        csrf: CsrfToken::Missing,
        ..MockRequest::default()
    };
    let expected = evaluate(&request.to_raw(&scenario), &scenario).response;
    assert_eq!(expected.status.code(), 403);
    assert_eq!(status_shown(&root), "403");
    assert_eq!(
        text(&root, "[data-testid=raw-response]"),
        expected.to_string()
    );
    // It is the preset, and the bar says so.
    assert_eq!(
        attribute(&root, "[data-testid=preset-csrf-missing]", "aria-current"),
        "true"
    );
    // The same session's GET needs no token: the control goes, and the answer is the engine's.
    choose(&root, "[data-testid=select-method]", "GET");
    yew::scheduler::flush().await;
    assert!(all(&root, "[data-testid=select-csrf]").is_empty());
    let get = MockRequest {
        method: "GET".to_string(),
        ..request
    };
    let answer = evaluate(&get.to_raw(&scenario), &scenario).response;
    assert_eq!(status_shown(&root), answer.status.code().to_string());
    assert_eq!(answer.status.code(), 200);
}

#[wasm_bindgen_test]
async fn learn_why_403_on_my_post_shows_the_engines_answers() {
    let opened = Rc::new(std::cell::RefCell::new(None));
    let root = fresh_root();
    let scenario = Rc::new(Scenario::default());
    let props = LearnViewProps {
        scenario: scenario.clone(),
        onaction: {
            let opened = opened.clone();
            Callback::from(move |action: Action| *opened.borrow_mut() = Some(action))
        },
    };
    yew::Renderer::<LearnView>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let preset = preset(learn_csrf::PRESET).expect("the preset");
    assert_eq!(text(&root, "#csrf-heading"), preset.title);
    let reference = evaluate(&preset.request.to_raw(&scenario), &scenario)
        .response
        .status;
    assert_eq!(
        text(&root, "[data-testid=learn-csrf-status]"),
        reference.to_string()
    );
    let profiles: Vec<String> = all(&root, "[data-testid=learn-csrf-profile]")
        .iter()
        .filter_map(|card| card.get_attribute("data-profile"))
        .collect();
    assert_eq!(profiles, ["rfc", "drf", "spring-security"]);
    let answers = all(&root, "[data-testid=learn-csrf-answer]");
    assert_eq!(answers.len(), 3 * 4);
    let mut statuses = Vec::new();
    for answer in &answers {
        let get = |name: &str| answer.get_attribute(name).unwrap_or_default();
        let profile = Profile::from_id(&get("data-profile")).expect("a profile");
        let csrf = authpath::link::csrf_from_id(&get("data-csrf")).expect("a CSRF choice");
        let request = MockRequest {
            method: get("data-method"),
            csrf,
            ..preset.request.clone()
        };
        let under = scenario_under(profile);
        let status = evaluate(&request.to_raw(&under), &under).response.status;
        assert_eq!(
            get("data-status"),
            status.code().to_string(),
            "{request:?} under {}",
            profile.id()
        );
        statuses.push((
            profile.id(),
            get("data-method"),
            get("data-csrf"),
            status.code(),
        ));
        answer
            .clone()
            .dyn_into::<HtmlElement>()
            .expect("a button")
            .click();
        yew::scheduler::flush().await;
        assert_eq!(*opened.borrow(), Some(Action::Open(request, profile)));
    }
    // What the section is for: the POST without its token is refused where a session's GET is
    // not, under the RFCs and DRF; Spring's CSRF filter refuses the POST before authentication.
    for (profile, method, csrf, code) in &statuses {
        if *method == "POST" && csrf == "missing" {
            assert_eq!(*code, 403, "{profile}");
        }
    }
    click(&root, "[data-testid=learn-csrf-try]");
    yew::scheduler::flush().await;
    assert_eq!(
        *opened.borrow(),
        Some(Action::Open(preset.request, Profile::Rfc))
    );
}

#[wasm_bindgen_test]
async fn the_policy_view_shows_the_schemes_and_what_each_route_accepts() {
    let render = |policy: Policy| async move {
        let root = fresh_root();
        let props = PolicyEditorProps {
            scenario: Rc::new(Scenario {
                policy,
                ..Scenario::default()
            }),
            resets: 0,
            spec: Default::default(),
            onaction: Callback::noop(),
        };
        yew::Renderer::<PolicyEditor>::with_root_and_props(root.clone(), props).render();
        yew::scheduler::flush().await;
        root
    };
    let demo = Policy::default();
    let root = render(demo.clone()).await;
    let schemes: Vec<String> = all(&root, "[data-testid=policy-scheme]")
        .iter()
        .filter_map(|item| item.get_attribute("data-scheme"))
        .collect();
    let names: Vec<String> = demo.schemes.keys().cloned().collect();
    assert_eq!(schemes, names);
    let fields: Vec<String> = all(&root, "[data-testid=policy-security]")
        .into_iter()
        .filter_map(|field| field.dyn_into::<HtmlInputElement>().ok())
        .map(|field| field.value())
        .collect();
    let expected: Vec<String> = demo
        .routes
        .iter()
        .map(|route| {
            // The demo's requirements are each one scheme: the field lists their names.
            let requirements = route.security.clone().unwrap_or_default();
            assert!(requirements
                .iter()
                .all(|requirement| requirement.schemes.len() == 1));
            requirements
                .iter()
                .map(|requirement| requirement.schemes.join("+"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    assert_eq!(fields, expected);
    // A policy without schemes shows the form it always had.
    let mut plain = demo;
    plain.schemes.clear();
    for route in &mut plain.routes {
        route.security = None;
    }
    let root = render(plain).await;
    assert!(all(&root, "[data-testid=policy-schemes]").is_empty());
    assert!(all(&root, "[data-testid=policy-security]").is_empty());
    assert_eq!(
        all(&root, "[data-testid=policy-row]").len(),
        Policy::default().routes.len()
    );
}

#[wasm_bindgen_test]
async fn the_openapi_import_lists_each_problem_the_engine_names_with_its_place() {
    // A spec whose one scheme cannot be sent and whose operation names an undefined scheme.
    let text = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
  "components": {"securitySchemes": {"cert": {"type": "mutualTLS"}}},
  "paths": {"/a": {"get": {"security": [{"nope": []}], "responses": {"200": {"description": "ok"}}}},
            "/b": {"get": {"security": [], "responses": {"200": {"description": "ok"}}}}}}"#;
    let (_, imported) = authpath::state::import_spec(text);
    assert!(imported.problems.len() >= 2, "{:?}", imported.problems);
    let root = fresh_root();
    let props = SpecImportProps {
        spec: authpath::state::SpecInput {
            text: text.into(),
            file: Some("api.json".to_string()),
            imported: Some(Rc::new(imported.clone())),
        },
        fits_a_link: true,
        onaction: Callback::noop(),
    };
    yew::Renderer::<SpecImportPanel>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let listed: Vec<(String, String, String)> = all(&root, "[data-testid=openapi-problem]")
        .iter()
        .map(|item| {
            let attribute = |name: &str| item.get_attribute(name).unwrap_or_default();
            (
                attribute("data-line"),
                attribute("data-column"),
                attribute("data-pointer"),
            )
        })
        .collect();
    let expected: Vec<(String, String, String)> = imported
        .problems
        .iter()
        .map(|problem| {
            (
                problem.line.to_string(),
                problem.column.to_string(),
                problem.pointer.clone(),
            )
        })
        .collect();
    assert_eq!(listed, expected);
    let state = root
        .query_selector("[data-testid=openapi-state]")
        .ok()
        .flatten()
        .expect("the import's state");
    assert_eq!(
        state.get_attribute("data-in-force").as_deref(),
        Some(if imported.in_force { "true" } else { "false" })
    );
    assert!(state
        .text_content()
        .unwrap_or_default()
        .starts_with("api.json: "));
    // The text as typed is in the box.
    let area = root
        .query_selector("[data-testid=openapi-text]")
        .ok()
        .flatten()
        .and_then(|area| area.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        .expect("the text box");
    assert_eq!(area.value(), text);
}
