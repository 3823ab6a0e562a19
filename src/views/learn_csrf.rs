//! Learn's "Why 403 on my POST?": a logged-in browser's POST refused for its CSRF token. The
//! words explain the double submit and why safe methods skip it; every answer shown (status,
//! the step that decided it) is the engine's, for the `csrf-missing` preset and the same session
//! with the token sent, wrong, or on a GET, under the profiles that check it in different places.
//! A fragment of the Learn view, not a component: the view memoizes [`answers`].

use authpath_engine::teach::mock::{preset, CsrfToken, MockRequest};
use authpath_engine::{evaluate, Profile, Scenario, Status};
use yew::prelude::*;

use crate::components::status::status_class;
use crate::link::csrf_id;
use crate::state::Action;

/// The preset this section is about: alice's session POSTs without the `X-CSRFToken` header.
pub const PRESET: &str = "csrf-missing";

/// The profiles compared: the RFCs' answer, and the two places a framework checks the token
/// (Django REST framework once the session is known, Spring Security before authentication).
const PROFILES: [&str; 3] = ["rfc", "drf", "spring-security"];

const RFC9110_SAFE: &str = "https://www.rfc-editor.org/rfc/rfc9110#section-9.2.1";
const DJANGO_CSRF: &str = "https://docs.djangoproject.com/en/5.2/howto/csrf/";
const SPRING_CSRF: &str =
    "https://docs.spring.io/spring-security/reference/servlet/exploits/csrf.html";

/// A request of the section: the preset's, with this method and this CSRF token.
struct Variant {
    label: &'static str,
    method: &'static str,
    csrf: CsrfToken,
}

const VARIANTS: [Variant; 4] = [
    Variant {
        label: "POST, no X-CSRFToken header",
        method: "POST",
        csrf: CsrfToken::Missing,
    },
    Variant {
        label: "POST, X-CSRFToken = the cookie",
        method: "POST",
        csrf: CsrfToken::Sent,
    },
    Variant {
        label: "POST, X-CSRFToken ≠ the cookie",
        method: "POST",
        csrf: CsrfToken::Wrong,
    },
    Variant {
        label: "GET, no X-CSRFToken header",
        method: "GET",
        csrf: CsrfToken::Missing,
    },
];

/// What one profile answers to the section's requests.
pub struct ProfileAnswers {
    pub profile: Profile,
    /// One answer per request of the section, in its order (the preset's first).
    pub answers: Vec<Answer>,
}

/// The engine's answer to one request: its status, and the step that decided it.
pub struct Answer {
    pub label: &'static str,
    pub request: MockRequest,
    pub status: Status,
    /// The deciding node's title and the exit it took, e.g. "Verify credentials: CSRF check
    /// failed".
    pub decided: String,
}

/// The engine's answers to the section's requests in `scenario` (the simulator's, as the rest
/// of Learn), under each profile compared. Empty if the preset is gone.
pub fn answers(scenario: &Scenario) -> Vec<ProfileAnswers> {
    let Some(base) = preset(PRESET).map(|preset| preset.request) else {
        return Vec::new();
    };
    PROFILES
        .iter()
        .filter_map(|id| Profile::from_id(id))
        .map(|profile| {
            let scenario = Scenario {
                profile,
                ..scenario.clone()
            };
            let answers =
                VARIANTS
                    .iter()
                    .map(|variant| {
                        let request = MockRequest {
                            method: variant.method.to_string(),
                            csrf: variant.csrf,
                            ..base.clone()
                        };
                        let evaluation = evaluate(&request.to_raw(&scenario), &scenario);
                        let decided = evaluation.trace.last().map_or_else(String::new, |step| {
                            match &step.exit {
                                Some(exit) => format!("{}: {exit}", step.node.title()),
                                None => step.node.title().to_string(),
                            }
                        });
                        Answer {
                            label: variant.label,
                            request,
                            status: evaluation.response.status,
                            decided,
                        }
                    })
                    .collect();
            ProfileAnswers { profile, answers }
        })
        .collect()
}

/// The section: why, where each server checks, and the engine's answers, each a button that
/// opens its request in the simulator.
pub fn view_csrf(profiles: &[ProfileAnswers], onaction: &Callback<Action>) -> Html {
    let Some(preset) = preset(PRESET) else {
        return Html::default();
    };
    let open = |request: &MockRequest, profile: Profile| {
        let request = request.clone();
        onaction.reform(move |_: MouseEvent| Action::Open(request.clone(), profile))
    };
    // The preset's own answer, as the simulator will show it.
    let reference = profiles
        .iter()
        .find(|answers| answers.profile == Profile::Rfc)
        .and_then(|answers| answers.answers.first());
    let cards = profiles.iter().map(|answers| {
        let profile = answers.profile;
        let refused = answers.answers.first();
        html! {
            <li class="csrf-profile" data-testid="learn-csrf-profile" data-profile={profile.id()}>
                <h3 class="framework-title">
                    <strong>{profile.spec().title}</strong>
                    <code>{profile.id()}</code>
                </h3>
                { for refused.map(|answer| html! {
                    <p class="csrf-where">{"Refuses the POST at "}<strong>{answer.decided.clone()}</strong></p>
                }) }
                <ul class="csrf-answers">
                    { for answers.answers.iter().map(|answer| html! {
                        <li>
                            <button type="button" class="csrf-answer" onclick={open(&answer.request, profile)}
                                data-testid="learn-csrf-answer" data-profile={profile.id()}
                                data-method={answer.request.method.clone()}
                                data-csrf={csrf_id(answer.request.csrf)}
                                data-status={answer.status.code().to_string()}
                                aria-label={format!("{} under {}: {}, at {}. Open in the simulator", answer.label, profile.id(), answer.status, answer.decided)}
                                title={answer.decided.clone()}>
                                <span class="csrf-request">{answer.label}</span>
                                <span class={classes!("status-chip", status_class(answer.status))}>{answer.status.code()}</span>
                            </button>
                        </li>
                    }) }
                </ul>
            </li>
        }
    });

    html! {
        <section class="column" aria-labelledby="csrf-heading" data-testid="learn-csrf">
            <h2 id="csrf-heading">{preset.title}</h2>
            <p class="lead">
                {"The most asked “why 403?”: a page whose user is logged in reads fine, then its first POST is refused"}
                { for reference.map(|answer| html! {
                    <>{" with "}<span class={classes!("status-chip", status_class(answer.status))} data-testid="learn-csrf-status">{answer.status.to_string()}</span></>
                }) }
                {". The session cookie went with it and is valid; what is missing is the CSRF token."}
            </p>
            <div class="csrf-why">
                <p>
                    <strong>{"Why a token. "}</strong>
                    {"A browser sends the site's cookies with every request to it, also with one another site makes it send (a form posted from elsewhere: cross-site request forgery). So for a request that changes something, the server wants proof that its own page sent it. The usual proof is the double submit: the server sets a "}
                    <code>{"csrftoken"}</code>
                    {" cookie, and the page's script copies its value into an "}
                    <code>{"X-CSRFToken"}</code>
                    {" header. Another site can make the browser send the cookie, but cannot read it to write the header; the server compares the two."}
                </p>
                <p>
                    <strong>{"Why GET works. "}</strong>
                    {"GET, HEAD, OPTIONS and TRACE are safe methods: they must not change anything, so a forged one does no harm, and the check skips them. Only POST, PUT, PATCH and DELETE need the token."}
                </p>
                <p>
                    <strong>{"Where it is checked. "}</strong>
                    {"Django REST framework checks the token in SessionAuthentication, once the session is known: a request that authenticates another way (a token, Basic) is never checked. Spring Security's CsrfFilter runs before any authentication, for every unsafe request; a resource server lets a Bearer token through, and refuses the rest before it knows who is asking."}
                </p>
            </div>
            <ul class="frameworks csrf-profiles">{ for cards }</ul>
            <p class="mistake-tools">
                <button type="button" class="try" onclick={open(&preset.request, Profile::Rfc)} data-testid="learn-csrf-try"
                    data-preset={PRESET} aria-label={format!("Try it: {}", preset.title)}>{"Try it"}</button>
                <a href={RFC9110_SAFE} target="_blank" rel="noopener noreferrer">{"RFC 9110 §9.2.1"}</a>
                <a href={DJANGO_CSRF} target="_blank" rel="noopener noreferrer">{"Django: CSRF"}</a>
                <a href={SPRING_CSRF} target="_blank" rel="noopener noreferrer">{"Spring Security: CSRF"}</a>
            </p>
        </section>
    }
}
