//! The request builder behind the page's toggles. It writes text only: a real raw request with
//! freshly minted credentials. No auth decision is made here; the pipeline reads the text.

use serde::{Deserialize, Serialize};

use serde_json::{Map, Value};

use crate::credentials::{
    Place, Reader, Verifier, ACCESS_TOKEN, API_KEY, API_KEY_IN_COOKIE, API_KEY_IN_QUERY, BASIC,
    BEARER, CSRF_COOKIE, CSRF_HEADER, SESSION,
};
use crate::http::Request;
use crate::keys::{demo_jwks, Algorithm, Key, DEMO_ED25519_KID, DEMO_RSA_KID, DEMO_RSA_PUBLIC_PEM};
use crate::model::{Rule, Scenario};
use crate::policy::{fill_pattern, Access, KeyLocation, Policy, Route, Scheme};
use crate::teach::attacks::{forge, guess_secret, Attack, WEAK_SECRETS};
use crate::token::{basic_credentials, mint_token, sign, Claims};

/// The `Host` every mock request is sent to.
pub const MOCK_HOST: &str = "api.authpath.example";

/// How the builder sends credentials: the ways of presenting them a person can pick with a
/// toggle. It is one idea with the engine's private `Presented` (how the pipeline saw the
/// credentials of any request, handed to the lint), of which it is the buildable subset: each
/// kind here is the `Presented` variant of the same name. The other ways a request can present
/// credentials are no kind of their own, since nobody sends them on purpose: none at all is
/// `MockRequest::token == false`, a broken value is [`Validity::Malformed`], and an unsupported
/// scheme or two credentials at once are typed by hand in the raw request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// `Authorization: Bearer <JWT>`.
    #[default]
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// `?access_token=` in the query (RFC 6750 §2.3: allowed, discouraged).
    Query,
    /// An API key in its header (`X-API-Key` in the demo API).
    ApiKey,
    /// An API key in the query (`?api_key=`): OWASP API2:2023 says not to.
    ApiKeyQuery,
    /// An API key in a cookie.
    ApiKeyCookie,
    /// A browser session cookie (`sessionid`), with the CSRF token on unsafe methods.
    Session,
}

/// The CSRF token a session's unsafe request carries (double submit: the `csrftoken` cookie
/// and the `X-CSRFToken` header).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsrfToken {
    /// The cookie and the same value in the header.
    #[default]
    Sent,
    /// The cookie, and no header: what a page's script forgot to send.
    Missing,
    /// The cookie, and another value in the header.
    Wrong,
}

impl CsrfToken {
    /// Every choice, in the builder's order.
    pub const ALL: [CsrfToken; 3] = [CsrfToken::Sent, CsrfToken::Missing, CsrfToken::Wrong];
}

/// The demo API's CSRF token: 32 characters, as Django's CSRF secret is.
pub const DEMO_CSRF_TOKEN: &str = "authpathdemocsrftoken00000000000";
/// Another well-formed token, for a header that does not match the cookie.
pub const WRONG_CSRF_TOKEN: &str = "authpathwrongcsrftoken0000000000";
/// A key the demo server never issued.
pub const UNKNOWN_API_KEY: &str = "ak_nobody_demo";
/// A session id the demo server does not hold (32 lowercase letters and digits).
pub const UNKNOWN_SESSION: &str = "nosuchsession0000000000000000000";

/// What is (deliberately) wrong with the credentials the builder mints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// Nothing wrong.
    #[default]
    Valid,
    /// `exp` an hour before the clock.
    Expired,
    /// `nbf` an hour after the clock.
    NotYetValid,
    /// Signed with another key.
    BadSignature,
    /// `aud` names another API.
    WrongAudience,
    /// An unsigned token, `alg: none`.
    AlgNone,
    /// Not a JWT at all (Bearer), or not base64 (Basic).
    Malformed,
    /// Basic only: the right user with a wrong password.
    WrongPassword,
    /// The algorithm-confusion attack: HS256 "signed" with the demo RSA public key's PEM text
    /// as the HMAC secret, naming the RSA key's `kid`.
    AlgConfusion,
    /// A `kid` the server's keys do not have.
    UnknownKid,
    /// A `jku` header pointing at the attacker's host, signed with the attacker's key.
    ForeignJku,
    /// An embedded `jwk` header holding the attacker's key, which signed the token.
    EmbeddedJwk,
    /// Expired 31 s ago: one second beyond the demo's 30 s leeway.
    JustExpired,
    /// A key or a session the server does not know.
    Unknown,
    /// A token of the attack catalogue ([`crate::teach::attacks`]), carrying these toggles'
    /// claims. The weak secret is the server's own if a guesser finds it among the common
    /// ones, or else the first of them.
    Forged(Attack),
}

impl CredentialKind {
    /// Every kind, in the builder's order.
    pub const ALL: [CredentialKind; 7] = [
        CredentialKind::Bearer,
        CredentialKind::Basic,
        CredentialKind::Query,
        CredentialKind::ApiKey,
        CredentialKind::ApiKeyQuery,
        CredentialKind::ApiKeyCookie,
        CredentialKind::Session,
    ];

    /// The reader that reads what this kind sends: where the builder writes it (under the
    /// name a policy's scheme gives, see [`MockRequest::to_raw`]), and its id in links.
    pub fn reader(self) -> &'static Reader {
        match self {
            CredentialKind::Bearer => &BEARER,
            CredentialKind::Basic => &BASIC,
            CredentialKind::Query => &ACCESS_TOKEN,
            CredentialKind::ApiKey => &API_KEY,
            CredentialKind::ApiKeyQuery => &API_KEY_IN_QUERY,
            CredentialKind::ApiKeyCookie => &API_KEY_IN_COOKIE,
            CredentialKind::Session => &SESSION,
        }
    }

    /// The kind that sends a credential of `scheme`.
    pub fn sending(scheme: &Scheme) -> CredentialKind {
        match scheme {
            Scheme::Http { scheme } if scheme == "basic" => CredentialKind::Basic,
            Scheme::Http { .. } => CredentialKind::Bearer,
            Scheme::ApiKey { location, .. } => match location {
                KeyLocation::Header => CredentialKind::ApiKey,
                KeyLocation::Query => CredentialKind::ApiKeyQuery,
                KeyLocation::Cookie => CredentialKind::ApiKeyCookie,
            },
            Scheme::Session { .. } => CredentialKind::Session,
        }
    }

    /// The kind's reader under the name `policy` gives its kind of scheme, if it names one.
    fn place(self, policy: &Policy) -> Place {
        let reader = self.reader();
        let named = policy
            .schemes
            .values()
            .find_map(|scheme| match (scheme, &reader.place) {
                (Scheme::ApiKey { location, name }, place)
                    if reader.verifier == Verifier::ApiKey =>
                {
                    match (location, place) {
                        (KeyLocation::Header, Place::Header(_)) => {
                            Some(Place::Header(name.clone().into()))
                        }
                        (KeyLocation::Query, Place::Query(_)) => {
                            Some(Place::Query(name.clone().into()))
                        }
                        (KeyLocation::Cookie, Place::Cookie(_)) => {
                            Some(Place::Cookie(name.clone().into()))
                        }
                        _ => None,
                    }
                }
                (Scheme::Session { cookie }, Place::Cookie(_))
                    if reader.verifier == Verifier::Session =>
                {
                    Some(Place::Cookie(cookie.clone().into()))
                }
                _ => None,
            });
        named.unwrap_or_else(|| reader.place.clone())
    }

    /// The kind whose reader has this id.
    pub fn from_id(id: &str) -> Option<CredentialKind> {
        CredentialKind::ALL
            .into_iter()
            .find(|kind| kind.reader().id == id)
    }
}

impl Validity {
    /// Every validity, in the builder's order.
    pub const ALL: [Validity; 24] = [
        Validity::Valid,
        Validity::Expired,
        Validity::NotYetValid,
        Validity::BadSignature,
        Validity::WrongAudience,
        Validity::AlgNone,
        Validity::Malformed,
        Validity::WrongPassword,
        Validity::AlgConfusion,
        Validity::UnknownKid,
        Validity::ForeignJku,
        Validity::EmbeddedJwk,
        Validity::JustExpired,
        Validity::Unknown,
        Validity::Forged(Attack::AlgNoneCapitalised),
        Validity::Forged(Attack::AlgNoneUpperCase),
        Validity::Forged(Attack::AlgNoneMixedCase),
        Validity::Forged(Attack::EmptySignature),
        Validity::Forged(Attack::WeakSecret),
        Validity::Forged(Attack::PsychicSignature),
        Validity::Forged(Attack::KidTraversal),
        Validity::Forged(Attack::KidInjection),
        Validity::Forged(Attack::X5u),
        Validity::Forged(Attack::X5c),
    ];

    /// The validities of a token, in the builder's order: the plain mistakes, then the attacks
    /// (the catalogue's last; its plain `alg: none` is [`Validity::AlgNone`]).
    const TOKEN: [Validity; 22] = [
        Validity::Valid,
        Validity::Expired,
        Validity::NotYetValid,
        Validity::BadSignature,
        Validity::WrongAudience,
        Validity::AlgNone,
        Validity::Malformed,
        Validity::AlgConfusion,
        Validity::UnknownKid,
        Validity::ForeignJku,
        Validity::EmbeddedJwk,
        Validity::JustExpired,
        Validity::Forged(Attack::AlgNoneCapitalised),
        Validity::Forged(Attack::AlgNoneUpperCase),
        Validity::Forged(Attack::AlgNoneMixedCase),
        Validity::Forged(Attack::EmptySignature),
        Validity::Forged(Attack::WeakSecret),
        Validity::Forged(Attack::PsychicSignature),
        Validity::Forged(Attack::KidTraversal),
        Validity::Forged(Attack::KidInjection),
        Validity::Forged(Attack::X5u),
        Validity::Forged(Attack::X5c),
    ];

    /// The validities that make sense for a credential kind: a password can be wrong only in
    /// Basic, a token only in Bearer or the query.
    pub fn for_kind(kind: CredentialKind) -> &'static [Validity] {
        match kind {
            CredentialKind::ApiKey | CredentialKind::ApiKeyQuery | CredentialKind::ApiKeyCookie => {
                &[Validity::Valid, Validity::Unknown]
            }
            CredentialKind::Session => &[Validity::Valid, Validity::Expired, Validity::Unknown],
            CredentialKind::Basic => &[
                Validity::Valid,
                Validity::WrongPassword,
                Validity::Malformed,
            ],
            // Every validity but Basic's wrong password.
            CredentialKind::Bearer | CredentialKind::Query => &Validity::TOKEN,
        }
    }
}

/// The toggles of the request builder. `to_raw` turns them into the raw request text with
/// real, freshly minted credentials; the pipeline never sees this struct.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MockRequest {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The concrete path, e.g. `/users/alice/notes`.
    pub path: String,
    /// Send credentials at all.
    pub token: bool,
    /// How the credentials travel.
    pub kind: CredentialKind,
    /// What is wrong with them, if anything.
    pub validity: Validity,
    /// `sub` of the token, or the Basic user.
    pub subject: String,
    /// The `role` claim of the token (Basic users have the role the user table gives them).
    pub role: String,
    /// Scopes of the token, space-separated in the `scope` claim.
    pub scopes: Vec<String>,
    /// The CSRF token a session's unsafe request carries.
    #[serde(default)]
    pub csrf: CsrfToken,
}

/// A named scenario of DESIGN.md's preset bar.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Preset {
    /// Stable id, used in test hooks and links: `no-token`, `invalid-token`, `expired-token`,
    /// `user-on-admin`, `admin-deletes-user`, `public-page`, `insufficient-scope`,
    /// `other-users-notes`.
    pub id: &'static str,
    /// The button label.
    pub title: &'static str,
    /// One line: what the preset shows.
    pub summary: &'static str,
    /// The builder toggles the preset sets.
    pub request: MockRequest,
    /// The server's key settings the preset needs, if it changes them (the attack presets give
    /// the server the demo JWKS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<PresetServer>,
    /// The rule the refusal follows, for the attack presets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
    /// The attack of the catalogue the preset sends, whose source (RFC 8725 section or CVE)
    /// the page cites.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attack: Option<Attack>,
}

/// The key settings an attack preset gives the server: keys with `kid`s and the algorithms
/// it accepts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PresetServer {
    pub keys: Vec<Key>,
    pub algorithms: Vec<Algorithm>,
    /// The HMAC secret, where the preset changes it (the weak-secret attack's server).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl Preset {
    /// `base` with the server settings this preset needs (unchanged for most presets).
    pub fn scenario(&self, base: &Scenario) -> Scenario {
        let mut scenario = base.clone();
        if let Some(server) = &self.server {
            scenario.keys.clone_from(&server.keys);
            scenario.algorithms.clone_from(&server.algorithms);
            if let Some(secret) = &server.secret {
                scenario.key.clone_from(secret);
            }
        }
        scenario
    }
}

impl Default for MockRequest {
    /// `GET /profile` with a valid Bearer token for alice, role user, no scopes.
    fn default() -> Self {
        MockRequest {
            method: "GET".to_string(),
            path: "/profile".to_string(),
            token: true,
            kind: CredentialKind::Bearer,
            validity: Validity::Valid,
            subject: "alice".to_string(),
            role: "user".to_string(),
            scopes: Vec::new(),
            csrf: CsrfToken::Sent,
        }
    }
}

impl MockRequest {
    /// Whether the request carries a token the attacker signed with their Ed25519 key (a
    /// foreign `jku` or `x5u`, an embedded `jwk` or `x5c`): minting it needs the `asymmetric`
    /// feature ([`crate::ASYMMETRIC`]).
    pub fn signed_by_the_attacker(&self) -> bool {
        self.token
            && matches!(
                self.validity,
                Validity::ForeignJku
                    | Validity::EmbeddedJwk
                    | Validity::Forged(Attack::X5u | Attack::X5c)
            )
    }

    /// The raw HTTP/1.1 request, CRLF line endings, with credentials minted for `scenario`'s
    /// clock, key, issuer and audience.
    pub fn to_raw(&self, scenario: &Scenario) -> String {
        let mut target = encode_path(&self.path);
        let method = if self.method.is_empty() {
            "GET"
        } else {
            self.method.as_str()
        };
        let mut headers: Vec<String> = Vec::new();
        if self.token {
            let reader = self.kind.reader();
            let value = match reader.verifier {
                Verifier::Jwt => self.bearer_token(scenario),
                Verifier::Password => self.basic_token68(scenario),
                Verifier::ApiKey => self.api_key(scenario),
                Verifier::Session => self.session_id(scenario),
            };
            match self.kind.place(&scenario.policy) {
                Place::Authorization(scheme) => {
                    headers.push(format!("Authorization: {scheme} {value}"));
                }
                Place::Query(name) => {
                    let separator = if target.contains('?') { '&' } else { '?' };
                    target = format!("{target}{separator}{name}={value}");
                }
                Place::Header(name) => headers.push(format!("{name}: {value}")),
                Place::Cookie(name) if self.sends_csrf_token() => {
                    // A browser that has the session has the CSRF cookie too; the page's script
                    // copies it into the header, or forgets to.
                    headers.push(format!(
                        "Cookie: {name}={value}; {CSRF_COOKIE}={DEMO_CSRF_TOKEN}"
                    ));
                    match self.csrf {
                        CsrfToken::Sent => {
                            headers.push(format!("{CSRF_HEADER}: {DEMO_CSRF_TOKEN}"))
                        }
                        CsrfToken::Wrong => {
                            headers.push(format!("{CSRF_HEADER}: {WRONG_CSRF_TOKEN}"))
                        }
                        CsrfToken::Missing => {}
                    }
                }
                Place::Cookie(name) => headers.push(format!("Cookie: {name}={value}")),
            }
        }
        let mut raw = format!(
            "{method} {target} HTTP/1.1\r\nHost: {MOCK_HOST}\r\nAccept: application/json\r\n"
        );
        for header in headers {
            raw.push_str(&header);
            raw.push_str("\r\n");
        }
        raw.push_str("\r\n");
        raw
    }

    /// Whether the request carries a CSRF token, so that the builder's [`CsrfToken`] choice
    /// shows in it: a session sent with an unsafe method (any but GET, HEAD, OPTIONS and
    /// TRACE, the safe methods of RFC 9110 §9.2.1, which need none).
    pub fn sends_csrf_token(&self) -> bool {
        let method = if self.method.is_empty() {
            "GET"
        } else {
            self.method.as_str()
        };
        self.token && self.kind == CredentialKind::Session && !is_safe(method)
    }

    /// The API key these toggles send: the subject's, a made-up one for a subject without one,
    /// or one the server never issued.
    fn api_key(&self, scenario: &Scenario) -> String {
        if self.validity == Validity::Unknown {
            return UNKNOWN_API_KEY.to_string();
        }
        scenario
            .api_keys
            .iter()
            .find(|key| key.user == self.subject)
            .map_or_else(
                || format!("ak_{}_demo", self.subject),
                |key| key.key.clone(),
            )
    }

    /// The session id these toggles send: the subject's live (or expired) session, or one the
    /// server does not hold.
    fn session_id(&self, scenario: &Scenario) -> String {
        let expired = self.validity == Validity::Expired;
        if self.validity == Validity::Unknown {
            return UNKNOWN_SESSION.to_string();
        }
        let of_subject = scenario
            .sessions
            .iter()
            .find(|session| session.user == self.subject && session.expired == expired);
        let any = || {
            scenario
                .sessions
                .iter()
                .find(|session| session.expired == expired)
        };
        of_subject
            .or_else(any)
            .map_or_else(|| UNKNOWN_SESSION.to_string(), |session| session.id.clone())
    }

    /// Toggles whose request passes `route`'s access rule in `scenario`: the route's method,
    /// its path with every `{param}` filled in, and the least credentials the rule asks for.
    /// A public route gets no credentials; the others a valid Bearer token for the scenario's
    /// first user, carrying the role a role rule names (sent by a user who has it, if any),
    /// the scope a scope rule names, and for an owner rule a path that names that user.
    /// Parameters of other rules name the second user, as the presets do
    /// (`DELETE /users/bob`). Like every `MockRequest`, it only writes text: whether the
    /// request passes is for `evaluate` to say (tests hold it to a 2xx for every route of the
    /// demo API under the rfc profile).
    pub fn passing(route: &Route, scenario: &Scenario) -> MockRequest {
        let name = |index: usize, fallback: &str| {
            scenario
                .users
                .get(index)
                .map_or_else(|| fallback.to_string(), |user| user.name.clone())
        };
        let subject = name(0, "alice");
        let role_of = |subject: &str| {
            scenario
                .user(subject)
                .map(|user| user.role.clone())
                .unwrap_or_default()
        };
        // The first scheme the route accepts (a Bearer token where it takes one).
        let kind = scenario
            .policy
            .schemes_of(route)
            .into_iter()
            .map(|(_, scheme)| CredentialKind::sending(scheme))
            .find(|kind| *kind == CredentialKind::Bearer)
            .or_else(|| {
                scenario
                    .policy
                    .schemes_of(route)
                    .first()
                    .map(|(_, scheme)| CredentialKind::sending(scheme))
            })
            .unwrap_or_default();
        let mut request = MockRequest {
            method: route.method.clone(),
            path: fill_pattern(&route.path, &name(1, "bob")),
            role: role_of(&subject),
            subject,
            kind,
            ..MockRequest::default()
        };
        match &route.access {
            Access::Public => request.token = false,
            Access::Authenticated => {}
            Access::Role(role) => {
                if let Some(holder) = scenario.users.iter().find(|user| &user.role == role) {
                    request.subject.clone_from(&holder.name);
                }
                request.role.clone_from(role);
            }
            Access::Scope(scope) => request.scopes = vec![scope.clone()],
            Access::Owner(_) => request.path = fill_pattern(&route.path, &request.subject),
        }
        request
    }

    /// The claims a valid token for these toggles carries.
    pub fn claims(&self, scenario: &Scenario) -> Claims {
        let now = scenario.now;
        let mut claims = Claims {
            sub: Some(self.subject.clone()).filter(|subject| !subject.is_empty()),
            role: Some(self.role.clone()).filter(|role| !role.is_empty()),
            scope: Some(self.scopes.join(" ")).filter(|scope| !scope.is_empty()),
            exp: Some(now.saturating_add(3600)),
            nbf: None,
            iat: Some(now),
            iss: Some(scenario.issuer.clone()),
            aud: Some(scenario.audience.clone()),
        };
        match self.validity {
            Validity::Expired => {
                claims.iat = Some(now.saturating_sub(7200));
                claims.exp = Some(now.saturating_sub(3600));
            }
            Validity::NotYetValid => claims.nbf = Some(now.saturating_add(3600)),
            Validity::WrongAudience => claims.aud = Some("https://other.example".to_string()),
            Validity::JustExpired => {
                claims.iat = Some(now.saturating_sub(3631));
                claims.exp = Some(now.saturating_sub(31));
            }
            _ => {}
        }
        claims
    }

    /// The Bearer token (JWT) these toggles describe.
    fn bearer_token(&self, scenario: &Scenario) -> String {
        let claims = self.claims(scenario);
        match self.validity {
            Validity::BadSignature => mint_token(&claims, "not-the-server-key"),
            Validity::AlgNone => forge(Attack::AlgNone, &claims, "").token,
            Validity::Forged(Attack::WeakSecret) => {
                // The guesser cracks a token the server issued (any will do) offline.
                let issued = mint_token(&claims, &scenario.key);
                let secret = guess_secret(&issued).unwrap_or(WEAK_SECRETS[0]);
                forge(Attack::WeakSecret, &claims, secret).token
            }
            Validity::Forged(attack) => forge(attack, &claims, "").token,
            Validity::Malformed => "not-a-jwt".to_string(),
            Validity::AlgConfusion => sign(
                &format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{DEMO_RSA_KID}"}}"#),
                &claims,
                DEMO_RSA_PUBLIC_PEM,
            ),
            Validity::UnknownKid => sign(
                &format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{UNKNOWN_KID}"}}"#),
                &claims,
                &scenario.key,
            ),
            Validity::ForeignJku => {
                let mut header = Map::new();
                header.insert("typ".into(), "JWT".into());
                header.insert("kid".into(), DEMO_ED25519_KID.into());
                header.insert("jku".into(), ATTACKER_JKU.into());
                signed_by_attacker(header, &claims)
            }
            Validity::EmbeddedJwk => {
                let mut header = Map::new();
                header.insert("typ".into(), "JWT".into());
                header.insert("jwk".into(), Value::Object(crate::keys::attacker_jwk()));
                signed_by_attacker(header, &claims)
            }
            _ => mint_token(&claims, &scenario.key),
        }
    }

    /// The Basic token68 these toggles describe.
    fn basic_token68(&self, scenario: &Scenario) -> String {
        match self.validity {
            // '-' and the missing padding make this invalid base64, though a valid token68.
            Validity::Malformed => "not-base64".to_string(),
            Validity::WrongPassword => basic_credentials(&self.subject, "wrong-pw"),
            _ => {
                let password = scenario.user(&self.subject).map_or_else(
                    || format!("{}-pw", self.subject),
                    |user| user.password.clone(),
                );
                basic_credentials(&self.subject, &password)
            }
        }
    }
}

/// GET, HEAD, OPTIONS and TRACE: the methods that need no CSRF token.
fn is_safe(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS" | "TRACE")
}

/// The `kid` of the unknown-kid attack: a key the server does not have (rotated away, or made up).
pub const UNKNOWN_KID: &str = "rotated-away-2025";

/// The `jku` of the foreign-jku attack: a key set on the attacker's host.
pub const ATTACKER_JKU: &str = "https://attacker.example/.well-known/jwks.json";

/// An EdDSA token with `header`, signed with the attacker's demo key.
fn signed_by_attacker(mut header: Map<String, Value>, claims: &Claims) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    header.insert("alg".into(), Algorithm::EdDSA.name().into());
    // Serializing a struct of strings and numbers cannot fail.
    let payload = serde_json::to_string(claims).unwrap_or_default();
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(Value::Object(header).to_string()),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = crate::keys::attacker_signature(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// A token signed HS256 with `key` but carrying any header: lets callers build "alg RS256"
/// or similar test tokens.
pub fn token_with_header(header_json: &str, claims: &Claims, key: &str) -> String {
    sign(header_json, claims, key)
}

/// The presets of DESIGN.md's preset bar, in display order: the eight of the first page, then
/// the four of API keys and sessions.
pub fn presets() -> Vec<Preset> {
    let request = |method: &str, path: &str, subject: &str, role: &str| MockRequest {
        method: method.to_string(),
        path: path.to_string(),
        subject: subject.to_string(),
        role: role.to_string(),
        ..MockRequest::default()
    };
    vec![
        Preset {
            server: None,
            rule: None,
            attack: None,
            id: "no-token",
            title: "No token",
            summary: "GET /profile without credentials: 401 with a challenge and no error code",
            request: MockRequest {
                token: false,
                ..request("GET", "/profile", "alice", "user")
            },
        },
        Preset {
            server: None,
            rule: None,
            attack: None,
            id: "invalid-token",
            title: "Invalid token",
            summary: "a token signed with another key: 401 invalid_token",
            request: MockRequest {
                validity: Validity::BadSignature,
                ..request("GET", "/profile", "alice", "user")
            },
        },
        Preset {
            server: None,
            rule: None,
            attack: None,
            id: "expired-token",
            title: "Expired token",
            summary: "a token that expired an hour ago: 401 invalid_token, not 403",
            request: MockRequest {
                validity: Validity::Expired,
                ..request("GET", "/profile", "alice", "user")
            },
        },
        Preset {
            server: None,
            rule: None,
            attack: None,
            id: "user-on-admin",
            title: "User on an admin route",
            summary: "alice (role user) asks for GET /admin: known but not allowed, 403",
            request: request("GET", "/admin", "alice", "user"),
        },
        Preset {
            server: None,
            rule: None,
            attack: None,
            id: "admin-deletes-user",
            title: "Admin deletes a user",
            summary: "carol (role admin) sends DELETE /users/bob: 204 No Content",
            request: request("DELETE", "/users/bob", "carol", "admin"),
        },
        Preset {
            server: None,
            rule: None,
            attack: None,
            id: "public-page",
            title: "Public page",
            summary: "GET /public without a token: 200, no credentials needed",
            request: MockRequest {
                token: false,
                ..request("GET", "/public", "alice", "user")
            },
        },
        Preset {
            server: None,
            rule: None,
            attack: None,
            id: "insufficient-scope",
            title: "Insufficient scope",
            summary: "alice's token lacks reports:read for GET /reports: 403 insufficient_scope",
            request: request("GET", "/reports", "alice", "user"),
        },
        Preset {
            server: None,
            rule: None,
            attack: None,
            id: "other-users-notes",
            title: "Another user's notes",
            summary: "alice asks for GET /users/bob/notes: authenticated, not the owner, 403",
            request: request("GET", "/users/bob/notes", "alice", "user"),
        },
        Preset {
            server: None,
            rule: None,
            attack: None,
            id: "csrf-missing",
            title: "Why 403 on my POST?",
            summary: "alice's live session posts her notes without the X-CSRFToken header: the CSRF check refuses it, 403",
            request: MockRequest {
                kind: CredentialKind::Session,
                csrf: CsrfToken::Missing,
                ..request("POST", "/users/alice/notes", "alice", "user")
            },
        },
        Preset {
            server: None,
            rule: None,
            attack: None,
            id: "unknown-api-key",
            title: "Unknown API key",
            summary: "GET /metrics with an X-API-Key the server never issued: 401 with an APIKey challenge",
            request: MockRequest {
                kind: CredentialKind::ApiKey,
                validity: Validity::Unknown,
                ..request("GET", "/metrics", "alice", "user")
            },
        },
        Preset {
            server: None,
            rule: None,
            attack: None,
            id: "api-key-in-url",
            title: "API key in the URL",
            summary: "GET /metrics?api_key=…: the server reads keys from X-API-Key only, so 401, and the key is now in every log",
            request: MockRequest {
                kind: CredentialKind::ApiKeyQuery,
                ..request("GET", "/metrics", "alice", "user")
            },
        },
        Preset {
            server: None,
            rule: None,
            attack: None,
            id: "expired-session",
            title: "Expired session",
            summary: "GET /profile with alice's expired session cookie: 401, log in again",
            request: MockRequest {
                kind: CredentialKind::Session,
                validity: Validity::Expired,
                ..request("GET", "/profile", "alice", "user")
            },
        },
    ]
}

/// The attack presets: tokens a server must refuse, each with the rule it follows, then the
/// rest of the attack catalogue ([`crate::teach::attacks`]), each forging an admin token for
/// `GET /admin`. They give the server the demo JWKS (RSA, P-256 and Ed25519 keys with `kid`s)
/// beside its HMAC secret, and accept HS256, RS256, ES256 and EdDSA, so each attack meets a
/// server it could fool; but the weak-secret attack meets the demo server with the secret
/// `secret`, which lets the forged admin in.
pub fn attack_presets() -> Vec<Preset> {
    let server = PresetServer {
        keys: demo_jwks(),
        algorithms: vec![
            Algorithm::HS256,
            Algorithm::RS256,
            Algorithm::ES256,
            Algorithm::EdDSA,
        ],
        secret: None,
    };
    let attack = |id, title, summary, rule, validity| Preset {
        id,
        title,
        summary,
        request: MockRequest {
            validity,
            ..MockRequest::default()
        },
        server: Some(server.clone()),
        rule: Some(rule),
        attack: match validity {
            Validity::AlgNone => Some(Attack::AlgNone),
            _ => None,
        },
    };
    // alice's token, made to say she is an admin.
    let forged = |id, title, summary, rule: Option<Rule>, attack: Attack| Preset {
        id,
        title,
        summary,
        request: MockRequest {
            validity: Validity::Forged(attack),
            path: "/admin".to_string(),
            role: "admin".to_string(),
            ..MockRequest::default()
        },
        server: Some(server.clone()),
        rule,
        attack: Some(attack),
    };
    vec![
        attack(
            "attack-alg-none",
            "Attack: alg none",
            "an unsigned token (alg none): refused at the alg step, 401 invalid_token",
            Rule::R12,
            Validity::AlgNone,
        ),
        attack(
            "attack-alg-confusion",
            "Attack: algorithm confusion",
            "HS256 signed with the server's RSA public key as the secret: the RSA key never verifies HS256, 401",
            Rule::R12,
            Validity::AlgConfusion,
        ),
        attack(
            "attack-unknown-kid",
            "Attack: unknown kid",
            "a kid the server's key set does not have: no key to verify with, 401 invalid_token",
            Rule::R19,
            Validity::UnknownKid,
        ),
        attack(
            "attack-jku",
            "Attack: foreign jku",
            "a jku on the attacker's host: never fetched, the server's own key refuses the signature, 401",
            Rule::R19,
            Validity::ForeignJku,
        ),
        attack(
            "attack-embedded-jwk",
            "Attack: embedded jwk",
            "a token carrying the key that signed it: never trusted, the signature fails, 401",
            Rule::R19,
            Validity::EmbeddedJwk,
        ),
        attack(
            "attack-expired-31s",
            "Attack: expired 31 s ago",
            "expired 31 s ago under a 30 s leeway: one second too late, 401 invalid_token",
            Rule::R13,
            Validity::JustExpired,
        ),
        forged(
            "attack-alg-none-capitalised",
            "Attack: alg None",
            "an admin token with alg None: none in any case is refused at the alg step, 401",
            Some(Rule::R12),
            Attack::AlgNoneCapitalised,
        ),
        forged(
            "attack-alg-none-upper-case",
            "Attack: alg NONE",
            "an admin token with alg NONE: none in any case is refused at the alg step, 401",
            Some(Rule::R12),
            Attack::AlgNoneUpperCase,
        ),
        forged(
            "attack-alg-none-mixed-case",
            "Attack: alg nOnE",
            "an admin token with alg nOnE: none in any case is refused at the alg step, 401",
            Some(Rule::R12),
            Attack::AlgNoneMixedCase,
        ),
        forged(
            "attack-empty-signature",
            "Attack: empty signature",
            "an HS256 admin token with an empty (null) signature: refused at the signature, 401",
            Some(Rule::R19),
            Attack::EmptySignature,
        ),
        Preset {
            server: Some(PresetServer {
                keys: Vec::new(),
                algorithms: vec![Algorithm::HS256],
                secret: Some(WEAK_SECRETS[0].to_string()),
            }),
            ..forged(
                "attack-weak-secret",
                "Attack: weak secret",
                "the server's HMAC secret is \"secret\": guessed from one token, it signs an admin token that passes, 200",
                None,
                Attack::WeakSecret,
            )
        },
        forged(
            "attack-psychic-signature",
            "Attack: psychic signature",
            "an ES256 admin token with r = s = 0 (CVE-2022-21449): refused at the signature, 401",
            Some(Rule::R19),
            Attack::PsychicSignature,
        ),
        forged(
            "attack-kid-traversal",
            "Attack: kid path traversal",
            "kid ../../dev/null, signed with an empty secret: the kid only names a key of the set, none has it, 401",
            Some(Rule::R19),
            Attack::KidTraversal,
        ),
        forged(
            "attack-kid-injection",
            "Attack: kid injection",
            "a kid shaped as SQL injection: never put in a query, no key has it, 401",
            Some(Rule::R19),
            Attack::KidInjection,
        ),
        forged(
            "attack-x5u",
            "Attack: x5u",
            "an x5u on the attacker's host: never fetched, the server's own key refuses the signature, 401",
            Some(Rule::R19),
            Attack::X5u,
        ),
        forged(
            "attack-x5c",
            "Attack: embedded x5c",
            "an x5c carrying the attacker's key: never trusted, the server's own key refuses the signature, 401",
            Some(Rule::R19),
            Attack::X5c,
        ),
    ]
}

/// The preset with that id, of the preset bar or the attacks.
pub fn preset(id: &str) -> Option<Preset> {
    presets()
        .into_iter()
        .chain(attack_presets())
        .find(|preset| preset.id == id)
}

/// A `curl` command line that sends `request` to `base_url` (e.g. `http://127.0.0.1:8080`).
/// Every argument is single-quoted, so the line is safe to paste into a POSIX shell.
/// `Host` and `Content-Length` are left to curl.
pub fn curl_command(request: &Request, base_url: &str) -> String {
    let mut words = vec!["curl".to_string()];
    match request.method.as_str() {
        "GET" => words.push("-i".to_string()),
        // `-X HEAD` would make curl wait for a body that never comes.
        "HEAD" => words.push("--head".to_string()),
        method => {
            words.push("-i".to_string());
            words.push("-X".to_string());
            words.push(shell_quote(method));
        }
    }
    let url = format!("{}{}", base_url.trim_end_matches('/'), request.target);
    words.push(shell_quote(&url));
    for header in &request.headers {
        if header.name.eq_ignore_ascii_case("host")
            || header.name.eq_ignore_ascii_case("content-length")
        {
            continue;
        }
        words.push("-H".to_string());
        words.push(shell_quote(&format!("{}: {}", header.name, header.value)));
    }
    if !request.body.is_empty() {
        words.push("--data-raw".to_string());
        words.push(shell_quote(&request.body));
    }
    words.join(" ")
}

/// POSIX single quoting: nothing inside '…' is special except ', written '\''.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Percent-encodes what cannot stand in a request target (spaces, controls, non-ASCII, '#').
fn encode_path(path: &str) -> String {
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if (0x21..=0x7E).contains(&byte) && byte != b'#' {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::{CredentialKind, MockRequest, Validity};
    use crate::model::{Profile, Scenario};
    use crate::pipeline::evaluate;
    use crate::policy::Policy;

    /// Every route of `policy` answered 2xx to its `passing` request, under `profile`.
    fn check_every_route_passes(policy: Policy, profile: Profile) {
        let scenario = Scenario {
            policy,
            profile,
            ..Scenario::default()
        };
        for route in &scenario.policy.routes {
            let raw = MockRequest::passing(route, &scenario).to_raw(&scenario);
            let response = evaluate(&raw, &scenario).response;
            assert!(
                (200..300).contains(&response.status.code()),
                "{profile:?} {} {}:\n{raw}\nanswered\n{response}",
                route.method,
                route.path
            );
        }
    }

    #[test]
    fn a_passing_request_gets_a_2xx_on_every_route() {
        let every_rule = Policy::from_toml(
            "[[routes]]\nmethod = \"GET\"\npath = \"/status\"\naccess = \"public\"\n\
             [[routes]]\nmethod = \"POST\"\npath = \"/audits\"\naccess = { role = \"auditor\" }\n\
             [[routes]]\nmethod = \"PUT\"\npath = \"/teams/{team}/members/{member}\"\n\
             access = { owner = \"member\" }\n\
             [[routes]]\nmethod = \"GET\"\npath = \"/exports/{id}\"\naccess = { scope = \"exports:read\" }\n",
        )
        .expect("the test policy parses");
        let cases = [
            (Policy::default_api(), Profile::Rfc),
            (Policy::default_api(), Profile::Conceal),
            (every_rule.clone(), Profile::Rfc),
            (every_rule, Profile::Conceal),
        ];
        for (policy, profile) in cases {
            check_every_route_passes(policy, profile);
        }
    }

    #[test]
    fn each_kind_offers_the_validities_that_can_happen_to_it() {
        let basic = Validity::for_kind(CredentialKind::Basic);
        let bearer = Validity::for_kind(CredentialKind::Bearer);
        assert!(
            basic.contains(&Validity::WrongPassword) && !bearer.contains(&Validity::WrongPassword)
        );
        assert!(bearer.contains(&Validity::AlgNone) && !basic.contains(&Validity::AlgNone));
        assert_eq!(Validity::for_kind(CredentialKind::Query), bearer);
        // Together the kinds offer every validity, each kind starting from a valid one.
        for validity in Validity::ALL {
            assert!(
                CredentialKind::ALL
                    .iter()
                    .any(|kind| Validity::for_kind(*kind).contains(&validity)),
                "{validity:?}"
            );
        }
        assert_eq!(
            Validity::for_kind(CredentialKind::Session),
            [Validity::Valid, Validity::Expired, Validity::Unknown]
        );
        assert!([basic, bearer]
            .iter()
            .all(|list| list.first() == Some(&Validity::Valid)));
    }
}
