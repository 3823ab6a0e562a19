//! Django REST framework 3.18.3 with its default authentication classes (Session, then Basic)
//! and with simplejwt 5.5.1's `JWTAuthentication` before them.
//!
//! Permissions are DRF's own: `IsAuthenticated` on `/profile`, `IsAdminUser` (`is_staff`) on
//! `/admin` and `DELETE /users/{id}`; the notes' owner-or-staff and the reports' scope check are
//! the application's `BasePermission`s, which answer DRF's `PermissionDenied`. Authentication and
//! permissions run before the handler is looked up, so a wrong method is refused for the
//! credentials first. `handle_exception` asks the first authentication class for a challenge:
//! Session has none, so the default set-up turns every 401 into a 403; simplejwt's has one, so
//! its 401 names `Bearer realm="api"` even when Basic failed. Held to the real DRF by
//! `cargo xtask conformance` (conformance/, `drf_app.py`, `drf_simplejwt_app.py`).

use super::Profile;
use super::{
    json, order, Answer, AuthorizationSyntax, Body, Case, Challenge, Code, Csrf, Family, Fix,
    Invalid, Kind, Param, PasswordCheck, RouteSchemes, Routing, ServerProfile, TokenCheck, Tries,
    Unusable, HANDLER,
};
use crate::credentials::{API_KEY, BASIC, BEARER, SESSION, TOKEN};
use crate::http::Status;
use crate::rule::Rule;

/// simplejwt `authentication.py:33` (`www_authenticate_realm`), `:53-57`.
const BEARER_API: &[Challenge] = &[Challenge {
    scheme: "Bearer",
    params: &[Param::RealmIs("api")],
}];

const NOT_PROVIDED: &str = r#"{"detail":"Authentication credentials were not provided."}"#;
const INVALID_PASSWORD: &str = r#"{"detail":"Invalid username/password."}"#;
const NOT_BASE64: &str =
    r#"{"detail":"Invalid basic header. Credentials not correctly base64 encoded."}"#;
const NO_PERMISSION: &str = r#"{"detail":"You do not have permission to perform this action."}"#;
const NO_SUCH_USER: &str = r#"{"detail":"No such user"}"#;
const BASIC_EMPTY: &str = r#"{"detail":"Invalid basic header. No credentials provided."}"#;
const BASIC_SPACES: &str =
    r#"{"detail":"Invalid basic header. Credentials string should not contain spaces."}"#;

/// `SessionAuthentication.enforce_csrf` (`authentication.py:135-148`): Django's
/// `CsrfViewMiddleware` reason as `PermissionDenied('CSRF Failed: %s')`, a 403 whatever the
/// first class (`django/middleware/csrf.py:29-42`, `:342-347`, `:353-399`). The header is
/// named as Django's `request.headers` spells `X-CSRFToken` (`django/http/request.py:527-532`).
fn csrf_failed(why: Csrf) -> Answer {
    let body = match why {
        Csrf::CookieMissing => r#"{"detail":"CSRF Failed: CSRF cookie not set."}"#,
        Csrf::TokenMissing => r#"{"detail":"CSRF Failed: CSRF token missing."}"#,
        Csrf::TokenWrong => {
            r#"{"detail":"CSRF Failed: CSRF token from the 'X-Csrftoken' HTTP header incorrect."}"#
        }
    };
    json(Status::Forbidden, &[], body)
}
/// Django's `ERROR_PAGE_TEMPLATE` for a 404, as `DEBUG = False` renders it.
const NOT_FOUND_PAGE: &str = "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n";
const BAD_HEADER: &str = r#"{"detail":"Authorization header must contain two space-delimited values","code":"bad_authorization_header"}"#;

/// simplejwt `authentication.py:100-118`: every token class's error, here the one
/// `AccessToken`.
macro_rules! token_not_valid {
    ($message:literal) => {
        concat!(
            r#"{"detail":"Given token not valid for any token type","code":"token_not_valid","messages":[{"token_class":"AccessToken","token_type":"access","message":""#,
            $message,
            r#""}]}"#
        )
    };
}

// The answers both set-ups share: Django's 404, DRF's 405 and permissions.

/// django/views/defaults.py:16 (ERROR_PAGE_TEMPLATE), :35-79 (page_not_found): no URL pattern
/// matches, so DRF is never reached.
const DJANGO_NOT_FOUND: Answer = Answer {
    status: Code::Is(Status::NotFound),
    challenges: &[],
    body: Body::Fixed {
        content_type: "text/html; charset=utf-8",
        text: NOT_FOUND_PAGE,
    },
    conceals: false,
    allow: false,
    per_scheme: None,
};

/// exceptions.py:194-197 (MethodNotAllowed), views.py:167-172 (http_method_not_allowed).
const METHOD_NOT_ALLOWED: Answer = Answer {
    status: Code::Is(Status::MethodNotAllowed),
    challenges: &[],
    body: Body::FixedNamingMethod {
        content_type: "application/json",
        text: r#"{"detail":"Method \"{method}\" not allowed."}"#,
    },
    conceals: false,
    allow: true,
    per_scheme: None,
};

/// exceptions.py:182-184 (PermissionDenied), views.py:179-180: IsAdminUser, and the
/// application's owner and scope permissions.
const PERMISSION_DENIED: Answer = json(Status::Forbidden, &[], NO_PERMISSION);

/// What Django's development server cannot parse never reaches Django: http.server's
/// `send_error` answers with an HTML page naming the bad line, which a table cannot write; the
/// parser's status and a plain-text reason stand for it.
const CANNOT_PARSE: Answer = Answer {
    status: Code::Decided,
    challenges: &[],
    body: Body::ReasonAndDetail,
    conceals: false,
    allow: false,
    per_scheme: None,
};

/// DRF: to put a class with a challenge first is the fix for R1 and R3 alike.
const AUTHENTICATION_DOCS: &str =
    "https://www.django-rest-framework.org/api-guide/authentication/#unauthorized-and-forbidden-responses";

/// R21: a key in the URL; what the framework offers instead.
const KEY_IN_URL_FIX: Fix = Fix {
    rule: Rule::R21,
    advice: "Read the key from a header in your authentication class (request.META['HTTP_X_API_KEY']) or use TokenAuthentication's Authorization: Token, never request.query_params.",
    docs: "https://www.django-rest-framework.org/api-guide/authentication/#custom-authentication",
};

pub(super) static DRF: ServerProfile = ServerProfile {
    profile: Profile::Drf,
    family: Family::Framework,
    title: "Django REST framework (Session, Basic)",
    models: "Django REST framework with its default authentication classes (Session, Basic) and IsAuthenticated / IsAdminUser",
    version: "djangorestframework 3.18.3, Django 5.2.19",
    sources: &[
        "djangorestframework 3.18.3 rest_framework/settings.py:40-43 (DEFAULT_AUTHENTICATION_CLASSES: Session, Basic)",
        "djangorestframework 3.18.3 rest_framework/views.py:453-466 (handle_exception: no authenticate_header, so 403)",
        "djangorestframework 3.18.3 rest_framework/views.py:174-180 (permission_denied: NotAuthenticated or PermissionDenied)",
        "djangorestframework 3.18.3 rest_framework/views.py:514-518 (initial before the handler lookup)",
        "djangorestframework 3.18.3 rest_framework/authentication.py:44-49 (BaseAuthentication.authenticate_header returns None)",
        "djangorestframework 3.18.3 rest_framework/authentication.py:64-101 (BasicAuthentication: other schemes ignored, base64, password)",
        "djangorestframework 3.18.3 rest_framework/exceptions.py:176-197 (NotAuthenticated, PermissionDenied, MethodNotAllowed)",
        "djangorestframework 3.18.3 rest_framework/permissions.py:154-160 (IsAdminUser: is_staff)",
        "Django 5.2.19 django/views/defaults.py:16, :35-79 (page_not_found)",
    ],
    // `APIView.initial` (authentication, permissions, throttles) runs before the handler
    // lookup (`views.py:514`, `:518`).
    steps: order::METHOD_LAST,
    // Every view runs DEFAULT_AUTHENTICATION_CLASSES in order: `SessionAuthentication` (the
    // session cookie, `authentication.py:117-133`), `BasicAuthentication` (`Authorization:
    // Basic` in any case, `:66-67`), and the app's X-API-Key class (DRF's custom
    // authentication example, `docs/api-guide/authentication.md:331-350`). A Bearer header or
    // a query token is, to them, no credential. Two `Authorization` lines reach DRF joined by a
    // comma (wsgiref), so they are answered as one header that is not Basic's.
    readers: &[&SESSION, &BASIC, &API_KEY],
    native: &[&BASIC],
    route_schemes: RouteSchemes::Global,
    tries: Tries::InOrder,
    private_cache_for_query_tokens: false,
    answers: drf,
    fixes: &[
        KEY_IN_URL_FIX,
        Fix {
            rule: Rule::R3,
            advice: "Put an authentication class whose authenticate_header returns a challenge first in DEFAULT_AUTHENTICATION_CLASSES (BasicAuthentication, or a token class such as simplejwt's JWTAuthentication): DRF asks only the first class, and with SessionAuthentication first every NotAuthenticated becomes a 403.",
            docs: AUTHENTICATION_DOCS,
        },
        Fix {
            rule: Rule::R1,
            advice: "The same fix: with a first authentication class that has a challenge, DRF answers 401 with that class's WWW-Authenticate instead of 403.",
            docs: AUTHENTICATION_DOCS,
        },
        Fix {
            rule: Rule::R2,
            advice: "A wrong Basic password is AuthenticationFailed, which DRF sends as 401 only when the first authentication class has a challenge: put BasicAuthentication (or a token class) before SessionAuthentication.",
            docs: AUTHENTICATION_DOCS,
        },
        Fix {
            rule: Rule::R11,
            advice: "Set REST_FRAMEWORK['EXCEPTION_HANDLER'] to a handler that calls DRF's exception_handler and rewrites its response as application/problem+json (type, title, status, detail).",
            docs: "https://www.django-rest-framework.org/api-guide/exceptions/#custom-exception-handling",
        },
        Fix {
            rule: Rule::R14,
            advice: "Session and Basic read no token from the query, so access_token= is no credential to DRF: keep it so (no custom authentication class reading request.query_params) and send credentials in Authorization.",
            docs: "https://www.django-rest-framework.org/api-guide/authentication/#custom-authentication",
        },
    ],
    ..ServerProfile::BASE
};

pub(super) static DRF_SIMPLEJWT: ServerProfile = ServerProfile {
    profile: Profile::DrfSimplejwt,
    family: Family::Framework,
    title: "DRF + simplejwt (JWTAuthentication)",
    models: "Django REST framework with simplejwt's JWTAuthentication first (then Session, Basic), no token-type or jti claim required, the user named by sub",
    version: "djangorestframework-simplejwt 5.5.1, djangorestframework 3.18.3, Django 5.2.19, PyJWT 2.15.1",
    sources: &[
        "djangorestframework-simplejwt 5.5.1 rest_framework_simplejwt/authentication.py:33, :53-57 (authenticate_header: Bearer realm=\"api\")",
        "djangorestframework-simplejwt 5.5.1 rest_framework_simplejwt/authentication.py:80-91 (the header type compared exactly; two space-delimited values)",
        "djangorestframework-simplejwt 5.5.1 rest_framework_simplejwt/authentication.py:100-137 (token_not_valid, user_not_found)",
        "djangorestframework-simplejwt 5.5.1 rest_framework_simplejwt/tokens.py:67, :69, :187-201 (Token is invalid / expired, check_exp: no 'exp' claim)",
        "djangorestframework-simplejwt 5.5.1 rest_framework_simplejwt/tokens.py:123-130 (TOKEN_TYPE_CLAIM and JTI_CLAIM None)",
        "djangorestframework-simplejwt 5.5.1 rest_framework_simplejwt/backends.py:175-177 (PyJWT errors: Token is invalid / expired)",
        "djangorestframework 3.18.3 rest_framework/views.py:188-195, :453-463 (the first class's challenge on every 401)",
        "djangorestframework 3.18.3 rest_framework/authentication.py:84, :101 (Basic's messages)",
        "djangorestframework 3.18.3 rest_framework/permissions.py:154-160 (IsAdminUser: is_staff, not the token's role)",
        "Django 5.2.19 django/views/defaults.py:16, :35-79 (page_not_found)",
    ],
    steps: order::METHOD_LAST,
    // `JWTAuthentication` first, then Session and Basic, on every view; never the query.
    readers: &[&BEARER, &SESSION, &BASIC],
    native: &[&BEARER, &BASIC],
    route_schemes: RouteSchemes::Global,
    tries: Tries::InOrder,
    subject_must_be_a_user: true,
    syntax: AuthorizationSyntax::BearerExact,
    token_must_expire: true,
    role_from_user: true,
    answers: drf_simplejwt,
    fixes: &[
        KEY_IN_URL_FIX,
        Fix {
            rule: Rule::R5,
            advice: "simplejwt's challenge is Bearer realm=\"api\" without an error code: subclass JWTAuthentication and override authenticate_header to add error=\"invalid_token\" when the token failed (DRF calls it for every 401).",
            docs: "https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html",
        },
        Fix {
            rule: Rule::R8,
            advice: "simplejwt compares the scheme exactly with AUTH_HEADER_TYPES: list the case variants clients send, e.g. SIMPLE_JWT = {\"AUTH_HEADER_TYPES\": (\"Bearer\", \"bearer\")}.",
            docs: "https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html#auth-header-types",
        },
        Fix {
            rule: Rule::R11,
            advice: "Set REST_FRAMEWORK['EXCEPTION_HANDLER'] to a handler that calls DRF's exception_handler and rewrites its response as application/problem+json.",
            docs: "https://www.django-rest-framework.org/api-guide/exceptions/#custom-exception-handling",
        },
        Fix {
            rule: Rule::R14,
            advice: "JWTAuthentication reads the token from the header named by AUTH_HEADER_NAME only, never the query: keep it so, rather than overriding get_header to read access_token=.",
            docs: "https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html#auth-header-name",
        },
    ],
    ..ServerProfile::BASE
};

/// The answers of `DRF`.
pub(super) fn drf(case: Case) -> Answer {
    match case {
        // Nothing DRF reads, or a scheme Basic ignores: NotAuthenticated, coerced to 403. An
        // unknown or expired session is no user to SessionAuthentication (`authentication.py:
        // 127-128`), so the same. (A token is no credential to these classes, so no token
        // check is ever reached.)
        Case::Missing(_)
        | Case::Unusable(
            Unusable::UnsupportedScheme
            | Unusable::EmptyCredentials(Kind::Token | Kind::Key)
            | Unusable::MalformedCredentials(Kind::Token | Kind::Key)
            | Unusable::SeveralCredentials,
        )
        | Case::Invalid(Invalid::Token(_) | Invalid::Session(_)) => {
            json(Status::Forbidden, &[], NOT_PROVIDED)
        }
        // BasicAuthentication's own refusals of its header (`authentication.py:69-74`).
        Case::Unusable(Unusable::EmptyCredentials(Kind::Password)) => {
            json(Status::Forbidden, &[], BASIC_EMPTY)
        }
        Case::Unusable(Unusable::MalformedCredentials(Kind::Password)) => {
            json(Status::Forbidden, &[], BASIC_SPACES)
        }
        // The X-API-Key class's AuthenticationFailed('No such user'), coerced to 403.
        Case::Invalid(Invalid::ApiKey(_)) => json(Status::Forbidden, &[], NO_SUCH_USER),
        Case::Csrf(why) => csrf_failed(why),
        // authentication.py:101, coerced at views.py:466.
        Case::Invalid(Invalid::Password(PasswordCheck::Rejected)) => {
            json(Status::Forbidden, &[], INVALID_PASSWORD)
        }
        // authentication.py:84.
        Case::Invalid(Invalid::Password(PasswordCheck::Undecodable)) => {
            json(Status::Forbidden, &[], NOT_BASE64)
        }
        Case::Routing(Routing::UnknownRoute) => DJANGO_NOT_FOUND,
        Case::Routing(Routing::WrongMethod) => METHOD_NOT_ALLOWED,
        Case::Denied(_) => PERMISSION_DENIED,
        Case::Unparsable(_) => CANNOT_PARSE,
        Case::Allowed => HANDLER,
    }
}

/// The answers of `DRF_SIMPLEJWT`.
pub(super) fn drf_simplejwt(case: Case) -> Answer {
    match case {
        // No header simplejwt or Basic takes, or no live session: NotAuthenticated, with the
        // first class's challenge. (No API key is read.)
        Case::Missing(_)
        | Case::Unusable(Unusable::UnsupportedScheme)
        | Case::Invalid(Invalid::Session(_) | Invalid::ApiKey(_)) => {
            json(Status::Unauthorized, BEARER_API, NOT_PROVIDED)
        }
        Case::Csrf(why) => csrf_failed(why),
        // `Bearer` alone, a value that is not one token, or two lines joined by the server
        // (`authentication.py:80-91`).
        Case::Unusable(
            Unusable::EmptyCredentials(Kind::Token | Kind::Key)
            | Unusable::MalformedCredentials(Kind::Token | Kind::Key)
            | Unusable::SeveralCredentials,
        ) => json(Status::Unauthorized, BEARER_API, BAD_HEADER),
        // Basic's own refusals of its header, with the first class's challenge.
        Case::Unusable(Unusable::EmptyCredentials(Kind::Password)) => {
            json(Status::Unauthorized, BEARER_API, BASIC_EMPTY)
        }
        Case::Unusable(Unusable::MalformedCredentials(Kind::Password)) => {
            json(Status::Unauthorized, BEARER_API, BASIC_SPACES)
        }
        Case::Invalid(Invalid::Token(TokenCheck::Expired)) => json(
            Status::Unauthorized,
            BEARER_API,
            token_not_valid!("Token is expired"),
        ),
        Case::Invalid(Invalid::Token(
            TokenCheck::Unreadable
            | TokenCheck::Algorithm
            | TokenCheck::Signature
            | TokenCheck::NotYetValid
            | TokenCheck::Issuer
            | TokenCheck::Audience,
        )) => json(
            Status::Unauthorized,
            BEARER_API,
            token_not_valid!("Token is invalid"),
        ),
        Case::Invalid(Invalid::Token(TokenCheck::WithoutExpiry)) => json(
            Status::Unauthorized,
            BEARER_API,
            token_not_valid!("Token has no 'exp' claim"),
        ),
        Case::Invalid(Invalid::Token(TokenCheck::UnknownUser)) => json(
            Status::Unauthorized,
            BEARER_API,
            r#"{"detail":"User not found","code":"user_not_found"}"#,
        ),
        // Basic failed, yet the challenge is the first class's (views.py:188-195).
        Case::Invalid(Invalid::Password(PasswordCheck::Rejected)) => {
            json(Status::Unauthorized, BEARER_API, INVALID_PASSWORD)
        }
        Case::Invalid(Invalid::Password(PasswordCheck::Undecodable)) => {
            json(Status::Unauthorized, BEARER_API, NOT_BASE64)
        }
        Case::Routing(Routing::UnknownRoute) => DJANGO_NOT_FOUND,
        Case::Routing(Routing::WrongMethod) => METHOD_NOT_ALLOWED,
        Case::Denied(_) => PERMISSION_DENIED,
        Case::Unparsable(_) => CANNOT_PARSE,
        Case::Allowed => HANDLER,
    }
}

/// `TokenAuthentication.authenticate_header` (`authentication.py:210-211`): the keyword.
const TOKEN_CHALLENGE: &[Challenge] = &[Challenge {
    scheme: "Token",
    params: &[],
}];

pub(super) static DRF_TOKEN: ServerProfile = ServerProfile {
    profile: Profile::DrfToken,
    family: Family::Framework,
    title: "DRF TokenAuthentication (Authorization: Token)",
    models: "Django REST framework with TokenAuthentication alone (rest_framework.authtoken, one key per user: the demo API keys), IsAuthenticated / IsAdminUser",
    version: "djangorestframework 3.18.3, Django 5.2.19",
    sources: &[
        "djangorestframework 3.18.3 rest_framework/authentication.py:151-211 (TokenAuthentication: keyword Token, compared in lower case; no credentials, spaces, invalid characters, Invalid token.; authenticate_header)",
        "djangorestframework 3.18.3 rest_framework/views.py:188-195, :453-466 (the first class's challenge on every 401)",
        "djangorestframework 3.18.3 rest_framework/views.py:514-518 (initial before the handler lookup)",
        "djangorestframework 3.18.3 rest_framework/permissions.py:154-160 (IsAdminUser: is_staff)",
        "Django 5.2.19 django/views/defaults.py:16, :35-79 (page_not_found)",
    ],
    steps: order::METHOD_LAST,
    // `get_authorization_header(request).split()`: the one `Authorization` value (two lines
    // come joined by a comma, so more than two parts), the keyword in any case.
    readers: &[&TOKEN],
    native: &[&TOKEN],
    route_schemes: RouteSchemes::Global,
    tries: Tries::InOrder,
    private_cache_for_query_tokens: false,
    answers: drf_token,
    fixes: &[
        KEY_IN_URL_FIX,
        Fix {
            rule: Rule::R11,
            advice: "Set REST_FRAMEWORK['EXCEPTION_HANDLER'] to a handler that calls DRF's exception_handler and rewrites its response as application/problem+json.",
            docs: "https://www.django-rest-framework.org/api-guide/exceptions/#custom-exception-handling",
        },
        Fix {
            rule: Rule::R14,
            advice: "TokenAuthentication reads the Authorization header only, never the query: keep it so, rather than a custom class that reads access_token=.",
            docs: "https://www.django-rest-framework.org/api-guide/authentication/#tokenauthentication",
        },
        Fix {
            rule: Rule::R15,
            advice: "TokenAuthentication's challenge is the bare keyword: subclass it and override authenticate_header to return 'Token realm=\"api\"'.",
            docs: "https://www.django-rest-framework.org/api-guide/authentication/#tokenauthentication",
        },
    ],
    ..ServerProfile::BASE
};

/// The answers of DRF with `TokenAuthentication`: every 401 names `Token`.
pub(super) fn drf_token(case: Case) -> Answer {
    let unauthorized = |body| json(Status::Unauthorized, TOKEN_CHALLENGE, body);
    match case {
        // Another scheme or none: the class returns None (`:180-181`), NotAuthenticated.
        Case::Missing(_)
        | Case::Unusable(Unusable::UnsupportedScheme)
        | Case::Invalid(Invalid::Token(_) | Invalid::Password(_) | Invalid::Session(_)) => {
            unauthorized(NOT_PROVIDED)
        }
        // `:183-185`.
        Case::Unusable(Unusable::EmptyCredentials(_)) => {
            unauthorized(r#"{"detail":"Invalid token header. No credentials provided."}"#)
        }
        // `:186-188`: more than two parts, as `Token a b` and two joined lines are.
        Case::Unusable(Unusable::MalformedCredentials(_) | Unusable::SeveralCredentials) => {
            unauthorized(
                r#"{"detail":"Invalid token header. Token string should not contain spaces."}"#,
            )
        }
        // `:198-203`.
        Case::Invalid(Invalid::ApiKey(_)) => unauthorized(r#"{"detail":"Invalid token."}"#),
        Case::Routing(Routing::UnknownRoute) => DJANGO_NOT_FOUND,
        Case::Routing(Routing::WrongMethod) => METHOD_NOT_ALLOWED,
        // No session is read, so no CSRF check runs.
        Case::Denied(_) | Case::Csrf(_) => PERMISSION_DENIED,
        Case::Unparsable(_) => CANNOT_PARSE,
        Case::Allowed => HANDLER,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Kind;
    use crate::profile::{Denied, Missing};

    /// One case's answer under a table: status, challenges as text, body.
    fn answered(spec: &ServerProfile, case: Case) -> (u16, Vec<String>, &'static str) {
        let answer = spec.answer(case);
        let status = match answer.status {
            Code::Is(status) => status.code(),
            Code::Decided => 0,
        };
        let challenges = answer
            .challenges
            .iter()
            .map(|challenge| format!("{} {:?}", challenge.scheme, challenge.params))
            .collect();
        let body = match answer.body {
            Body::Fixed { text, .. } | Body::FixedNamingMethod { text, .. } => text,
            _ => "",
        };
        (status, challenges, body)
    }

    #[test]
    fn the_answers_that_matter() {
        let bearer_api = vec![r#"Bearer [RealmIs("api")]"#.to_string()];
        let cases: [(&ServerProfile, Case, u16, &[String], &str); 12] = [
            (
                &DRF,
                Case::Missing(Missing::NoCredentials),
                403,
                &[],
                NOT_PROVIDED,
            ),
            (
                &DRF,
                Case::Unusable(Unusable::UnsupportedScheme),
                403,
                &[],
                NOT_PROVIDED,
            ),
            (
                &DRF,
                Case::Invalid(Invalid::Password(PasswordCheck::Rejected)),
                403,
                &[],
                INVALID_PASSWORD,
            ),
            (
                &DRF,
                Case::Invalid(Invalid::Password(PasswordCheck::Undecodable)),
                403,
                &[],
                NOT_BASE64,
            ),
            (
                &DRF,
                Case::Denied(Denied::MissingRole),
                403,
                &[],
                NO_PERMISSION,
            ),
            (
                &DRF,
                Case::Routing(Routing::UnknownRoute),
                404,
                &[],
                NOT_FOUND_PAGE,
            ),
            (
                &DRF_SIMPLEJWT,
                Case::Missing(Missing::NoCredentials),
                401,
                &bearer_api,
                NOT_PROVIDED,
            ),
            (
                &DRF_SIMPLEJWT,
                Case::Unusable(Unusable::EmptyCredentials(Kind::Token)),
                401,
                &bearer_api,
                BAD_HEADER,
            ),
            (
                &DRF_SIMPLEJWT,
                Case::Invalid(Invalid::Token(TokenCheck::Expired)),
                401,
                &bearer_api,
                token_not_valid!("Token is expired"),
            ),
            (
                &DRF_SIMPLEJWT,
                Case::Invalid(Invalid::Token(TokenCheck::WithoutExpiry)),
                401,
                &bearer_api,
                token_not_valid!("Token has no 'exp' claim"),
            ),
            (
                &DRF_SIMPLEJWT,
                Case::Invalid(Invalid::Password(PasswordCheck::Rejected)),
                401,
                &bearer_api,
                INVALID_PASSWORD,
            ),
            (
                &DRF_SIMPLEJWT,
                Case::Denied(Denied::NotOwner),
                403,
                &[],
                NO_PERMISSION,
            ),
        ];
        for (spec, case, status, challenges, body) in cases {
            assert_eq!(
                answered(spec, case),
                (status, challenges.to_vec(), body),
                "{} {case:?}",
                spec.profile.id()
            );
        }
    }
}
