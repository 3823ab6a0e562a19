//! FastAPI with `HTTPBearer()` and its security tutorial's token check, before and since
//! 0.122.0, where a request without credentials went from 403 to 401 with a challenge.
//!
//! Where FastAPI leaves the answer to the application (what a failed token, a missing scope or a
//! missing role answers), these tables follow the security tutorial ("OAuth2 with Password,
//! Bearer with JWT tokens" and "OAuth2 scopes"): `credentials_exception` for every token that
//! does not verify or names no known user, 401 `Bearer scope="…"` for a missing scope. The
//! tutorial has no role or ownership check; 403 "Not enough permissions" is what its pattern
//! gives. Held to the real FastAPI by `cargo xtask test` (conformance/, `fastapi_app.py`).

use super::Profile;
use super::{
    json, Answer, Body, Case, Challenge, Code, Denied, Family, Fix, Invalid, Missing, Param,
    RouteSchemes, Routing, ServerProfile, Style, Unusable, HANDLER,
};
use crate::credentials::{API_KEY, API_KEY_IN_COOKIE, API_KEY_IN_QUERY, BASIC, BEARER};
use crate::http::Status;
use crate::rule::Rule;

/// `HTTPBase.make_authenticate_headers`: the bare scheme, title-cased.
const BARE_BEARER: &[Challenge] = &[Challenge {
    scheme: "Bearer",
    params: &[],
}];

/// The scopes tutorial: `Bearer scope="…"`, the scopes the route needs.
const BEARER_SCOPE: &[Challenge] = &[Challenge {
    scheme: "Bearer",
    params: &[Param::Scope],
}];

/// uvicorn 0.54.0 uvicorn/protocols/http/h11_impl.py:183, :299-315 (`send_400_response`): a
/// request h11 cannot parse never reaches FastAPI.
const UVICORN_CANNOT_PARSE: Answer = Answer {
    status: Code::Is(Status::BadRequest),
    challenges: &[],
    body: Body::Fixed {
        content_type: "text/plain; charset=utf-8",
        text: "Invalid HTTP request received.",
    },
    conceals: false,
    allow: false,
    per_scheme: None,
};

const NOT_AUTHENTICATED: &str = r#"{"detail":"Not authenticated"}"#;
const INVALID_API_KEY: &str = r#"{"detail":"Invalid API key"}"#;

/// `APIKey`, bare, as `make_not_authenticated_error` writes it.
const API_KEY_CHALLENGE: &[Challenge] = &[Challenge {
    scheme: "APIKey",
    params: &[],
}];
const COULD_NOT_VALIDATE: &str = r#"{"detail":"Could not validate credentials"}"#;
const NOT_ENOUGH_PERMISSIONS: &str = r#"{"detail":"Not enough permissions"}"#;

/// How to make FastAPI answer as the RFCs say, rule by rule; both versions share these.
/// R21: a key in the URL; what the framework offers instead.
const KEY_IN_URL_FIX: Fix = Fix {
    rule: Rule::R21,
    advice: "APIKeyQuery puts the key in the URL: use APIKeyHeader(name=\"X-API-Key\") (or APIKeyCookie for a browser), so keys stay out of logs and history.",
    docs: "https://fastapi.tiangolo.com/reference/security/#fastapi.security.APIKeyHeader",
};

const FIXES: &[Fix] = &[
    KEY_IN_URL_FIX,
    Fix {
        rule: Rule::R2,
        advice: "A missing scope is not a missing login: in the scopes check raise \
                 HTTPException(status_code=403, headers={\"WWW-Authenticate\": 'Bearer \
                 error=\"insufficient_scope\", scope=\"…\"'}) instead of the tutorial's 401.",
        docs: "https://fastapi.tiangolo.com/advanced/security/oauth2-scopes/",
    },
    Fix {
        rule: Rule::R5,
        advice: "Say why the token failed: give credentials_exception the header \
                 WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"…\".",
        docs: "https://fastapi.tiangolo.com/tutorial/security/oauth2-jwt/",
    },
    Fix {
        rule: Rule::R15,
        advice: "HTTPBearer sends a bare `Bearer`: subclass it and override \
                 make_authenticate_headers to return {\"WWW-Authenticate\": 'Bearer realm=\"api\"'}, \
                 and give your own HTTPExceptions a realm too.",
        docs: "https://fastapi.tiangolo.com/reference/security/#fastapi.security.HTTPBearer",
    },
    Fix {
        rule: Rule::R11,
        advice: "Register an exception handler for HTTPException that answers \
                 application/problem+json with type, title, status and detail.",
        docs: "https://fastapi.tiangolo.com/tutorial/handling-errors/#install-custom-exception-handlers",
    },
    Fix {
        rule: Rule::R3,
        advice: "Upgrade to FastAPI 0.122 or later, where HTTPBearer answers 401 with \
                 WWW-Authenticate: Bearer; on an older one, subclass HTTPBearer and raise \
                 HTTPException(401, headers={\"WWW-Authenticate\": \"Bearer\"}) when credentials \
                 are missing.",
        docs: "https://fastapi.tiangolo.com/release-notes/",
    },
    Fix {
        rule: Rule::R8,
        advice: "HTTPBearer already compares the scheme case-insensitively; a custom scheme \
                 check must too (scheme.lower() == \"bearer\").",
        docs: "https://fastapi.tiangolo.com/reference/security/#fastapi.security.HTTPBearer",
    },
    Fix {
        rule: Rule::R14,
        advice: "HTTPBearer reads only the Authorization header, so a token in access_token= is \
                 no credential to it: keep it so (no Query(\"access_token\") dependency) and \
                 have clients send Authorization: Bearer.",
        docs: "https://fastapi.tiangolo.com/reference/security/#fastapi.security.HTTPBearer",
    },
];

pub(super) static FASTAPI: ServerProfile = ServerProfile {
    profile: Profile::Fastapi,
    family: Family::Framework,
    title: "FastAPI ≥ 0.122 (HTTPBearer)",
    models: "FastAPI with HTTPBearer() and its security tutorial's token and scope checks",
    version: "fastapi 0.165.0, starlette 1.10.0",
    sources: &[
        "fastapi 0.165.0 fastapi/security/http.py:84-92 (make_authenticate_headers, make_not_authenticated_error)",
        "fastapi 0.165.0 fastapi/security/http.py:305-320 (HTTPBearer.__call__)",
        "fastapi 0.165.0 fastapi/exception_handlers.py:11-17 (the JSON of an HTTPException)",
        "starlette 1.10.0 starlette/routing.py (Router.not_found, Route.handle: 404 and 405)",
        "uvicorn 0.54.0 uvicorn/protocols/http/h11_impl.py:299-315 (400 for what h11 cannot parse)",
        "FastAPI docs, tutorial/security/oauth2-jwt and advanced/security/oauth2-scopes",
    ],
    // `HTTPBearer` reads one `Authorization` field (Starlette's `Headers.get`: the first)
    // with the scheme `Bearer` in any case, and nothing else: not Basic, not the query; a
    // route whose policy names another scheme has `HTTPBasic` (same file, the scheme `Basic`),
    // `APIKeyHeader`, `APIKeyQuery` or `APIKeyCookie` instead (one security dependency per
    // route, the first of the server's order here).
    readers: &[&BEARER, &BASIC, &API_KEY, &API_KEY_IN_QUERY, &API_KEY_IN_COOKIE],
    native: &[&BEARER],
    route_schemes: RouteSchemes::First,
    first_authorization_only: true,
    subject_must_be_a_user: true,
    private_cache_for_query_tokens: false,
    fixes: FIXES,
    answers: fastapi,
    ..ServerProfile::BASE
};

pub(super) static FASTAPI_0121: ServerProfile = ServerProfile {
    profile: Profile::Fastapi0121,
    family: Family::Framework,
    title: "FastAPI 0.121 (HTTPBearer, 403)",
    models: "FastAPI before 0.122 with HTTPBearer(): 403 without a challenge when credentials are missing",
    version: "fastapi 0.121.3, starlette 0.50.0",
    sources: &[
        "fastapi 0.121.3 fastapi/security/http.py:305-320 (HTTPBearer.__call__: HTTP_403_FORBIDDEN)",
        "fastapi 0.121.3 fastapi/exception_handlers.py (the JSON of an HTTPException)",
        "FastAPI 0.122.0 release notes, PR #13786 (401 with WWW-Authenticate from then on)",
        "FastAPI docs, tutorial/security/oauth2-jwt and advanced/security/oauth2-scopes",
    ],
    // `HTTPBearer` reads one `Authorization` field (Starlette's `Headers.get`: the first)
    // with the scheme `Bearer` in any case, and nothing else: not Basic, not the query; a
    // route whose policy names another scheme has `HTTPBasic` (same file, the scheme `Basic`),
    // `APIKeyHeader`, `APIKeyQuery` or `APIKeyCookie` instead (one security dependency per
    // route, the first of the server's order here).
    readers: &[&BEARER, &BASIC, &API_KEY, &API_KEY_IN_QUERY, &API_KEY_IN_COOKIE],
    native: &[&BEARER],
    route_schemes: RouteSchemes::First,
    first_authorization_only: true,
    subject_must_be_a_user: true,
    private_cache_for_query_tokens: false,
    fixes: FIXES,
    answers: fastapi_0121,
    ..ServerProfile::BASE
};

/// The answers of FastAPI ≥ 0.122: `HTTPBearer`, the tutorial's, and Starlette's routing.
pub(super) fn fastapi(case: Case) -> Answer {
    match case {
        Case::Unparsable(_) => UVICORN_CANNOT_PARSE,
        // HTTPBearer.__call__: no header, no credentials after the scheme, or another scheme.
        // (No rights-first check and no password are reached, and no second credential is
        // seen: HTTPBearer reads one header and no query.)
        // APIKeyHeader/Query/Cookie answer the same to a key that is not sent (or empty),
        // with `WWW-Authenticate: APIKey` (security/api_key.py:31-52): each route asks for its
        // own scheme.
        Case::Missing(_)
        | Case::Unusable(
            Unusable::EmptyCredentials(_)
            | Unusable::UnsupportedScheme
            | Unusable::SeveralCredentials,
        )
        | Case::Invalid(Invalid::Password(_) | Invalid::Session(_)) => Answer {
            per_scheme: Some(Style::Bare),
            ..json(Status::Unauthorized, &[], NOT_AUTHENTICATED)
        },
        // A key the app did not issue: its HTTPException, with the status and challenge of
        // FastAPI's own missing-key answer (FastAPI's docs show no such check).
        Case::Invalid(Invalid::ApiKey(_)) => {
            json(Status::Unauthorized, API_KEY_CHALLENGE, INVALID_API_KEY)
        }
        // starlette/routing.py `Router.not_found`; starlette/exceptions.py: the phrase.
        Case::Routing(Routing::UnknownRoute) => {
            json(Status::NotFound, &[], r#"{"detail":"Not Found"}"#)
        }
        // starlette/routing.py `Route.handle`: 405 with `Allow`, before any dependency.
        Case::Routing(Routing::WrongMethod) => Answer {
            allow: true,
            ..json(
                Status::MethodNotAllowed,
                &[],
                r#"{"detail":"Method Not Allowed"}"#,
            )
        },
        // The tutorial's `credentials_exception`: a token that does not decode with
        // `jwt.decode(…, algorithms=["HS256"], audience=…, issuer=…, leeway=…)`, or whose
        // `sub` is no known user. A Bearer value that is not one token68 is handed to
        // `jwt.decode` as it is, and fails there.
        Case::Unusable(Unusable::MalformedCredentials(_)) | Case::Invalid(Invalid::Token(_)) => {
            json(Status::Unauthorized, BARE_BEARER, COULD_NOT_VALIDATE)
        }
        // The scopes tutorial: a missing scope is a 401 naming the scopes needed.
        Case::Denied(Denied::MissingScope) => {
            json(Status::Unauthorized, BEARER_SCOPE, NOT_ENOUGH_PERMISSIONS)
        }
        // No cookie is read, so no CSRF check runs.
        Case::Denied(Denied::MissingRole | Denied::NotOwner | Denied::MissingScopeWithPassword)
        | Case::Csrf(_) => json(Status::Forbidden, &[], NOT_ENOUGH_PERMISSIONS),
        Case::Allowed => HANDLER,
    }
}

/// The answers of FastAPI before 0.122: `HTTPBearer` refused with 403 and no challenge;
/// everything else as since.
pub(super) fn fastapi_0121(case: Case) -> Answer {
    match case {
        Case::Missing(Missing::NoCredentials) | Case::Unusable(Unusable::EmptyCredentials(_)) => {
            json(Status::Forbidden, &[], NOT_AUTHENTICATED)
        }
        Case::Unusable(Unusable::UnsupportedScheme) => json(
            Status::Forbidden,
            &[],
            r#"{"detail":"Invalid authentication credentials"}"#,
        ),
        case => fastapi(case),
    }
}
