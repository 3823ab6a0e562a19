//! ASP.NET Core's JWT bearer handler (`AddJwtBearer`) with `[Authorize]`, read from its
//! published source (dotnet/aspnetcore at f22eba99, `JwtBearerHandler.cs`; member names are
//! cited, the stored copy has no line numbers to quote).
//!
//! Routing runs before authorization (`UseRouting`, then `UseAuthentication` and
//! `UseAuthorization`), so an unknown path is 404 and a wrong method 405 whatever the
//! credentials. `HandleAuthenticateAsync` reads `Authorization` only, takes what follows
//! `Bearer ` (any case) and trims it; anything else is no result, so the challenge is the bare
//! `Bearer`. A token that fails validation gets `error="invalid_token"` and, where
//! `CreateErrorDescription` knows the exception, a description quoting the token's claims.
//! `[Authorize(Roles = "admin")]` reads the `role` claim (`MapInboundClaims` maps it to
//! `ClaimTypes.Role`); scope and owner checks are the application's policies. A refusal is
//! `HandleForbiddenAsync`: 403, no challenge, no body. .NET does not install here, so this
//! table is held by the table test below against the quoted source.

use super::Profile;
use super::{
    answer, Answer, Body, Case, Challenge, Family, Fix, Invalid, Param, Routing, ServerProfile,
    TokenCheck, Unusable, CANNOT_PARSE_UNTYPED, HANDLER,
};
use crate::credentials::BEARER;
use crate::http::Status;
use crate::rule::Rule;

/// `Options.Challenge`, `JwtBearerDefaults.AuthenticationScheme`: `Bearer`.
const BARE_BEARER: &[Challenge] = &[Challenge {
    scheme: "Bearer",
    params: &[],
}];

/// `Bearer error="invalid_token"` with no description: an exception `CreateErrorDescription`
/// has no message for (a malformed token), so the description is empty and left out.
const INVALID_TOKEN: &[Challenge] = &[Challenge {
    scheme: "Bearer",
    params: &[Param::Error("invalid_token")],
}];

/// `Bearer error="invalid_token", error_description="…"`.
macro_rules! invalid_token {
    ($description:literal) => {
        &[Challenge {
            scheme: "Bearer",
            params: &[
                Param::Error("invalid_token"),
                Param::DescriptionIs($description),
            ],
        }]
    };
}

const EMPTY: Body = Body::Untyped("");

const fn unauthorized(challenges: &'static [Challenge]) -> Answer {
    answer(Status::Unauthorized, challenges, EMPTY)
}

const JWT_BEARER_DOCS: &str =
    "https://learn.microsoft.com/en-us/aspnet/core/security/authentication/configure-jwt-bearer-authentication";

/// R21: a key in the URL; what the framework offers instead.
const KEY_IN_URL_FIX: Fix = Fix {
    rule: Rule::R21,
    advice: "Read the key from Request.Headers[\"X-API-Key\"] in your authentication handler, not Request.Query.",
    docs: "https://learn.microsoft.com/en-us/aspnet/core/security/authentication/",
};

pub(super) static ASPNETCORE_JWTBEARER: ServerProfile = ServerProfile {
    profile: Profile::AspnetcoreJwtbearer,
    family: Family::Framework,
    title: "ASP.NET Core JwtBearer",
    models: "ASP.NET Core AddJwtBearer with [Authorize] (roles from the role claim), the application's scope and owner policies",
    version: "aspnetcore main at f22eba99 (.NET 8+, JsonWebTokenHandler; read from source, not run here)",
    sources: &[
        "dotnet/aspnetcore f22eba99 src/Security/Authentication/JwtBearer/src/JwtBearerHandler.cs HandleAuthenticateAsync (Authorization only; StartsWith(\"Bearer \", OrdinalIgnoreCase), Trim; otherwise NoResult)",
        "dotnet/aspnetcore f22eba99 src/Security/Authentication/JwtBearer/src/JwtBearerHandler.cs HandleChallengeAsync (401; error=\"invalid_token\" only after a failure; the bare Options.Challenge otherwise)",
        "dotnet/aspnetcore f22eba99 src/Security/Authentication/JwtBearer/src/JwtBearerHandler.cs CreateErrorDescription (The token expired at '…', The token is not valid before '…', The audience '…' is invalid, The issuer '…' is invalid, The token has no expiration, The signature is invalid)",
        "dotnet/aspnetcore f22eba99 src/Security/Authentication/JwtBearer/src/JwtBearerHandler.cs HandleForbiddenAsync (403, no challenge)",
        "dotnet/aspnetcore src/Security/Authentication/JwtBearer/src/JwtBearerOptions.cs (Challenge = \"Bearer\", IncludeErrorDetails = true)",
        "Microsoft.IdentityModel TokenValidationParameters: ClockSkew 300 s by default, RequireExpirationTime true (learn.microsoft.com API reference)",
        "ASP.NET Core docs, security/authentication/configure-jwt-bearer-authentication (MapInboundClaims maps role to ClaimTypes.Role)",
        "dotnet/aspnetcore src/Http/Routing/src/Matching/HttpMethodMatcherPolicy.cs (405 with Allow before any endpoint's authorization)",
    ],
    // `Request.Headers.Authorization.ToString()`: several fields come joined by a comma, so
    // two tokens are one value that is no token. No query, no Basic.
    readers: &[&BEARER],
    native: &[&BEARER],
    private_cache_for_query_tokens: false,
    token_must_expire: true,
    answers: aspnetcore_jwtbearer,
    fixes: &[
        KEY_IN_URL_FIX,
        Fix {
            rule: Rule::R15,
            advice: "Options.Challenge is the bare \"Bearer\": set options.Challenge = \"Bearer realm=\\\"api\\\"\" in AddJwtBearer (the handler appends error and error_description after it).",
            docs: JWT_BEARER_DOCS,
        },
        Fix {
            rule: Rule::R14,
            advice: "The handler reads only Authorization; a token in access_token= is read only if JwtBearerEvents.OnMessageReceived sets context.Token from the query (as SignalR needs): do that for WebSocket paths alone, and send Authorization: Bearer everywhere else.",
            docs: "https://learn.microsoft.com/en-us/aspnet/core/signalr/authn-and-authz#bearer-token-authentication",
        },
        Fix {
            rule: Rule::R11,
            advice: "The handler's 401 and 403 have no body: add builder.Services.AddProblemDetails() and app.UseStatusCodePages() so they carry application/problem+json.",
            docs: "https://learn.microsoft.com/en-us/aspnet/core/fundamentals/error-handling#problem-details",
        },
    ],
    ..ServerProfile::BASE
};

/// The answers of `ASPNETCORE_JWTBEARER`.
pub(super) fn aspnetcore_jwtbearer(case: Case) -> Answer {
    match case {
        Case::Unparsable(_) => CANNOT_PARSE_UNTYPED,
        Case::Routing(Routing::UnknownRoute) => answer(Status::NotFound, &[], EMPTY),
        Case::Routing(Routing::WrongMethod) => Answer {
            allow: true,
            ..answer(Status::MethodNotAllowed, &[], EMPTY)
        },
        // No result: no header, another scheme, `Bearer` with nothing after it.
        Case::Missing(_)
        | Case::Unusable(Unusable::UnsupportedScheme | Unusable::EmptyCredentials(_))
        | Case::Invalid(Invalid::Password(_) | Invalid::ApiKey(_) | Invalid::Session(_)) => {
            unauthorized(BARE_BEARER)
        }
        // A value the token handler cannot read: SecurityTokenMalformedException, which
        // CreateErrorDescription does not name. Two fields joined by a comma are one of them.
        Case::Unusable(Unusable::MalformedCredentials(_) | Unusable::SeveralCredentials)
        | Case::Invalid(Invalid::Token(TokenCheck::Unreadable | TokenCheck::UnknownUser)) => {
            unauthorized(INVALID_TOKEN)
        }
        // An unsigned token or another algorithm: SecurityTokenInvalidSignatureException (the
        // algorithm exception derives from it).
        Case::Invalid(Invalid::Token(TokenCheck::Algorithm | TokenCheck::Signature)) => {
            unauthorized(invalid_token!("The signature is invalid"))
        }
        Case::Invalid(Invalid::Token(TokenCheck::Expired)) => {
            unauthorized(invalid_token!("The token expired at '{exp_invariant}'"))
        }
        Case::Invalid(Invalid::Token(TokenCheck::NotYetValid)) => unauthorized(invalid_token!(
            "The token is not valid before '{nbf_invariant}'"
        )),
        Case::Invalid(Invalid::Token(TokenCheck::Issuer)) => {
            unauthorized(invalid_token!("The issuer '{iss}' is invalid"))
        }
        Case::Invalid(Invalid::Token(TokenCheck::Audience)) => {
            unauthorized(invalid_token!("The audience '{aud}' is invalid"))
        }
        Case::Invalid(Invalid::Token(TokenCheck::WithoutExpiry)) => {
            unauthorized(invalid_token!("The token has no expiration"))
        }
        // A CSRF check is never run here (no cookie is read).
        Case::Denied(_) | Case::Csrf(_) => answer(Status::Forbidden, &[], EMPTY),
        Case::Allowed => HANDLER,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::written;
    use super::*;
    use crate::profile::Kind;
    use crate::profile::{Denied, Missing};

    /// One line per case: what JwtBearerHandler.cs writes (the member named beside it).
    #[test]
    fn the_handler_answers_as_its_source_writes() {
        let cases: [(Case, u16, &[&str]); 13] = [
            // HandleAuthenticateAsync: NoResult; HandleChallengeAsync: Options.Challenge.
            (Case::Missing(Missing::NoCredentials), 401, &["Bearer"]),
            (Case::Unusable(Unusable::UnsupportedScheme), 401, &["Bearer"]),
            (Case::Unusable(Unusable::EmptyCredentials(Kind::Token)), 401, &["Bearer"]),
            // HandleChallengeAsync: Error = "invalid_token", ErrorDescription empty.
            (Case::Invalid(Invalid::Token(TokenCheck::Unreadable)), 401, &["Bearer error=\"invalid_token\""]),
            (Case::Unusable(Unusable::SeveralCredentials), 401, &["Bearer error=\"invalid_token\""]),
            // CreateErrorDescription, SecurityTokenInvalidSignatureException.
            (
                Case::Invalid(Invalid::Token(TokenCheck::Signature)),
                401,
                &["Bearer error=\"invalid_token\", error_description=\"The signature is invalid\""],
            ),
            // CreateErrorDescription, SecurityTokenExpiredException.
            (
                Case::Invalid(Invalid::Token(TokenCheck::Expired)),
                401,
                &["Bearer error=\"invalid_token\", error_description=\"The token expired at '{exp_invariant}'\""],
            ),
            // CreateErrorDescription, SecurityTokenNotYetValidException.
            (
                Case::Invalid(Invalid::Token(TokenCheck::NotYetValid)),
                401,
                &["Bearer error=\"invalid_token\", error_description=\"The token is not valid before '{nbf_invariant}'\""],
            ),
            // CreateErrorDescription, SecurityTokenInvalidAudienceException.
            (
                Case::Invalid(Invalid::Token(TokenCheck::Audience)),
                401,
                &["Bearer error=\"invalid_token\", error_description=\"The audience '{aud}' is invalid\""],
            ),
            // CreateErrorDescription, SecurityTokenNoExpirationException.
            (
                Case::Invalid(Invalid::Token(TokenCheck::WithoutExpiry)),
                401,
                &["Bearer error=\"invalid_token\", error_description=\"The token has no expiration\""],
            ),
            // HandleForbiddenAsync: Response.StatusCode = 403, nothing else.
            (Case::Denied(Denied::MissingRole), 403, &[]),
            (Case::Denied(Denied::MissingScope), 403, &[]),
            (Case::Denied(Denied::NotOwner), 403, &[]),
        ];
        for (case, status, challenges) in cases {
            let challenges: Vec<String> = challenges.iter().map(|text| text.to_string()).collect();
            assert_eq!(
                written(ASPNETCORE_JWTBEARER.answer(case)),
                (status, challenges, ""),
                "{case:?}"
            );
        }
    }
}
