//! A policy written as an OpenAPI 3.1 document, each operation declaring what the scenario's
//! server answers: the responses are not written by hand but found by evaluating requests on
//! the route (none, an invalid token, a malformed one, valid credentials without the rights,
//! valid ones with them) and declaring each status that comes back, with its
//! `WWW-Authenticate` challenges and its body as examples.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Map, Value};

use crate::model::Scenario;
use crate::pipeline::evaluate;
use crate::policy::{Access, KeyLocation, Policy, Route, RouteMatch, Scheme};
use crate::teach::mock::{CredentialKind, MockRequest, Validity};

/// A JSON value whose objects keep the order they were built in (serde_json's `Map` sorts
/// its keys): a spec's paths, and their operations, in the policy's order.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// Any value without an object that needs its order.
    Value(Value),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The value as serde_json's (objects sorted by key).
    pub fn to_value(&self) -> Value {
        match self {
            Json::Value(value) => value.clone(),
            Json::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(key, value)| (key.clone(), value.to_value()))
                    .collect(),
            ),
        }
    }

    /// Pretty JSON text, objects in order, a line break last.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Value(value) => value.serialize(serializer),
            Json::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// The policy of `scenario` as an OpenAPI 3.1 document whose operations declare the answers
/// `scenario.profile` gives. [`super::import`] of it gives the policy back when the policy
/// names its schemes and lists each path's routes together.
pub fn export(scenario: &Scenario) -> Json {
    let policy = &scenario.policy;
    let mut paths: Vec<(String, Json)> = Vec::new();
    let mut operation_ids: Vec<String> = Vec::new();
    for route in &policy.routes {
        let id = unique(operation_id(route), &mut operation_ids);
        let written = (
            route.method.to_ascii_lowercase(),
            Json::Value(operation(route, &id, scenario)),
        );
        match paths.iter_mut().find(|(path, _)| *path == route.path) {
            Some((_, Json::Object(item))) => item.push(written),
            _ => paths.push((route.path.clone(), Json::Object(vec![written]))),
        }
    }
    let schemes = schemes(policy);
    let every: Vec<Value> = schemes
        .keys()
        .map(|name| json!({ name.clone(): [] }))
        .collect();
    let mut document = vec![
        ("openapi".to_string(), Json::Value(json!("3.1.0"))),
        (
            "info".to_string(),
            Json::Value(json!({
                "title": "authpath policy",
                "version": "1",
                "description": format!(
                    "Written by authpath from a policy. Each operation declares what the `{}` \
                     server profile answers, found by evaluating requests on it.",
                    scenario.profile.id()
                ),
            })),
        ),
    ];
    if !every.is_empty() {
        document.push(("security".to_string(), Json::Value(Value::Array(every))));
    }
    document.push(("paths".to_string(), Json::Object(paths)));
    document.push((
        "components".to_string(),
        Json::Value(json!({
            "securitySchemes": schemes,
            "schemas": { "Problem": problem_schema(), "Handled": handled_schema() },
        })),
    ));
    Json::Object(document)
}

/// The policy's schemes as OpenAPI security schemes; a policy without schemes is read as its
/// servers read it, with Bearer tokens and Basic passwords.
fn schemes(policy: &Policy) -> Map<String, Value> {
    if policy.schemes.is_empty() {
        return Map::from_iter([
            (
                "bearer".to_string(),
                json!({ "type": "http", "scheme": "bearer", "bearerFormat": "JWT" }),
            ),
            (
                "basic".to_string(),
                json!({ "type": "http", "scheme": "basic" }),
            ),
        ]);
    }
    policy
        .schemes
        .iter()
        .map(|(name, scheme)| {
            let written = match scheme {
                Scheme::Http { scheme } if scheme == "bearer" => {
                    json!({ "type": "http", "scheme": "bearer", "bearerFormat": "JWT" })
                }
                Scheme::Http { scheme } => json!({ "type": "http", "scheme": scheme }),
                Scheme::ApiKey { location, name } => {
                    json!({ "type": "apiKey", "in": location_name(*location), "name": name })
                }
                Scheme::Session { cookie } => json!({
                    "type": "apiKey",
                    "in": "cookie",
                    "name": cookie,
                    "description": "A browser session; unsafe methods also send the CSRF token \
                                    (the csrftoken cookie's value in X-CSRFToken).",
                    "x-authpath": { "session": true },
                }),
            };
            (name.clone(), written)
        })
        .collect()
}

fn location_name(location: KeyLocation) -> &'static str {
    location.name()
}

/// `get_users_id_notes`.
fn operation_id(route: &Route) -> String {
    let mut id = route.method.to_ascii_lowercase();
    for segment in route.path.split('/').filter(|segment| !segment.is_empty()) {
        id.push('_');
        id.extend(segment.chars().map(|character| {
            if character.is_ascii_alphanumeric() {
                character
            } else {
                '_'
            }
        }));
    }
    id.replace("__", "_").trim_end_matches('_').to_string()
}

fn unique(id: String, taken: &mut Vec<String>) -> String {
    let mut candidate = id.clone();
    let mut counter = 2;
    while taken.contains(&candidate) {
        candidate = format!("{id}_{counter}");
        counter += 1;
    }
    taken.push(candidate.clone());
    candidate
}

fn operation(route: &Route, id: &str, scenario: &Scenario) -> Value {
    let passing = MockRequest::passing(route, scenario);
    let mut operation = Map::new();
    operation.insert("operationId".to_string(), json!(id));
    operation.insert("summary".to_string(), json!(route.access.describe()));
    let parameters = parameters(route, &passing.path, &scenario.policy);
    if !parameters.is_empty() {
        operation.insert("parameters".to_string(), Value::Array(parameters));
    }
    if let Some(security) = security(route, &scenario.policy) {
        operation.insert("security".to_string(), security);
    }
    let mut extension = Map::new();
    match &route.access {
        Access::Owner(parameter) => {
            extension.insert("owner".to_string(), json!(parameter));
        }
        Access::Scope(scope) => {
            extension.insert("scopes".to_string(), json!([scope]));
        }
        _ => {}
    }
    if !extension.is_empty() {
        operation.insert("x-authpath".to_string(), Value::Object(extension));
    }
    operation.insert(
        "responses".to_string(),
        Value::Object(responses(route, &passing, scenario)),
    );
    Value::Object(operation)
}

/// The path's parameters, each with the value the evaluated requests used as its example.
fn parameters(route: &Route, path: &str, policy: &Policy) -> Vec<Value> {
    let values = match policy.resolve(&route.method, path) {
        RouteMatch::Found { params, .. } => params,
        _ => Vec::new(),
    };
    route
        .path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| {
            let mut parameter = json!({
                "name": name,
                "in": "path",
                "required": true,
                "schema": { "type": "string" },
            });
            if let Some((_, value)) = values.iter().find(|(known, _)| known == name) {
                parameter["example"] = json!(value);
            }
            parameter
        })
        .collect()
}

/// The operation's `security`: `[]` for a public route, its requirements (each naming the
/// route's role, OpenAPI 3.1's role list) where the route names them or needs a role; `None`
/// where the document's (every scheme alone) applies.
fn security(route: &Route, policy: &Policy) -> Option<Value> {
    if route.access == Access::Public {
        return Some(json!([]));
    }
    let role = match &route.access {
        Access::Role(role) => vec![json!(role)],
        _ => Vec::new(),
    };
    let requirements: Vec<Vec<String>> = match &route.security {
        Some(requirements) => requirements
            .iter()
            .map(|requirement| requirement.schemes.clone())
            .collect(),
        None if !role.is_empty() => {
            let names: Vec<String> = if policy.schemes.is_empty() {
                vec!["basic".to_string(), "bearer".to_string()]
            } else {
                policy.schemes.keys().cloned().collect()
            };
            names.into_iter().map(|name| vec![name]).collect()
        }
        None => return None,
    };
    let written: Vec<Value> = requirements
        .into_iter()
        .map(|names| {
            Value::Object(
                names
                    .into_iter()
                    .map(|name| (name, Value::Array(role.clone())))
                    .collect(),
            )
        })
        .collect();
    Some(Value::Array(written))
}

/// One evaluated request: what it stands for, and what came back.
struct Answered {
    case: &'static str,
    summary: &'static str,
    status: u16,
    reason: &'static str,
    challenges: Vec<String>,
    content_type: Option<String>,
    body: String,
}

fn ask(
    case: &'static str,
    summary: &'static str,
    request: &MockRequest,
    scenario: &Scenario,
) -> Answered {
    let response = evaluate(&request.to_raw(scenario), scenario).response;
    Answered {
        case,
        summary,
        status: response.status.code(),
        reason: response.status.reason(),
        challenges: response
            .headers_named("WWW-Authenticate")
            .map(str::to_string)
            .collect(),
        content_type: response.header("Content-Type").map(str::to_string),
        body: response.body,
    }
}

/// The answers to the requests that tell a route's auth apart, grouped by status.
fn responses(route: &Route, passing: &MockRequest, scenario: &Scenario) -> Map<String, Value> {
    let mut answers = vec![ask(
        "allowed",
        "Credentials with the rights the route needs",
        passing,
        scenario,
    )];
    if route.access != Access::Public {
        let none = MockRequest {
            token: false,
            ..passing.clone()
        };
        answers.push(ask("no_credentials", "No credentials", &none, scenario));
        if passing.kind == CredentialKind::Bearer {
            let invalid = MockRequest {
                validity: Validity::BadSignature,
                ..passing.clone()
            };
            answers.push(ask(
                "invalid_token",
                "A token whose signature does not verify",
                &invalid,
                scenario,
            ));
            let malformed = MockRequest {
                validity: Validity::Malformed,
                ..passing.clone()
            };
            answers.push(ask(
                "malformed",
                "A Bearer value that is no token",
                &malformed,
                scenario,
            ));
        }
        if let Some(denied) = denied(route, passing, scenario) {
            answers.push(ask(
                "insufficient_rights",
                "Valid credentials without the rights the route needs",
                &denied,
                scenario,
            ));
        }
    }
    // The builder sends one credential: a route that needs several together is not passed
    // by it, and its success is declared without an evaluated example.
    let mut responses = Map::new();
    if !(200..300).contains(&answers[0].status) {
        answers.remove(0);
        let status = if route.method == "DELETE" {
            "204"
        } else {
            "200"
        };
        responses.insert(
            status.to_string(),
            json!({ "description": "Success: the handler answers, to credentials that meet a requirement" }),
        );
    }
    for answer in &answers {
        let key = answer.status.to_string();
        let entry = responses
            .entry(key)
            .or_insert_with(|| json!({ "description": description(answer) }));
        add(entry, answer, route);
    }
    responses
}

/// A request the route refuses for the rights alone: a valid caller without the role or the
/// scope, or not the owner.
fn denied(route: &Route, passing: &MockRequest, scenario: &Scenario) -> Option<MockRequest> {
    let mut request = passing.clone();
    match &route.access {
        Access::Role(role) => {
            let other = scenario.users.iter().find(|user| &user.role != role);
            request.subject = other.map_or_else(|| "nobody".to_string(), |user| user.name.clone());
            request.role = other.map_or_else(String::new, |user| user.role.clone());
        }
        Access::Scope(_) => request.scopes = Vec::new(),
        Access::Owner(_) => {
            // An ordinary user, on another user's resource.
            let caller = scenario.users.iter().find(|user| user.role != "admin")?;
            let owner = scenario
                .users
                .iter()
                .find(|user| user.name != caller.name)?;
            request.subject.clone_from(&caller.name);
            request.role.clone_from(&caller.role);
            request.path = crate::policy::fill_pattern(&route.path, &owner.name);
        }
        Access::Public | Access::Authenticated => return None,
    }
    Some(request)
}

fn description(answer: &Answered) -> String {
    match answer.status {
        200..=299 => format!("{}: the handler answers", answer.reason),
        401 => format!(
            "{}: no credentials, or ones that do not verify",
            answer.reason
        ),
        403 => format!(
            "{}: credentials without the rights the route needs",
            answer.reason
        ),
        404 => format!("{}: the server hides what it forbids", answer.reason),
        _ => format!("{}: as the server answers it", answer.reason),
    }
}

/// Adds one answer to its status's response: its challenges to `WWW-Authenticate`, its body
/// as an example of its media type.
fn add(response: &mut Value, answer: &Answered, route: &Route) {
    if !answer.challenges.is_empty() {
        let header = &mut response["headers"]["WWW-Authenticate"];
        if header.is_null() {
            *header = json!({
                "description": "The challenges: how to authenticate (RFC 9110 §11.6.1)",
                "schema": { "type": "string" },
            });
        }
        header["examples"][answer.case] = json!({
            "summary": answer.summary,
            // Several fields are one, joined by commas (RFC 9110 §5.3).
            "value": answer.challenges.join(", "),
        });
    }
    let Some(content_type) = &answer.content_type else {
        return;
    };
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    let content = &mut response["content"][media.as_str()];
    let success = (200..300).contains(&answer.status);
    if content.is_null() {
        *content = match (media.as_str(), success) {
            ("application/problem+json", _) => {
                json!({ "schema": { "$ref": "#/components/schemas/Problem" } })
            }
            (_, true) if route.example.is_none() => {
                json!({ "schema": { "$ref": "#/components/schemas/Handled" } })
            }
            (_, true) => json!({}),
            _ => json!({ "schema": { "type": "string" } }),
        };
    }
    if success {
        // The route's own example is the one documented; the demo handler's body is not
        // (an import would take it for one).
        if let Some(example) = route
            .example
            .as_deref()
            .and_then(|text| serde_json::from_str::<Value>(text).ok())
        {
            content["example"] = example;
        }
        return;
    }
    let value = serde_json::from_str::<Value>(&answer.body).unwrap_or_else(|_| json!(answer.body));
    content["examples"][answer.case] = json!({ "summary": answer.summary, "value": value });
}

/// RFC 9457 §3.1's members, as the engine writes them.
fn problem_schema() -> Value {
    json!({
        "type": "object",
        "description": "Problem Details for HTTP APIs (RFC 9457)",
        "properties": {
            "type": { "type": "string", "format": "uri-reference" },
            "title": { "type": "string" },
            "status": { "type": "integer" },
            "detail": { "type": "string" },
        },
    })
}

/// What the engine's handler answers: who called, and which route.
fn handled_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "user": { "type": ["string", "null"] },
            "route": { "type": "string" },
        },
    })
}
