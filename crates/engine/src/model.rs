//! The public data model of the engine: what goes in (`Scenario`) and what comes out
//! (`Evaluation`). Every type here is plain data, serializable with serde, so the page, the
//! command line and `serve` read the same thing.

use serde::{Deserialize, Serialize};

use crate::policy::Policy;

/// An HTTP status the pipeline can answer with. Status codes are derived from this enum,
/// never passed around as bare numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    NoContent,
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    ContentTooLarge,
    HeaderFieldsTooLarge,
}

/// Which kind of server answers: the same request, different behaviour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// Everything as the RFCs say: the correct answer.
    #[default]
    Rfc,
    /// Forbidden and unknown resources answer 404; credentials are checked before routing.
    Conceal,
    /// The common tutorial mistakes: 401 without a challenge, 403 for a bad token, no problem+json.
    Naive,
}

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
    /// The HS256 key, as UTF-8 text (the demo key is public).
    pub key: String,
    pub issuer: String,
    pub audience: String,
    pub users: Vec<User>,
}

/// A node of the fixed pipeline graph the page draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Node {
    Parse,
    Route,
    Public,
    Credentials,
    Verify,
    Authorize,
    Handle,
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
}

/// One header of a response, in the order it is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub name: String,
    pub value: String,
}

/// What the server sends. `Display` writes the exact raw HTTP/1.1 text, CRLF line endings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub status: Status,
    pub headers: Vec<Header>,
    pub body: String,
}

/// The lint rules R1–R18 of DESIGN.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Rule {
    R1,
    R2,
    R3,
    R4,
    R5,
    R6,
    R7,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
    R16,
    R17,
    R18,
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

/// The parsed request line and headers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub method: String,
    /// The request-target as sent, e.g. `/reports?access_token=…`.
    pub target: String,
    /// The path part of the target, percent-decoding not applied.
    pub path: String,
    /// Query parameters in order, percent-decoded.
    pub query: Vec<(String, String)>,
    pub version: String,
    /// Headers in order; names as sent (compare case-insensitively).
    pub headers: Vec<Header>,
    pub body: String,
}

/// Why the raw text is not an acceptable request, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestError {
    /// 400, 413 or 431.
    pub status: Status,
    /// What is wrong, in words, e.g. `"header line 3 has no colon"`.
    pub message: String,
    /// 1-based line of the raw text where the problem is.
    pub line: usize,
    /// 1-based column (in characters) on that line.
    pub column: usize,
    /// Byte offset into the raw text, for highlighting.
    pub offset: usize,
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
    /// e.g. `"malformed"`, `"no credentials"`, `"ok"`.
    pub label: String,
    /// The next node, or `None` when the request leaves the pipeline here.
    pub to: Option<Node>,
    /// The status(es) written on the edge, e.g. `"401"`, `"404/405"`, `"200/204"`; empty when
    /// the exit continues.
    pub status: String,
}

/// A node of the graph the page draws, with its exits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphNode {
    pub node: Node,
    /// e.g. `"Parse request"`, `"Verify credentials"`.
    pub title: String,
    pub exits: Vec<Exit>,
}
