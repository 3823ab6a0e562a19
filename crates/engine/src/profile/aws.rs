//! AWS API Gateway, a REST API with a Lambda authorizer of type TOKEN whose identity source is
//! `method.request.header.Authorization`. API Gateway is not open source: this table follows
//! the AWS documentation (cited in `sources`), and is held by the table test below against
//! the documented default gateway responses, not by a running gateway.
//!
//! The gateway matches the resource and method first: neither is `MISSING_AUTHENTICATION_TOKEN`,
//! 403, whatever the credentials. A missing identity source is `UNAUTHORIZED` without calling
//! the authorizer. The authorizer is the application's: as the documentation shows, it verifies
//! the token and throws `Unauthorized` (401) when it does not, and returns a policy that allows
//! the methods the caller may call; any other method is an implicit deny, `ACCESS_DENIED`
//! (403). Gateway responses are `application/json` `{"message":…}` and carry no
//! `WWW-Authenticate` unless the API maps one.

use super::Profile;
use super::{
    answer, Answer, Body, Case, Family, Fix, Invalid, ServerProfile, CANNOT_PARSE_UNTYPED, HANDLER,
};
use crate::credentials::BEARER;
use crate::http::Status;
use crate::rule::Rule;

const fn message(text: &'static str) -> Body {
    Body::Fixed {
        content_type: "application/json",
        text,
    }
}

const MISSING_AUTHENTICATION_TOKEN: &str = r#"{"message":"Missing Authentication Token"}"#;
const UNAUTHORIZED: &str = r#"{"message":"Unauthorized"}"#;
const NOT_AUTHORIZED: &str = r#"{"message":"User is not authorized to access this resource"}"#;

const GATEWAY_RESPONSES_DOCS: &str =
    "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html";

/// R21: a key in the URL; what the framework offers instead.
const KEY_IN_URL_FIX: Fix = Fix {
    rule: Rule::R21,
    advice: "API Gateway's API keys travel in the x-api-key header (apiKeySource HEADER): keep them there, and have the authorizer refuse a key in the query string.",
    docs: "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html",
};

pub(super) static AWS_API_GATEWAY: ServerProfile = ServerProfile {
    profile: Profile::AwsApiGateway,
    family: Family::Framework,
    title: "AWS API Gateway (REST, Lambda authorizer)",
    models: "AWS API Gateway REST API with a Lambda TOKEN authorizer on the Authorization header, default gateway responses",
    version: "API Gateway REST API, documentation read 2026-12 (not open source; not run here)",
    sources: &[
        "AWS docs, API Gateway developer guide, supported-gateway-response-types.html (MISSING_AUTHENTICATION_TOKEN 403, UNAUTHORIZED 401, ACCESS_DENIED 403)",
        "AWS docs, API Gateway developer guide, api-gateway-gatewayResponse-definition.html (an undefined resource: {\"message\": \"Missing Authentication Token\"})",
        "AWS docs, API Gateway developer guide, apigateway-use-lambda-authorizer.html (TOKEN authorizer: a missing identity source is 401 without calling it; throwing \"Unauthorized\" is 401; a policy that does not allow the method is 403)",
        "AWS re:Post knowledge center, api-gateway-401-error-lambda-authorizer (401 Unauthorized when the token is missing or not validated)",
        "AWS re:Post knowledge center, api-gateway-403-error-lambda-authorizer ({\"message\": \"User is not authorized to access this resource\"} for an implicit deny)",
    ],
    // The authorizer is given the `Authorization` value and reads a Bearer token in it,
    // nothing from the query (the identity source is the header).
    readers: &[&BEARER],
    native: &[&BEARER],
    private_cache_for_query_tokens: false,
    answers: aws_api_gateway,
    fixes: &[
        KEY_IN_URL_FIX,
        Fix {
            rule: Rule::R1,
            advice: "Gateway responses carry no challenge: add to the UNAUTHORIZED gateway response the header mapping gatewayresponse.header.WWW-Authenticate = \"'Bearer realm=\\\"api\\\"'\".",
            docs: GATEWAY_RESPONSES_DOCS,
        },
        Fix {
            rule: Rule::R11,
            advice: "Set the response templates of UNAUTHORIZED, ACCESS_DENIED and MISSING_AUTHENTICATION_TOKEN to application/problem+json with type, title, status and detail ($context.error.message).",
            docs: GATEWAY_RESPONSES_DOCS,
        },
        Fix {
            rule: Rule::R3,
            advice: "An unknown resource or method is MISSING_AUTHENTICATION_TOKEN, 403 by default, before the authorizer runs: set that gateway response's status code to 404 (or add a {proxy+} resource that answers 404).",
            docs: "https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html",
        },
        Fix {
            rule: Rule::R14,
            advice: "The TOKEN authorizer's identity source is the Authorization header, so access_token= is never read: keep it so (no REQUEST authorizer on method.request.querystring.access_token).",
            docs: "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html",
        },
    ],
    ..ServerProfile::BASE
};

/// The answers of `AWS_API_GATEWAY`.
pub(super) fn aws_api_gateway(case: Case) -> Answer {
    match case {
        Case::Unparsable(_) => CANNOT_PARSE_UNTYPED,
        Case::Routing(_) => answer(
            Status::Forbidden,
            &[],
            message(MISSING_AUTHENTICATION_TOKEN),
        ),
        // No identity source, or an authorizer that throws "Unauthorized": whatever it was.
        Case::Missing(_)
        | Case::Unusable(_)
        | Case::Invalid(Invalid::Password(_) | Invalid::ApiKey(_) | Invalid::Session(_)) => {
            answer(Status::Unauthorized, &[], message(UNAUTHORIZED))
        }
        Case::Invalid(Invalid::Token(_)) => {
            answer(Status::Unauthorized, &[], message(UNAUTHORIZED))
        }
        // The authorizer's policy does not allow the method for this caller.
        // A CSRF check is never run here (no cookie is read).
        Case::Denied(_) | Case::Csrf(_) => answer(Status::Forbidden, &[], message(NOT_AUTHORIZED)),
        Case::Allowed => HANDLER,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Code;
    use crate::profile::Kind;
    use crate::profile::{Denied, Missing, Routing, TokenCheck, Unusable};

    /// One line per case: the default gateway response the cited page names.
    #[test]
    fn the_gateway_answers_with_its_documented_default_responses() {
        let cases: [(Case, u16, &str); 10] = [
            // api-gateway-gatewayResponse-definition.html, MISSING_AUTHENTICATION_TOKEN 403.
            (
                Case::Routing(Routing::UnknownRoute),
                403,
                r#"{"message":"Missing Authentication Token"}"#,
            ),
            (
                Case::Routing(Routing::WrongMethod),
                403,
                r#"{"message":"Missing Authentication Token"}"#,
            ),
            // apigateway-use-lambda-authorizer.html, UNAUTHORIZED 401.
            (
                Case::Missing(Missing::NoCredentials),
                401,
                r#"{"message":"Unauthorized"}"#,
            ),
            (
                Case::Unusable(Unusable::UnsupportedScheme),
                401,
                r#"{"message":"Unauthorized"}"#,
            ),
            (
                Case::Unusable(Unusable::EmptyCredentials(Kind::Token)),
                401,
                r#"{"message":"Unauthorized"}"#,
            ),
            (
                Case::Invalid(Invalid::Token(TokenCheck::Expired)),
                401,
                r#"{"message":"Unauthorized"}"#,
            ),
            (
                Case::Invalid(Invalid::Token(TokenCheck::Signature)),
                401,
                r#"{"message":"Unauthorized"}"#,
            ),
            // api-gateway-403-error-lambda-authorizer, ACCESS_DENIED 403 (implicit deny).
            (
                Case::Denied(Denied::MissingRole),
                403,
                r#"{"message":"User is not authorized to access this resource"}"#,
            ),
            (
                Case::Denied(Denied::MissingScope),
                403,
                r#"{"message":"User is not authorized to access this resource"}"#,
            ),
            (
                Case::Denied(Denied::NotOwner),
                403,
                r#"{"message":"User is not authorized to access this resource"}"#,
            ),
        ];
        for (case, status, text) in cases {
            let answer = AWS_API_GATEWAY.answer(case);
            let code = match answer.status {
                Code::Is(status) => status.code(),
                Code::Decided => 0,
            };
            let body = match answer.body {
                Body::Fixed { content_type, text } => Some((content_type, text)),
                _ => None,
            };
            assert_eq!(
                (code, answer.challenges.len(), body),
                (status, 0, Some(("application/json", text))),
                "{case:?}"
            );
        }
    }
}
