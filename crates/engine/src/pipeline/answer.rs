//! The one place a response is built: a decision, answered as the server's profile says.

use serde::Serialize;

use super::authenticate::Claimed;
use super::{Decision, Named};
use crate::credentials::{Reader, Verifier};
use crate::facts::Presented;
use crate::http::{Header, Request, Status};
use crate::model::{Response, Scenario};
use crate::profile::{Body, Code, Param, ServerProfile, Style};
use crate::text::shorten;

/// What the answer is written with besides the decision: the scenario's realm, the server's
/// table, how credentials came (for `Cache-Control`), the token's claims (for a framework's
/// own description).
pub(super) struct Server<'a> {
    pub(super) scenario: &'a Scenario,
    /// The readers of the route (or of the server, before routing): a challenge per scheme
    /// asks for what they read.
    pub(super) readers: &'a [Reader],
    pub(super) spec: &'static ServerProfile,
    pub(super) presented: &'a Presented,
    pub(super) claims: &'a Claimed,
}

/// A response, and whether it is a 404 that hides a resource that exists (RFC 9110 §15.5.4).
pub(super) struct Answered {
    pub(super) response: Response,
    pub(super) conceals: bool,
}

/// The profile's answer to the decision, filled in with what the pipeline found.
pub(super) fn answer(decision: &Decision, request: Option<&Request>, server: &Server) -> Answered {
    let answer = server.spec.answer(decision.case);
    let status = match answer.status {
        Code::Is(status) => status,
        Code::Decided => decision.status.unwrap_or(Status::BadRequest),
    };
    let (method, path) = request.map_or(("", ""), |request| (&request.method, &request.path));
    let detail = decision.detail.as_str();
    let mut draft = Draft::new(status);
    match answer.body {
        Body::Problem => draft.problem(detail),
        Body::ProblemSaying(detail) => draft.problem(detail),
        Body::ReasonAndDetail => {
            draft.content_type = Some("text/plain; charset=utf-8".to_string());
            draft.body = format!("{}: {detail}", status.reason());
        }
        Body::Fixed { content_type, text } => {
            draft.content_type = Some(content_type.to_string());
            draft.body = text.to_string();
        }
        Body::Untyped(text) => draft.body = text.to_string(),
        Body::HtmlNaming(template) => {
            draft.content_type = Some("text/html; charset=utf-8".to_string());
            draft.body = template
                .replace("{method}", &html_escape(method))
                .replace("{path}", &html_escape(&url_encode(path)));
        }
        Body::FixedNamingMethod { content_type, text } => {
            draft.content_type = Some(content_type.to_string());
            draft.body = text.replace("{method}", method);
        }
        Body::Handler if status == Status::NoContent => {}
        Body::Handler => {
            draft.content_type = Some("application/json".to_string());
            draft.body = match &decision.named {
                Named::Handler {
                    example: Some(example),
                    ..
                } => example.clone(),
                Named::Handler { route, user, .. } => serde_json::to_string(&Success {
                    user: user.as_deref(),
                    route,
                })
                .unwrap_or_default(),
                _ => serde_json::to_string(&Success {
                    user: None,
                    route: "",
                })
                .unwrap_or_default(),
            };
        }
    }
    let description = sanitize(detail);
    let scope = match &decision.named {
        Named::Scope(scope) => sanitize(scope),
        _ => String::new(),
    };
    for challenge in answer.challenges {
        // A framework's own description, filled with the token's claims, is written as it
        // writes it, only the characters RFC 6750 §3 forbids replaced.
        let written: Vec<String> = challenge
            .params
            .iter()
            .map(|param| match param {
                Param::DescriptionIs(template) => sanitize(&server.claims.fill(template)),
                _ => String::new(),
            })
            .collect();
        let params: Vec<(&str, &str)> = challenge
            .params
            .iter()
            .zip(&written)
            .map(|(param, written)| match param {
                Param::Realm => ("realm", server.scenario.realm.as_str()),
                Param::RealmIs(realm) => ("realm", *realm),
                Param::Error(code) => ("error", *code),
                Param::Description => ("error_description", description.as_str()),
                Param::Scope => ("scope", scope.as_str()),
                Param::DescriptionIs(_) => ("error_description", written.as_str()),
                Param::ErrorUri(uri) => ("error_uri", *uri),
            })
            .collect();
        draft
            .challenges
            .push(challenge_text(challenge.scheme, &params));
    }
    if let Some(style) = answer.per_scheme {
        let written = per_scheme(style, server.readers, &server.scenario.realm);
        for challenge in written {
            let scheme = challenge.split(' ').next().unwrap_or_default();
            let asked = draft.challenges.iter().any(|fixed| {
                fixed
                    .split(' ')
                    .next()
                    .is_some_and(|name| name.eq_ignore_ascii_case(scheme))
            });
            if !asked {
                draft.challenges.push(challenge);
            }
        }
    }
    if let (true, Named::Methods(methods)) = (answer.allow, &decision.named) {
        draft.allow = Some(methods.clone());
    }
    // RFC 6750 §5.3: a response to a token in the URL must not be cached for others.
    if status.is_success()
        && server.presented.in_query()
        && server.spec.private_cache_for_query_tokens
    {
        draft.cache_control = Some("private");
    }
    Answered {
        response: draft.build(),
        conceals: answer.conceals,
    }
}

/// One challenge per scheme `readers` read, in their order: each `Authorization` scheme once
/// (a token in the query asks for Bearer), or, where there is none, `APIKey` for an API key
/// and else `Session` for a session.
fn per_scheme(style: Style, readers: &[Reader], realm: &str) -> Vec<String> {
    let mut schemes: Vec<&str> = Vec::new();
    for reader in readers {
        let scheme = match (reader.scheme(), reader.verifier) {
            (Some(scheme), _) => scheme,
            (None, Verifier::Jwt) => "Bearer",
            _ => continue,
        };
        if !schemes.contains(&scheme) {
            schemes.push(scheme);
        }
    }
    if schemes.is_empty() {
        let kind = |verifier| readers.iter().any(|reader| reader.verifier == verifier);
        if kind(Verifier::ApiKey) {
            schemes.push("APIKey");
        } else if kind(Verifier::Session) {
            schemes.push("Session");
        }
    }
    schemes
        .into_iter()
        .map(|scheme| match style {
            Style::Bare => scheme.to_string(),
            Style::Realm if scheme == "Basic" => {
                challenge_text(scheme, &[("realm", realm), ("charset", "UTF-8")])
            }
            Style::Realm => challenge_text(scheme, &[("realm", realm)]),
        })
        .collect()
}

/// A response being put together; `build` fixes the header order.
struct Draft {
    status: Status,
    content_type: Option<String>,
    challenges: Vec<String>,
    allow: Option<String>,
    cache_control: Option<&'static str>,
    body: String,
}

impl Draft {
    /// A problem+json body (RFC 9457) with this detail.
    fn problem(&mut self, detail: &str) {
        self.content_type = Some("application/problem+json".to_string());
        self.body = serde_json::to_string(&Problem {
            kind: "about:blank",
            title: self.status.reason(),
            status: self.status.code(),
            detail,
        })
        .unwrap_or_default();
    }

    fn new(status: Status) -> Draft {
        Draft {
            status,
            content_type: None,
            challenges: Vec::new(),
            allow: None,
            cache_control: None,
            body: String::new(),
        }
    }

    /// Headers in a stable order: Content-Type, WWW-Authenticate…, Allow, Cache-Control,
    /// Content-Length last. No Date header, so the same input gives the same bytes.
    fn build(self) -> Response {
        let mut headers = Vec::new();
        if let Some(content_type) = self.content_type {
            headers.push(Header::new("Content-Type", content_type));
        }
        for challenge in self.challenges {
            headers.push(Header::new("WWW-Authenticate", challenge));
        }
        if let Some(allow) = self.allow {
            headers.push(Header::new("Allow", allow));
        }
        if let Some(cache_control) = self.cache_control {
            headers.push(Header::new("Cache-Control", cache_control));
        }
        // RFC 9110 §8.6: a 204 carries no Content-Length.
        if self.status != Status::NoContent {
            headers.push(Header::new("Content-Length", self.body.len().to_string()));
        }
        Response {
            status: self.status,
            headers,
            body: self.body,
        }
    }
}

/// A problem+json body (RFC 9457 §3.1); members are written in this order.
#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    title: &'a str,
    status: u16,
    detail: &'a str,
}

/// The demo handler's 200 body; members are written in this order.
#[derive(Serialize)]
struct Success<'a> {
    user: Option<&'a str>,
    route: &'a str,
}

/// `scheme name="value", …` with every value a quoted-string; the bare scheme without any.
fn challenge_text(scheme: &str, params: &[(&str, &str)]) -> String {
    let params: Vec<String> = params
        .iter()
        .map(|(name, value)| format!("{name}={}", quoted(value)))
        .collect();
    if params.is_empty() {
        scheme.to_string()
    } else {
        format!("{scheme} {}", params.join(", "))
    }
}

/// A quoted-string (RFC 9110 §5.6.4); control characters, which would break the header
/// line, become spaces.
fn quoted(value: &str) -> String {
    let mut text = String::with_capacity(value.len() + 2);
    text.push('"');
    for character in value.chars() {
        match character {
            '"' | '\\' => {
                text.push('\\');
                text.push(character);
            }
            character if character.is_control() => text.push(' '),
            character => text.push(character),
        }
    }
    text.push('"');
    text
}

/// A path as a URL writes it: the parser lets through only visible ASCII with valid
/// percent-escapes, and of those a URL may not hold `"`, `<`, `>`, `` ` ``, `{` and `}`.
fn url_encode(path: &str) -> String {
    let mut text = String::with_capacity(path.len());
    for character in path.chars() {
        match character {
            '"' | '<' | '>' | '`' | '{' | '}' => {
                text.push_str(&format!("%{:02X}", u32::from(character)));
            }
            character => text.push(character),
        }
    }
    text
}

/// Text inside HTML: the five characters that could end an element or an attribute.
fn html_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            character => escaped.push(character),
        }
    }
    escaped
}

/// The characters RFC 6750 §3 allows in `error_description` and `scope`: printable ASCII
/// without `"` and `\`. Anything else is replaced, and the text is kept short.
fn sanitize(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|character| match character {
            '"' => '\'',
            '\\' => '/',
            ' '..='~' => character,
            _ => '?',
        })
        .collect();
    shorten(&cleaned, 200)
}
