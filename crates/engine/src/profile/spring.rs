//! Spring Security 6.5.11, read from its published source (spring-projects/spring-security,
//! tag 6.5.11): the resource server that `oauth2ResourceServer().jwt()` sets up, and a chain
//! with no authentication entry point, where `Http403ForbiddenEntryPoint` answers.
//!
//! Spring Security runs as a servlet filter chain before the dispatcher looks for a handler:
//! a token is read and verified wherever it is sent (a bad token on a `permitAll` path is
//! refused too), and `anyRequest().authenticated()` refuses an anonymous caller on a path no
//! handler has before the dispatcher could answer 404. Role, scope and owner checks are the
//! application's (`hasAuthority`, `@PreAuthorize`); their `AccessDeniedException` reaches the
//! access-denied handler. Neither Spring nor its JDK installs here, so these tables are held by
//! the table tests below against the quoted source lines, not by a running app.
//!
//! What Spring Boot's `/error` controller writes for a 404, a 405 or a `sendError` (a JSON
//! object with a timestamp) is Boot's, not Spring Security's, and carries the time of the
//! request: these tables send those statuses without a body.

use super::Profile;
use super::{
    answer, order, Answer, Body, Case, Challenge, Family, Fix, Invalid, Param, Routing,
    ServerProfile, TokenCheck, Unusable, CANNOT_PARSE_UNTYPED, HANDLER,
};
use crate::credentials::BEARER;
use crate::http::Status;
use crate::rule::Rule;

/// `BearerTokenErrors.DEFAULT_URI` (BearerTokenErrors.java:37).
const RFC_6750_URI: &str = "https://tools.ietf.org/html/rfc6750#section-3.1";

/// `NimbusJwtDecoder.DECODING_ERROR_MESSAGE_TEMPLATE` (NimbusJwtDecoder.java:93) around a
/// validator's or the parser's message.
macro_rules! decoding_error {
    ($message:literal) => {
        concat!(
            "An error occurred while attempting to decode the Jwt: ",
            $message
        )
    };
}

/// `Bearer error="…", error_description="…", error_uri="…"`, as
/// `BearerTokenAuthenticationEntryPoint.commence` writes an `OAuth2AuthenticationException`
/// (no realm: `realmName` is null by default).
macro_rules! bearer_error {
    ($code:literal, $description:expr) => {
        &[Challenge {
            scheme: "Bearer",
            params: &[
                Param::Error($code),
                Param::DescriptionIs($description),
                Param::ErrorUri(RFC_6750_URI),
            ],
        }]
    };
}

/// `Bearer`, alone: the entry point with no realm and no OAuth2 error.
const BARE_BEARER: &[Challenge] = &[Challenge {
    scheme: "Bearer",
    params: &[],
}];

const EMPTY: Body = Body::Untyped("");

const MALFORMED: &str = "Bearer token is malformed";
const MULTIPLE: &str = "Found multiple bearer tokens in the request";
const UNREADABLE: &str = decoding_error!("Malformed token");
const UNSIGNED: &str = "Unsupported algorithm of none";
const SIGNATURE: &str = decoding_error!("Signed JWT rejected: Invalid signature");
const EXPIRED: &str = decoding_error!("Jwt expired at {exp}");
const NOT_YET: &str = decoding_error!("Jwt used before {nbf}");
const ISSUER: &str = decoding_error!("The iss claim is not valid");
const AUDIENCE: &str = decoding_error!("The aud claim is not valid");
const HIGHER_PRIVILEGES: &str =
    "The request requires higher privileges than provided by the access token.";

/// What the dispatcher answers once the filter chain let the request through: Spring MVC's
/// 404 and its 405 with `Allow` (the body is Boot's error page, not written here).
fn dispatcher(routing: Routing) -> Answer {
    match routing {
        Routing::UnknownRoute => answer(Status::NotFound, &[], EMPTY),
        Routing::WrongMethod => Answer {
            allow: true,
            ..answer(Status::MethodNotAllowed, &[], EMPTY)
        },
    }
}

const RESOURCE_SERVER_DOCS: &str =
    "https://docs.spring.io/spring-security/reference/servlet/oauth2/resource-server/jwt.html";

/// R21: a key in the URL; what the framework offers instead.
const KEY_IN_URL_FIX: Fix = Fix {
    rule: Rule::R21,
    advice: "Resolve API keys from a header in your authentication filter (request.getHeader(\"X-API-Key\")), never request.getParameter, so keys stay out of access logs.",
    docs: "https://docs.spring.io/spring-security/reference/servlet/authentication/architecture.html",
};

pub(super) static SPRING_SECURITY: ServerProfile = ServerProfile {
    profile: Profile::SpringSecurity,
    family: Family::Framework,
    title: "Spring Security resource server (jwt)",
    models: "Spring Security resource server, oauth2ResourceServer().jwt(), with anyRequest().authenticated() and the application's role and owner checks",
    version: "spring-security 6.5.11 (read from source; not run here)",
    sources: &[
        "spring-security 6.5.11 oauth2/oauth2-resource-server/src/main/java/org/springframework/security/oauth2/server/resource/web/BearerTokenAuthenticationEntryPoint.java:61-87 (401, or the error's status; error, error_description, error_uri), :97-112 (the header)",
        "spring-security 6.5.11 oauth2/oauth2-resource-server/src/main/java/org/springframework/security/oauth2/server/resource/web/access/BearerTokenAccessDeniedHandler.java:59-75 (403 insufficient_scope for a token's caller)",
        "spring-security 6.5.11 oauth2/oauth2-resource-server/src/main/java/org/springframework/security/oauth2/server/resource/web/DefaultBearerTokenResolver.java:44-45 (^Bearer token68$, any case), :49 (no query token by default), :64-88 (multiple tokens: invalid_request), :90-103 (Bearer token is malformed)",
        "spring-security 6.5.11 oauth2/oauth2-resource-server/src/main/java/org/springframework/security/oauth2/server/resource/BearerTokenErrors.java:37 (error_uri), :47-74 (invalid_request 400, invalid_token 401)",
        "spring-security 6.5.11 oauth2/oauth2-resource-server/src/main/java/org/springframework/security/oauth2/server/resource/authentication/JwtAuthenticationProvider.java:97-108 (BadJwtException becomes invalid_token with its message)",
        "spring-security 6.5.11 oauth2/oauth2-jose/src/main/java/org/springframework/security/oauth2/jwt/NimbusJwtDecoder.java:93 (the decoding-error template), :137-141 (unsigned: Unsupported algorithm of none), :146-156 (Malformed token), :183-188 (the processor's message), :202-209",
        "spring-security 6.5.11 oauth2/oauth2-jose/src/main/java/org/springframework/security/oauth2/jwt/JwtTimestampValidator.java:53 (default clock skew 60 s), :77 (Jwt expired at …), :84 (Jwt used before …)",
        "spring-security 6.5.11 oauth2/oauth2-jose/src/main/java/org/springframework/security/oauth2/jwt/JwtClaimValidator.java:57 (The iss / aud claim is not valid), JwtIssuerValidator.java:42-43, JwtAudienceValidator.java:41",
        "nimbus-jose-jwt DefaultJWTProcessor: \"Signed JWT rejected: Invalid signature\" (not read here; the message Spring passes on)",
        "Spring Security reference, servlet/oauth2/resource-server/jwt (authorization is the application's: hasAuthority(\"SCOPE_…\"), @PreAuthorize)",
    ],
    // The filter chain verifies credentials before the dispatcher routes; an anonymous caller
    // on a path no public route has is refused by `anyRequest().authenticated()` first.
    steps: order::FILTER_CHAIN,
    // `DefaultBearerTokenResolver`: one `Authorization` field (`request.getHeader`, the
    // first), `Bearer` in any case, no query parameter (`allowUriQueryParameter` is false) and
    // no Basic (`httpBasic()` is not part of this set-up).
    readers: &[&BEARER],
    native: &[&BEARER],
    first_authorization_only: true,
    private_cache_for_query_tokens: false,
    answers: spring_security,
    fixes: SPRING_SECURITY_FIXES,
    ..ServerProfile::BASE
};

/// Both set-ups read no query token; DefaultBearerTokenResolver would only with a setting.
const QUERY_FIX: Fix = Fix {
    rule: Rule::R14,
    advice: "Leave DefaultBearerTokenResolver's allowUriQueryParameter false, the default, so access_token= is never read, and have clients send Authorization: Bearer.",
    docs: "https://docs.spring.io/spring-security/reference/servlet/oauth2/resource-server/bearer-tokens.html",
};

const SPRING_SECURITY_FIXES: &[Fix] = &[
    KEY_IN_URL_FIX,
    Fix {
        rule: Rule::R3,
        advice: "CsrfFilter refuses an unsafe request without a Bearer token before the resource server can answer 401: for a stateless API that takes no cookie, turn CSRF off (http.csrf(csrf -> csrf.disable())) or ignore the API's paths (csrf.ignoringRequestMatchers(\"/api/**\")).",
        docs: "https://docs.spring.io/spring-security/reference/servlet/exploits/csrf.html#disable-csrf",
    },
    Fix {
        rule: Rule::R15,
        advice: "The entry point sends a bare `Bearer` when no token was sent: give it a realm, `BearerTokenAuthenticationEntryPoint entryPoint = new BearerTokenAuthenticationEntryPoint(); entryPoint.setRealmName(\"api\");` and `oauth2ResourceServer(rs -> rs.authenticationEntryPoint(entryPoint))` (and the same realm on a BearerTokenAccessDeniedHandler).",
        docs: RESOURCE_SERVER_DOCS,
    },
    Fix {
        rule: Rule::R11,
        advice: "Spring answers its refusals without a body: wrap the entry point and the access-denied handler so they also write application/problem+json (Spring's ProblemDetail), keeping the WWW-Authenticate they set.",
        docs: "https://docs.spring.io/spring-framework/reference/web/webmvc/mvc-ann-rest-exceptions.html",
    },
    QUERY_FIX,
];

/// `Http403ForbiddenEntryPoint` and `AccessDeniedHandlerImpl`: `sendError(403, "Forbidden")`.
const FORBIDDEN: Answer = answer(Status::Forbidden, &[], EMPTY);

pub(super) static SPRING_SECURITY_DEFAULT: ServerProfile = ServerProfile {
    profile: Profile::SpringSecurityDefault,
    family: Family::Framework,
    title: "Spring Security, no entry point (403)",
    models: "Spring Security without an authentication entry point (Http403ForbiddenEntryPoint): an application filter that reads the Bearer token and leaves the caller anonymous when it fails, anyRequest().authenticated()",
    version: "spring-security 6.5.11 (read from source; not run here)",
    sources: &[
        "spring-security 6.5.11 web/src/main/java/org/springframework/security/web/authentication/Http403ForbiddenEntryPoint.java:55-60 (sendError 403 Forbidden to an anonymous caller)",
        "spring-security 6.5.11 web/src/main/java/org/springframework/security/web/access/AccessDeniedHandlerImpl.java:52-63 (sendError 403 Forbidden to an authenticated caller without the right)",
        "spring-security 6.5.11 web/src/main/java/org/springframework/security/web/access/ExceptionTranslationFilter.java:187-208 (an anonymous caller goes to the entry point, any other to the access-denied handler)",
        "Spring Security reference, servlet/authentication/architecture (the application's filter sets the SecurityContext; no entry point configured: Http403ForbiddenEntryPoint)",
    ],
    // The filter chain verifies credentials before the dispatcher routes; an anonymous caller
    // on a path no public route has is refused by `anyRequest().authenticated()` first.
    steps: order::FILTER_CHAIN,
    // `DefaultBearerTokenResolver`: one `Authorization` field (`request.getHeader`, the
    // first), `Bearer` in any case, no query parameter (`allowUriQueryParameter` is false) and
    // no Basic (`httpBasic()` is not part of this set-up).
    readers: &[&BEARER],
    native: &[&BEARER],
    first_authorization_only: true,
    private_cache_for_query_tokens: false,
    answers: spring_security_default,
    fixes: SPRING_DEFAULT_FIXES,
    ..ServerProfile::BASE
};

const SPRING_DEFAULT_FIXES: &[Fix] = &[
    KEY_IN_URL_FIX,
    Fix {
        rule: Rule::R3,
        advice: "With no entry point Spring falls back to Http403ForbiddenEntryPoint: use oauth2ResourceServer(rs -> rs.jwt(...)) instead of a hand-written token filter (its BearerTokenAuthenticationEntryPoint answers 401 with WWW-Authenticate: Bearer), or set exceptionHandling(e -> e.authenticationEntryPoint(new BearerTokenAuthenticationEntryPoint())).",
        docs: RESOURCE_SERVER_DOCS,
    },
    Fix {
        rule: Rule::R2,
        advice: "A token the filter refuses leaves the caller anonymous, so it gets the 403 too: let oauth2ResourceServer().jwt() verify tokens, which answers 401 invalid_token.",
        docs: RESOURCE_SERVER_DOCS,
    },
    Fix {
        rule: Rule::R11,
        advice: "sendError leaves the body to Spring Boot's error page: answer from the entry point and the access-denied handler with application/problem+json (ProblemDetail).",
        docs: "https://docs.spring.io/spring-framework/reference/web/webmvc/mvc-ann-rest-exceptions.html",
    },
    QUERY_FIX,
];

/// The answers of `SPRING_SECURITY`.
pub(super) fn spring_security(case: Case) -> Answer {
    match case {
        Case::Unparsable(_) => CANNOT_PARSE_UNTYPED,
        Case::Routing(routing) => dispatcher(routing),
        // No token the resolver takes (none, Basic, another scheme): the entry point with an
        // InsufficientAuthenticationException, so 401 and the bare scheme.
        Case::Missing(_)
        | Case::Unusable(Unusable::UnsupportedScheme)
        | Case::Invalid(Invalid::Password(_) | Invalid::ApiKey(_) | Invalid::Session(_)) => {
            answer(Status::Unauthorized, BARE_BEARER, EMPTY)
        }
        // `Bearer` alone, or a value that is not one token68: the resolver's regex fails.
        Case::Unusable(Unusable::EmptyCredentials(_) | Unusable::MalformedCredentials(_)) => {
            answer(
                Status::Unauthorized,
                bearer_error!("invalid_token", MALFORMED),
                EMPTY,
            )
        }
        // Never reached with the defaults (one header read, no query), kept so the table is
        // whole: what the resolver answers for two tokens.
        Case::Unusable(Unusable::SeveralCredentials) => answer(
            Status::BadRequest,
            bearer_error!("invalid_request", MULTIPLE),
            EMPTY,
        ),
        Case::Invalid(Invalid::Token(TokenCheck::Unreadable)) => answer(
            Status::Unauthorized,
            bearer_error!("invalid_token", UNREADABLE),
            EMPTY,
        ),
        Case::Invalid(Invalid::Token(TokenCheck::Algorithm)) => answer(
            Status::Unauthorized,
            bearer_error!("invalid_token", UNSIGNED),
            EMPTY,
        ),
        Case::Invalid(Invalid::Token(TokenCheck::Signature)) => answer(
            Status::Unauthorized,
            bearer_error!("invalid_token", SIGNATURE),
            EMPTY,
        ),
        Case::Invalid(Invalid::Token(TokenCheck::Expired)) => answer(
            Status::Unauthorized,
            bearer_error!("invalid_token", EXPIRED),
            EMPTY,
        ),
        Case::Invalid(Invalid::Token(TokenCheck::NotYetValid)) => answer(
            Status::Unauthorized,
            bearer_error!("invalid_token", NOT_YET),
            EMPTY,
        ),
        Case::Invalid(Invalid::Token(TokenCheck::Issuer)) => answer(
            Status::Unauthorized,
            bearer_error!("invalid_token", ISSUER),
            EMPTY,
        ),
        Case::Invalid(Invalid::Token(TokenCheck::Audience)) => answer(
            Status::Unauthorized,
            bearer_error!("invalid_token", AUDIENCE),
            EMPTY,
        ),
        // Never reached: JwtTimestampValidator takes a token without exp, and the resource
        // server looks no user up. Kept so the table is whole.
        Case::Invalid(Invalid::Token(TokenCheck::WithoutExpiry | TokenCheck::UnknownUser)) => {
            answer(
                Status::Unauthorized,
                bearer_error!("invalid_token", "Invalid token"),
                EMPTY,
            )
        }
        // The application's authorization refuses a token's caller: insufficient_scope.
        // CsrfFilter (CsrfFilter.java:125-132): AccessDeniedHandlerImpl's plain 403, the
        // resource server's DelegatingAccessDeniedHandler keeping CsrfException from its Bearer
        // handler (OAuth2ResourceServerConfigurer.java:172-174): no challenge.
        Case::Csrf(_) => answer(Status::Forbidden, &[], EMPTY),
        Case::Denied(_) => answer(
            Status::Forbidden,
            bearer_error!("insufficient_scope", HIGHER_PRIVILEGES),
            EMPTY,
        ),
        Case::Allowed => HANDLER,
    }
}

/// The answers of `SPRING_SECURITY_DEFAULT`.
pub(super) fn spring_security_default(case: Case) -> Answer {
    match case {
        Case::Unparsable(_) => CANNOT_PARSE_UNTYPED,
        Case::Routing(routing) => dispatcher(routing),
        // Whatever failed, the application's filter leaves the caller anonymous, and the
        // entry point answers 403.
        Case::Missing(_) | Case::Unusable(_) | Case::Invalid(_) | Case::Denied(_) => FORBIDDEN,
        // CsrfFilter's MissingCsrfTokenException, AccessDeniedHandlerImpl: 403, no challenge.
        Case::Csrf(_) => FORBIDDEN,
        Case::Allowed => HANDLER,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::written;
    use super::super::Code;
    use super::*;
    use crate::profile::Kind;
    use crate::profile::{Denied, Missing};

    /// One line per case: status, `WWW-Authenticate` and body as the cited line writes them.
    #[test]
    fn the_resource_server_answers_as_its_source_writes() {
        let uri = "error_uri=\"https://tools.ietf.org/html/rfc6750#section-3.1\"";
        let invalid = |description: &str| {
            format!("Bearer error=\"invalid_token\", error_description=\"{description}\", {uri}")
        };
        let cases: [(Case, u16, String); 14] = [
            // BearerTokenAuthenticationEntryPoint.java:63, :84-86, :97-99: 401, bare Bearer.
            (Case::Missing(Missing::NoCredentials), 401, "Bearer".into()),
            (Case::Unusable(Unusable::UnsupportedScheme), 401, "Bearer".into()),
            // DefaultBearerTokenResolver.java:96-99.
            (Case::Unusable(Unusable::EmptyCredentials(Kind::Token)), 401, invalid("Bearer token is malformed")),
            (Case::Unusable(Unusable::MalformedCredentials(Kind::Token)), 401, invalid("Bearer token is malformed")),
            // DefaultBearerTokenResolver.java:74-77, BearerTokenErrors.java:49.
            (
                Case::Unusable(Unusable::SeveralCredentials),
                400,
                format!("Bearer error=\"invalid_request\", error_description=\"Found multiple bearer tokens in the request\", {uri}"),
            ),
            // NimbusJwtDecoder.java:93, :153.
            (
                Case::Invalid(Invalid::Token(TokenCheck::Unreadable)),
                401,
                invalid("An error occurred while attempting to decode the Jwt: Malformed token"),
            ),
            // NimbusJwtDecoder.java:140.
            (Case::Invalid(Invalid::Token(TokenCheck::Algorithm)), 401, invalid("Unsupported algorithm of none")),
            // NimbusJwtDecoder.java:188 with nimbus-jose-jwt's message.
            (
                Case::Invalid(Invalid::Token(TokenCheck::Signature)),
                401,
                invalid("An error occurred while attempting to decode the Jwt: Signed JWT rejected: Invalid signature"),
            ),
            // JwtTimestampValidator.java:77, NimbusJwtDecoder.java:205.
            (
                Case::Invalid(Invalid::Token(TokenCheck::Expired)),
                401,
                invalid("An error occurred while attempting to decode the Jwt: Jwt expired at {exp}"),
            ),
            // JwtTimestampValidator.java:84.
            (
                Case::Invalid(Invalid::Token(TokenCheck::NotYetValid)),
                401,
                invalid("An error occurred while attempting to decode the Jwt: Jwt used before {nbf}"),
            ),
            // JwtClaimValidator.java:57 (JwtIssuerValidator.java:43).
            (
                Case::Invalid(Invalid::Token(TokenCheck::Issuer)),
                401,
                invalid("An error occurred while attempting to decode the Jwt: The iss claim is not valid"),
            ),
            // JwtClaimValidator.java:57 (JwtAudienceValidator.java:41).
            (
                Case::Invalid(Invalid::Token(TokenCheck::Audience)),
                401,
                invalid("An error occurred while attempting to decode the Jwt: The aud claim is not valid"),
            ),
            // BearerTokenAccessDeniedHandler.java:67-70, :74.
            (
                Case::Denied(Denied::MissingRole),
                403,
                format!("Bearer error=\"insufficient_scope\", error_description=\"The request requires higher privileges than provided by the access token.\", {uri}"),
            ),
            (
                Case::Denied(Denied::NotOwner),
                403,
                format!("Bearer error=\"insufficient_scope\", error_description=\"The request requires higher privileges than provided by the access token.\", {uri}"),
            ),
        ];
        for (case, status, challenge) in cases {
            assert_eq!(
                written(SPRING_SECURITY.answer(case)),
                (status, vec![challenge], ""),
                "{case:?}"
            );
        }
    }

    /// Http403ForbiddenEntryPoint.java:59 and AccessDeniedHandlerImpl.java:61: `sendError(403)`,
    /// no challenge, whatever was wrong.
    #[test]
    fn without_an_entry_point_every_refusal_is_403() {
        let cases = [
            Case::Missing(Missing::NoCredentials),
            Case::Unusable(Unusable::UnsupportedScheme),
            Case::Unusable(Unusable::EmptyCredentials(Kind::Token)),
            Case::Invalid(Invalid::Token(TokenCheck::Expired)),
            Case::Invalid(Invalid::Token(TokenCheck::Signature)),
            Case::Denied(Denied::MissingRole),
            Case::Denied(Denied::NotOwner),
        ];
        for case in cases {
            assert_eq!(
                written(SPRING_SECURITY_DEFAULT.answer(case)),
                (403, vec![], ""),
                "{case:?}"
            );
        }
        assert_eq!(
            SPRING_SECURITY_DEFAULT
                .answer(Case::Routing(Routing::UnknownRoute))
                .status,
            Code::Is(Status::NotFound)
        );
    }

    /// JwtTimestampValidator.java:53: a 60 s default skew, stated in the sources the page shows.
    #[test]
    fn the_sources_state_the_default_clock_skew() {
        assert!(SPRING_SECURITY.sources.iter().any(
            |source| source.contains("JwtTimestampValidator.java:53 (default clock skew 60 s)")
        ));
    }
}
