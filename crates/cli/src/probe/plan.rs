//! The bounded request set `probe` sends: for each endpoint, the same few requests, each with
//! what the policy and the token's claims say the answer should be, where they say it.
//!
//! Per endpoint, in this order:
//!
//! 1. no credentials;
//! 2. `Authorization: Bearer` with nothing after it;
//! 3. a scheme the server does not support (`Digest`, with made-up parameters);
//! 4. a token the server cannot accept: each given token with its signature changed (one
//!    character of a JWT's signature, or of an opaque token's middle), or, with no token given,
//!    a JWT signed with a key no server has;
//! 5. each given credential (`--token`, `--basic`), and the given headers and cookies
//!    (`--header`, `--cookie`) together, on one request: the pieces of one identity, such as
//!    a session cookie with its CSRF cookie and header;
//! 6. with `--basic`, the same user with a wrong password;
//!
//! and once per run, one unknown path under the base, without credentials.
//!
//! Each request carries what the probe knows of it ([`Planned::known`]): requests 2, 3, 4
//! and 6 are made so that no server can accept a credential in them, which the lint judges
//! with where it would otherwise say "validity unknown".

use authpath_engine::exchange::Known;
use authpath_engine::teach::attacks::Forged;
use authpath_engine::{
    basic_credentials, fill_pattern, mint_token, Access, Claims, KeyLocation, Policy, Route,
    RouteMatch, Scheme, CSRF_COOKIE, CSRF_HEADER,
};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Serialize;

use super::client::Outgoing;

/// The path of the one unknown-path request, under the base.
pub const UNKNOWN_PATH: &str = "/authpath-probe/no-such-path";

/// The statuses a success may have.
const SUCCESS: [u16; 4] = [200, 201, 202, 204];

/// A credential given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given {
    /// `--token`: a Bearer token, a JWT or opaque.
    Token(String),
    /// `--basic USER:PASS`.
    Basic { user: String, password: String },
    /// `--header 'NAME: VALUE'`: a header field sent with the identity's headers and cookies.
    Header { name: String, value: String },
    /// `--cookie 'NAME=VALUE'`: a cookie sent with the identity's headers and cookies.
    Cookie { name: String, value: String },
}

impl Given {
    /// Whether it is a piece of the identity's headers and cookies, sent together.
    pub fn is_piece(&self) -> bool {
        matches!(self, Given::Header { .. } | Given::Cookie { .. })
    }

    /// The secret values it carries, which no report may show: the token, the password and
    /// what `Authorization` sends for it, a header's or a cookie's value.
    pub fn secrets(&self) -> Vec<String> {
        match self {
            Given::Token(token) => vec![token.clone()],
            Given::Basic { password, .. } => {
                vec![
                    password.clone(),
                    authorization(self).replacen("Basic ", "", 1),
                ]
            }
            Given::Header { value, .. } | Given::Cookie { value, .. } => vec![value.clone()],
        }
    }
}

/// The `Authorization` value that sends a given token or Basic pair; empty for a header or a
/// cookie, which are sent as they are ([`piece_fields`]).
pub fn authorization(given: &Given) -> String {
    match given {
        Given::Token(token) => format!("Bearer {token}"),
        Given::Basic { user, password } => format!("Basic {}", basic_credentials(user, password)),
        Given::Header { .. } | Given::Cookie { .. } => String::new(),
    }
}

/// The header fields that send the given headers and cookies: each header as given, in order,
/// then the cookies in one `Cookie` field (RFC 6265 §5.4: `name=value` pairs joined by `; `).
pub fn piece_fields(given: &[Given]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = given
        .iter()
        .filter_map(|given| match given {
            Given::Header { name, value } => Some((name.clone(), value.clone())),
            _ => None,
        })
        .collect();
    let cookies: Vec<String> = given
        .iter()
        .filter_map(|given| match given {
            Given::Cookie { name, value } => Some(format!("{name}={value}")),
            _ => None,
        })
        .collect();
    if !cookies.is_empty() {
        fields.push(("Cookie".to_string(), cookies.join("; ")));
    }
    fields
}

/// One endpoint: a method and a concrete path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub method: String,
    pub path: String,
}

/// Which request of the set this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    NoCredentials,
    EmptyBearer,
    UnsupportedScheme,
    RejectedToken,
    GivenToken,
    GivenBasic,
    /// `--auth` credentials that meet one of a spec operation's requirements.
    GivenCredentials,
    GivenHeaders,
    WrongPassword,
    /// A token of the JWT attack catalogue (`--attacks`); which one is the request's `attack`.
    ForgedToken,
    UnknownPath,
}

impl Kind {
    /// How a report names it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::NoCredentials => "no credentials",
            Kind::EmptyBearer => "Bearer without a token",
            Kind::UnsupportedScheme => "unsupported scheme",
            Kind::RejectedToken => "token the server cannot accept",
            Kind::GivenToken => "the given token",
            Kind::GivenBasic => "the given Basic credentials",
            Kind::GivenCredentials => "the given credentials",
            Kind::GivenHeaders => "the given headers and cookies",
            Kind::WrongPassword => "Basic with a wrong password",
            Kind::ForgedToken => "forged token",
            Kind::UnknownPath => "unknown path",
        }
    }

    /// Whether the probe makes this request so that no server can accept a credential in it:
    /// a scheme with nothing after it, made-up Digest credentials, a token with a changed
    /// signature or signed with a key no server has, a wrong password. The given credentials
    /// are the caller's word, not the probe's knowledge; no credentials are plain in the text.
    pub fn unacceptable(self) -> bool {
        matches!(
            self,
            Kind::EmptyBearer | Kind::UnsupportedScheme | Kind::RejectedToken | Kind::WrongPassword
        )
    }

    /// What a route that needs credentials answers this request, and why; `None` for the
    /// request without credentials itself, the given credentials (their claims decide) and the
    /// unknown path.
    pub fn refused(self) -> Option<Expected> {
        match self {
            Kind::EmptyBearer => Expected::new(
                &[400, 401],
                "a Bearer scheme without a token is a malformed request (RFC 6750 §3.1)",
            ),
            Kind::UnsupportedScheme => Expected::new(
                &[401],
                "credentials in a scheme the server does not support are no credentials",
            ),
            Kind::RejectedToken => Expected::new(
                &[401],
                "a token that does not verify gets 401 invalid_token (RFC 6750 §3.1)",
            ),
            Kind::WrongPassword => {
                Expected::new(&[401], "a wrong password gets 401 (RFC 9110 §15.5.2)")
            }
            Kind::ForgedToken => Expected::new(
                &[401],
                "a forged token must be refused: 401 invalid_token (RFC 6750 §3.1)",
            ),
            Kind::NoCredentials
            | Kind::GivenToken
            | Kind::GivenBasic
            | Kind::GivenCredentials
            | Kind::GivenHeaders
            | Kind::UnknownPath => None,
        }
    }
}

/// What the answer should be, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expected {
    /// Any of these statuses is right; empty: any status but those in `not`.
    pub statuses: Vec<u16>,
    /// These statuses are wrong (where `statuses` is empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not: Vec<u16>,
    /// Why, in one sentence, e.g. "the route needs the role admin and the token's role is user".
    pub why: String,
}

impl Expected {
    fn new(statuses: &[u16], why: impl Into<String>) -> Option<Expected> {
        Expected::only(statuses, why)
    }

    /// One of `statuses`.
    pub fn only(statuses: &[u16], why: impl Into<String>) -> Option<Expected> {
        Some(Expected {
            statuses: statuses.to_vec(),
            not: Vec::new(),
            why: why.into(),
        })
    }

    /// Any status but `statuses`.
    pub fn not(statuses: &[u16], why: impl Into<String>) -> Option<Expected> {
        Some(Expected {
            statuses: Vec::new(),
            not: statuses.to_vec(),
            why: why.into(),
        })
    }

    /// Whether `status` is a right answer.
    pub fn allows(&self, status: u16) -> bool {
        if self.statuses.is_empty() {
            return !self.not.contains(&status);
        }
        self.statuses.contains(&status)
    }

    /// The statuses as a reader writes them: `401`, `403 or 404`, `2xx`, `not 401 or 403`.
    pub fn describe(&self) -> String {
        if self.statuses.is_empty() {
            let codes: Vec<String> = self.not.iter().map(u16::to_string).collect();
            return format!("not {}", codes.join(" or "));
        }
        if self.statuses == SUCCESS {
            return "2xx".to_string();
        }
        let codes: Vec<String> = self.statuses.iter().map(u16::to_string).collect();
        codes.join(" or ")
    }
}

/// One request to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// `GET /profile`; the unknown path is its own endpoint.
    pub endpoint: String,
    pub kind: Kind,
    /// For a forged token, which attack: `alg-none-mixed-case`, `weak-secret-secret`, ….
    pub attack: Option<String>,
    pub outgoing: Outgoing,
    /// `None` where the policy or the claims do not say.
    pub expected: Option<Expected>,
    /// What the probe knows of the request beyond its text: whether it made the credentials
    /// unacceptable. Whether the route refuses a request without credentials is learnt when
    /// that request is answered (`Known::protected`, left `None` here).
    pub known: Known,
}

/// What the probe knows of a caller: from a JWT's payload (read, not verified), or the Basic
/// user name. `None` fields are unknown (an opaque token).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caller {
    pub subject: Option<String>,
    pub role: Option<String>,
    pub scopes: Option<Vec<String>>,
}

impl Caller {
    /// What the credential says about who sends it.
    pub fn of(given: &Given) -> Caller {
        match given {
            Given::Basic { user, .. } => Caller {
                subject: Some(user.clone()),
                ..Caller::default()
            },
            Given::Token(token) => claims_of(token).unwrap_or_default(),
            Given::Header { .. } | Given::Cookie { .. } => Caller::default(),
        }
    }
}

/// The request set for these endpoints; `base` without a trailing `/`.
/// With `forged` tokens (`--attacks`), each endpoint that is not public also gets each of them.
pub fn plan(
    base: &str,
    endpoints: &[Endpoint],
    policy: &Policy,
    given: &[Given],
    forged: &[Forged],
) -> Vec<Planned> {
    let mut planned = Vec::new();
    for endpoint in endpoints {
        let (access, route) = match policy.resolve(&endpoint.method, &endpoint.path) {
            RouteMatch::Found { route, params } => {
                (Some((route.access.clone(), params)), Some(route))
            }
            _ => (None, None),
        };
        let name = format!("{} {}", endpoint.method, endpoint.path);
        let mut add =
            |kind: Kind, credentials: Vec<(String, String)>, expected: Option<Expected>| {
                planned.push(Planned {
                    endpoint: name.clone(),
                    kind,
                    attack: None,
                    outgoing: outgoing(base, &endpoint.method, &endpoint.path, credentials),
                    expected,
                    known: Known {
                        unacceptable: kind.unacceptable(),
                        protected: None,
                    },
                });
            };
        let public = matches!(access, Some((Access::Public, _)));
        // What a route the policy protects answers a request the server cannot accept.
        let refused = |kind: Kind| {
            if access.is_none() || public {
                None
            } else {
                kind.refused()
            }
        };
        add(
            Kind::NoCredentials,
            Vec::new(),
            match &access {
                None => None,
                Some((Access::Public, _)) => Expected::new(&SUCCESS, "the route is public"),
                Some(_) => Expected::new(
                    &[401],
                    "the route needs credentials and none were sent (RFC 9110 §15.5.2)",
                ),
            },
        );
        add(
            Kind::EmptyBearer,
            authorization_field("Bearer".to_string()),
            refused(Kind::EmptyBearer),
        );
        add(
            Kind::UnsupportedScheme,
            authorization_field(
                "Digest username=\"authpath-probe\", realm=\"authpath-probe\"".to_string(),
            ),
            refused(Kind::UnsupportedScheme),
        );
        let tokens: Vec<&String> = given
            .iter()
            .filter_map(|given| match given {
                Given::Token(token) => Some(token),
                _ => None,
            })
            .collect();
        let rejected: Vec<String> = if tokens.is_empty() {
            vec![unknown_token()]
        } else {
            tokens.iter().map(|token| altered(token)).collect()
        };
        for token in rejected {
            add(
                Kind::RejectedToken,
                authorization_field(format!("Bearer {token}")),
                refused(Kind::RejectedToken),
            );
        }
        for credential in given.iter().filter(|given| !given.is_piece()) {
            let kind = match credential {
                Given::Basic { .. } => Kind::GivenBasic,
                _ => Kind::GivenToken,
            };
            let expected = given_expected(
                policy,
                route,
                access.as_ref(),
                &endpoint.method,
                std::slice::from_ref(credential),
            );
            add(
                kind,
                authorization_field(authorization(credential)),
                expected,
            );
        }
        let pieces: Vec<Given> = given
            .iter()
            .filter(|given| given.is_piece())
            .cloned()
            .collect();
        if !pieces.is_empty() {
            let expected =
                given_expected(policy, route, access.as_ref(), &endpoint.method, &pieces);
            add(Kind::GivenHeaders, piece_fields(&pieces), expected);
        }
        for credential in given {
            if let Given::Basic { user, password } = credential {
                add(
                    Kind::WrongPassword,
                    authorization_field(format!(
                        "Basic {}",
                        basic_credentials(user, &format!("{password}-wrong"))
                    )),
                    refused(Kind::WrongPassword),
                );
            }
        }
        if public {
            continue;
        }
        for token in forged {
            // A guessed secret is a credential the server accepts if its key is that secret:
            // the probe cannot know it is unacceptable, only that it must not be accepted.
            let weak = token.id.starts_with("weak-secret");
            let expected = refused(Kind::ForgedToken).map(|expected| Expected {
                why: format!(
                    "{}: a server must refuse it ({}); {}",
                    token.title, token.source, expected.why
                ),
                ..expected
            });
            planned.push(Planned {
                endpoint: name.clone(),
                kind: Kind::ForgedToken,
                attack: Some(token.id.clone()),
                outgoing: outgoing(
                    base,
                    &endpoint.method,
                    &endpoint.path,
                    authorization_field(format!("Bearer {}", token.token)),
                ),
                expected,
                known: Known {
                    unacceptable: !weak,
                    protected: None,
                },
            });
        }
    }
    let unknown = format!("{}{UNKNOWN_PATH}", path_of(base));
    planned.push(Planned {
        endpoint: format!("GET {unknown}"),
        kind: Kind::UnknownPath,
        attack: None,
        outgoing: outgoing(base, "GET", UNKNOWN_PATH, Vec::new()),
        expected: Expected::new(
            &[401, 404],
            "no route has this path: 404, or 401 from a server that asks for credentials first",
        ),
        known: Known::default(),
    });
    planned
}

/// The endpoints of a policy: each route once, its parameters filled with the first
/// credential's subject (so an owner route is the caller's own), or `authpath-probe`.
pub fn endpoints_of(policy: &Policy, given: &[Given], method: Option<&str>) -> Vec<Endpoint> {
    let subject = given
        .iter()
        .find_map(|given| Caller::of(given).subject)
        .unwrap_or_else(|| "authpath-probe".to_string());
    policy
        .routes
        .iter()
        .filter(|route| method.is_none_or(|method| route.method == method))
        .map(|route| Endpoint {
            method: route.method.clone(),
            path: fill_pattern(&route.path, &subject),
        })
        .collect()
}

/// What a given credential should get on a route, where its claims tell.
fn judge(access: &Access, params: &[(String, String)], caller: &Caller) -> Option<Expected> {
    let allowed = |why: String| Expected::new(&SUCCESS, why);
    let denied = |why: String| {
        Expected::new(
            &[403, 404],
            format!(
                "{why}: 403, or 404 from a server that hides what it forbids (RFC 9110 §15.5.4)"
            ),
        )
    };
    match access {
        Access::Public => allowed("the route is public".to_string()),
        Access::Authenticated => allowed(
            "the route needs any valid credentials, and these were given as valid".to_string(),
        ),
        Access::Role(role) => {
            let have = caller.role.as_ref()?;
            if have == role {
                allowed(format!(
                    "the route needs the role {role} and the token has it"
                ))
            } else {
                denied(format!(
                    "the route needs the role {role} and the token's role is {have}"
                ))
            }
        }
        Access::Scope(scope) => {
            let scopes = caller.scopes.as_ref()?;
            if scopes.contains(scope) {
                allowed(format!(
                    "the route needs the scope {scope} and the token grants it"
                ))
            } else {
                denied(format!(
                    "the route needs the scope {scope} and the token does not grant it"
                ))
            }
        }
        Access::Owner(parameter) => {
            let owner = params
                .iter()
                .find(|(name, _)| name == parameter)
                .map(|(_, value)| value)?;
            if caller.role.as_deref() == Some("admin") {
                return allowed(
                    "the caller is an admin, who may read every user's resources".to_string(),
                );
            }
            let subject = caller.subject.as_ref()?;
            if subject == owner {
                allowed(format!(
                    "the resource is {owner}'s and the caller is {subject}"
                ))
            } else {
                denied(format!(
                    "the resource is {owner}'s and the caller is {subject}"
                ))
            }
        }
    }
}

/// What a given credential (or the given headers and cookies, together) should get on an
/// endpoint: where the route does not take that kind of credential (its `security`), 401 as
/// for none; a session's unsafe request without its CSRF token, 403; else what the route's
/// rule and the caller's claims say.
fn given_expected(
    policy: &Policy,
    route: Option<&Route>,
    access: Option<&(Access, Vec<(String, String)>)>,
    method: &str,
    given: &[Given],
) -> Option<Expected> {
    let (access, params) = access?;
    if *access != Access::Public {
        match taken(policy, route?, given) {
            // A route whose credentials are optional takes the caller as anonymous.
            Some(Taken::No(_)) if route.is_some_and(Route::is_optional) => return None,
            Some(Taken::No(schemes)) => {
                return Expected::new(
                    &[401],
                    format!(
                        "the route takes {schemes} only, so to it these are no credentials (RFC 9110 §15.5.2)"
                    ),
                )
            }
            Some(Taken::Session) if !safe(method) && !csrf_sent(given) => {
                return Expected::new(
                    &[403],
                    format!(
                        "a session's {method} needs the CSRF token, the {CSRF_HEADER} header equal to the {CSRF_COOKIE} cookie, and it was not sent"
                    ),
                )
            }
            Some(_) => {}
            None if given.iter().any(Given::is_piece) => return None,
            None => {}
        }
    }
    let caller = given.first().map(Caller::of).unwrap_or_default();
    judge(access, params, &caller)
}

/// Whether a route takes a given credential, by the policy's schemes.
enum Taken {
    /// It takes it; a session cookie.
    Session,
    /// It takes it; another kind.
    Yes,
    /// The policy reads this kind, but not on this route, which takes these schemes.
    No(String),
}

/// Whether `route` takes the credential in `given` (one token or Basic pair, or the given
/// headers and cookies): `None` when the policy does not say (it has no schemes, or none of
/// them reads any of the given pieces).
fn taken(policy: &Policy, route: &Route, given: &[Given]) -> Option<Taken> {
    if policy.schemes.is_empty() {
        return given
            .iter()
            .all(|given| !given.is_piece())
            .then_some(Taken::Yes);
    }
    let reads = |scheme: &Scheme| given.iter().any(|given| reads(scheme, given));
    if !policy.schemes.values().any(reads) {
        return None;
    }
    let accepted: Vec<&Scheme> = policy
        .schemes_of(route)
        .into_iter()
        .map(|(_, scheme)| scheme)
        .filter(|scheme| reads(scheme))
        .collect();
    if accepted.is_empty() {
        let names: Vec<&str> = policy
            .schemes_of(route)
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        return Some(Taken::No(names.join(" or ")));
    }
    let sessions = accepted
        .iter()
        .all(|scheme| matches!(scheme, Scheme::Session { .. }));
    Some(if sessions { Taken::Session } else { Taken::Yes })
}

/// Whether `scheme` reads the credential `given`.
fn reads(scheme: &Scheme, given: &Given) -> bool {
    let http = |value: &str| {
        let name = value.split_once(' ').map_or(value, |(name, _)| name);
        matches!(scheme, Scheme::Http { scheme } if scheme.eq_ignore_ascii_case(name))
    };
    match given {
        Given::Token(_) | Given::Basic { .. } => http(&authorization(given)),
        Given::Header { name, value } if name.eq_ignore_ascii_case("authorization") => http(value),
        Given::Header { name, .. } => matches!(
            scheme,
            Scheme::ApiKey { location: KeyLocation::Header, name: read } if read.eq_ignore_ascii_case(name)
        ),
        Given::Cookie { name, .. } => match scheme {
            Scheme::ApiKey {
                location: KeyLocation::Cookie,
                name: read,
            } => read == name,
            Scheme::Session { cookie } => cookie == name,
            _ => false,
        },
    }
}

/// GET, HEAD, OPTIONS and TRACE, which a CSRF check lets through (RFC 9110 §9.2.1).
fn safe(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS" | "TRACE")
}

/// Whether the given pieces carry the CSRF token: the header equal to the cookie.
fn csrf_sent(given: &[Given]) -> bool {
    let cookie = given.iter().find_map(|given| match given {
        Given::Cookie { name, value } if name == CSRF_COOKIE => Some(value),
        _ => None,
    });
    let header = given.iter().find_map(|given| match given {
        Given::Header { name, value } if name.eq_ignore_ascii_case(CSRF_HEADER) => Some(value),
        _ => None,
    });
    cookie.is_some_and(|cookie| header == Some(cookie) && !cookie.is_empty())
}

/// One `Authorization` field with this value.
fn authorization_field(value: String) -> Vec<(String, String)> {
    vec![("Authorization".to_string(), value)]
}

fn outgoing(base: &str, method: &str, path: &str, credentials: Vec<(String, String)>) -> Outgoing {
    let mut headers = vec![
        (
            "User-Agent".to_string(),
            format!("authpath-probe/{}", env!("CARGO_PKG_VERSION")),
        ),
        ("Accept".to_string(), "application/json".to_string()),
    ];
    headers.extend(credentials);
    Outgoing {
        method: method.to_string(),
        url: format!("{base}{path}"),
        headers,
    }
}

/// The path part of a base URL (`http://host/api` → `/api`), for naming the unknown path.
fn path_of(base: &str) -> &str {
    let after_scheme = base.split_once("://").map_or(base, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or("", |slash| &after_scheme[slash..])
}

/// The token with one character changed: the first of a JWT's signature (the last one may
/// carry only padding bits, which lenient decoders ignore), or the middle one of an opaque
/// token.
pub fn altered(token: &str) -> String {
    let position = match token.rfind('.') {
        Some(dot) if token.matches('.').count() == 2 && dot + 1 < token.len() => dot + 1,
        _ => token.len() / 2,
    };
    let mut characters: Vec<char> = token.chars().collect();
    // `position` is a byte offset; tokens are ASCII in practice, and anything else is changed
    // at the character of that index instead, which still changes the token.
    if let Some(character) =
        characters.get_mut(position.min(token.chars().count().saturating_sub(1)))
    {
        *character = if *character == 'A' { 'B' } else { 'A' };
    }
    characters.into_iter().collect()
}

/// A JWT no server accepts: signed with a key no server has, for a subject no server knows.
pub fn unknown_token() -> String {
    let claims = Claims {
        sub: Some("authpath-probe".to_string()),
        exp: Some(4_102_444_800),
        ..Claims::default()
    };
    mint_token(&claims, "authpath-probe: a key that no server has")
}

/// The claims of a JWT's payload that say who calls, read without verifying; `None` for a
/// token that is not a JWT.
fn claims_of(token: &str) -> Option<Caller> {
    let mut parts = token.split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let text = |name: &str| {
        value
            .get(name)
            .and_then(|value| value.as_str())
            .map(str::to_string)
    };
    let scopes = match (value.get("scope"), value.get("scp")) {
        (Some(serde_json::Value::String(scope)), _) => {
            Some(scope.split_whitespace().map(str::to_string).collect())
        }
        (_, Some(serde_json::Value::Array(scopes))) => Some(
            scopes
                .iter()
                .filter_map(|scope| scope.as_str().map(str::to_string))
                .collect(),
        ),
        // A JWT without scopes grants none.
        _ => Some(Vec::new()),
    };
    Some(Caller {
        subject: text("sub"),
        role: text("role"),
        scopes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use authpath_engine::Scenario;

    #[test]
    fn a_token_is_altered_in_one_character_of_its_signature() {
        let cases = [
            ("aaa.bbb.ccc", "aaa.bbb.Acc"),
            ("aaa.bbb.Acc", "aaa.bbb.Bcc"),
            ("opaque-token", "opaqueAtoken"),
            ("x", "A"),
        ];
        for (token, expected) in cases {
            assert_eq!(altered(token), expected, "{token}");
            assert_ne!(altered(token), token);
        }
    }

    fn mint(claims: Claims) -> String {
        mint_token(&claims, "any key")
    }

    #[test]
    fn the_claims_say_what_the_answer_should_be() {
        let policy = Policy::default_api();
        let user = Given::Token(mint(Claims {
            sub: Some("alice".to_string()),
            role: Some("user".to_string()),
            ..Claims::default()
        }));
        let admin = Given::Token(mint(Claims {
            sub: Some("carol".to_string()),
            role: Some("admin".to_string()),
            scope: Some("reports:read".to_string()),
            ..Claims::default()
        }));
        let opaque = Given::Token("opaque".to_string());
        let cases: &[(&Given, &str, &str, Option<&str>)] = &[
            (&user, "GET", "/profile", Some("2xx")),
            (&user, "GET", "/admin", Some("403 or 404")),
            (&admin, "GET", "/admin", Some("2xx")),
            (&user, "GET", "/reports", Some("403 or 404")),
            (&admin, "GET", "/reports", Some("2xx")),
            (&user, "GET", "/users/alice/notes", Some("2xx")),
            (&user, "GET", "/users/bob/notes", Some("403 or 404")),
            (&admin, "GET", "/users/bob/notes", Some("2xx")),
            (&opaque, "GET", "/profile", Some("2xx")),
            (&opaque, "GET", "/admin", None),
            (&user, "GET", "/public", Some("2xx")),
            (&user, "GET", "/nope", None),
        ];
        for (given, method, path, expected) in cases {
            let endpoint = Endpoint {
                method: method.to_string(),
                path: path.to_string(),
            };
            let planned = plan("http://h", &[endpoint], &policy, &[(*given).clone()], &[]);
            let found = planned
                .iter()
                .find(|planned| planned.kind == Kind::GivenToken)
                .and_then(|planned| planned.expected.as_ref())
                .map(Expected::describe);
            assert_eq!(found.as_deref(), *expected, "{method} {path}");
        }
    }

    /// A route takes the kinds of credentials its `security` names: any other is, to it, no
    /// credentials (401); a session's unsafe request needs its CSRF token (403 without).
    #[test]
    fn the_route_schemes_say_which_credentials_it_takes() {
        let policy = Policy::default_api();
        let token = Given::Token(mint(Claims {
            sub: Some("alice".to_string()),
            role: Some("user".to_string()),
            ..Claims::default()
        }));
        let basic = Given::Basic {
            user: "alice".to_string(),
            password: "alice-pw".to_string(),
        };
        let header = |name: &str, value: &str| Given::Header {
            name: name.to_string(),
            value: value.to_string(),
        };
        let cookie = |name: &str, value: &str| Given::Cookie {
            name: name.to_string(),
            value: value.to_string(),
        };
        let key = header("x-api-key", "k");
        let session = cookie("sessionid", "s");
        let csrf = [cookie("csrftoken", "t"), header("X-CSRFToken", "t")];
        let with_csrf: Vec<Given> = [session.clone()].into_iter().chain(csrf.clone()).collect();
        let cases: &[(&[Given], &str, &str, Option<&str>)] = &[
            (std::slice::from_ref(&token), "GET", "/metrics", Some("401")),
            (std::slice::from_ref(&basic), "GET", "/metrics", Some("401")),
            (std::slice::from_ref(&key), "GET", "/metrics", Some("2xx")),
            (
                std::slice::from_ref(&session),
                "GET",
                "/metrics",
                Some("401"),
            ),
            (
                std::slice::from_ref(&basic),
                "POST",
                "/users/alice/notes",
                Some("401"),
            ),
            (
                std::slice::from_ref(&token),
                "POST",
                "/users/alice/notes",
                Some("2xx"),
            ),
            (
                std::slice::from_ref(&session),
                "POST",
                "/users/alice/notes",
                Some("403"),
            ),
            // Whose session it is, only the server knows.
            (&with_csrf, "POST", "/users/alice/notes", None),
            (
                std::slice::from_ref(&session),
                "GET",
                "/profile",
                Some("2xx"),
            ),
            (std::slice::from_ref(&key), "GET", "/public", Some("2xx")),
            // A header no scheme of the policy reads: nothing is known of it.
            (&[header("X-Tenant", "t")], "GET", "/profile", None),
            (
                &[header("Authorization", "Token k")],
                "GET",
                "/profile",
                None,
            ),
        ];
        for (given, method, path, expected) in cases {
            let endpoint = Endpoint {
                method: method.to_string(),
                path: path.to_string(),
            };
            let planned = plan("http://h", &[endpoint], &policy, given, &[]);
            let found = planned
                .iter()
                .find(|planned| {
                    matches!(
                        planned.kind,
                        Kind::GivenToken | Kind::GivenBasic | Kind::GivenHeaders
                    )
                })
                .and_then(|planned| planned.expected.as_ref())
                .map(Expected::describe);
            assert_eq!(found.as_deref(), *expected, "{given:?} {method} {path}");
        }
    }

    #[test]
    fn each_endpoint_gets_the_same_bounded_set() {
        let scenario = Scenario::default();
        let token = Given::Token(mint(Claims::default()));
        let basic = Given::Basic {
            user: "alice".to_string(),
            password: "alice-pw".to_string(),
        };
        let cases: &[(&[Given], &[Kind])] = &[
            (
                &[],
                &[
                    Kind::NoCredentials,
                    Kind::EmptyBearer,
                    Kind::UnsupportedScheme,
                    Kind::RejectedToken,
                ],
            ),
            (
                std::slice::from_ref(&token),
                &[
                    Kind::NoCredentials,
                    Kind::EmptyBearer,
                    Kind::UnsupportedScheme,
                    Kind::RejectedToken,
                    Kind::GivenToken,
                ],
            ),
            (
                &[token.clone(), basic.clone()],
                &[
                    Kind::NoCredentials,
                    Kind::EmptyBearer,
                    Kind::UnsupportedScheme,
                    Kind::RejectedToken,
                    Kind::GivenToken,
                    Kind::GivenBasic,
                    Kind::WrongPassword,
                ],
            ),
        ];
        for (given, kinds) in cases {
            let endpoints = endpoints_of(&scenario.policy, given, None);
            let planned = plan("http://h/api", &endpoints, &scenario.policy, given, &[]);
            assert_eq!(
                planned.len(),
                endpoints.len() * kinds.len() + 1,
                "{given:?}"
            );
            let first: Vec<Kind> = planned
                .iter()
                .filter(|planned| planned.endpoint == planned_endpoint(&endpoints[0]))
                .map(|planned| planned.kind)
                .collect();
            assert_eq!(first, *kinds);
            let last = planned.last().map(|planned| planned.outgoing.url.as_str());
            assert_eq!(last, Some("http://h/api/authpath-probe/no-such-path"));
        }
    }

    /// The plan marks the requests it makes unacceptable, and only those; what the route does
    /// with a request without credentials is learnt when it answers.
    #[test]
    fn the_plan_knows_which_requests_no_server_accepts() {
        let given = [
            Given::Token(mint(Claims::default())),
            Given::Basic {
                user: "alice".to_string(),
                password: "alice-pw".to_string(),
            },
        ];
        let endpoint = Endpoint {
            method: "GET".to_string(),
            path: "/secret".to_string(),
        };
        let planned = plan("http://h", &[endpoint], &Policy::default_api(), &given, &[]);
        let known: Vec<(Kind, bool)> = planned
            .iter()
            .map(|planned| {
                assert_eq!(planned.known.protected, None, "{:?}", planned.kind);
                (planned.kind, planned.known.unacceptable)
            })
            .collect();
        assert_eq!(
            known,
            [
                (Kind::NoCredentials, false),
                (Kind::EmptyBearer, true),
                (Kind::UnsupportedScheme, true),
                (Kind::RejectedToken, true),
                (Kind::GivenToken, false),
                (Kind::GivenBasic, false),
                (Kind::WrongPassword, true),
                (Kind::UnknownPath, false),
            ]
        );
    }

    fn planned_endpoint(endpoint: &Endpoint) -> String {
        format!("{} {}", endpoint.method, endpoint.path)
    }
}
