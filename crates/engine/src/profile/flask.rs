//! Two Flask extensions over the same Werkzeug: Flask-HTTPAuth's `HTTPTokenAuth("Bearer")` with
//! `login_required(role=…)`, and Flask-JWT-Extended's `@jwt_required()` with its default
//! callbacks. Werkzeug answers what comes before the view (404, 405) and the view's
//! `abort(403)` with its HTML error pages.
//!
//! Where an extension leaves a check to the application, the tables follow its documentation:
//! Flask-HTTPAuth's `verify_token` returns the claims of `jwt.decode` or `None`, and its one
//! authorization hook, `get_user_roles`, gives the `role` claim and the scopes; ownership is the
//! view's `abort(403)`. Flask-JWT-Extended's role, scope and owner checks are its "custom
//! decorators" page: `verify_jwt_in_request()`, then `jsonify(msg=…), 403`. Neither looks the
//! `sub` up. Held to the real extensions by `cargo xtask test` (conformance/,
//! `flask_httpauth_app.py`, `flask_jwt_extended_app.py`).

use super::Profile;
use super::{
    fixed, Answer, AuthorizationSyntax, Body, Case, Challenge, Code, Denied, Family, Fix, Invalid,
    Param, Routing, ServerProfile, TokenCheck, Unusable, HANDLER,
};
use crate::credentials::BEARER;
use crate::http::Status;
use crate::rule::Rule;

/// Werkzeug's media type for a text response and for its error pages.
const HTML: &str = "text/html; charset=utf-8";
/// `flask.jsonify`'s.
const JSON: &str = "application/json";

/// The parser's own status and problem body, as in `rfc`. Werkzeug's server (Python's
/// `http.server`) refuses less than the engine's parser does (a missing `Host`, obs-fold) and
/// writes an HTML page naming the offending line, which no fixed row can say.
const MALFORMED: Answer = Answer {
    status: Code::Decided,
    challenges: &[],
    body: Body::Problem,
    conceals: false,
    allow: false,
    per_scheme: None,
};

/// werkzeug 3.1.9 werkzeug/exceptions.py:351-362 (`NotFound`), the page of `get_body`,
/// :110-124.
const WERKZEUG_NOT_FOUND: Answer = fixed(
    Status::NotFound,
    &[],
    HTML,
    "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n\
     <p>The requested URL was not found on the server. If you entered the URL manually \
     please check your spelling and try again.</p>\n",
);

/// werkzeug/exceptions.py:364-390 (`MethodNotAllowed`, with `Allow`), raised by the routing
/// before any decorator of the view runs.
const WERKZEUG_METHOD_NOT_ALLOWED: Answer = Answer {
    allow: true,
    ..fixed(
        Status::MethodNotAllowed,
        &[],
        HTML,
        "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n\
         <h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested \
         URL.</p>\n",
    )
};

/// werkzeug/exceptions.py:336-348 (`Forbidden`): Flask's `abort(403)`.
const WERKZEUG_FORBIDDEN: &str = "<!doctype html>\n<html lang=en>\n<title>403 Forbidden</title>\n\
     <h1>Forbidden</h1>\n<p>You don&#39;t have the permission to access the requested \
     resource. It is either read-protected or not readable by the server.</p>\n";

/// Flask-HTTPAuth's `authenticate_header`: the scheme and its default realm.
const HTTPAUTH_CHALLENGE: &[Challenge] = &[Challenge {
    scheme: "Bearer",
    params: &[Param::RealmIs("Authentication Required")],
}];
/// `default_auth_error`.
const UNAUTHORIZED_ACCESS: &str = "Unauthorized Access";

/// R21: a key in the URL; what the framework offers instead.
const KEY_IN_URL_FIX: Fix = Fix {
    rule: Rule::R21,
    advice: "Read the key from request.headers (X-API-Key), not request.args, and refuse a key sent in the query.",
    docs: "https://flask.palletsprojects.com/en/stable/api/#flask.Request.headers",
};

pub(super) static FLASK_HTTPAUTH: ServerProfile = ServerProfile {
    profile: Profile::FlaskHttpauth,
    family: Family::Framework,
    title: "Flask-HTTPAuth (HTTPTokenAuth)",
    models: "Flask-HTTPAuth HTTPTokenAuth(\"Bearer\") with login_required(role=…): roles and scopes from the token",
    version: "flask-httpauth 4.8.1, flask 3.1.3, werkzeug 3.1.9",
    sources: &[
        "flask-httpauth 4.8.1 flask_httpauth.py:21 (realm \"Authentication Required\"), :30-31 (default_auth_error)",
        "flask-httpauth 4.8.1 flask_httpauth.py:99-100 (WWW-Authenticate added to every error status), :105-106 (authenticate_header)",
        "flask-httpauth 4.8.1 flask_httpauth.py:134-135 (another scheme, compared lower-cased, is no credentials)",
        "flask-httpauth 4.8.1 flask_httpauth.py:148-160 (authorize: roles), :222-229 (401 without a user, 403 without the role)",
        "flask-httpauth 4.8.1 flask_httpauth.py:622-625 (verify_token's result is the user)",
        "werkzeug 3.1.9 werkzeug/exceptions.py:336-390 (Forbidden, NotFound, MethodNotAllowed pages), :110-124 (get_body)",
        "werkzeug 3.1.9 werkzeug/serving.py:223-224 (several Authorization fields joined with commas)",
    ],
    // Both extensions read `Authorization` as Werkzeug hands it over (several fields joined
    // into one with commas, `werkzeug/serving.py:223-224`), and neither Basic nor the query.
    readers: &[&BEARER],
    native: &[&BEARER],
    private_cache_for_query_tokens: false,
    answers: flask_httpauth,
    fixes: HTTPAUTH_FIXES,
    ..ServerProfile::BASE
};

const HTTPAUTH_DOCS: &str = "https://flask-httpauth.readthedocs.io/en/latest/";
const FLASK_ERRORS_DOCS: &str = "https://flask.palletsprojects.com/en/stable/errorhandling/";

/// What the rules find in Flask-HTTPAuth's answers, and how to change it there.
const HTTPAUTH_FIXES: &[Fix] = &[
    KEY_IN_URL_FIX,
    Fix {
        rule: Rule::R5,
        advice: "Have verify_token note why a token failed (in flask.g), and register an @auth.error_handler that, when a token was sent, returns the 401 with your own WWW-Authenticate: Bearer realm=\"…\", error=\"invalid_token\"; Flask-HTTPAuth keeps a WWW-Authenticate the handler sets.",
        docs: HTTPAUTH_DOCS,
    },
    Fix {
        rule: Rule::R11,
        advice: "Return problem+json from @auth.error_handler (a JSON body with type, title, status and detail, Content-Type application/problem+json), and register @app.errorhandler(HTTPException) so Werkzeug's 403, 404 and 405 pages become problem+json too.",
        docs: FLASK_ERRORS_DOCS,
    },
    Fix {
        rule: Rule::R14,
        advice: "Werkzeug joins several Authorization fields with commas, so verify_token receives one token with \", \" in it: refuse it in an @app.before_request with 400 and WWW-Authenticate: Bearer error=\"invalid_request\"; keep tokens out of the query (HTTPTokenAuth reads only the header).",
        docs: HTTPAUTH_DOCS,
    },
];

/// `default_unauthorized_callback`'s text for `NoAuthorizationError` with no header.
const MISSING_HEADER: &str = "{\"msg\":\"Missing Authorization Header\"}\n";
/// The same callback when no list element has the scheme `Bearer` (or two have).
const MISSING_BEARER: &str = "{\"msg\":\"Missing 'Bearer' type in 'Authorization' header. \
     Expected 'Authorization: Bearer <JWT>'\"}\n";

/// `default_invalid_token_callback`: 422 with PyJWT's message.
const fn invalid_token(text: &'static str) -> Answer {
    fixed(Status::UnprocessableContent, &[], JSON, text)
}

const fn refused(text: &'static str) -> Answer {
    fixed(Status::Forbidden, &[], JSON, text)
}

pub(super) static FLASK_JWT_EXTENDED: ServerProfile = ServerProfile {
    profile: Profile::FlaskJwtExtended,
    family: Family::Framework,
    title: "Flask-JWT-Extended (jwt_required)",
    models: "Flask-JWT-Extended @jwt_required() with its default callbacks, role and scope checks as its custom-decorator page shows",
    version: "flask-jwt-extended 4.7.4, flask 3.1.3, pyjwt 2.15.1",
    sources: &[
        "flask-jwt-extended 4.7.4 flask_jwt_extended/view_decorators.py:194-196 (no header: NoAuthorizationError)",
        "flask-jwt-extended 4.7.4 flask_jwt_extended/view_decorators.py:203-211 (the comma-separated element whose scheme is exactly Bearer, one only)",
        "flask-jwt-extended 4.7.4 flask_jwt_extended/view_decorators.py:213-219 (not two parts: InvalidHeaderError)",
        "flask-jwt-extended 4.7.4 flask_jwt_extended/jwt_manager.py:121-170 (which error goes to which callback)",
        "flask-jwt-extended 4.7.4 flask_jwt_extended/default_callbacks.py:56-63 (expired: 401), :66-76 (invalid: 422), :79-86 (unauthorized: 401), none with WWW-Authenticate",
        "pyjwt 2.15.1 jwt/api_jws.py:367, :416, :446; jwt/api_jwt.py:497, :563, :580 (the messages)",
        "werkzeug 3.1.9 werkzeug/exceptions.py:351-390 (NotFound, MethodNotAllowed pages)",
        "Flask-JWT-Extended docs, custom_decorators (the 403s: the application's)",
    ],
    // Both extensions read `Authorization` as Werkzeug hands it over (several fields joined
    // into one with commas, `werkzeug/serving.py:223-224`), and neither Basic nor the query.
    readers: &[&BEARER],
    native: &[&BEARER],
    private_cache_for_query_tokens: false,
    syntax: AuthorizationSyntax::BearerFromList,
    answers: flask_jwt_extended,
    fixes: JWT_EXTENDED_FIXES,
    ..ServerProfile::BASE
};

const JWT_EXTENDED_DOCS: &str =
    "https://flask-jwt-extended.readthedocs.io/en/stable/changing_default_behavior.html";

/// What the rules find in Flask-JWT-Extended's answers, and how to change it there.
const JWT_EXTENDED_FIXES: &[Fix] = &[
    KEY_IN_URL_FIX,
    Fix {
        rule: Rule::R1,
        advice: "Register @jwt.unauthorized_loader, @jwt.invalid_token_loader and @jwt.expired_token_loader that return 401 with WWW-Authenticate: Bearer realm=\"…\" (and error=\"invalid_token\" for the last two): the default callbacks send no challenge, and answer 422 to a token that does not verify.",
        docs: JWT_EXTENDED_DOCS,
    },
    Fix {
        rule: Rule::R8,
        advice: "Flask-JWT-Extended compares the scheme with JWT_HEADER_TYPE exactly, so `bearer` is refused and no setting changes that; wrap app.wsgi_app in a small WSGI middleware that rewrites the scheme of HTTP_AUTHORIZATION to `Bearer` in any case.",
        docs: "https://flask-jwt-extended.readthedocs.io/en/stable/options.html#header-options",
    },
    Fix {
        rule: Rule::R11,
        advice: "Make the same loader callbacks return problem+json (type, title, status, detail; Content-Type application/problem+json) instead of {\"msg\": …}, and register @app.errorhandler(HTTPException) for Werkzeug's 404 and 405 pages.",
        docs: JWT_EXTENDED_DOCS,
    },
    Fix {
        rule: Rule::R14,
        advice: "Two Bearer credentials reach @jwt.unauthorized_loader as \"Missing 'Bearer' type\"; refuse them first in an @app.before_request with 400 and WWW-Authenticate: Bearer error=\"invalid_request\", and leave \"query_string\" out of JWT_TOKEN_LOCATION, as the default does.",
        docs: "https://flask-jwt-extended.readthedocs.io/en/stable/options.html#general-options",
    },
    Fix {
        rule: Rule::R19,
        advice: "The default @jwt.invalid_token_loader answers 422 to a token whose signature, encoding or claims fail; register one that returns 401 with WWW-Authenticate: Bearer realm=\"…\", error=\"invalid_token\": 422 is for content the server cannot process, not for credentials.",
        docs: JWT_EXTENDED_DOCS,
    },
];

/// The answers of `FLASK_HTTPAUTH`.
pub(super) fn flask_httpauth(case: Case) -> Answer {
    match case {
        Case::Unparsable(_) => MALFORMED,
        Case::Allowed => HANDLER,
        Case::Routing(Routing::UnknownRoute) => WERKZEUG_NOT_FOUND,
        Case::Routing(Routing::WrongMethod) => WERKZEUG_METHOD_NOT_ALLOWED,
        // `authenticate` gives no user: no header, another scheme, no token after the scheme,
        // or `verify_token` returned `None` (every `jwt.decode` failure, and two joined fields,
        // which make one token that does not decode).
        Case::Missing(_) | Case::Unusable(_) | Case::Invalid(_) => fixed(
            Status::Unauthorized,
            HTTPAUTH_CHALLENGE,
            HTML,
            UNAUTHORIZED_ACCESS,
        ),
        // `authorize` fails: the same error callback with 403, challenge and all.
        Case::Denied(
            Denied::MissingRole | Denied::MissingScope | Denied::MissingScopeWithPassword,
        ) => fixed(
            Status::Forbidden,
            HTTPAUTH_CHALLENGE,
            HTML,
            UNAUTHORIZED_ACCESS,
        ),
        // A CSRF check is never run here (no cookie is read).
        Case::Denied(Denied::NotOwner) | Case::Csrf(_) => {
            fixed(Status::Forbidden, &[], HTML, WERKZEUG_FORBIDDEN)
        }
    }
}

/// The answers of `FLASK_JWT_EXTENDED`.
pub(super) fn flask_jwt_extended(case: Case) -> Answer {
    match case {
        Case::Unparsable(_) => MALFORMED,
        Case::Allowed => HANDLER,
        Case::Routing(Routing::UnknownRoute) => WERKZEUG_NOT_FOUND,
        Case::Routing(Routing::WrongMethod) => WERKZEUG_METHOD_NOT_ALLOWED,
        Case::Missing(_) => fixed(Status::Unauthorized, &[], JSON, MISSING_HEADER),
        // Basic is never read, so a password is another scheme here.
        Case::Unusable(Unusable::UnsupportedScheme | Unusable::SeveralCredentials)
        | Case::Invalid(Invalid::Password(_) | Invalid::ApiKey(_) | Invalid::Session(_)) => {
            fixed(Status::Unauthorized, &[], JSON, MISSING_BEARER)
        }
        // Not reached (this set-up does not require `exp`): PyJWT's words where it is required.
        Case::Invalid(Invalid::Token(TokenCheck::WithoutExpiry)) => {
            invalid_token("{\"msg\":\"Token is missing the \\\"exp\\\" claim\"}\n")
        }
        Case::Unusable(Unusable::EmptyCredentials(_) | Unusable::MalformedCredentials(_)) => {
            invalid_token(
                "{\"msg\":\"Bad Authorization header. Expected 'Authorization: Bearer <JWT>'\"}\n",
            )
        }
        Case::Invalid(Invalid::Token(TokenCheck::Expired)) => fixed(
            Status::Unauthorized,
            &[],
            JSON,
            "{\"msg\":\"Token has expired\"}\n",
        ),
        // PyJWT's first complaint about a token that does not decode at all; other broken
        // tokens (bad base64, a header that is not JSON) get other PyJWT messages, same 422.
        Case::Invalid(Invalid::Token(TokenCheck::Unreadable)) => {
            invalid_token("{\"msg\":\"Not enough segments\"}\n")
        }
        Case::Invalid(Invalid::Token(TokenCheck::Algorithm)) => {
            invalid_token("{\"msg\":\"The specified alg value is not allowed\"}\n")
        }
        Case::Invalid(Invalid::Token(TokenCheck::Signature)) => {
            invalid_token("{\"msg\":\"Signature verification failed\"}\n")
        }
        Case::Invalid(Invalid::Token(TokenCheck::NotYetValid)) => {
            invalid_token("{\"msg\":\"The token is not yet valid (nbf)\"}\n")
        }
        Case::Invalid(Invalid::Token(TokenCheck::Issuer)) => {
            invalid_token("{\"msg\":\"Invalid issuer\"}\n")
        }
        Case::Invalid(Invalid::Token(TokenCheck::Audience)) => {
            invalid_token("{\"msg\":\"Audience doesn't match\"}\n")
        }
        // Never reached: no `user_lookup_loader` is set, so no `sub` is looked up. With one,
        // `default_user_lookup_error_callback` (default_callbacks.py:115-125) answers 401
        // "Error loading the user <sub>"; the row cannot name the sub.
        Case::Invalid(Invalid::Token(TokenCheck::UnknownUser)) => fixed(
            Status::Unauthorized,
            &[],
            JSON,
            "{\"msg\":\"Error loading the user\"}\n",
        ),
        Case::Denied(Denied::MissingRole) => refused("{\"msg\":\"Admins only!\"}\n"),
        Case::Denied(Denied::MissingScope | Denied::MissingScopeWithPassword) => {
            refused("{\"msg\":\"Missing scope reports:read\"}\n")
        }
        // This set-up reads no JWT from a cookie, so its double-submit CSRF check never runs.
        Case::Denied(Denied::NotOwner) | Case::Csrf(_) => {
            refused("{\"msg\":\"Owner or admin only!\"}\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Kind;
    use crate::profile::Missing;

    /// The status, challenge schemes and body start of a table's answer to a case.
    fn check(profile: &ServerProfile, case: Case, status: Code, challenge: &[&str], body: &str) {
        let answer = profile.answer(case);
        assert_eq!(answer.status, status, "{case:?}");
        let schemes: Vec<&str> = answer.challenges.iter().map(|c| c.scheme).collect();
        assert_eq!(schemes, challenge, "{case:?}");
        let text = match answer.body {
            Body::Fixed { text, .. } => text,
            _ => "",
        };
        assert!(text.starts_with(body), "{case:?}: {text}");
    }

    #[test]
    #[rustfmt::skip]
    fn flask_httpauth_challenges_on_401_and_on_its_own_403() {
        let is = Code::Is;
        let table = &FLASK_HTTPAUTH;
        check(table, Case::Missing(Missing::NoCredentials), is(Status::Unauthorized), &["Bearer"], "Unauthorized Access");
        check(table, Case::Invalid(Invalid::Token(TokenCheck::Expired)), is(Status::Unauthorized), &["Bearer"], "Unauthorized Access");
        check(table, Case::Unusable(Unusable::UnsupportedScheme), is(Status::Unauthorized), &["Bearer"], "Unauthorized Access");
        check(table, Case::Denied(Denied::MissingRole), is(Status::Forbidden), &["Bearer"], "Unauthorized Access");
        check(table, Case::Denied(Denied::MissingScope), is(Status::Forbidden), &["Bearer"], "Unauthorized Access");
        check(table, Case::Denied(Denied::NotOwner), is(Status::Forbidden), &[], "<!doctype html>\n<html lang=en>\n<title>403 Forbidden");
        check(table, Case::Routing(Routing::UnknownRoute), is(Status::NotFound), &[], "<!doctype html>\n<html lang=en>\n<title>404 Not Found");
        check(table, Case::Routing(Routing::WrongMethod), is(Status::MethodNotAllowed), &[], "<!doctype html>\n<html lang=en>\n<title>405");
        check(table, Case::Allowed, Code::Decided, &[], "");
    }

    #[test]
    #[rustfmt::skip]
    fn flask_jwt_extended_answers_401_without_challenge_and_422() {
        let is = Code::Is;
        let table = &FLASK_JWT_EXTENDED;
        check(table, Case::Missing(Missing::NoCredentials), is(Status::Unauthorized), &[], r#"{"msg":"Missing Authorization Header"}"#);
        check(table, Case::Unusable(Unusable::UnsupportedScheme), is(Status::Unauthorized), &[], r#"{"msg":"Missing 'Bearer' type"#);
        check(table, Case::Unusable(Unusable::SeveralCredentials), is(Status::Unauthorized), &[], r#"{"msg":"Missing 'Bearer' type"#);
        check(table, Case::Unusable(Unusable::EmptyCredentials(Kind::Token)), is(Status::UnprocessableContent), &[], r#"{"msg":"Bad Authorization header."#);
        check(table, Case::Invalid(Invalid::Token(TokenCheck::Expired)), is(Status::Unauthorized), &[], r#"{"msg":"Token has expired"}"#);
        check(table, Case::Invalid(Invalid::Token(TokenCheck::Signature)), is(Status::UnprocessableContent), &[], r#"{"msg":"Signature verification failed"}"#);
        check(table, Case::Invalid(Invalid::Token(TokenCheck::Unreadable)), is(Status::UnprocessableContent), &[], r#"{"msg":"Not enough segments"}"#);
        check(table, Case::Invalid(Invalid::Token(TokenCheck::Algorithm)), is(Status::UnprocessableContent), &[], r#"{"msg":"The specified alg value is not allowed"}"#);
        check(table, Case::Invalid(Invalid::Token(TokenCheck::Audience)), is(Status::UnprocessableContent), &[], r#"{"msg":"Audience doesn't match"}"#);
        check(table, Case::Denied(Denied::MissingRole), is(Status::Forbidden), &[], r#"{"msg":"Admins only!"}"#);
        check(table, Case::Denied(Denied::NotOwner), is(Status::Forbidden), &[], r#"{"msg":"Owner or admin only!"}"#);
        check(table, Case::Routing(Routing::UnknownRoute), is(Status::NotFound), &[], "<!doctype html>");
        assert_eq!(
            (table.syntax, FLASK_HTTPAUTH.syntax),
            (AuthorizationSyntax::BearerFromList, AuthorizationSyntax::Rfc9110)
        );
    }
}
