//! The public data model of the engine: what goes in (`Scenario`) and what comes out
//! (`Evaluation`). Every type here is plain data, serializable with serde, so the page, the
//! command line and `serve` read the same thing.

use serde::{Deserialize, Serialize};

use crate::claims::ClaimLayout;
use crate::http::{find_header, named, Header, Request, RequestError, Status};
use crate::keys::{Algorithm, Key};
use crate::policy::Policy;
pub use crate::profile::{Node, Profile};
pub use crate::rule::Rule;

/// One user of the demo API: a Basic password, the JWT `sub`, and a role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub password: String,
    pub role: String,
}

/// Everything the pipeline needs besides the request. The clock is an input, so the same
/// request and scenario always give the same `Evaluation`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub policy: Policy,
    pub profile: Profile,
    /// The server's clock, in Unix seconds.
    pub now: u64,
    /// Leeway for `exp` / `nbf`, in seconds (RFC 7519 §4.1.4: "small").
    pub leeway: u64,
    pub realm: String,
    /// The HMAC secret for HS256/384/512, as UTF-8 text (the demo key is public); empty for
    /// none. A secret: links carry it only when the person asks.
    pub key: String,
    /// The issuer tokens must name in `iss`, and the one minted tokens carry; empty: `iss` is
    /// not checked.
    pub issuer: String,
    /// The audience tokens must name in `aud`, and the one minted tokens carry; empty: `aud`
    /// is not checked.
    pub audience: String,
    pub users: Vec<User>,
    /// Public keys (and further secrets) the server verifies with, e.g. an identity provider's
    /// JWKS. No two share a `kid`.
    #[serde(default)]
    pub keys: Vec<Key>,
    /// The algorithms the server accepts (RFC 8725 §3.1): HS256 alone by default.
    #[serde(default = "default_algorithms")]
    pub algorithms: Vec<Algorithm>,
    /// Further issuers accepted besides `issuer`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_issuers: Vec<String>,
    /// Further audiences accepted besides `audience`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_audiences: Vec<String>,
    /// Where the token carries roles and scopes.
    #[serde(default)]
    pub claims: ClaimLayout,
    /// The API keys the server issued, each a user's (with that user's role). Keys do not
    /// expire with the clock.
    #[serde(default)]
    pub api_keys: Vec<ApiKey>,
    /// The sessions the server holds, each a user's; an expired one is expired whatever the
    /// clock says.
    #[serde(default)]
    pub sessions: Vec<Session>,
}

/// An API key the server issued, and whose it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    pub key: String,
    pub user: String,
}

/// A session the server holds: its id (the cookie's value), whose it is, and whether it has
/// expired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub id: String,
    pub user: String,
    #[serde(default)]
    pub expired: bool,
}

fn default_algorithms() -> Vec<Algorithm> {
    vec![Algorithm::HS256]
}

/// What one step of the trace concluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The check held; the request goes on.
    Passed,
    /// The check does not apply here (e.g. no `nbf` claim); the request goes on.
    Skipped,
    /// The check failed and the request leaves the pipeline with a response.
    Failed,
    /// The pipeline answered (the handler, or a public route): the request ends successfully.
    Answered,
}

/// The state of authentication after a step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Authentication {
    #[default]
    Unknown,
    /// No credentials were sent and the route did not need them (public, or concealed).
    Anonymous,
    Passed,
    Failed,
}

/// The state of authorization after a step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Authorization {
    #[default]
    NotChecked,
    /// The route is public: nothing to authorize.
    NotRequired,
    Passed,
    Failed,
}

/// The variable tracker: the three variables after a step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vars {
    pub authentication: Authentication,
    pub authorization: Authorization,
    /// Set by the step that decided the response, and kept by every step after it.
    pub response_code: Option<Status>,
}

/// One row of the execution table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub node: Node,
    /// A short name of the check, e.g. `"signature"`, `"exp"`, `"role"`.
    pub check: String,
    /// The condition tested, as a reader would write it, e.g. `"exp + 30 s leeway > now"`.
    pub condition: String,
    pub outcome: Outcome,
    /// Why, in words, with the values seen, e.g. `"signature mismatch"`, `"role user ≠ admin"`.
    pub detail: String,
    pub vars: Vars,
    /// The id of the node's exit the request took, on the last step at each node visited: one
    /// of that node's exits in [`graph`](crate::graph). `None` on the checks before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<String>,
}

/// What the server sends. `Display` writes the exact raw HTTP/1.1 text, CRLF line endings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub status: Status,
    pub headers: Vec<Header>,
    pub body: String,
}

/// Severity follows the RFC word: MUST → error, SHOULD → warning, MAY/ought → note.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// One lint finding about the response (or, for R14, the request).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    /// What is wrong (or noteworthy) in this response, in one plain sentence.
    pub message: String,
}

/// Everything `evaluate` found out. Always whole: a refused request is a normal outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub request: Result<Request, RequestError>,
    /// The path, in order. Never empty: the first step is always `Node::Parse`.
    pub trace: Vec<Step>,
    pub response: Response,
    pub findings: Vec<Finding>,
}

/// One exit of a node in the graph: where it goes, and the status it answers with if it ends
/// the request there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exit {
    /// Stable, unique among the node's exits: what a trace step's `exit` names.
    pub id: String,
    /// e.g. `"malformed"`, `"no credentials"`, `"ok"`.
    pub label: String,
    /// The next node, or `None` when the request leaves the pipeline here.
    pub to: Option<Node>,
    /// The statuses the request may leave with here, e.g. 404 and 405; empty when the exit
    /// continues to another node.
    pub status: Vec<Status>,
}

impl Exit {
    /// The statuses as written on the edge: `"404/405"`; empty when the exit continues.
    pub fn status_label(&self) -> String {
        let codes: Vec<String> = self
            .status
            .iter()
            .map(|status| status.code().to_string())
            .collect();
        codes.join("/")
    }
}

/// A node of the graph the page draws, with its exits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphNode {
    pub node: Node,
    /// e.g. `"Parse request"`, `"Verify credentials"`.
    pub title: String,
    pub exits: Vec<Exit>,
}

impl Default for Scenario {
    /// The demo scenario every view, the command line and the tests share (issue 3).
    fn default() -> Self {
        let user = |name: &str, role: &str| User {
            name: name.to_string(),
            password: format!("{name}-pw"),
            role: role.to_string(),
        };
        Scenario {
            policy: Policy::default_api(),
            profile: Profile::Rfc,
            now: 1_767_225_600,
            leeway: 30,
            realm: "authpath-demo".to_string(),
            key: "authpath-demo-key".to_string(),
            issuer: "https://auth.authpath.example".to_string(),
            audience: "https://api.authpath.example".to_string(),
            users: vec![
                user("alice", "user"),
                user("bob", "user"),
                user("carol", "admin"),
            ],
            keys: Vec::new(),
            algorithms: default_algorithms(),
            other_issuers: Vec::new(),
            other_audiences: Vec::new(),
            claims: ClaimLayout::default(),
            api_keys: ["alice", "bob", "carol"]
                .into_iter()
                .map(|user| ApiKey {
                    key: format!("ak_{user}_demo"),
                    user: user.to_string(),
                })
                .collect(),
            sessions: vec![
                session("alicesession00000000000000000000", "alice", false),
                session("bobsession0000000000000000000000", "bob", false),
                session("carolsession00000000000000000000", "carol", false),
                session("alicesessionexpired0000000000000", "alice", true),
            ],
        }
    }
}

fn session(id: &str, user: &str, expired: bool) -> Session {
    Session {
        id: id.to_string(),
        user: user.to_string(),
        expired,
    }
}

impl Scenario {
    /// Whether the server verifies with public keys: it holds one, or accepts an algorithm
    /// that needs one. Such a scenario needs the `asymmetric` feature ([`crate::ASYMMETRIC`]);
    /// one that verifies with its HMAC secret alone answers the same without it, as no public
    /// key is ever read or used.
    pub fn uses_public_keys(&self) -> bool {
        self.keys
            .iter()
            .any(|key| key.key_type() != crate::KeyType::Secret)
            || self
                .algorithms
                .iter()
                .any(|algorithm| algorithm.key_type() != crate::KeyType::Secret)
    }

    /// The user whose API key this is, if the server issued it.
    pub fn api_key(&self, key: &str) -> Option<&ApiKey> {
        self.api_keys.iter().find(|api_key| api_key.key == key)
    }

    /// The session with this id, if the server holds it.
    pub fn session(&self, id: &str) -> Option<&Session> {
        self.sessions.iter().find(|session| session.id == id)
    }

    /// The user with that name, if the scenario has one.
    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|user| user.name == name)
    }

    /// The issuers accepted, in order; none when `iss` is not checked.
    pub fn issuers(&self) -> impl Iterator<Item = &str> {
        accepted(&self.issuer, &self.other_issuers)
    }

    /// The issuers accepted, from a comma-separated list as a person types it (the page, a
    /// link, `--issuer`); an empty list leaves `iss` unchecked.
    pub fn set_issuers(&mut self, list: &str) {
        (self.issuer, self.other_issuers) = first_and_others(list);
    }

    /// The audiences accepted, in order; none when `aud` is not checked.
    pub fn audiences(&self) -> impl Iterator<Item = &str> {
        accepted(&self.audience, &self.other_audiences)
    }

    /// The audiences accepted, from a comma-separated list, as [`Scenario::set_issuers`].
    pub fn set_audiences(&mut self, list: &str) {
        (self.audience, self.other_audiences) = first_and_others(list);
    }
}

/// The non-empty values of a first value and further ones.
fn accepted<'a>(first: &'a str, others: &'a [String]) -> impl Iterator<Item = &'a str> {
    std::iter::once(first)
        .chain(others.iter().map(String::as_str))
        .filter(|value| !value.is_empty())
}

/// `a, b, c` as its first item and the others; empty items are dropped, and a list of none is
/// one empty first item.
fn first_and_others(list: &str) -> (String, Vec<String>) {
    let mut items = list
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_string);
    (items.next().unwrap_or_default(), items.collect())
}

impl Response {
    /// The value of the first header with that name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Every value of the headers with that name, in order.
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        named(&self.headers, name)
    }
}

impl std::fmt::Display for Response {
    /// The exact bytes on the wire: status line, headers, a blank line, the body; CRLF.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "HTTP/1.1 {}\r\n", self.status)?;
        for header in &self.headers {
            write!(formatter, "{}: {}\r\n", header.name, header.value)?;
        }
        write!(formatter, "\r\n{}", self.body)
    }
}

impl Evaluation {
    /// The step that decided the response: the last one of the trace.
    pub fn decided(&self) -> Option<&Step> {
        self.trace.last()
    }
}

#[cfg(test)]
mod tests {
    use super::Scenario;

    #[test]
    fn issuers_and_audiences_read_as_typed_and_list_what_is_checked() {
        let mut scenario = Scenario::default();
        scenario.set_issuers(" https://a.example , ,https://b.example,");
        assert_eq!(scenario.issuer, "https://a.example");
        assert_eq!(scenario.other_issuers, ["https://b.example"]);
        assert!(scenario
            .issuers()
            .eq(["https://a.example", "https://b.example"]));
        // None typed: the claim is not checked, and nothing is listed.
        scenario.set_audiences(" , ");
        assert_eq!(scenario.audience, "");
        assert!(scenario.other_audiences.is_empty());
        assert_eq!(scenario.audiences().count(), 0);
    }
}
