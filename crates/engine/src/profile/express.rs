//! Express (5.3) with the two middlewares most Express APIs authenticate with: `express-jwt`
//! answered by Express's default error handler (finalhandler, `NODE_ENV=production`), and
//! passport's bearer strategy with `session: false`.
//!
//! Both read `Authorization` as `value.split(' ')` in exactly two parts, the scheme matched
//! by `/^Bearer$/i`; Node keeps the first of two `Authorization` lines. Role, scope and owner
//! checks are the application's, and the common one is `res.sendStatus(403)`. Express has no
//! 405: a path without a route for the method falls through to finalhandler's 404. Held to the
//! real apps by `cargo xtask conformance` (conformance/node/).

use super::Profile;
use super::{
    answer, Answer, AuthorizationSyntax, Body, Case, Challenge, Family, Fix, Invalid, Param,
    ServerProfile, Unusable, CANNOT_PARSE_UNTYPED, HANDLER,
};
use crate::credentials::{ACCESS_TOKEN, BEARER};
use crate::http::Status;
use crate::rule::Rule;

/// finalhandler 2.1.1 index.js:35-50 (`createHtmlDocument`): the message, HTML-escaped, in a
/// `<pre>`.
macro_rules! finalhandler_page {
    ($message:literal) => {
        concat!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
            "<title>Error</title>\n</head>\n<body>\n<pre>",
            $message,
            "</pre>\n</body>\n</html>\n"
        )
    };
}

/// Node's HTTP server answers what it cannot parse itself, before Express: the status and no
/// body (node lib/_http_server.js `socketOnError`).
const NODE_CANNOT_PARSE: Answer = CANNOT_PARSE_UNTYPED;

/// finalhandler index.js:106-107: no route answered, so `Cannot GET /nope`, for an unknown
/// path and for a known path with another method alike.
const CANNOT: Answer = answer(
    Status::NotFound,
    &[],
    Body::HtmlNaming(finalhandler_page!("Cannot {method} {path}")),
);

/// express lib/response.js:325-331 (`res.sendStatus(403)`): the reason phrase as text.
const SEND_STATUS_403: Answer = answer(
    Status::Forbidden,
    &[],
    Body::Fixed {
        content_type: "text/plain; charset=utf-8",
        text: "Forbidden",
    },
);

/// R21: a key in the URL; what the framework offers instead.
const KEY_IN_URL_FIX: Fix = Fix {
    rule: Rule::R21,
    advice: "Read the key from a header (req.get('X-API-Key')), not req.query, and refuse a key sent in the query.",
    docs: "https://expressjs.com/en/api.html#req.get",
};

pub(super) static EXPRESS_JWT: ServerProfile = ServerProfile {
    profile: Profile::ExpressJwt,
    family: Family::Framework,
    title: "Express + express-jwt",
    models: "Express with express-jwt and Express's default error handler, NODE_ENV=production",
    version: "express-jwt 8.5.1, express 5.3.0, finalhandler 2.1.1",
    sources: &[
        "express-jwt 8.5.1 dist/index.js:90-116 (credentials_bad_scheme, credentials_bad_format, credentials_required), :126, :140 (invalid_token)",
        "express-jwt 8.5.1 dist/errors/UnauthorizedError.js:21-29 (status 401, no headers)",
        "finalhandler 2.1.1 index.js:157-170 (production: the status message, not err.stack), :35-50 (createHtmlDocument), :253-268",
        "finalhandler 2.1.1 index.js:106-107 (404 Cannot METHOD PATH; Express has no 405)",
        "express 5.3.0 lib/response.js:325-331 (res.sendStatus)",
    ],
    // Only the Bearer header, the first of several.
    readers: &[&BEARER],
    native: &[&BEARER],
    first_authorization_only: true,
    private_cache_for_query_tokens: false,
    syntax: AuthorizationSyntax::TwoParts,
    answers: express_jwt,
    fixes: EXPRESS_JWT_FIXES,
    ..ServerProfile::BASE
};

const EXPRESS_JWT_DOCS: &str = "https://github.com/auth0/express-jwt#error-handling";

/// One error middleware after the routes fixes the 401s: express-jwt's `UnauthorizedError`
/// has `status` and `code`; what it lacks is the challenge and a body a program can read.
const EXPRESS_JWT_FIXES: &[Fix] = &[
    KEY_IN_URL_FIX,
    Fix {
        rule: Rule::R1,
        advice: "Add an error middleware after the routes that answers express-jwt's `UnauthorizedError` with `res.status(err.status).set(\"WWW-Authenticate\", …)`: `Bearer realm=\"api\"` for `credentials_required`, with `error=\"invalid_token\"` added when `err.code` is `invalid_token`.",
        docs: EXPRESS_JWT_DOCS,
    },
    Fix {
        rule: Rule::R11,
        advice: "In that error middleware, send `application/problem+json` (`res.type(\"application/problem+json\").send(JSON.stringify({title, status, detail}))`) instead of finalhandler's HTML page, and answer refusals the same way instead of `res.sendStatus(403)`.",
        docs: "https://expressjs.com/en/guide/error-handling.html",
    },
    Fix {
        rule: Rule::R14,
        advice: "express-jwt reads no query token unless a `getToken` option reads one: keep it so, and have clients send `Authorization: Bearer`.",
        docs: EXPRESS_JWT_DOCS,
    },
];

/// The strategy's `_challenge`: `Bearer realm="Users"`, the default realm.
const REALM_USERS: &[Challenge] = &[Challenge {
    scheme: "Bearer",
    params: &[Param::RealmIs("Users")],
}];

/// `_challenge("invalid_token")` for a token `verify` refused.
const REALM_USERS_INVALID_TOKEN: &[Challenge] = &[Challenge {
    scheme: "Bearer",
    params: &[Param::RealmIs("Users"), Param::Error("invalid_token")],
}];

/// passport `authenticate.js:170-177`: `res.end(http.STATUS_CODES[status])`, no type.
const UNAUTHORIZED: Body = Body::Untyped("Unauthorized");

pub(super) static PASSPORT_HTTP_BEARER: ServerProfile = ServerProfile {
    profile: Profile::PassportHttpBearer,
    family: Family::Framework,
    title: "Express + passport-http-bearer",
    models: "Express with passport's bearer strategy (passport-http-bearer), session: false",
    version: "passport-http-bearer 1.0.1, passport 0.7.0, express 5.3.0",
    sources: &[
        "passport-http-bearer 1.0.1 lib/strategy.js:67 (realm Users), :89-100 (split(' '), 400), :102-111 (body and query tokens, 400 for two), :113 (no token: the challenge)",
        "passport-http-bearer 1.0.1 lib/strategy.js:117-124, :141-148 (error=\"invalid_token\")",
        "passport 0.7.0 lib/middleware/authenticate.js:170-177 (the status, the challenge on 401 only, the reason phrase)",
        "express 5.3.0 lib/response.js:325-331 (res.sendStatus); finalhandler 2.1.1 index.js:106-107 (404)",
    ],
    readers: &[&BEARER, &ACCESS_TOKEN],
    native: &[&BEARER, &ACCESS_TOKEN],
    first_authorization_only: true,
    private_cache_for_query_tokens: false,
    syntax: AuthorizationSyntax::TwoParts,
    answers: passport_http_bearer,
    fixes: PASSPORT_FIXES,
    ..ServerProfile::BASE
};

const PASSPORT_DOCS: &str = "https://github.com/jaredhanson/passport-http-bearer#readme";

const PASSPORT_FIXES: &[Fix] = &[
    KEY_IN_URL_FIX,
    Fix {
        rule: Rule::R11,
        advice: "Pass `failWithError: true` to `passport.authenticate`, so failures reach `next(err)`, and answer them as `application/problem+json` in an error middleware (keeping `err.status` and the strategy's challenge); answer refusals the same way instead of `res.sendStatus(403)`.",
        docs: "https://www.passportjs.org/concepts/authentication/middleware/",
    },
    Fix {
        rule: Rule::R14,
        advice: "The strategy also takes `access_token` from the query and the body: refuse a query token in a middleware before `passport.authenticate` (RFC 6750 §2.3), or at least answer with `Cache-Control: private`.",
        docs: PASSPORT_DOCS,
    },
];

/// The answers of `EXPRESS_JWT`.
pub(super) fn express_jwt(case: Case) -> Answer {
    match case {
        Case::Unparsable(_) => NODE_CANNOT_PARSE,
        Case::Routing(_) => CANNOT,
        // Every UnauthorizedError is status 401 and carries no header; finalhandler in
        // production writes the status message. Basic, a query token, a second credential and
        // an unknown `sub` never reach here as such: express-jwt does not read them.
        Case::Missing(_) | Case::Unusable(_) | Case::Invalid(_) => answer(
            Status::Unauthorized,
            &[],
            Body::Fixed {
                content_type: "text/html; charset=utf-8",
                text: finalhandler_page!("Unauthorized"),
            },
        ),
        // A CSRF check is never run here (no cookie is read).
        Case::Denied(_) | Case::Csrf(_) => SEND_STATUS_403,
        Case::Allowed => HANDLER,
    }
}

/// The answers of `PASSPORT_HTTP_BEARER`.
pub(super) fn passport_http_bearer(case: Case) -> Answer {
    match case {
        Case::Unparsable(_) => NODE_CANNOT_PARSE,
        Case::Routing(_) => CANNOT,
        // No token: a missing header, or a two-part header of another scheme.
        Case::Missing(_)
        | Case::Unusable(Unusable::UnsupportedScheme)
        | Case::Invalid(Invalid::Password(_) | Invalid::ApiKey(_) | Invalid::Session(_)) => {
            answer(Status::Unauthorized, REALM_USERS, UNAUTHORIZED)
        }
        // `fail(400)`: a header that is not two parts, or a token sent twice; passport adds
        // the challenge to 401s only.
        Case::Unusable(
            Unusable::EmptyCredentials(_)
            | Unusable::MalformedCredentials(_)
            | Unusable::SeveralCredentials,
        ) => answer(Status::BadRequest, &[], Body::Untyped("Bad Request")),
        Case::Invalid(Invalid::Token(_)) => answer(
            Status::Unauthorized,
            REALM_USERS_INVALID_TOKEN,
            UNAUTHORIZED,
        ),
        Case::Denied(_) | Case::Csrf(_) => SEND_STATUS_403,
        Case::Allowed => HANDLER,
    }
}

#[cfg(test)]
mod tests {
    use super::super::Code;
    use super::*;
    use crate::profile::Kind;
    use crate::profile::{Denied, Missing, Routing, TokenCheck};

    /// One line per case that matters: status, first challenge, start of body.
    fn check(profile: &ServerProfile, case: Case, status: Status, challenge: &[Param]) {
        let answer = profile.answer(case);
        assert_eq!(answer.status, Code::Is(status), "{case:?}");
        let params: Vec<String> = answer
            .challenges
            .iter()
            .flat_map(|challenge| challenge.params.iter().map(|param| format!("{param:?}")))
            .collect();
        let wanted: Vec<String> = challenge.iter().map(|param| format!("{param:?}")).collect();
        assert_eq!(params, wanted, "{case:?}");
    }

    #[test]
    fn express_jwt_answers() {
        let cases = [
            (Case::Missing(Missing::NoCredentials), Status::Unauthorized),
            (
                Case::Unusable(Unusable::EmptyCredentials(Kind::Token)),
                Status::Unauthorized,
            ),
            (
                Case::Unusable(Unusable::UnsupportedScheme),
                Status::Unauthorized,
            ),
            (
                Case::Invalid(Invalid::Token(TokenCheck::Expired)),
                Status::Unauthorized,
            ),
            (
                Case::Invalid(Invalid::Token(TokenCheck::Signature)),
                Status::Unauthorized,
            ),
            (Case::Denied(Denied::MissingRole), Status::Forbidden),
            (Case::Denied(Denied::NotOwner), Status::Forbidden),
            (Case::Routing(Routing::UnknownRoute), Status::NotFound),
            (Case::Routing(Routing::WrongMethod), Status::NotFound),
        ];
        for (case, status) in cases {
            check(&EXPRESS_JWT, case, status, &[]);
        }
    }

    #[test]
    fn passport_answers() {
        let users = [Param::RealmIs("Users")];
        let invalid = [Param::RealmIs("Users"), Param::Error("invalid_token")];
        let cases: [(Case, Status, &[Param]); 9] = [
            (
                Case::Missing(Missing::NoCredentials),
                Status::Unauthorized,
                &users,
            ),
            (
                Case::Unusable(Unusable::UnsupportedScheme),
                Status::Unauthorized,
                &users,
            ),
            (
                Case::Unusable(Unusable::EmptyCredentials(Kind::Token)),
                Status::BadRequest,
                &[],
            ),
            (
                Case::Unusable(Unusable::MalformedCredentials(Kind::Token)),
                Status::BadRequest,
                &[],
            ),
            (
                Case::Unusable(Unusable::SeveralCredentials),
                Status::BadRequest,
                &[],
            ),
            (
                Case::Invalid(Invalid::Token(TokenCheck::Expired)),
                Status::Unauthorized,
                &invalid,
            ),
            (
                Case::Invalid(Invalid::Token(TokenCheck::Unreadable)),
                Status::Unauthorized,
                &invalid,
            ),
            (Case::Denied(Denied::MissingScope), Status::Forbidden, &[]),
            (Case::Routing(Routing::WrongMethod), Status::NotFound, &[]),
        ];
        for (case, status, challenge) in cases {
            check(&PASSPORT_HTTP_BEARER, case, status, challenge);
        }
    }

    #[test]
    fn every_fix_names_a_rule_once_with_docs() {
        for profile in [&EXPRESS_JWT, &PASSPORT_HTTP_BEARER] {
            for (index, fix) in profile.fixes.iter().enumerate() {
                assert!(fix.docs.starts_with("https://"), "{:?}", fix.rule);
                assert!(!fix.advice.is_empty(), "{:?}", fix.rule);
                assert_eq!(profile.fix(fix.rule), Some(fix), "{:?} twice", fix.rule);
                assert!(profile.fixes[..index]
                    .iter()
                    .all(|other| other.rule != fix.rule));
            }
        }
    }
}
