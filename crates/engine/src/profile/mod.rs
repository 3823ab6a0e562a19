//! Server profiles: how a server *answers* what the pipeline decided.
//!
//! The pipeline parses, routes, reads and verifies credentials and authorizes; it ends in a
//! [`Case`]: what it found. A profile is data: for each case the status, the challenges and
//! the body its server sends, and the order in which that server runs the checks. The same
//! request under two profiles differs only by these tables, never by a branch in the pipeline.

mod aspnetcore;
mod aws;
mod case;
mod drf;
mod express;
mod fastapi;
mod flask;
mod order;
mod reference;
mod spring;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::credentials::{self, Reader, READERS};
use crate::http::Status;
use crate::rule::Rule;

pub use case::{
    Case, Csrf, Denied, Invalid, KeyCheck, Kind, Missing, PasswordCheck, Routing, SessionCheck,
    TokenCheck, Unparsable, Unusable,
};
pub use order::Node;
pub(crate) use order::{Step, To};

/// `per_scheme: Some(Style::Realm)` on an answer, for tables that write it often.
pub(crate) const REALM: Option<Style> = Some(Style::Realm);

/// The registry: one line per profile (its variant, its id and its table), from which the
/// `Profile` enum, its ids, its list and its tables are made, so a new profile is a file with
/// its table and a line here.
macro_rules! registry {
    ($($(#[$attribute:meta])* $variant:ident = $id:literal => $table:path,)*) => {
        /// Which kind of server answers: the same request, different behaviour.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Profile {
            $($(#[$attribute])* $variant,)*
        }

        impl Profile {
            /// Every profile, the default first, the reference profiles before the frameworks.
            pub const ALL: [Profile; [$($id),*].len()] = [$(Profile::$variant),*];

            /// The stable id, also the serde name: `"rfc"`, `"conceal"`, `"fastapi-0.121"`.
            pub fn id(self) -> &'static str {
                match self {
                    $(Profile::$variant => $id,)*
                }
            }

            /// This profile's table.
            pub fn spec(self) -> &'static ServerProfile {
                match self {
                    $(Profile::$variant => &$table,)*
                }
            }
        }
    };
}

registry! {
    /// Everything as the RFCs say: the correct answer.
    #[default]
    Rfc = "rfc" => reference::RFC,
    /// Forbidden and unknown resources answer 404; credentials are checked before routing.
    Conceal = "conceal" => reference::CONCEAL,
    /// The common tutorial mistakes: 401 without a challenge, 403 for a bad token, no problem+json.
    Naive = "naive" => reference::NAIVE,
    /// FastAPI ≥ 0.122 with `HTTPBearer` and its security tutorial.
    Fastapi = "fastapi" => fastapi::FASTAPI,
    /// FastAPI before 0.122: 403 without a challenge when credentials are missing.
    Fastapi0121 = "fastapi-0.121" => fastapi::FASTAPI_0121,
    /// Express with `express-jwt` and Express's default error handler, in production mode.
    ExpressJwt = "express-jwt" => express::EXPRESS_JWT,
    /// Express with passport's bearer strategy, `session: false`.
    PassportHttpBearer = "passport-http-bearer" => express::PASSPORT_HTTP_BEARER,
    /// Django REST framework with its default authentication classes (Session, Basic).
    Drf = "drf" => drf::DRF,
    /// DRF with simplejwt's `JWTAuthentication` first, then Session and Basic.
    DrfSimplejwt = "drf-simplejwt" => drf::DRF_SIMPLEJWT,
    /// DRF with `TokenAuthentication` (`Authorization: Token …`).
    DrfToken = "drf-token" => drf::DRF_TOKEN,
    /// Flask-HTTPAuth `HTTPTokenAuth("Bearer")` with `login_required(role=…)`.
    FlaskHttpauth = "flask-httpauth" => flask::FLASK_HTTPAUTH,
    /// Flask-JWT-Extended `@jwt_required()` with its default callbacks.
    FlaskJwtExtended = "flask-jwt-extended" => flask::FLASK_JWT_EXTENDED,
    /// Spring Security's resource server, `oauth2ResourceServer().jwt()`.
    SpringSecurity = "spring-security" => spring::SPRING_SECURITY,
    /// Spring Security without an authentication entry point (`Http403ForbiddenEntryPoint`).
    SpringSecurityDefault = "spring-security-default" => spring::SPRING_SECURITY_DEFAULT,
    /// ASP.NET Core `AddJwtBearer` with `[Authorize]`.
    AspnetcoreJwtbearer = "aspnetcore-jwtbearer" => aspnetcore::ASPNETCORE_JWTBEARER,
    /// AWS API Gateway REST API with a Lambda (TOKEN) authorizer.
    AwsApiGateway = "aws-api-gateway" => aws::AWS_API_GATEWAY,
}

impl Profile {
    /// Every profile, the default first, the reference profiles before the frameworks.
    pub fn all() -> [Profile; Profile::ALL.len()] {
        Profile::ALL
    }

    /// The profile with that id, if any.
    pub fn from_id(id: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|profile| profile.id() == id)
    }
}

impl Serialize for Profile {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for Profile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Profile, D::Error> {
        let id = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Profile::from_id(&id).ok_or_else(|| {
            let ids: Vec<&str> = Profile::ALL.iter().map(|profile| profile.id()).collect();
            serde::de::Error::custom(format!(
                "unknown profile `{id}`, expected one of {}",
                ids.join(", ")
            ))
        })
    }
}

/// One server's behaviour, as data: what it models, where it was read, the order of its
/// checks, the credentials it reads and its answer to every case.
#[derive(Debug)]
pub struct ServerProfile {
    /// Which profile this is.
    pub profile: Profile,
    /// What kind of server it stands for.
    pub family: Family,
    /// A short name for menus, e.g. "RFC 9110 / 6750".
    pub title: &'static str,
    /// One line: the set-up it models.
    pub models: &'static str,
    /// The version of the framework it was read from; empty for the reference profiles.
    pub version: &'static str,
    /// Where each behaviour was read: project, version, file.
    pub sources: &'static [&'static str],
    /// How to make this framework answer as the RFCs say, per lint rule its answers break.
    pub fixes: &'static [Fix],
    /// The order of the checks: one driver runs it, and the drawing is made from it.
    pub(crate) steps: &'static [Step],
    /// The credential readers the server has, in the order it prefers them. An API key or a
    /// session reader reads under the name the policy's scheme gives it.
    pub(crate) readers: &'static [&'static Reader],
    /// What the server reads when the policy names no schemes: what it read before policies
    /// had schemes (its `Authorization` readers and the query token), so such a policy's
    /// answers stay as they were.
    pub(crate) native: &'static [&'static Reader],
    /// Which of a route's schemes the server reads: any of them, or only the first it has a
    /// reader for (one security dependency per route, as FastAPI apps are written).
    pub(crate) route_schemes: RouteSchemes,
    /// How the server combines what several readers find.
    pub(crate) tries: Tries,
    /// Only the first `Authorization` field is read, the rest ignored (as most HTTP libraries'
    /// "get one header" does), instead of refusing several.
    pub(crate) first_authorization_only: bool,
    /// How the `Authorization` value is split into a scheme and credentials.
    pub(crate) syntax: AuthorizationSyntax,
    /// A verified token must name, in `sub`, a user the server knows (as the frameworks'
    /// tutorials look the user up); otherwise any verified `sub` is taken.
    pub(crate) subject_must_be_a_user: bool,
    /// Whether a success answered to a token in the URL carries `Cache-Control: private`
    /// (RFC 6750 §5.3).
    pub(crate) private_cache_for_query_tokens: bool,
    /// A verified token without `exp` is refused (simplejwt's `check_exp`); otherwise it is
    /// taken as never expiring.
    pub(crate) token_must_expire: bool,
    /// A token's caller gets the role of its user in the server's table (Django's
    /// `is_staff`), not the token's `role` claim; only where `subject_must_be_a_user`.
    pub(crate) role_from_user: bool,
    /// The answer to every case: a `match` per table, whole by construction.
    pub(crate) answers: fn(Case) -> Answer,
}

/// Which of a route's schemes a server reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RouteSchemes {
    /// Any of them: the first credential found, in the server's order of readers.
    Any,
    /// Only the first the server has a reader for (one security dependency per route).
    First,
    /// Whatever the route says, every reader of the server (DRF's
    /// `DEFAULT_AUTHENTICATION_CLASSES`, which every view runs); the policy's schemes only name
    /// the cookie and the key header.
    Global,
}

/// How a server combines what several readers find.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tries {
    /// One credential sent on purpose (an `Authorization` field, a query parameter, a key
    /// header), two refused as sent two ways at once (RFC 6750 §3.1); a cookie when nothing
    /// else was sent, or when its reader comes first.
    Exclusive,
    /// Each reader in turn, the first whose credential is there taking the request; a session
    /// cookie without a live session passes to the next (DRF's authentication classes).
    InOrder,
}

/// How a server splits an `Authorization` value into a scheme and its credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AuthorizationSyntax {
    /// RFC 9110 §11: each field is one credential, the scheme read in any case, the
    /// credentials one token68.
    Rfc9110,
    /// The value is split at every space and must be exactly two parts, the second read as the
    /// credentials whatever its characters (`value.split(' ')`, as passport-http-bearer and
    /// express-jwt do): anything else is malformed, even another scheme with parameters.
    TwoParts,
    /// As RFC 9110, but the Bearer scheme compared byte for byte (`Bearer`, as simplejwt's
    /// `AUTH_HEADER_TYPES`), so `bearer …` is a scheme the server does not read.
    BearerExact,
    /// The fields are read as one comma-separated list (as Werkzeug joins several fields into
    /// one) and the credential is its one element whose scheme is exactly `Bearer`: none is an
    /// unsupported scheme, several are several credentials (Flask-JWT-Extended).
    BearerFromList,
}

/// How to fix, in one framework, what a lint rule finds in its answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fix {
    pub rule: Rule,
    /// What to change, in that framework's terms, one or two sentences.
    pub advice: &'static str,
    /// The framework's documentation of it (followed only when clicked).
    pub docs: &'static str,
}

/// Reference servers (the RFCs, and two ways of departing from them) or a real framework.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Reference,
    Framework,
}

/// What a server sends for a case.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Answer {
    pub status: Code,
    /// `WWW-Authenticate` fields, in order.
    pub challenges: &'static [Challenge],
    pub body: Body,
    /// The answer is a 404 that hides a resource that exists (RFC 9110 §15.5.4), so the lint
    /// compares it with the answer for a path that does not exist (R17).
    pub conceals: bool,
    /// The answer carries `Allow` with the route's methods (RFC 9110 §15.5.6).
    pub allow: bool,
    /// Besides `challenges`, one challenge per scheme the route accepts, written in this
    /// style: so a route that takes only an API key asks for one, and a route that takes
    /// Bearer and Basic asks for both.
    pub per_scheme: Option<Style>,
}

/// How a challenge per accepted scheme is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// RFC 9110 §11.6.1 with the scenario's realm: `Bearer realm="…"`, `Basic realm="…",
    /// charset="UTF-8"`, `Token realm="…"`. A route that takes no `Authorization` scheme gets
    /// `APIKey realm="…"` for an API key, else `Session realm="…"`: no scheme is registered
    /// for either (IANA's HTTP Authentication Scheme Registry), yet a 401 must carry a
    /// challenge (RFC 9110 §15.5.2), and `APIKey` is the name FastAPI answers with.
    Realm,
    /// The bare scheme name of each, as FastAPI's security classes write it: `Bearer`,
    /// `Basic`, `APIKey`.
    Bare,
}

/// The status of an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Code {
    /// The one the pipeline decided: the parser's 400/413/431, or the handler's 200/204.
    Decided,
    Is(Status),
}

/// One `WWW-Authenticate` challenge: a scheme and its auth-params, in order; with no
/// parameter it is the bare scheme (RFC 9110 §11.3, which R15 flags for Bearer).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Challenge {
    pub scheme: &'static str,
    pub params: &'static [Param],
}

/// An auth-param of a challenge, as a quoted-string.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Param {
    /// `realm="…"`: the scenario's realm.
    Realm,
    /// `realm="…"` fixed by the framework, e.g. passport's `"Users"`.
    RealmIs(&'static str),
    /// `error="…"`.
    Error(&'static str),
    /// `error_description="…"`: what the pipeline found, in the characters RFC 6750 allows.
    Description,
    /// `scope="…"`: the scope the route needs.
    Scope,
    /// `error_description="…"` as the framework writes it. `{exp}` and `{nbf}` stand for the
    /// token's claims as Java's `Instant` prints them (`2026-01-01T00:00:00Z`),
    /// `{exp_invariant}` and `{nbf_invariant}` as .NET's invariant culture does
    /// (`01/01/2026 00:00:00`), `{iss}` and `{aud}` for the token's issuer and audience.
    DescriptionIs(&'static str),
    /// `error_uri="…"`, fixed by the framework.
    ErrorUri(&'static str),
}

/// The body of an answer.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Body {
    /// `application/problem+json` (RFC 9457) with the pipeline's detail.
    Problem,
    /// `application/problem+json` with this detail, whatever was found.
    ProblemSaying(&'static str),
    /// `text/plain; charset=utf-8`: `Reason: detail`.
    ReasonAndDetail,
    /// The demo API's handler: `{"user":…,"route":…}`, or nothing for a 204.
    Handler,
    /// A fixed text with its media type, e.g. FastAPI's `{"detail":"Not authenticated"}`.
    Fixed {
        content_type: &'static str,
        text: &'static str,
    },
    /// A fixed text without `Content-Type`, as Node's `res.end(text)` sends it.
    Untyped(&'static str),
    /// An HTML page in which `{method}` and `{path}` stand for the request's method and path
    /// (without the query), percent-encoded where a URL may not hold a character and then
    /// HTML-escaped, as Express's finalhandler writes `<pre>Cannot GET /nope</pre>`.
    HtmlNaming(&'static str),
    /// A fixed text in which `{method}` is the request's method (a token, so safe in JSON
    /// and HTML), e.g. DRF's `{"detail":"Method \"POST\" not allowed."}`.
    FixedNamingMethod {
        content_type: &'static str,
        text: &'static str,
    },
}

/// An answer with a status of its own, no `Allow`, concealing nothing: what most rows are.
pub(super) const fn answer(status: Status, challenges: &'static [Challenge], body: Body) -> Answer {
    Answer {
        status: Code::Is(status),
        challenges,
        body,
        conceals: false,
        allow: false,
        per_scheme: None,
    }
}

/// An answer whose body is a fixed text of `content_type`.
pub(super) const fn fixed(
    status: Status,
    challenges: &'static [Challenge],
    content_type: &'static str,
    text: &'static str,
) -> Answer {
    answer(status, challenges, Body::Fixed { content_type, text })
}

/// An answer whose body is a fixed `application/json` text.
pub(super) const fn json(
    status: Status,
    challenges: &'static [Challenge],
    text: &'static str,
) -> Answer {
    fixed(status, challenges, "application/json", text)
}

/// The handler's answer, for `Case::Allowed`: its own status (200, or 204 for DELETE) and
/// the demo API's body.
pub(super) const HANDLER: Answer = Answer {
    status: Code::Decided,
    challenges: &[],
    body: Body::Handler,
    conceals: false,
    allow: false,
    per_scheme: None,
};

/// What the server in front cannot parse: the parser's status (400, 413, 431) and no body.
pub(super) const CANNOT_PARSE_UNTYPED: Answer = Answer {
    status: Code::Decided,
    challenges: &[],
    body: Body::Untyped(""),
    conceals: false,
    allow: false,
    per_scheme: None,
};

impl ServerProfile {
    /// What a table does not say: a reference server that reads every credential, checks the
    /// route first and looks no user up. Tables spell out what differs and take the rest with
    /// `..ServerProfile::BASE`, so a new setting needs a default here only.
    pub(crate) const BASE: ServerProfile = ServerProfile {
        profile: Profile::Rfc,
        family: Family::Reference,
        title: "",
        models: "",
        version: "",
        sources: &[],
        fixes: &[],
        steps: order::ROUTE_FIRST,
        readers: &READERS,
        native: &[
            &credentials::BEARER,
            &credentials::BASIC,
            &credentials::ACCESS_TOKEN,
        ],
        route_schemes: RouteSchemes::Any,
        tries: Tries::Exclusive,
        first_authorization_only: false,
        syntax: AuthorizationSyntax::Rfc9110,
        subject_must_be_a_user: false,
        private_cache_for_query_tokens: true,
        token_must_expire: false,
        role_from_user: false,
        answers: reference::rfc,
    };

    /// How to fix what `rule` finds, in this profile's framework; `None` for the reference
    /// profiles and for rules the table has no advice for.
    pub fn fix(&self, rule: Rule) -> Option<&Fix> {
        self.fixes.iter().find(|fix| fix.rule == rule)
    }

    /// The answer to `case`.
    pub(crate) fn answer(&self, case: Case) -> Answer {
        (self.answers)(case)
    }

    /// The status this server answers `case` with; `None` where the pipeline decides it (the
    /// parser's 400/413/431, the handler's 200/204).
    pub fn status(&self, case: Case) -> Option<Status> {
        match self.answer(case).status {
            Code::Is(status) => Some(status),
            Code::Decided => None,
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// An answer as text, for the table tests of the profiles held to their source: status
    /// (0 for the handler's own), each challenge as the header reads with the token's claims
    /// left as placeholders, and the body.
    pub(super) fn written(answer: Answer) -> (u16, Vec<String>, &'static str) {
        let status = match answer.status {
            Code::Is(status) => status.code(),
            Code::Decided => 0,
        };
        let challenges = answer
            .challenges
            .iter()
            .map(|challenge| {
                let params: Vec<String> = challenge
                    .params
                    .iter()
                    .map(|param| match param {
                        Param::Error(code) => format!("error=\"{code}\""),
                        Param::DescriptionIs(text) => format!("error_description=\"{text}\""),
                        Param::ErrorUri(uri) => format!("error_uri=\"{uri}\""),
                        other => format!("{other:?}"),
                    })
                    .collect();
                [challenge.scheme.to_string(), params.join(", ")]
                    .join(" ")
                    .trim_end()
                    .to_string()
            })
            .collect();
        let body = match answer.body {
            Body::Untyped(text) | Body::Fixed { text, .. } => text,
            _ => "(handler)",
        };
        (status, challenges, body)
    }

    /// Every table answers every case (the `match` makes that whole); here, with a status of
    /// its kind: only the parser and the handler decide their own, and no refusal is a 2xx.
    #[test]
    fn every_profile_answers_every_case_with_a_status_of_its_kind() {
        for profile in Profile::all() {
            let spec = profile.spec();
            assert_eq!(spec.profile, profile);
            for case in Case::all() {
                let answer = spec.answer(case);
                let fits = match (case, answer.status) {
                    (Case::Allowed, Code::Decided) => matches!(answer.body, Body::Handler),
                    (Case::Unparsable(_), Code::Decided) => true,
                    (Case::Allowed, Code::Is(_)) | (_, Code::Decided) => false,
                    (_, Code::Is(status)) => status.code() >= 400,
                };
                assert!(fits, "{} answers {case:?} with {answer:?}", profile.id());
            }
        }
    }

    #[test]
    fn ids_name_one_profile_each() {
        for profile in Profile::all() {
            assert_eq!(Profile::from_id(profile.id()), Some(profile));
            let json = serde_json::to_string(&profile).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", profile.id()));
            assert_eq!(serde_json::from_str::<Profile>(&json).ok(), Some(profile));
        }
        assert!(serde_json::from_str::<Profile>("\"nope\"").is_err());
    }
}
