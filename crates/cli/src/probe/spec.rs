//! `probe --openapi`: the request set drawn from a spec. For every operation (safe methods
//! only, unless `--unsafe`; the others listed as skipped), its path filled from `--param` or
//! the spec's examples:
//!
//! 1. no credentials: 401 where its security needs credentials; not refused (401 or 403)
//!    where they are optional or none are needed;
//! 2. where it takes a Bearer token (http bearer, oauth2, openIdConnect): a token the server
//!    cannot accept (each given one with its signature changed, or one signed with a key no
//!    server has): 401;
//! 3. for each of its requirements whose schemes all have an `--auth` value: those
//!    credentials together, which get no 401.
//!
//! An answered status the operation does not declare (itself, its range or `default`) is a
//! finding of its own.

use authpath_engine::exchange::Known;
use authpath_engine::openapi::{Operation, SchemeKind, Spec};
use authpath_engine::{basic_credentials, KeyLocation};
use base64::Engine;

use super::client::Outgoing;
use super::plan::{altered, unknown_token, Expected, Kind, Planned};

/// The methods a probe sends without `--unsafe` (RFC 9110 §9.2.1).
const SAFE: [&str; 4] = ["GET", "HEAD", "OPTIONS", "TRACE"];

/// A credential for one of the spec's schemes, as `--auth NAME=VALUE` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth {
    pub scheme: String,
    pub value: String,
}

/// How a credential of a scheme is sent.
enum Sending {
    /// `Authorization: <scheme> <value>`.
    Authorization(String),
    Header(String),
    Query(String),
    Cookie(String),
}

/// How the spec's scheme `name` sends its credential; `Err` for one no request can carry.
pub fn sending_of(spec: &Spec, name: &str) -> Result<(), String> {
    let scheme = spec
        .scheme(name)
        .ok_or_else(|| unknown_scheme(spec, name))?;
    sending(&scheme.kind)
        .map(|_| ())
        .ok_or_else(|| format!("the scheme `{name}` cannot be sent by a request (mutualTLS, or a type authpath does not read)"))
}

fn unknown_scheme(spec: &Spec, name: &str) -> String {
    let names: Vec<&str> = spec
        .schemes
        .iter()
        .map(|scheme| scheme.name.as_str())
        .collect();
    if names.is_empty() {
        format!("--auth names `{name}`, but the spec declares no security schemes")
    } else {
        format!(
            "--auth names `{name}`, which is not a scheme of the spec ({})",
            names.join(", ")
        )
    }
}

fn sending(kind: &SchemeKind) -> Option<Sending> {
    Some(match kind {
        SchemeKind::Http { scheme } if scheme == "bearer" => {
            Sending::Authorization("Bearer".to_string())
        }
        SchemeKind::Http { scheme } if scheme == "basic" => {
            Sending::Authorization("Basic".to_string())
        }
        SchemeKind::Http { scheme } => {
            let mut characters = scheme.chars();
            let first = characters.next()?.to_ascii_uppercase();
            Sending::Authorization(format!("{first}{}", characters.as_str()))
        }
        SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect => {
            Sending::Authorization("Bearer".to_string())
        }
        SchemeKind::ApiKey { location, name, .. } => match location {
            KeyLocation::Header => Sending::Header(name.clone()),
            KeyLocation::Query => Sending::Query(name.clone()),
            KeyLocation::Cookie => Sending::Cookie(name.clone()),
        },
        SchemeKind::MutualTls | SchemeKind::Unknown => return None,
    })
}

/// Whether a scheme's credential is a Bearer token.
fn bearer(kind: &SchemeKind) -> bool {
    matches!(kind, SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect)
        || matches!(kind, SchemeKind::Http { scheme } if scheme == "bearer")
}

/// One planned request of a spec probe, with the operation it is for.
#[derive(Debug, Clone)]
pub struct SpecPlanned {
    pub planned: Planned,
    /// The index of its operation in `spec.operations`.
    pub operation: usize,
    /// The schemes whose given credentials it sends, `bearer and partnerKey`, where an
    /// operation has several ways in: its name says which.
    pub schemes: Option<String>,
}

/// The request set, and the operations left out with why.
#[derive(Debug, Clone, Default)]
pub struct SpecPlan {
    pub planned: Vec<SpecPlanned>,
    pub skipped: Vec<String>,
}

/// The values that are credentials in the requests of `auth`: the reports withhold each.
pub fn secrets(auth: &[Auth]) -> Vec<String> {
    let mut secrets = Vec::new();
    for given in auth {
        secrets.push(given.value.clone());
        secrets.push(encode_component(&given.value));
        if let Some((user, password)) = given.value.split_once(':') {
            secrets.push(basic_credentials(user, password));
            secrets.push(password.to_string());
        }
    }
    secrets.retain(|secret| !secret.is_empty());
    secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
    secrets.dedup();
    secrets
}

/// The request set for `spec` under `base` (without a trailing `/`).
pub fn plan(
    base: &str,
    spec: &Spec,
    auth: &[Auth],
    params: &[(String, String)],
    send_unsafe: bool,
) -> SpecPlan {
    let mut plan = SpecPlan::default();
    for (index, operation) in spec.operations.iter().enumerate() {
        let name = operation.name();
        if !send_unsafe && !SAFE.contains(&operation.method.as_str()) {
            plan.skipped.push(format!(
                "{name}: {} is not a safe method (--unsafe sends it)",
                operation.method
            ));
            continue;
        }
        let path = match fill(operation, params) {
            Ok(path) => path,
            Err(missing) => {
                plan.skipped.push(format!(
                    "{name}: no value for the path parameter {{{missing}}} (give --param {missing}=VALUE, or an example in the spec)"
                ));
                continue;
            }
        };
        let endpoint = format!("{} {path}", operation.method);
        let security = spec.security_of(operation);
        let public = security.is_none_or(|security| security.is_public());
        let optional = security.is_some_and(|security| security.is_optional());
        let mut add_for = |kind: Kind,
                           credentials: &[(&Sending, String)],
                           expected: Option<Expected>,
                           schemes: Option<String>| {
            plan.planned.push(SpecPlanned {
                planned: Planned {
                    endpoint: endpoint.clone(),
                    kind,
                    attack: None,
                    outgoing: outgoing(base, &operation.method, &path, credentials),
                    expected,
                    known: Known {
                        unacceptable: kind.unacceptable(),
                        protected: None,
                        accepted: false,
                    },
                },
                operation: index,
                schemes,
            });
        };
        let mut add = |kind: Kind, credentials: &[(&Sending, String)], expected| {
            add_for(kind, credentials, expected, None)
        };
        let none = match (public, optional) {
            (true, _) => {
                Expected::not(&[401, 403], "the operation's security needs no credentials")
            }
            (false, true) => Expected::not(
                &[401, 403],
                "the operation's credentials are optional: none sent is an anonymous caller",
            ),
            (false, false) => Expected::only(
                &[401],
                "the operation needs credentials and none were sent (RFC 9110 §15.5.2)",
            ),
        };
        add(Kind::NoCredentials, &[], none);
        let Some(security) = security.filter(|_| !public) else {
            continue;
        };
        // A token no server accepts, in each requirement that takes a Bearer token, with the
        // other credentials of the requirement as given (a requirement whose others are not
        // given is not sent: its answer would be about them).
        let mut sent: Vec<Outgoing> = Vec::new();
        for requirement in &security.requirements {
            let mut credentials: Vec<(Sending, String)> = Vec::new();
            let mut complete = !requirement.schemes.is_empty();
            let mut has_bearer = false;
            for named in &requirement.schemes {
                let Some(kind) = spec.scheme(&named.name).map(|scheme| &scheme.kind) else {
                    complete = false;
                    break;
                };
                let given = auth.iter().find(|given| given.scheme == named.name);
                if bearer(kind) {
                    has_bearer = true;
                    let token = given.map_or_else(unknown_token, |given| altered(&given.value));
                    credentials.push((Sending::Authorization("Bearer".to_string()), token));
                    continue;
                }
                match (given, sending(kind)) {
                    (Some(given), Some(sending)) => {
                        credentials.push((sending, given.value.clone()))
                    }
                    _ => {
                        complete = false;
                        break;
                    }
                }
            }
            if !complete || !has_bearer {
                continue;
            }
            let borrowed: Vec<(&Sending, String)> = credentials
                .iter()
                .map(|(sending, value)| (sending, value.clone()))
                .collect();
            let request = outgoing(base, &operation.method, &path, &borrowed);
            if sent.contains(&request) {
                continue;
            }
            sent.push(request);
            add(
                Kind::RejectedToken,
                &borrowed,
                Expected::only(
                    &[401],
                    "a token that does not verify gets 401 invalid_token (RFC 6750 §3.1)",
                ),
            );
        }
        // The given credentials, by requirement.
        for requirement in &security.requirements {
            if requirement.schemes.is_empty() {
                continue;
            }
            let mut credentials: Vec<(Sending, String)> = Vec::new();
            for named in &requirement.schemes {
                let found = auth.iter().find(|given| given.scheme == named.name);
                let kind = spec
                    .scheme(&named.name)
                    .and_then(|scheme| sending(&scheme.kind));
                match (found, kind) {
                    (Some(given), Some(sending)) => {
                        credentials.push((sending, given.value.clone()))
                    }
                    _ => {
                        credentials.clear();
                        break;
                    }
                }
            }
            if credentials.is_empty() {
                continue;
            }
            let names: Vec<&str> = requirement
                .schemes
                .iter()
                .map(|named| named.name.as_str())
                .collect();
            let borrowed: Vec<(&Sending, String)> = credentials
                .iter()
                .map(|(sending, value)| (sending, value.clone()))
                .collect();
            add_for(
                Kind::GivenCredentials,
                &borrowed,
                Expected::not(
                    &[401],
                    format!(
                        "the credentials given for {} meet a requirement of the operation, so they are no reason for a 401 (403 where rights are missing)",
                        names.join(" and ")
                    ),
                ),
                Some(names.join(" and ")),
            );
        }
    }
    plan
}

/// The operation's path with every `{name}` filled: `--param`, else the spec's example.
fn fill(operation: &Operation, params: &[(String, String)]) -> Result<String, String> {
    let mut path = String::new();
    for (index, segment) in operation.path.split('/').enumerate() {
        if index > 0 {
            path.push('/');
        }
        let Some(name) = segment
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        else {
            path.push_str(segment);
            continue;
        };
        let given = params
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, value)| value.clone());
        let example = operation
            .parameters
            .iter()
            .find(|parameter| parameter.name == name && parameter.location == "path")
            .and_then(|parameter| parameter.example.clone());
        match given.or(example) {
            Some(value) => path.push_str(&encode_component(&value)),
            None => return Err(name.to_string()),
        }
    }
    Ok(path)
}

fn outgoing(base: &str, method: &str, path: &str, credentials: &[(&Sending, String)]) -> Outgoing {
    let mut headers = vec![
        (
            "User-Agent".to_string(),
            format!("authpath-probe/{}", env!("CARGO_PKG_VERSION")),
        ),
        ("Accept".to_string(), "application/json".to_string()),
    ];
    let mut query: Vec<String> = Vec::new();
    let mut cookies: Vec<String> = Vec::new();
    for (sending, value) in credentials {
        match sending {
            Sending::Authorization(scheme) if scheme == "Basic" => {
                let encoded = match value.split_once(':') {
                    Some((user, password)) => basic_credentials(user, password),
                    None => base64::engine::general_purpose::STANDARD.encode(value),
                };
                headers.push(("Authorization".to_string(), format!("Basic {encoded}")));
            }
            Sending::Authorization(scheme) => {
                headers.push(("Authorization".to_string(), format!("{scheme} {value}")));
            }
            Sending::Header(name) => headers.push((name.clone(), value.clone())),
            Sending::Query(name) => query.push(format!(
                "{}={}",
                encode_component(name),
                encode_component(value)
            )),
            Sending::Cookie(name) => cookies.push(format!("{name}={value}")),
        }
    }
    if !cookies.is_empty() {
        headers.push(("Cookie".to_string(), cookies.join("; ")));
    }
    let mut url = format!("{base}{path}");
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.join("&"));
    }
    Outgoing {
        method: method.to_string(),
        url,
        headers,
    }
}

/// Percent-encodes all but RFC 3986's unreserved characters.
fn encode_component(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
openapi: 3.1.0
info: {title: t, version: '1'}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    key: {type: apiKey, in: query, name: api_key}
    partner: {type: apiKey, in: header, name: X-Partner}
security: [{bearer: []}]
paths:
  /health:
    get: {security: [], responses: {'200': {description: ok}}}
  /users/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}, example: alice}]
    get: {responses: {'200': {description: ok}}}
    delete: {responses: {'204': {description: ok}}}
  /files/{name}:
    get: {responses: {'200': {description: ok}}}
  /feed:
    get: {security: [{bearer: []}, {}], responses: {'200': {description: ok}}}
  /partner:
    get: {security: [{partner: [], key: []}], responses: {'200': {description: ok}}}
"#;

    fn spec() -> Spec {
        Spec::read(SPEC)
            .map(|(spec, _)| spec)
            .unwrap_or_else(|problem| panic!("{problem}"))
    }

    #[test]
    fn operations_get_the_requests_their_security_calls_for() {
        let auth = [
            Auth {
                scheme: "bearer".to_string(),
                value: "t0ken.abc.def".to_string(),
            },
            Auth {
                scheme: "partner".to_string(),
                value: "p-1".to_string(),
            },
            Auth {
                scheme: "key".to_string(),
                value: "k 1".to_string(),
            },
        ];
        let plan = plan("http://h", &spec(), &auth, &[], false);
        let lines: Vec<String> = plan
            .planned
            .iter()
            .map(|planned| {
                let planned = &planned.planned;
                format!(
                    "{} {} {} {}",
                    planned.endpoint,
                    planned.kind.label(),
                    planned.outgoing.url,
                    planned
                        .expected
                        .as_ref()
                        .map(Expected::describe)
                        .unwrap_or_default()
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                "GET /health no credentials http://h/health not 401 or 403",
                "GET /users/alice no credentials http://h/users/alice 401",
                "GET /users/alice token the server cannot accept http://h/users/alice 401",
                "GET /users/alice the given credentials http://h/users/alice not 401",
                "GET /feed no credentials http://h/feed not 401 or 403",
                "GET /feed token the server cannot accept http://h/feed 401",
                "GET /feed the given credentials http://h/feed not 401",
                "GET /partner no credentials http://h/partner 401",
                "GET /partner the given credentials http://h/partner?api_key=k%201 not 401",
            ]
        );
        let partner = plan
            .planned
            .last()
            .map(|planned| planned.planned.outgoing.headers.clone());
        assert!(
            partner.is_some_and(
                |headers| headers.contains(&("X-Partner".to_string(), "p-1".to_string()))
            )
        );
        assert_eq!(
            plan.skipped,
            [
                "DELETE /users/{id}: DELETE is not a safe method (--unsafe sends it)",
                "GET /files/{name}: no value for the path parameter {name} (give --param name=VALUE, or an example in the spec)",
            ]
        );
        let unsafe_plan = super::plan(
            "http://h",
            &spec(),
            &[],
            &[("name".to_string(), "a b".to_string())],
            true,
        );
        assert!(unsafe_plan.skipped.is_empty(), "{:?}", unsafe_plan.skipped);
        assert!(unsafe_plan
            .planned
            .iter()
            .any(|planned| planned.planned.outgoing.url == "http://h/files/a%20b"));
    }
}
