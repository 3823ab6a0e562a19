//! Learn: 401 against 403, row by row, each row with scenarios to try; the club analogy; the
//! common myths as questions the engine answers; the statuses for when neither fits and what a
//! client does after each; then the common mistakes, each opened under the `naive` profile
//! where the lint names the rule it breaks; then "Why 403 on my POST?" (the CSRF check,
//! [`super::learn_csrf`]); then what each framework answers without credentials, as its
//! profile makes the engine answer. Every status shown is the engine's answer to a link the
//! simulator opens.

use std::rc::Rc;

use authpath_engine::profile::Family;
use authpath_engine::teach::mock::preset;
use authpath_engine::teach::mock::MockRequest;
use authpath_engine::teach::quiz::{client_action, myths, Myth};
use authpath_engine::{evaluate, Evaluation, Profile, Rule, Scenario, Status};
use yew::prelude::*;

use crate::components::profile::profiles_of;
use crate::components::status::status_class;
use crate::link::encode;
use crate::state::{preset_of, Action, State};
use crate::views::learn_csrf;

/// The preset the framework rows send: the request every framework is asked about first.
const NO_TOKEN: &str = "no-token";

const RFC9110_401: &str = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2";
const RFC9110_403: &str = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4";
const RFC9110_404: &str = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5";
const RFC9110_CHALLENGE: &str = "https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1";
const RFC6750_ERRORS: &str = "https://www.rfc-editor.org/rfc/rfc6750#section-3.1";
const RFC6750_CHALLENGE: &str = "https://www.rfc-editor.org/rfc/rfc6750#section-3";

/// A scenario a "try it" button opens: a preset's request under a profile, optionally with
/// its credentials left out.
struct Example {
    preset: &'static str,
    profile: Profile,
    /// Send the preset's request without any credentials.
    anonymous: bool,
}

/// One row of the comparison: the aspect, what 401 and 403 say about it, the scenarios that
/// show it, and the RFC section behind it.
struct Row {
    aspect: &'static str,
    unauthorized: &'static str,
    forbidden: &'static str,
    try_401: Example,
    try_403: Example,
    source: (&'static str, &'static str),
}

/// A common mistake, the naive scenario that makes it, and the lint rule that catches it.
struct Mistake {
    title: &'static str,
    why: &'static str,
    example: Example,
    rule: Rule,
    source: (&'static str, &'static str),
}

const fn rfc(preset: &'static str) -> Example {
    Example {
        preset,
        profile: Profile::Rfc,
        anonymous: false,
    }
}

const fn naive(preset: &'static str, anonymous: bool) -> Example {
    Example {
        preset,
        profile: Profile::Naive,
        anonymous,
    }
}

const ROWS: [Row; 7] = [
    Row {
        aspect: "What it says",
        unauthorized: "“Who are you?” The server does not know who is asking: no credentials came, or the ones that came do not check out.",
        forbidden: "“I know who you are, and the answer is no.” The server understood the request and refuses it.",
        try_401: rfc("no-token"),
        try_403: rfc("user-on-admin"),
        source: ("RFC 9110 §15.5.2, §15.5.4", RFC9110_401),
    },
    Row {
        aspect: "Is authentication the problem?",
        unauthorized: "Yes. Valid credentials are missing: absent, expired, wrongly signed, malformed.",
        forbidden: "No. The credentials may be perfectly valid; sending them again changes nothing.",
        try_401: rfc("expired-token"),
        try_403: rfc("other-users-notes"),
        source: ("RFC 9110 §15.5.2", RFC9110_401),
    },
    Row {
        aspect: "Is it about permissions?",
        unauthorized: "No. The server has not got as far as asking what you may do.",
        forbidden: "Yes. A role, a scope or ownership is missing for this resource.",
        try_401: rfc("invalid-token"),
        try_403: rfc("insufficient-scope"),
        source: ("RFC 9110 §15.5.4", RFC9110_403),
    },
    Row {
        aspect: "Typical cause",
        unauthorized: "The token expired, the login was never done, the Authorization header got lost on the way.",
        forbidden: "A user calls an admin route, a token lacks a scope, someone reads another user's data.",
        try_401: rfc("expired-token"),
        try_403: rfc("user-on-admin"),
        source: ("RFC 6750 §3.1", RFC6750_ERRORS),
    },
    Row {
        aspect: "What the client does next",
        unauthorized: "Log in, or refresh the token, then retry the request.",
        forbidden: "Do not retry with the same credentials. Show “access denied”, or ask for access; for insufficient_scope, get a token with that scope.",
        try_401: rfc("expired-token"),
        try_403: rfc("insufficient-scope"),
        source: ("RFC 9110 §15.5.2, §15.5.4", RFC9110_403),
    },
    Row {
        aspect: "Response header",
        unauthorized: "Must carry WWW-Authenticate with a challenge: how to authenticate (Bearer realm=\"…\", with error=\"invalid_token\" when a token failed).",
        forbidden: "No challenge is required; with Bearer tokens and a missing scope, WWW-Authenticate carries error=\"insufficient_scope\".",
        try_401: rfc("no-token"),
        try_403: rfc("insufficient-scope"),
        source: ("RFC 9110 §11.6.1; RFC 6750 §3", RFC9110_CHALLENGE),
    },
    Row {
        aspect: "When 404 is used instead",
        unauthorized: "A server that hides what exists may check credentials first and answer 404 to anyone who may not see the resource.",
        forbidden: "A server may answer 404 instead of 403 so as not to reveal that the resource exists; then it must look exactly like a real 404.",
        try_401: Example {
            preset: "no-token",
            profile: Profile::Conceal,
            anonymous: false,
        },
        try_403: Example {
            preset: "user-on-admin",
            profile: Profile::Conceal,
            anonymous: false,
        },
        source: ("RFC 9110 §15.5.4, §15.5.5", RFC9110_404),
    },
];

const MISTAKES: [Mistake; 4] = [
    Mistake {
        title: "403 when no credentials were sent",
        why: "The server checked the role before it checked for a user, so a request that never said who it is gets “you are not allowed”. The client cannot learn that logging in would help; the answer is 401 with a challenge.",
        example: naive("user-on-admin", true),
        rule: Rule::R3,
        source: ("RFC 9110 §15.5.2; RFC 6750 §3", RFC9110_401),
    },
    Mistake {
        title: "401 for a permission problem",
        why: "A valid token without the needed scope is not unauthenticated. 401 sends the client into a login loop: it refreshes the token and gets the same answer. The right answer is 403 with error=\"insufficient_scope\".",
        example: naive("insufficient-scope", false),
        rule: Rule::R2,
        source: ("RFC 9110 §15.5.4; RFC 6750 §3.1", RFC9110_403),
    },
    Mistake {
        title: "401 without WWW-Authenticate",
        why: "A 401 must say how to authenticate. Without a challenge the client cannot tell a Bearer API from a Basic one, or which realm it is.",
        example: naive("no-token", false),
        rule: Rule::R1,
        source: ("RFC 9110 §15.5.2, §11.6.1; RFC 6750 §3", RFC6750_CHALLENGE),
    },
    Mistake {
        title: "403 when the credentials are invalid",
        why: "An expired or forged token is an authentication failure. 403 tells the client that logging in again will not help, so it never refreshes the token.",
        example: naive("expired-token", false),
        rule: Rule::R2,
        source: ("RFC 9110 §15.5.2; RFC 6750 §3.1", RFC9110_401),
    },
];

/// A request the Learn page links to, and the status code the words beside it speak of (a
/// test holds the engine to it: `tests/views_learn.rs`).
pub struct Linked {
    pub id: &'static str,
    pub code: u16,
    /// A preset's request, or typed text.
    from: From,
    profile: Profile,
}

enum From {
    Preset(&'static str),
    /// The builder's default request to another path, without credentials.
    Anonymous(&'static str),
    Raw(&'static str),
}

impl Linked {
    /// The simulator's state this link opens, in `scenario` (the page's server settings).
    pub fn state(&self, scenario: &Rc<Scenario>) -> State {
        let mut state = State {
            scenario: scenario.clone(),
            ..State::default()
        };
        match self.from {
            From::Preset(id) => {
                if let Some(found) = preset(id) {
                    state.mock = found.request;
                }
            }
            From::Anonymous(path) => {
                state.mock = MockRequest {
                    path: path.to_string(),
                    token: false,
                    ..MockRequest::default()
                }
            }
            From::Raw(text) => state.edit_raw(text.to_string()),
        }
        state.set_profile(self.profile);
        state.preset = preset_of(&state);
        state
    }

    /// The link (`#v=1&…`) and the engine's answer to what it opens.
    pub fn open(&self, scenario: &Rc<Scenario>) -> (String, Evaluation) {
        let state = self.state(scenario);
        let evaluation = evaluate(&state.raw_request(), &state.scenario);
        (format!("#{}", encode(&state)), evaluation)
    }
}

const fn linked(id: &'static str, code: u16, from: From) -> Linked {
    Linked {
        id,
        code,
        from,
        profile: Profile::Rfc,
    }
}

/// The club: the door asks who you are (401), the VIP area knows and says no (403).
pub static CLUB: [(&str, &str, Linked); 2] = [
    (
        "At the door",
        "The bouncer asks for your ID. No ID, or an expired or fake one, and you stay outside: 401. Show a valid ID and you get in.",
        linked("club-door", 401, From::Preset("no-token")),
    ),
    (
        "At the VIP area",
        "Inside, your ID is fine, but the VIP area is for members and you are not one: 403. Showing your ID again changes nothing.",
        linked("club-vip", 403, From::Preset("user-on-admin")),
    ),
];

/// A request with a broken header: `Authorization` with the scheme and no credentials.
const MALFORMED: &str =
    "GET /profile HTTP/1.1\r\nHost: api.authpath.example\r\nAuthorization: Bearer\r\n\r\n";

/// The statuses of an answer, when each fits (the engine's client action follows from it).
pub static STATUSES: [(&str, &str, Linked); 5] = [
    (
        "401",
        "No valid credentials: none were sent, or they expired, or they do not verify.",
        linked("status-401", 401, From::Preset("expired-token")),
    ),
    (
        "403",
        "The caller is known and may not do this: a role, a scope or ownership is missing.",
        linked("status-403", 403, From::Preset("user-on-admin")),
    ),
    (
        "400",
        "Neither: the request itself is malformed (a broken header, credentials sent two ways), whoever sends it.",
        linked("status-400", 400, From::Raw(MALFORMED)),
    ),
    (
        "404",
        "Neither: nothing is at that address (or, on a server that conceals, nothing this caller may see).",
        linked("status-404", 404, From::Anonymous("/no-such-page")),
    ),
    (
        "500",
        "Neither: the server failed (a bug, a key store it cannot reach). Never the answer to bad credentials: a token that does not verify is 401.",
        linked("status-500", 401, From::Preset("invalid-token")),
    ),
];

/// The link that opens a myth's request in the simulator, under the myth's profile.
pub fn myth_link(myth: &Myth, scenario: &Rc<Scenario>) -> String {
    let mut opened = State {
        scenario: scenario.clone(),
        mock: myth.question.request.clone(),
        ..State::default()
    };
    opened.set_profile(myth.profile);
    opened.preset = preset_of(&opened);
    format!("#{}", encode(&opened))
}

/// Every link of the club and the statuses, for tests.
pub fn links() -> impl Iterator<Item = &'static Linked> {
    CLUB.iter()
        .chain(STATUSES.iter())
        .map(|(_, _, linked)| linked)
}

#[derive(Properties, PartialEq)]
pub struct LearnViewProps {
    /// The simulator's scenario: the framework rows evaluate in it, as the simulator will.
    pub scenario: Rc<Scenario>,
    pub onaction: Callback<Action>,
}

/// What a profile answers to the no-token preset in `scenario`: the engine's status.
pub fn no_token_status(scenario: &Scenario, profile: Profile) -> Option<Status> {
    let request = preset(NO_TOKEN)?.request;
    let scenario = Scenario {
        profile,
        ..scenario.clone()
    };
    Some(
        evaluate(&request.to_raw(&scenario), &scenario)
            .response
            .status,
    )
}

#[component]
pub fn LearnView(props: &LearnViewProps) -> Html {
    let try_button = |example: &Example, status: &'static str, label: String| {
        let anonymous = example.anonymous;
        let request: Option<MockRequest> = preset(example.preset).map(|preset| MockRequest {
            token: preset.request.token && !anonymous,
            ..preset.request
        });
        let profile = example.profile;
        let onaction = props.onaction.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            if let Some(request) = &request {
                onaction.emit(Action::Open(request.clone(), profile));
            }
        });
        html! {
            <button type="button" class="try" {onclick} data-testid="learn-try" data-status={status}
                data-preset={example.preset} data-profile={profile.id()} aria-label={label}>
                { if profile == Profile::Rfc { "Try it".to_string() } else { format!("Try it ({})", profile.id()) } }
            </button>
        }
    };

    let answers = use_memo(props.scenario.clone(), |scenario| {
        let reference = no_token_status(scenario, Profile::Rfc);
        let frameworks: Vec<(Profile, Option<Status>)> = profiles_of(Family::Framework)
            .map(|profile| (profile, no_token_status(scenario, profile)))
            .collect();
        (reference, frameworks)
    });
    let (reference, frameworks) = &*answers;
    let opened = use_memo(props.scenario.clone(), |scenario| {
        let open = |list: &'static [(&'static str, &'static str, Linked)]| {
            list.iter()
                .map(|(title, text, linked)| (*title, *text, linked.code, linked.open(scenario)))
                .collect::<Vec<_>>()
        };
        (open(&CLUB), open(&STATUSES))
    });
    let (club, statuses) = &*opened;
    let myth_list = use_memo(props.scenario.clone(), |scenario| myths(scenario));
    let picked = use_state(|| vec![None::<usize>; myth_list.len()]);
    let myth_items = myth_list.iter().enumerate().map(|(index, myth)| {
        let question = &myth.question;
        let chosen = picked.get(index).copied().flatten();
        let href = myth_link(myth, &props.scenario);
        let status = question.evaluation.response.status;
        html! {
            <li class="myth" data-testid="learn-myth" data-status={status.code().to_string()}>
                <p class="myth-belief"><span class="myth-label">{"Myth: "}</span>{myth.myth}</p>
                <p class="myth-question">{question.prompt.clone()}</p>
                <div class="myth-choices" role="group" aria-label={question.prompt.clone()}>
                    { for question.choices.iter().enumerate().map(|(choice_index, choice)| {
                        let onclick = {
                            let picked = picked.clone();
                            Callback::from(move |_: MouseEvent| {
                                let mut next = (*picked).clone();
                                if let Some(slot) = next.get_mut(index) {
                                    *slot = Some(choice_index);
                                }
                                picked.set(next);
                            })
                        };
                        let verdict = chosen.map(|at| {
                            if choice_index == question.answer { "right" } else if at == choice_index { "wrong" } else { "" }
                        });
                        html! {
                            <button type="button" class={classes!("myth-choice", verdict)} {onclick}
                                data-testid="learn-myth-choice" aria-pressed={(chosen == Some(choice_index)).to_string()}>
                                {choice.label()}
                            </button>
                        }
                    }) }
                </div>
                if let Some(at) = chosen {
                    <p class="myth-answer" data-testid="learn-myth-answer" role="status">
                        <strong>{ if at == question.answer { "Right. " } else { "Not quite. " } }</strong>
                        {question.explanation.clone()}{" "}
                        <a href={href} data-testid="learn-link" data-status={status.code().to_string()}>{"Open it in the simulator"}</a>
                    </p>
                }
            </li>
        }
    });
    let csrf = use_memo(props.scenario.clone(), |scenario| {
        learn_csrf::answers(scenario)
    });
    let framework_rows = frameworks.iter().map(|(profile, status)| {
        let profile = *profile;
        let onclick = {
            let onaction = props.onaction.clone();
            let request = preset(NO_TOKEN).map(|preset| preset.request);
            Callback::from(move |_: MouseEvent| {
                if let Some(request) = &request {
                    onaction.emit(Action::Open(request.clone(), profile));
                }
            })
        };
        let spec = profile.spec();
        let answer = status.map_or_else(String::new, |status| status.to_string());
        html! {
            <li>
                <button type="button" class="framework-row" {onclick} data-testid="learn-framework"
                    data-profile={profile.id()} data-status={status.map(|status| status.code().to_string())}>
                    <span class="framework-title">
                        <strong>{spec.title}</strong>
                        <code>{profile.id()}</code>
                    </span>
                    <span class="framework-answer">
                        {"Without credentials: "}
                        <span class={classes!("status-chip", status.map(status_class))}>{answer}</span>
                    </span>
                    <span class="framework-models">{spec.models}</span>
                    <span class="framework-open" aria-hidden="true">{"Open in the simulator →"}</span>
                </button>
            </li>
        }
    });

    html! {
        <main class="view learn-view" data-testid="learn-view">
            <section class="column" aria-labelledby="learn-heading">
                <h2 id="learn-heading">{"401 or 403?"}</h2>
                <p class="lead">{"Two questions, in this order: does the server know who is asking (authentication)? Then: may this caller do this (authorization)? A “no” to the first is 401; a “no” to the second is 403."}</p>
                <div class="table-wrap">
                    <table class="learn-table">
                        <thead>
                            <tr>
                                <th scope="col">{"Aspect"}</th>
                                <th scope="col" class="s401-head">{"401 Unauthorized"}</th>
                                <th scope="col" class="s403-head">{"403 Forbidden"}</th>
                                <th scope="col">{"Source"}</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for ROWS.iter().map(|row| html! {
                                <tr data-testid="learn-row">
                                    <th scope="row">{row.aspect}</th>
                                    <td>
                                        <p>{row.unauthorized}</p>
                                        { try_button(&row.try_401, "401", format!("Try it: {}, 401", row.aspect)) }
                                    </td>
                                    <td>
                                        <p>{row.forbidden}</p>
                                        { try_button(&row.try_403, "403", format!("Try it: {}, 403", row.aspect)) }
                                    </td>
                                    <td class="source-cell"><a href={row.source.1} target="_blank" rel="noopener noreferrer">{row.source.0}</a></td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            </section>
            <section class="column" aria-labelledby="club-heading" data-testid="learn-club">
                <h2 id="club-heading">{"The club"}</h2>
                <ul class="club">
                    { for club.iter().map(|(title, text, code, (href, evaluation))| html! {
                        <li class="club-place">
                            <h3>{*title}</h3>
                            <p>{*text}</p>
                            <a href={href.clone()} class="learn-link" data-testid="learn-link" data-status={code.to_string()}>
                                {format!("See it: {}", evaluation.response.status)}
                            </a>
                        </li>
                    }) }
                </ul>
            </section>
            <section class="column" aria-labelledby="myths-heading" data-testid="learn-myths">
                <h2 id="myths-heading">{"Myths"}</h2>
                <p class="lead">{"Each answer is the engine's, for the request the question describes."}</p>
                <ol class="myths">{ for myth_items }</ol>
            </section>
            <section class="column" aria-labelledby="neither-heading" data-testid="learn-statuses">
                <h2 id="neither-heading">{"When neither fits, and what the client does"}</h2>
                <div class="table-wrap">
                    <table class="statuses-table">
                        <thead>
                            <tr>
                                <th scope="col">{"Status"}</th>
                                <th scope="col">{"When"}</th>
                                <th scope="col">{"The client"}</th>
                                <th scope="col">{"Try it"}</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for statuses.iter().map(|(title, text, code, (href, evaluation))| {
                                let status = evaluation.response.status;
                                // The pipeline never answers 500: its row links to the 401 a
                                // broken token really gets, and the client's move is the words'.
                                let server_error = *title == "500";
                                let client = if server_error {
                                    "Retry later; nothing it sends fixes it. The server's people do.".to_string()
                                } else {
                                    client_action(&evaluation.response).text().to_string()
                                };
                                html! {
                                    <tr data-testid="learn-status" data-code={*title}>
                                        <th scope="row">
                                            if server_error {
                                                <span class="status-chip">{"500 Internal Server Error"}</span>
                                            } else {
                                                <span class={classes!("status-chip", status_class(status))}>{status.to_string()}</span>
                                            }
                                        </th>
                                        <td>{*text}</td>
                                        <td data-testid="learn-client">{client}</td>
                                        <td>
                                            <a href={href.clone()} class="learn-link" data-testid="learn-link" data-status={code.to_string()}>
                                                { if server_error { format!("A broken token: {status}") } else { "Open".to_string() } }
                                            </a>
                                        </td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            </section>
            <section class="column" aria-labelledby="mistakes-heading">
                <h2 id="mistakes-heading">{"Common mistakes"}</h2>
                <ul class="mistakes">
                    { for MISTAKES.iter().map(|mistake| html! {
                        <li class="mistake" data-testid="learn-mistake" data-rule={mistake.rule.id()}>
                            <h3>{mistake.title}</h3>
                            <p>{mistake.why}</p>
                            <p class="mistake-tools">
                                { try_button(&mistake.example, "mistake", format!("Try it: {}", mistake.title)) }
                                <span class="rule-id">{mistake.rule.id()}</span>
                                <a href={mistake.source.1} target="_blank" rel="noopener noreferrer">{mistake.source.0}</a>
                            </p>
                        </li>
                    }) }
                </ul>
            </section>
            { learn_csrf::view_csrf(&csrf, &props.onaction) }
            if !frameworks.is_empty() {
                <section class="column" aria-labelledby="frameworks-heading" data-testid="learn-frameworks">
                    <h2 id="frameworks-heading">{"Why does my framework say 403?"}</h2>
                    <p class="lead">
                        {"Many answers come from a framework's defaults, not from your code. Here is what each framework answers to a request without credentials"}
                        { for reference.map(|status| format!(" (the RFCs say {status})")) }
                        {". Open one to see its whole answer, the rule it breaks and how to fix it there."}
                    </p>
                    <ul class="frameworks">{ for framework_rows }</ul>
                </section>
            }
        </main>
    }
}
