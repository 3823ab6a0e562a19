//! "What would change the answer": the small changes of a request (or of the server answering
//! it) that change its status, each with the status it gets and the raw request it sends.
//!
//! Nothing here decides. The candidates are written from what the request carries and what its
//! route asks for — a token where none was sent, the same claims not expired, with the role or
//! scope the route names, for the owner of the path; the token moved out of the URL; the CSRF
//! token; the same request under another profile — and each is run through [`evaluate`]. Only
//! those whose status differs are kept, so every suggestion is true by construction.
//!
//! ```
//! use authpath_engine::teach::alternatives::alternatives;
//! use authpath_engine::{Scenario, Status};
//!
//! let scenario = Scenario::default();
//! let found = alternatives("GET /profile HTTP/1.1\r\nHost: api.example\r\n\r\n", &scenario);
//! assert!(found.iter().any(|alternative| alternative.status == Status::Ok));
//! ```

use std::ops::Range;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::credentials::{
    find_credentials, without_credentials, CredentialPlace, FoundCredential, Verifier, CSRF_COOKIE,
    CSRF_HEADER,
};
use crate::http::{parse_request, Request, Status};
use crate::model::{Scenario, User};
use crate::pipeline::evaluate;
use crate::policy::{fill_pattern, Access, KeyLocation, Params, Route, RouteMatch, Scheme};
use crate::profile::Profile;
use crate::teach::mock::{CredentialKind, MockRequest};
use crate::token::{basic_credentials, mint_token, Claims};

/// One change and the answer it gets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Alternative {
    /// The change, in words: "a token with role admin (this one has role user)".
    pub change: String,
    /// The status the changed request gets; never the status of the request as it is.
    pub status: Status,
    /// The raw request it sends (the request unchanged when only the profile changes).
    pub request: String,
    /// The server profile it is answered by, when that is the change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
}

impl Alternative {
    /// `→ 200 OK: the change`, the line `authpath eval --explain` prints.
    pub fn line(&self) -> String {
        format!(
            "→ {} {}: {}",
            self.status.code(),
            self.status.reason(),
            self.change
        )
    }
}

/// The changes to `raw` (or to the profile answering it) that change the status `scenario`
/// answers with, in the order they were tried, each request once. Empty for a request that
/// does not parse: there is nothing to change but everything.
pub fn alternatives(raw: &str, scenario: &Scenario) -> Vec<Alternative> {
    let Ok(request) = parse_request(raw) else {
        return Vec::new();
    };
    let current = evaluate(raw, scenario).response.status;
    let mut candidates = Candidates::default();
    let draft = Draft::new(raw, &request, scenario);
    draft.method(&mut candidates);
    draft.credentials(&mut candidates);
    draft.csrf(&mut candidates);
    for profile in Profile::all() {
        if profile != scenario.profile {
            candidates.push_under(
                format!(
                    "the same request answered by the {} profile ({})",
                    profile.id(),
                    profile.spec().title
                ),
                raw.to_string(),
                profile,
            );
        }
    }
    let mut found: Vec<Alternative> = Vec::new();
    for candidate in candidates.list {
        let mut under = scenario.clone();
        if let Some(profile) = candidate.profile {
            under.profile = profile;
        }
        let status = evaluate(&candidate.request, &under).response.status;
        let seen = found.iter().any(|alternative| {
            alternative.request == candidate.request && alternative.profile == candidate.profile
        });
        if status != current && !seen {
            found.push(Alternative {
                change: candidate.change,
                status,
                request: candidate.request,
                profile: candidate.profile,
            });
        }
    }
    found
}

/// A change not yet tried.
struct Candidate {
    change: String,
    request: String,
    profile: Option<Profile>,
}

#[derive(Default)]
struct Candidates {
    list: Vec<Candidate>,
}

impl Candidates {
    fn push(&mut self, change: String, request: String) {
        self.list.push(Candidate {
            change,
            request,
            profile: None,
        });
    }

    fn push_under(&mut self, change: String, request: String, profile: Profile) {
        self.list.push(Candidate {
            change,
            request,
            profile: Some(profile),
        });
    }
}

/// The request being changed: its text, what parsing it found, and what its route asks.
struct Draft<'a> {
    raw: &'a str,
    request: &'a Request,
    scenario: &'a Scenario,
    route: Option<(&'a Route, Params)>,
    allow: Vec<String>,
    found: Vec<FoundCredential>,
}

impl<'a> Draft<'a> {
    fn new(raw: &'a str, request: &'a Request, scenario: &'a Scenario) -> Draft<'a> {
        let (route, allow) = match scenario.policy.resolve(&request.method, &request.path) {
            RouteMatch::Found { route, params } => (Some((route, params)), Vec::new()),
            RouteMatch::MethodNotAllowed { allow } => (None, allow),
            RouteMatch::NotFound => (None, Vec::new()),
        };
        Draft {
            raw,
            request,
            scenario,
            route,
            allow,
            found: find_credentials(raw),
        }
    }

    fn access(&self) -> Option<&'a Access> {
        self.route.as_ref().map(|(route, _)| &route.access)
    }

    fn param(&self, name: &str) -> Option<&str> {
        let (_, params) = self.route.as_ref()?;
        params
            .iter()
            .find(|(param, _)| param == name)
            .map(|(_, value)| value.as_str())
    }

    /// A 405's way out: the same path with a method the route has.
    fn method(&self, candidates: &mut Candidates) {
        for method in &self.allow {
            if let Some(changed) = self.with_request_line(method, &self.request.target) {
                candidates.push(
                    format!("send it as {method} {}", self.request.path),
                    changed,
                );
            }
        }
    }

    /// Credentials sent, fixed, moved, taken away; or sent where none were.
    fn credentials(&self, candidates: &mut Candidates) {
        if self.found.is_empty() {
            self.send_credentials(candidates);
            return;
        }
        if let Some(without) = without_credentials(self.raw) {
            candidates.push("send no credentials".to_string(), without);
        }
        for credential in &self.found {
            self.change_credential(credential, candidates);
        }
    }

    /// No credential was sent: each kind the route accepts, as the first user and as the
    /// user the route's rule asks for.
    fn send_credentials(&self, candidates: &mut Candidates) {
        let Some((route, _)) = &self.route else {
            return;
        };
        if route.access == Access::Public {
            return;
        }
        let schemes = self.scenario.policy.schemes_of(route);
        let mut kinds: Vec<CredentialKind> = if schemes.is_empty() {
            vec![CredentialKind::Bearer]
        } else {
            schemes
                .iter()
                .map(|(_, scheme)| CredentialKind::sending(scheme))
                .collect()
        };
        // A Bearer token first, as the builder offers it; the others in the policy's order.
        kinds.sort_by_key(|kind| *kind != CredentialKind::Bearer);
        let first = first_user(self.scenario);
        for kind in kinds {
            let base = MockRequest {
                method: self.request.method.clone(),
                path: self.request.path.clone(),
                kind,
                subject: first.name.clone(),
                role: first.role.clone(),
                ..MockRequest::default()
            };
            self.send(
                format!("send {} for {}", kind_words(kind), describe_user(&first)),
                &base,
                candidates,
            );
            let wanted = match &route.access {
                Access::Role(role) => {
                    let holder = self
                        .scenario
                        .users
                        .iter()
                        .find(|user| &user.role == role)
                        .map_or_else(|| first.name.clone(), |user| user.name.clone());
                    let words = if matches!(kind_verifier(kind), Verifier::Jwt) {
                        format!("for {holder} with role {role}")
                    } else {
                        format!("for {holder} (role {role})")
                    };
                    Some((
                        words,
                        MockRequest {
                            subject: holder,
                            role: role.clone(),
                            ..base.clone()
                        },
                    ))
                }
                Access::Scope(scope) if matches!(kind_verifier(kind), Verifier::Jwt) => Some((
                    format!("with the scope {scope}"),
                    MockRequest {
                        scopes: vec![scope.clone()],
                        ..base.clone()
                    },
                )),
                Access::Owner(parameter) => self.param(parameter).map(|owner| {
                    let role = self
                        .scenario
                        .user(owner)
                        .map_or_else(|| first.role.clone(), |user| user.role.clone());
                    (
                        format!("for {owner}, the owner of {{{parameter}}}"),
                        MockRequest {
                            subject: owner.to_string(),
                            role,
                            ..base.clone()
                        },
                    )
                }),
                _ => None,
            };
            if let Some((words, mock)) = wanted {
                self.send(
                    format!("send {} {words}", kind_words(kind)),
                    &mock,
                    candidates,
                );
            }
        }
    }

    /// `mock`'s credentials (and CSRF token) added to this request.
    fn send(&self, change: String, mock: &MockRequest, candidates: &mut Candidates) {
        let built = mock.to_raw(self.scenario);
        let Ok(built_request) = parse_request(&built) else {
            return;
        };
        let mut target = self.request.target.clone();
        for (name, value) in &built_request.query {
            if self.request.query_param(name).is_none() {
                let separator = if target.contains('?') { '&' } else { '?' };
                target = format!("{target}{separator}{name}={value}");
            }
        }
        let lines: Vec<String> = built_request
            .headers
            .iter()
            .filter(|header| {
                !header.name.eq_ignore_ascii_case("Host")
                    && !header.name.eq_ignore_ascii_case("Accept")
            })
            .map(|header| format!("{}: {}", header.name, header.value))
            .collect();
        let Some(with_target) = self.with_request_line(&self.request.method, &target) else {
            return;
        };
        candidates.push(change, with_headers(&with_target, &lines));
    }

    /// One credential the request carries, changed every way that might matter.
    fn change_credential(&self, credential: &FoundCredential, candidates: &mut Candidates) {
        let Some(value) = self.raw.get(credential.value.clone()) else {
            return;
        };
        match credential.place {
            CredentialPlace::AuthorizationHeader => {
                let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
                let rest = rest.trim();
                if scheme.eq_ignore_ascii_case("Bearer") {
                    let replace = |token: &str| format!("{scheme} {token}");
                    self.change_token(rest, &credential.value, &replace, candidates);
                } else if scheme.eq_ignore_ascii_case("Basic") {
                    self.change_basic(rest, &credential.value, scheme, candidates);
                }
            }
            CredentialPlace::QueryParameter => {
                let Some(reader) = &credential.reader else {
                    return;
                };
                if reader.verifier == Verifier::Jwt {
                    let token = value.to_string();
                    self.change_token(&token, &credential.value, &|token| token.into(), candidates);
                    self.move_out_of_query(
                        credential,
                        "the token",
                        &format!("Authorization: Bearer {token}"),
                        "the Authorization header",
                        candidates,
                    );
                } else if reader.verifier == Verifier::ApiKey {
                    for name in self.key_headers() {
                        self.move_out_of_query(
                            credential,
                            "the key",
                            &format!("{name}: {value}"),
                            &format!("the {name} header"),
                            candidates,
                        );
                    }
                }
            }
            CredentialPlace::Header | CredentialPlace::Cookie => {
                let Some(reader) = &credential.reader else {
                    return;
                };
                match reader.verifier {
                    Verifier::ApiKey if self.scenario.api_key(value).is_none() => {
                        if let Some(key) = self.scenario.api_keys.first() {
                            candidates.push(
                                format!("a key the server issued: {}'s", key.user),
                                replace(self.raw, &credential.value, &key.key),
                            );
                        }
                    }
                    Verifier::Session => {
                        let owner = self.scenario.session(value).map(|session| &session.user);
                        let live = self
                            .scenario
                            .sessions
                            .iter()
                            .filter(|session| !session.expired && session.id != value);
                        for session in live {
                            if owner.is_none_or(|owner| owner == &session.user) {
                                candidates.push(
                                    format!("{}'s live session", session.user),
                                    replace(self.raw, &credential.value, &session.id),
                                );
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// The API key headers the route accepts.
    fn key_headers(&self) -> Vec<String> {
        let Some((route, _)) = &self.route else {
            return Vec::new();
        };
        self.scenario
            .policy
            .schemes_of(route)
            .into_iter()
            .filter_map(|(_, scheme)| match scheme {
                Scheme::ApiKey {
                    location: KeyLocation::Header,
                    name,
                } => Some(name.clone()),
                _ => None,
            })
            .collect()
    }

    /// The credential taken out of the URL and sent in a header line instead.
    fn move_out_of_query(
        &self,
        credential: &FoundCredential,
        what: &str,
        line: &str,
        to: &str,
        candidates: &mut Candidates,
    ) {
        let Some(name) = self
            .raw
            .get(credential.field.clone())
            .and_then(|field| field.split('=').next())
        else {
            return;
        };
        let target: String = {
            let (path, query) = self
                .request
                .target
                .split_once('?')
                .unwrap_or((&self.request.target, ""));
            let field = self.raw.get(credential.field.clone()).unwrap_or_default();
            let kept: Vec<&str> = query
                .split('&')
                .filter(|piece| *piece != field && !piece.is_empty())
                .collect();
            if kept.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{}", kept.join("&"))
            }
        };
        let Some(changed) = self.with_request_line(&self.request.method, &target) else {
            return;
        };
        candidates.push(
            format!("move {what} from ?{name}= to {to}"),
            with_headers(&changed, &[line.to_string()]),
        );
    }

    /// A JWT: re-signed with the server's key, its time and audience claims made right, the
    /// rule's role, scope or subject given or taken away, or all of that at once.
    fn change_token(
        &self,
        token: &str,
        range: &Range<usize>,
        write: &dyn Fn(&str) -> String,
        candidates: &mut Candidates,
    ) {
        let scenario = self.scenario;
        let decoded = claims_of(token);
        let base = decoded.clone().unwrap_or_else(|| {
            let first = first_user(scenario);
            MockRequest {
                subject: first.name,
                role: first.role,
                ..MockRequest::default()
            }
            .claims(scenario)
        });
        let with =
            |claims: &Claims| replace(self.raw, range, &write(&mint_token(claims, &scenario.key)));
        let resigned = with(&base);
        // When the signature alone changes the answer, every other change of the token says
        // that it is signed anew too.
        let resign_matters =
            evaluate(&resigned, scenario).response != evaluate(self.raw, scenario).response;
        let prefix = if resign_matters {
            "signed with the server's key, "
        } else {
            ""
        };
        candidates.push(
            match &decoded {
                Some(_) => "the same claims, signed HS256 with the server's key".to_string(),
                None => format!(
                    "a well-formed token for {}, signed with the server's key",
                    base.sub.as_deref().unwrap_or("the first user")
                ),
            },
            resigned,
        );
        let now = scenario.now;
        let leeway = scenario.leeway;
        let mut fixes: Vec<(String, Claims)> = Vec::new();
        if let Some(exp) = base.exp.filter(|exp| exp.saturating_add(leeway) <= now) {
            let late = now.saturating_sub(exp);
            let past = if leeway == 0 {
                String::new()
            } else {
                format!(
                    ", {} past the {leeway} s leeway",
                    span(late.saturating_sub(leeway).max(1))
                )
            };
            fixes.push((
                format!(
                    "a token that has not expired: this one expired {} ago{past}; exp one hour from now",
                    span(late)
                ),
                Claims {
                    exp: Some(now.saturating_add(3600)),
                    iat: Some(now),
                    ..base.clone()
                },
            ));
        }
        if let Some(nbf) = base.nbf.filter(|nbf| *nbf > now.saturating_add(leeway)) {
            fixes.push((
                format!(
                    "a token valid now: this one's nbf is {} from now; no nbf",
                    span(nbf.saturating_sub(now))
                ),
                Claims {
                    nbf: None,
                    ..base.clone()
                },
            ));
        }
        let audiences: Vec<&str> = scenario.audiences().collect();
        if !audiences.is_empty()
            && !base
                .aud
                .as_deref()
                .is_some_and(|aud| audiences.contains(&aud))
        {
            fixes.push((
                format!(
                    "a token for the audience {} (this one's aud is {})",
                    scenario.audience,
                    base.aud.as_deref().unwrap_or("missing")
                ),
                Claims {
                    aud: Some(scenario.audience.clone()),
                    ..base.clone()
                },
            ));
        }
        let issuers: Vec<&str> = scenario.issuers().collect();
        if !issuers.is_empty()
            && !base
                .iss
                .as_deref()
                .is_some_and(|iss| issuers.contains(&iss))
        {
            fixes.push((
                format!(
                    "a token from the issuer {} (this one's iss is {})",
                    scenario.issuer,
                    base.iss.as_deref().unwrap_or("missing")
                ),
                Claims {
                    iss: Some(scenario.issuer.clone()),
                    ..base.clone()
                },
            ));
        }
        let mut rights: Vec<(String, Claims)> = Vec::new();
        let mut lose: Vec<(String, Claims)> = Vec::new();
        match self.access() {
            Some(Access::Role(role)) => {
                if base.role.as_deref() == Some(role.as_str()) {
                    if let Some(other) = scenario.users.iter().find(|user| &user.role != role) {
                        lose.push((
                            format!("a token with role {} instead of {role}", other.role),
                            Claims {
                                role: Some(other.role.clone()),
                                ..base.clone()
                            },
                        ));
                    }
                } else {
                    rights.push((
                        format!(
                            "a token with role {role} (this one has {})",
                            base.role.as_deref().map_or_else(
                                || "no role".to_string(),
                                |role| format!("role {role}")
                            )
                        ),
                        Claims {
                            role: Some(role.clone()),
                            ..base.clone()
                        },
                    ));
                }
            }
            Some(Access::Scope(scope)) => {
                let scopes: Vec<&str> = base
                    .scope
                    .as_deref()
                    .unwrap_or_default()
                    .split(' ')
                    .filter(|scope| !scope.is_empty())
                    .collect();
                if scopes.contains(&scope.as_str()) {
                    let kept: Vec<&str> = scopes
                        .iter()
                        .copied()
                        .filter(|kept| kept != scope)
                        .collect();
                    lose.push((
                        format!("the token without the scope {scope}"),
                        Claims {
                            scope: Some(kept.join(" ")).filter(|scope| !scope.is_empty()),
                            ..base.clone()
                        },
                    ));
                } else {
                    let mut granted = scopes.clone();
                    granted.push(scope);
                    rights.push((
                        format!(
                            "add the scope {scope} to the token (it has {})",
                            if scopes.is_empty() {
                                "none".to_string()
                            } else {
                                scopes.join(" ")
                            }
                        ),
                        Claims {
                            scope: Some(granted.join(" ")),
                            ..base.clone()
                        },
                    ));
                }
            }
            Some(Access::Owner(parameter)) => {
                if let Some(owner) = self.param(parameter) {
                    let subject = base.sub.as_deref().unwrap_or_default();
                    if subject == owner {
                        if let Some(other) = scenario.users.iter().find(|user| user.name != owner) {
                            self.change_path(
                                &format!("ask for {}'s instead of your own", other.name),
                                &other.name,
                                candidates,
                            );
                        }
                    } else {
                        rights.push((
                            format!(
                                "be the owner of {{{parameter}}}: a token for {owner} (this one is {})",
                                if subject.is_empty() {
                                    "nobody's".to_string()
                                } else {
                                    format!("{subject}'s")
                                }
                            ),
                            Claims {
                                sub: Some(owner.to_string()),
                                ..base.clone()
                            },
                        ));
                        if !subject.is_empty() {
                            self.change_path(
                                &format!("ask for {subject}'s own"),
                                subject,
                                candidates,
                            );
                        }
                    }
                }
            }
            _ => {}
        }
        // Everything the token lacks at once, when one change alone is not enough.
        let all: Vec<&(String, Claims)> = fixes.iter().chain(&rights).collect();
        if all.len() > 1 {
            let mut claims = base.clone();
            for (_, fixed) in &all {
                merge(&mut claims, &base, fixed);
            }
            let words: Vec<&str> = all.iter().map(|(change, _)| change.as_str()).collect();
            candidates.push(
                format!("{prefix}all of: {}", words.join("; ")),
                with(&claims),
            );
        }
        for (change, claims) in fixes.iter().chain(&rights).chain(&lose) {
            candidates.push(format!("{prefix}{change}"), with(claims));
        }
    }

    /// Basic credentials: the user's right password, or a user the rule lets in.
    fn change_basic(
        &self,
        token68: &str,
        range: &Range<usize>,
        scheme: &str,
        candidates: &mut Candidates,
    ) {
        use base64::engine::general_purpose::STANDARD;
        let decoded = STANDARD
            .decode(token68)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok());
        let sent_user = decoded
            .as_deref()
            .and_then(|pair| pair.split_once(':'))
            .map(|(user, _)| user.to_string());
        let as_user = |user: &User| {
            replace(
                self.raw,
                range,
                &format!("{scheme} {}", basic_credentials(&user.name, &user.password)),
            )
        };
        if let Some(user) = sent_user
            .as_deref()
            .and_then(|name| self.scenario.user(name))
        {
            candidates.push(format!("{}'s right password", user.name), as_user(user));
        }
        let wanted = match self.access() {
            Some(Access::Role(role)) => self.scenario.users.iter().find(|user| &user.role == role),
            Some(Access::Owner(parameter)) => self
                .param(parameter)
                .and_then(|owner| self.scenario.user(owner)),
            _ => self.scenario.users.first(),
        };
        if let Some(user) = wanted.filter(|user| Some(&user.name) != sent_user.as_ref()) {
            candidates.push(format!("sign in as {}", describe_user(user)), as_user(user));
        }
    }

    /// The same request for the path with the owner parameter set to `name`.
    fn change_path(&self, change: &str, name: &str, candidates: &mut Candidates) {
        let Some((route, _)) = &self.route else {
            return;
        };
        let path = fill_pattern(&route.path, name);
        let target = match self.request.target.split_once('?') {
            Some((_, query)) => format!("{path}?{query}"),
            None => path.clone(),
        };
        if let Some(changed) = self.with_request_line(&self.request.method, &target) {
            candidates.push(format!("{change}: {} {path}", self.request.method), changed);
        }
    }

    /// A session's unsafe request with the CSRF header its cookie asks for.
    fn csrf(&self, candidates: &mut Candidates) {
        if matches!(
            self.request.method.as_str(),
            "GET" | "HEAD" | "OPTIONS" | "TRACE"
        ) {
            return;
        }
        let cookie = self
            .request
            .headers_named("Cookie")
            .flat_map(|line| line.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == CSRF_COOKIE)
            .map(|(_, value)| value.to_string());
        let Some(cookie) = cookie else {
            return;
        };
        if self.request.header(CSRF_HEADER) == Some(cookie.as_str()) {
            return;
        }
        let without: Vec<&str> = lines_of(self.raw)
            .into_iter()
            .filter(|line| {
                !line
                    .split_once(':')
                    .is_some_and(|(name, _)| name.trim().eq_ignore_ascii_case(CSRF_HEADER))
            })
            .collect();
        let rest = without.join(line_ending(self.raw));
        candidates.push(
            format!(
                "send the CSRF token: {CSRF_HEADER}: {cookie}, the {CSRF_COOKIE} cookie's value"
            ),
            with_headers(&rest, &[format!("{CSRF_HEADER}: {cookie}")]),
        );
    }

    /// The raw request with its request line rewritten.
    fn with_request_line(&self, method: &str, target: &str) -> Option<String> {
        let start = first_line_start(self.raw)?;
        let rest = self.raw.get(start..)?;
        let end = rest.find('\n').map_or(rest.len(), |end| end + 1);
        let line = rest.get(..end)?;
        let ending = if line.ends_with("\r\n") {
            "\r\n"
        } else if line.ends_with('\n') {
            "\n"
        } else {
            ""
        };
        Some(format!(
            "{}{method} {target} {}{ending}{}",
            self.raw.get(..start)?,
            self.request.version,
            rest.get(end..)?
        ))
    }
}

/// `raw` with `range` replaced by `text`.
fn replace(raw: &str, range: &Range<usize>, text: &str) -> String {
    format!(
        "{}{text}{}",
        raw.get(..range.start).unwrap_or_default(),
        raw.get(range.end..).unwrap_or_default()
    )
}

/// `raw` with `lines` added at the end of its header section.
fn with_headers(raw: &str, lines: &[String]) -> String {
    let ending = line_ending(raw);
    let blank = format!("{ending}{ending}");
    let (head, body) = match raw.find(&blank) {
        Some(index) => (
            raw.get(..index).unwrap_or_default(),
            raw.get(index + blank.len()..).unwrap_or_default(),
        ),
        None => (raw.trim_end_matches(['\r', '\n']), ""),
    };
    let mut text = head.to_string();
    for line in lines {
        text.push_str(ending);
        text.push_str(line);
    }
    text.push_str(&blank);
    text.push_str(body);
    text
}

/// CRLF, or LF when that is what the request uses.
fn line_ending(raw: &str) -> &'static str {
    if raw.contains("\r\n") || !raw.contains('\n') {
        "\r\n"
    } else {
        "\n"
    }
}

/// The lines of `raw`, split at its line ending (the last keeps what follows).
fn lines_of(raw: &str) -> Vec<&str> {
    raw.split(line_ending(raw)).collect()
}

/// Where the request line starts: after the empty lines a parser skips (RFC 9112 §2.2).
fn first_line_start(raw: &str) -> Option<usize> {
    raw.char_indices()
        .find(|(_, character)| *character != '\r' && *character != '\n')
        .map(|(index, _)| index)
}

/// The claims of a JWT, read without checking anything; `None` when they cannot be read.
fn claims_of(token: &str) -> Option<Claims> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let object: Map<String, Value> = serde_json::from_slice(&bytes).ok()?;
    let text = |name: &str| match object.get(name) {
        Some(Value::String(text)) => Some(text.clone()),
        Some(Value::Array(items)) => items.first().and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    let number = |name: &str| object.get(name).and_then(Value::as_u64);
    Some(Claims {
        sub: text("sub"),
        role: text("role"),
        scope: text("scope"),
        exp: number("exp"),
        nbf: number("nbf"),
        iat: number("iat"),
        iss: text("iss"),
        aud: text("aud"),
    })
}

/// Onto `claims`, the members `fixed` changed from `base`.
fn merge(claims: &mut Claims, base: &Claims, fixed: &Claims) {
    macro_rules! take {
        ($($member:ident),*) => {
            $(if fixed.$member != base.$member {
                claims.$member.clone_from(&fixed.$member);
            })*
        };
    }
    take!(sub, role, scope, exp, nbf, iat, iss, aud);
}

/// The scenario's first user, or alice with role user.
fn first_user(scenario: &Scenario) -> User {
    scenario.users.first().cloned().unwrap_or_else(|| User {
        name: "alice".to_string(),
        password: String::new(),
        role: "user".to_string(),
    })
}

/// `alice (role user)`.
fn describe_user(user: &User) -> String {
    format!("{} (role {})", user.name, user.role)
}

fn kind_verifier(kind: CredentialKind) -> Verifier {
    kind.reader().verifier
}

/// What a kind sends, in words.
fn kind_words(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::Bearer => "a Bearer token",
        CredentialKind::Basic => "Basic credentials",
        CredentialKind::Query => "a token in ?access_token=",
        CredentialKind::ApiKey => "an API key in its header",
        CredentialKind::ApiKeyQuery => "an API key in the query",
        CredentialKind::ApiKeyCookie => "an API key in its cookie",
        CredentialKind::Session => "a session cookie",
    }
}

/// A duration as a person says it: `31 s`, `5 min`, `1 h`, `3 d`; rounded down, whole hours
/// and days said as such.
fn span(seconds: u64) -> String {
    const MINUTE: u64 = 60;
    const HOUR: u64 = 3600;
    const DAY: u64 = 86_400;
    match seconds {
        _ if seconds >= DAY && (seconds.is_multiple_of(DAY) || seconds >= 2 * DAY) => {
            format!("{} d", seconds / DAY)
        }
        _ if seconds >= HOUR && (seconds.is_multiple_of(HOUR) || seconds >= 2 * HOUR) => {
            format!("{} h", seconds / HOUR)
        }
        _ if seconds >= 2 * MINUTE => format!("{} min", seconds / MINUTE),
        _ => format!("{seconds} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_a_person_says_them() {
        let cases = [
            (1, "1 s"),
            (119, "119 s"),
            (600, "10 min"),
            (3570, "59 min"),
            (3600, "1 h"),
            (5400, "90 min"),
            (7300, "2 h"),
            (86_400, "1 d"),
            (259_300, "3 d"),
        ];
        for (seconds, words) in cases {
            assert_eq!(span(seconds), words, "{seconds}");
        }
    }

    #[test]
    fn headers_are_added_before_the_blank_line_in_the_request_s_line_ending() {
        let lines = ["X-A: 1".to_string()];
        assert_eq!(
            with_headers("GET / HTTP/1.1\r\nHost: h\r\n\r\nbody", &lines),
            "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\nbody"
        );
        assert_eq!(
            with_headers("GET / HTTP/1.1\nHost: h\n\n", &lines),
            "GET / HTTP/1.1\nHost: h\nX-A: 1\n\n"
        );
        assert_eq!(
            with_headers("GET / HTTP/1.1\r\nHost: h", &lines),
            "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\n"
        );
    }

    #[test]
    fn claims_are_read_without_checks_and_garbage_reads_as_none() {
        let claims = Claims {
            sub: Some("bob".into()),
            exp: Some(5),
            aud: Some("a".into()),
            ..Claims::default()
        };
        assert_eq!(claims_of(&mint_token(&claims, "any")), Some(claims));
        assert_eq!(claims_of("not-a-jwt"), None);
        assert_eq!(claims_of("a.%%%.c"), None);
    }
}
