//! Server profiles: how a server *answers* what the pipeline decided.
//!
//! The pipeline parses, routes, reads and verifies credentials and authorizes; it ends in a
//! [`Case`]: what it found. A profile is data: for each case the status, the challenges and
//! the body its server sends, and the order in which that server runs the checks. The same
//! request under two profiles differs only by these tables, never by a branch in the pipeline.

mod aspnetcore;
mod aws;
mod drf;
mod express;
mod fastapi;
mod flask;
mod reference;
mod spring;

use crate::http::Status;
use crate::model::{Profile, Rule};

/// One server's behaviour, as data.
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
    /// The order of the checks.
    pub order: Order,
    /// Which credentials the server reads at all.
    pub reads: Reads,
    /// A verified token must name, in `sub`, a user the server knows (as the frameworks'
    /// tutorials look the user up); otherwise any verified `sub` is taken.
    pub subject_must_be_a_user: bool,
    /// Whether a success answered to a token in the URL carries `Cache-Control: private`
    /// (RFC 6750 §5.3).
    pub private_cache_for_query_tokens: bool,
    /// How the `Authorization` value is split into a scheme and credentials.
    pub syntax: AuthorizationSyntax,
    /// A verified token without `exp` is refused (simplejwt's `check_exp`); otherwise it is
    /// taken as never expiring.
    pub token_must_expire: bool,
    /// A token's caller gets the role of its user in the server's table (Django's
    /// `is_staff`), not the token's `role` claim; only where `subject_must_be_a_user`.
    pub role_from_user: bool,
    /// The answers; the first row that lists the case answers it.
    pub answers: &'static [Row],
    /// How to make this framework answer as the RFCs say, per lint rule its answers break.
    pub fixes: &'static [Fix],
}

/// How a server splits an `Authorization` value into a scheme and its credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthorizationSyntax {
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

/// Which checks come first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Order {
    /// Credentials are read and verified before the route is matched, so an unknown route
    /// with bad credentials gets the credentials' answer (as `conceal` and several gateways do).
    pub credentials_first: bool,
    /// A route's rights are checked before the caller is known, as many tutorials do
    /// (`if user?.role != "admin" return 403`): no credentials on a route that needs a role, a
    /// scope or ownership is refused for the rights, not for the missing credentials.
    pub rights_before_credentials: bool,
    /// The method is checked after authentication and authorization, against the rules of
    /// the path's route (DRF's `APIView.initial` runs before the handler lookup): a wrong
    /// method gets the credentials' or the rights' refusal first, and 405 only once allowed.
    pub method_after_authorization: bool,
    /// Where credentials come first, an anonymous caller on a path no public route has (an
    /// unknown path, or a protected path with another method) is refused for the missing
    /// credentials before the route is matched, as Spring Security's
    /// `anyRequest().authenticated()` runs before the dispatcher looks for a handler.
    pub anonymous_refused_before_routing: bool,
}

/// Which credentials a server reads. What it does not read is, to it, no credential at all (a
/// query token it ignores), or a scheme it does not support (an `Authorization` it ignores).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reads {
    /// `Authorization: Bearer …`.
    pub bearer: bool,
    /// `Authorization: Basic …`.
    pub basic: bool,
    /// `access_token=` in the query (RFC 6750 §2.3).
    pub query: bool,
    /// Only the first `Authorization` field is read, the rest ignored (as most HTTP libraries'
    /// "get one header" does), instead of refusing several.
    pub first_authorization_only: bool,
}

/// What the reference profiles read: both schemes and the query parameter, and several
/// credentials at once are refused (RFC 6750 §3.1 `invalid_request`).
pub const READS_ALL: Reads = Reads {
    bearer: true,
    basic: true,
    query: true,
    first_authorization_only: false,
};

/// What the pipeline decided: the facts a profile's answer is chosen by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Case {
    /// The request text does not parse (400, 413 or 431, as the parser decided).
    Malformed,
    /// No route has this path.
    UnknownRoute,
    /// The path exists for other methods.
    WrongMethod,
    /// No credentials, on a route that needs them.
    NoCredentials,
    /// No credentials, on a route that needs a role, a scope or ownership, under a profile that
    /// checks rights before credentials.
    RightsWithoutCredentials,
    /// An `Authorization` scheme the server does not accept.
    UnsupportedScheme,
    /// `Authorization: Bearer` (or `Basic`) with nothing after it.
    EmptyCredentials,
    /// Credentials that do not parse as the scheme's syntax.
    MalformedCredentials,
    /// Credentials sent two ways at once, or twice.
    SeveralCredentials,
    /// A token that does not decode (not three base64url parts of JSON).
    TokenUnreadable,
    /// A token whose `alg` the server refuses (`none`, or one it did not configure).
    TokenAlgorithm,
    /// A token whose signature does not verify.
    TokenSignature,
    /// A token past its `exp` (beyond the leeway).
    TokenExpired,
    /// A token before its `nbf` (beyond the leeway).
    TokenNotYetValid,
    /// A token from another issuer.
    TokenIssuer,
    /// A token for another audience.
    TokenAudience,
    /// A token without `exp`, where the profile wants every token to expire.
    TokenWithoutExpiry,
    /// A verified token whose `sub` names no user the server knows (only where the profile
    /// looks users up).
    TokenUnknownUser,
    /// Basic credentials that do not verify (no colon, no such user, wrong password).
    PasswordRejected,
    /// Basic credentials that are not base64 of UTF-8 text.
    PasswordUnreadable,
    /// The caller lacks the route's role.
    MissingRole,
    /// The caller, who sent a token, lacks the route's scope.
    MissingScope,
    /// The caller, who sent a password, lacks the route's scope (a password carries no scopes).
    MissingScopeWithPassword,
    /// The caller is neither the resource's owner nor an admin.
    NotOwner,
    /// Everything passed: the handler answers.
    Allowed,
}

/// One row of a profile's table.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    pub cases: &'static [Case],
    pub answer: Answer,
}

/// What a server sends for a case.
#[derive(Clone, Copy, Debug)]
pub struct Answer {
    pub status: Code,
    /// `WWW-Authenticate` fields, in order.
    pub challenges: &'static [Challenge],
    pub body: Body,
    /// The answer is a 404 that hides a resource that exists (RFC 9110 §15.5.4), so the lint
    /// compares it with the answer for a path that does not exist (R17).
    pub conceals: bool,
    /// The answer carries `Allow` with the route's methods (RFC 9110 §15.5.6).
    pub allow: bool,
}

/// The status of an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// The one the pipeline decided: the parser's 400/413/431, or the handler's 200/204.
    Decided,
    Is(Status),
}

/// One `WWW-Authenticate` challenge: a scheme and its auth-params, in order; with no
/// parameter it is the bare scheme (RFC 9110 §11.3, which R15 flags for Bearer).
#[derive(Clone, Copy, Debug)]
pub struct Challenge {
    pub scheme: &'static str,
    pub params: &'static [Param],
}

/// An auth-param of a challenge, as a quoted-string.
#[derive(Clone, Copy, Debug)]
pub enum Param {
    /// `realm="…"`: the scenario's realm.
    Realm,
    /// `realm="…"` fixed by the framework, e.g. passport's `"Users"`.
    RealmIs(&'static str),
    /// `charset="UTF-8"` (RFC 7617 §2.1).
    Charset,
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

/// `Bearer realm="…"`.
pub const BEARER: Challenge = Challenge {
    scheme: "Bearer",
    params: &[Param::Realm],
};

/// `Basic realm="…", charset="UTF-8"`.
pub const BASIC: Challenge = Challenge {
    scheme: "Basic",
    params: &[Param::Realm, Param::Charset],
};

/// The body of an answer.
#[derive(Clone, Copy, Debug)]
pub enum Body {
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

/// The handler's answer, for `Case::Allowed`.
pub(super) const HANDLER: Row = Row {
    cases: &[Case::Allowed],
    answer: Answer {
        status: Code::Decided,
        challenges: &[],
        body: Body::Handler,
        conceals: false,
        allow: false,
    },
};

/// What the server in front cannot parse: the parser's status (400, 413, 431) and no body.
pub(super) const CANNOT_PARSE_UNTYPED: Row = Row {
    cases: &[Case::Malformed],
    answer: Answer {
        status: Code::Decided,
        challenges: &[],
        body: Body::Untyped(""),
        conceals: false,
        allow: false,
    },
};

impl Profile {
    /// This profile's table.
    pub fn spec(self) -> &'static ServerProfile {
        match self {
            Profile::Rfc => &reference::RFC,
            Profile::Conceal => &reference::CONCEAL,
            Profile::Naive => &reference::NAIVE,
            Profile::Fastapi => &fastapi::FASTAPI,
            Profile::Fastapi0121 => &fastapi::FASTAPI_0121,
            Profile::ExpressJwt => &express::EXPRESS_JWT,
            Profile::PassportHttpBearer => &express::PASSPORT_HTTP_BEARER,
            Profile::Drf => &drf::DRF,
            Profile::DrfSimplejwt => &drf::DRF_SIMPLEJWT,
            Profile::FlaskHttpauth => &flask::FLASK_HTTPAUTH,
            Profile::FlaskJwtExtended => &flask::FLASK_JWT_EXTENDED,
            Profile::SpringSecurity => &spring::SPRING_SECURITY,
            Profile::SpringSecurityDefault => &spring::SPRING_SECURITY_DEFAULT,
            Profile::AspnetcoreJwtbearer => &aspnetcore::ASPNETCORE_JWTBEARER,
            Profile::AwsApiGateway => &aws::AWS_API_GATEWAY,
        }
    }
}

impl ServerProfile {
    /// What a table does not say: a reference server that reads every credential, checks the
    /// route first and looks no user up. Tables spell out what differs and take the rest with
    /// `..ServerProfile::BASE`, so a new setting needs a default here only.
    pub const BASE: ServerProfile = ServerProfile {
        profile: Profile::Rfc,
        family: Family::Reference,
        title: "",
        models: "",
        version: "",
        sources: &[],
        order: Order {
            credentials_first: false,
            rights_before_credentials: false,
            method_after_authorization: false,
            anonymous_refused_before_routing: false,
        },
        reads: READS_ALL,
        subject_must_be_a_user: false,
        private_cache_for_query_tokens: true,
        syntax: AuthorizationSyntax::Rfc9110,
        token_must_expire: false,
        role_from_user: false,
        answers: &[],
        fixes: &[],
    };

    /// How to fix what `rule` finds, in this profile's framework; `None` for the reference
    /// profiles and for rules the table has no advice for.
    pub fn fix(&self, rule: Rule) -> Option<&Fix> {
        self.fixes.iter().find(|fix| fix.rule == rule)
    }

    /// The answer to `case`: this table's, or where it is silent the RFC answer (a test holds
    /// every table whole, so that is a guard, not a rule).
    pub fn answer(&self, case: Case) -> &Answer {
        let find = |profile: &'static ServerProfile| {
            profile
                .answers
                .iter()
                .find(|row| row.cases.contains(&case))
                .map(|row| &row.answer)
        };
        self.answers
            .iter()
            .find(|row| row.cases.contains(&case))
            .map(|row| &row.answer)
            .or_else(|| find(&reference::RFC))
            .unwrap_or(&reference::BAD_REQUEST)
    }
}

/// Every way a token fails verification: the tables that answer them all alike name this
/// list, and the graph's "invalid" exit reads its statuses from it.
pub const TOKEN_FAILURES: &[Case] = &[
    Case::TokenUnreadable,
    Case::TokenAlgorithm,
    Case::TokenSignature,
    Case::TokenExpired,
    Case::TokenNotYetValid,
    Case::TokenIssuer,
    Case::TokenAudience,
    Case::TokenWithoutExpiry,
    Case::TokenUnknownUser,
];

/// Every case, for tests and tables.
pub const CASES: [Case; 25] = [
    Case::Malformed,
    Case::UnknownRoute,
    Case::WrongMethod,
    Case::NoCredentials,
    Case::RightsWithoutCredentials,
    Case::UnsupportedScheme,
    Case::EmptyCredentials,
    Case::MalformedCredentials,
    Case::SeveralCredentials,
    Case::TokenUnreadable,
    Case::TokenAlgorithm,
    Case::TokenSignature,
    Case::TokenExpired,
    Case::TokenNotYetValid,
    Case::TokenIssuer,
    Case::TokenAudience,
    Case::TokenWithoutExpiry,
    Case::TokenUnknownUser,
    Case::PasswordRejected,
    Case::PasswordUnreadable,
    Case::MissingRole,
    Case::MissingScope,
    Case::MissingScopeWithPassword,
    Case::NotOwner,
    Case::Allowed,
];

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// An answer as text, for the table tests of the profiles held to their source: status
    /// (0 for the handler's own), each challenge as the header reads with the token's claims
    /// left as placeholders, and the body.
    pub(super) fn written(answer: &Answer) -> (u16, Vec<String>, &'static str) {
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

    #[test]
    fn every_profile_answers_every_case() {
        for profile in Profile::all() {
            let spec = profile.spec();
            assert_eq!(spec.profile, profile);
            for case in CASES {
                assert!(
                    spec.answers.iter().any(|row| row.cases.contains(&case)),
                    "{} does not answer {case:?}",
                    profile.id()
                );
            }
        }
    }
}
