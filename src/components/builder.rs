//! The request builder: the toggles that write the raw request.

use std::rc::Rc;

use authpath_engine::teach::mock::{CredentialKind, CsrfToken, MockRequest, Validity};
use authpath_engine::{Profile, Scenario, Verifier};
use yew::prelude::*;

use crate::components::profile::{profile_options, view_profile};
use crate::dom;
use crate::link::{csrf_from_id, csrf_id, kind_from_id, kind_id, validity_from_id, validity_id};
use crate::state::Action;

/// The methods the builder and the policy rows offer; another one typed by hand is kept.
pub const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const ROLES: [&str; 2] = ["user", "admin"];
const OTHER_ROUTE: &str = "other";

#[derive(Properties, PartialEq)]
pub struct BuilderProps {
    pub mock: MockRequest,
    pub route: Option<usize>,
    /// The raw request was edited by hand, so the toggles no longer describe it.
    pub custom: bool,
    /// The scenario the request goes to; its profile is the one selected.
    pub scenario: Rc<Scenario>,
    pub onaction: Callback<Action>,
}

#[component]
pub fn Builder(props: &BuilderProps) -> Html {
    let BuilderProps {
        mock,
        route,
        custom,
        scenario,
        onaction,
    } = props;
    let emit = |make: fn(String) -> Option<Action>| {
        let onaction = onaction.clone();
        Callback::from(move |event: Event| {
            if let Some(action) = make(dom::select_value(&event)) {
                onaction.emit(action);
            }
        })
    };

    let onroute = emit(|value| {
        Some(Action::SelectRoute(if value == OTHER_ROUTE {
            None
        } else {
            value.parse().ok()
        }))
    });
    let onmethod = emit(|value| Some(Action::SetMethod(value)));
    let onkind = emit(|value| kind_from_id(&value).map(Action::SetKind));
    let onvalidity = emit(|value| validity_from_id(&value).map(Action::SetValidity));
    let oncsrf = emit(|value| csrf_from_id(&value).map(Action::SetCsrf));
    let onsubject = emit(|value| Some(Action::SetSubject(value)));
    let onrole = emit(|value| Some(Action::SetRole(value)));
    let onprofile = emit(|value| Profile::from_id(&value).map(Action::SetProfile));
    let onpath = {
        let onaction = onaction.clone();
        Callback::from(move |event: InputEvent| {
            onaction.emit(Action::SetPath(dom::input_value(&event)))
        })
    };
    let ontoken = {
        let onaction = onaction.clone();
        Callback::from(move |event: Event| {
            onaction.emit(Action::SetToken(dom::checkbox_checked(&event)))
        })
    };
    let onrebuild = {
        let onaction = onaction.clone();
        Callback::from(move |_: MouseEvent| onaction.emit(Action::Rebuild))
    };

    let form = use_node_ref();
    {
        let form = form.clone();
        use_effect(move || dom::show_selected_options(&form));
    }

    let route_value = route.map_or(OTHER_ROUTE.to_string(), |index| index.to_string());
    let credentials_disabled = !mock.token;
    // Only a token carries claims; a password, a key or a session names a user whose role the
    // server looks up.
    let without_claims = credentials_disabled || mock.kind.reader().verifier != Verifier::Jwt;
    let scopes = scenario.policy.scopes();

    html! {
        <form class="builder" ref={form} onsubmit={Callback::from(|event: SubmitEvent| event.prevent_default())}>
            if *custom {
                <p class="custom-notice" role="status">
                    <span>{"Custom request: edited by hand, the toggles no longer describe it."}</span>
                    <button type="button" onclick={onrebuild} data-testid="rebuild">{"Rebuild from toggles"}</button>
                </p>
            }
            <fieldset>
                <legend>{"Where"}</legend>
                <label class="field wide">
                    <span>{"Route"}</span>
                    <select onchange={onroute} data-testid="select-route">
                        { for scenario.policy.routes.iter().enumerate().map(|(index, policy_route)| {
                            let value = index.to_string();
                            let selected = value == route_value;
                            html! {
                                <option {selected} {value}>
                                    {format!("{} {} — {}", policy_route.method, policy_route.path, policy_route.access.describe())}
                                </option>
                            }
                        }) }
                        <option value={OTHER_ROUTE} selected={route.is_none()}>{"other path…"}</option>
                    </select>
                </label>
                <label class="field">
                    <span>{"Method"}</span>
                    <select onchange={onmethod} data-testid="select-method">
                        { for METHODS.iter().map(|method| html! {
                            <option value={*method} selected={mock.method == *method}>{*method}</option>
                        }) }
                        if !METHODS.contains(&mock.method.as_str()) {
                            <option value={mock.method.clone()} selected=true>{mock.method.clone()}</option>
                        }
                    </select>
                </label>
                <label class="field grow">
                    <span>{"Path"}</span>
                    <input type="text" value={mock.path.clone()} oninput={onpath} spellcheck="false"
                        autocomplete="off" data-testid="input-path" />
                </label>
            </fieldset>
            <fieldset>
                <legend>{"Credentials"}</legend>
                <label class="check wide">
                    <input type="checkbox" checked={mock.token} onchange={ontoken} data-testid="toggle-token" />
                    <span>{"Send credentials"}</span>
                </label>
                <label class="field">
                    <span>{"Kind"}</span>
                    <select onchange={onkind} disabled={credentials_disabled} data-testid="select-kind">
                        { for CredentialKind::ALL.iter().map(|kind| html! {
                            <option value={kind_id(*kind)} selected={mock.kind == *kind}>{kind_label(*kind)}</option>
                        }) }
                    </select>
                </label>
                <label class="field">
                    <span>{"Validity"}</span>
                    <select onchange={onvalidity} disabled={credentials_disabled} data-testid="select-validity">
                        { for Validity::for_kind(mock.kind).iter().map(|validity| html! {
                            <option value={validity_id(*validity)} selected={mock.validity == *validity}>{validity_label(*validity)}</option>
                        }) }
                    </select>
                </label>
                if mock.sends_csrf_token() {
                    <label class="field">
                        <span>{"CSRF token"}</span>
                        <select onchange={oncsrf} data-testid="select-csrf"
                            title="A browser sends the session cookie by itself; an unsafe method also needs the csrftoken cookie's value in the X-CSRFToken header">
                            { for CsrfToken::ALL.iter().map(|csrf| html! {
                                // The link's words are the labels: sent, missing, wrong.
                                <option value={csrf_id(*csrf)} selected={mock.csrf == *csrf}>{csrf_id(*csrf)}</option>
                            }) }
                        </select>
                    </label>
                }
                <label class="field">
                    <span>{"Subject"}</span>
                    <select onchange={onsubject} disabled={credentials_disabled} data-testid="select-subject">
                        { for scenario.users.iter().map(|user| html! {
                            <option value={user.name.clone()} selected={mock.subject == user.name}>{user.name.clone()}</option>
                        }) }
                    </select>
                </label>
                <label class="field">
                    <span>{"Role claim"}</span>
                    <select onchange={onrole} disabled={without_claims} data-testid="select-role">
                        { for ROLES.iter().map(|role| html! {
                            <option value={*role} selected={mock.role == *role}>{*role}</option>
                        }) }
                    </select>
                </label>
                if !scopes.is_empty() {
                    <div class="field wide scopes" role="group" aria-label="Scopes">
                        <span>{"Scopes"}</span>
                        { for scopes.into_iter().map(|scope| {
                            let checked = mock.scopes.contains(&scope);
                            let onchange = {
                                let onaction = onaction.clone();
                                let scope = scope.clone();
                                Callback::from(move |_: Event| onaction.emit(Action::ToggleScope(scope.clone())))
                            };
                            html! {
                                <label class="check">
                                    <input type="checkbox" {checked} {onchange} disabled={without_claims}
                                        data-testid={format!("toggle-scope-{scope}")} />
                                    <code>{scope}</code>
                                </label>
                            }
                        }) }
                    </div>
                }
            </fieldset>
            <fieldset>
                <legend>{"Server"}</legend>
                <label class="field wide">
                    <span>{"Profile"}</span>
                    <select onchange={onprofile} data-testid="select-profile">
                        { profile_options(scenario.profile, None) }
                    </select>
                </label>
                { view_profile(scenario.profile) }
            </fieldset>
        </form>
    }
}

fn kind_label(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::Bearer => "Bearer JWT (header)",
        CredentialKind::Basic => "Basic (user:password)",
        CredentialKind::Query => "Token in query (?access_token=)",
        CredentialKind::ApiKey => "API key (X-API-Key header)",
        CredentialKind::ApiKeyQuery => "API key in query (?api_key=)",
        CredentialKind::ApiKeyCookie => "API key in a cookie",
        CredentialKind::Session => "Session cookie (+ CSRF)",
    }
}

fn validity_label(validity: Validity) -> &'static str {
    match validity {
        Validity::Valid => "valid",
        Validity::Expired => "expired",
        Validity::NotYetValid => "not yet valid (nbf)",
        Validity::BadSignature => "bad signature",
        Validity::WrongAudience => "wrong audience",
        Validity::AlgNone => "alg: none",
        Validity::Malformed => "malformed",
        Validity::WrongPassword => "wrong password",
        Validity::AlgConfusion => "attack: alg confusion (HS256 with the RSA key)",
        Validity::UnknownKid => "attack: unknown kid",
        Validity::ForeignJku => "attack: foreign jku",
        Validity::EmbeddedJwk => "attack: embedded jwk",
        Validity::JustExpired => "expired 31 s ago (30 s leeway)",
        Validity::Unknown => "unknown to the server",
        Validity::Forged(attack) => attack.label(),
    }
}
