//! OpenAPI 3.0 and 3.1 specs, JSON or YAML: read into what they say about authentication
//! ([`Spec`]), mapped onto a [`Policy`] (whatever cannot be mapped named as a [`Problem`] at its
//! JSON pointer, line and column, never dropped silently), linted for what they declare
//! ([`lint`], the rules O1–O7), and written from a policy ([`export`]: an OpenAPI 3.1 document
//! whose operations declare the answers the engine gives).
//!
//! ```
//! use authpath_engine::openapi::to_policy;
//!
//! let spec = "openapi: 3.1.0\n\
//!             info: {title: t, version: '1'}\n\
//!             components:\n  securitySchemes:\n    bearer: {type: http, scheme: bearer}\n\
//!             security: [{bearer: []}]\n\
//!             paths:\n  /profile:\n    get:\n      responses: {'200': {description: ok}}\n";
//! let (policy, problems) = to_policy(spec);
//! assert!(problems.is_empty(), "{problems:?}");
//! assert_eq!(policy.routes[0].path, "/profile");
//! ```
//!
//! Architecture invariant: nothing here reads a file; a spec is text, and `$ref`s are followed
//! inside it only (`#/…`).

mod export;
pub mod lint;
mod policy;
mod read;
mod tree;
#[cfg(feature = "yaml")]
mod yaml;

use serde::{Deserialize, Serialize};

use crate::policy::Policy;

pub use export::{export, Json};
pub use lint::{lint, SpecFinding, SpecRule};
pub use tree::Place;
#[cfg(feature = "yaml")]
pub use yaml::to_yaml;

/// Something in a spec that was not understood, or not mapped, and where it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The JSON pointer (RFC 6901) of the value it is about; empty for the whole text.
    pub pointer: String,
    /// 1-based line in the spec text.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What was not understood, and what was done instead.
    pub message: String,
}

impl Problem {
    fn at(place: &Place, message: impl Into<String>) -> Problem {
        Problem {
            pointer: place.pointer.clone(),
            line: place.line,
            column: place.column,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "line {}, column {}", self.line, self.column)?;
        if !self.pointer.is_empty() {
            write!(formatter, " ({})", self.pointer)?;
        }
        write!(formatter, ": {}", self.message)
    }
}

/// The OpenAPI version a spec declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Version {
    /// 3.0.x: a requirement's list names scopes only (for `oauth2` and `openIdConnect`).
    V3_0,
    /// 3.1.x: the list of any other scheme names roles.
    V3_1,
}

/// The text a spec was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Syntax {
    Json,
    Yaml,
}

/// What a spec says about authentication: its security schemes, its root `security`, and
/// each operation with its own `security`, the responses it declares, its parameters and its
/// example. Every member keeps its place in the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    pub version: Version,
    pub syntax: Syntax,
    /// `components.securitySchemes`, in the order written.
    pub schemes: Vec<DeclaredScheme>,
    /// The root `security`, which an operation without its own inherits.
    pub security: Option<Security>,
    /// Every operation, path by path, in the order written.
    pub operations: Vec<Operation>,
}

/// A security scheme as the spec declares it.
#[derive(Clone, Debug, PartialEq)]
pub struct DeclaredScheme {
    /// Its name under `components.securitySchemes`.
    pub name: String,
    /// Where it is declared (its key).
    pub at: Place,
    pub kind: SchemeKind,
}

/// A security scheme's type, with what authpath needs of it.
#[derive(Clone, Debug, PartialEq)]
pub enum SchemeKind {
    /// `type: http`: the `scheme` lowercased (`bearer`, `basic`, or one authpath cannot send).
    Http { scheme: String },
    /// `type: apiKey`; `session` when its `x-authpath` says it is a browser session.
    ApiKey {
        location: crate::policy::KeyLocation,
        name: String,
        /// Where its `in` is written.
        location_at: Place,
        session: bool,
    },
    /// `type: oauth2`: a Bearer token; the scopes its flows declare.
    OAuth2 { scopes: Vec<String> },
    /// `type: openIdConnect`: a Bearer token.
    OpenIdConnect,
    /// `type: mutualTLS`: a client certificate, which no request text can carry.
    MutualTls,
    /// Anything else (a type authpath does not know, or a scheme it could not read).
    Unknown,
}

/// A `security` list: requirements any one of which will do.
#[derive(Clone, Debug, PartialEq)]
pub struct Security {
    /// Where the list is.
    pub at: Place,
    pub requirements: Vec<SpecRequirement>,
}

/// One Security Requirement Object: schemes that must all be sent (none: `{}`, optional).
#[derive(Clone, Debug, PartialEq)]
pub struct SpecRequirement {
    pub at: Place,
    pub schemes: Vec<Named>,
}

/// A scheme a requirement names, with the scopes or roles it lists.
#[derive(Clone, Debug, PartialEq)]
pub struct Named {
    pub name: String,
    /// Where the name stands (the key).
    pub at: Place,
    /// The scopes (for `oauth2` and `openIdConnect`) or roles (3.1, other schemes), each with
    /// its place.
    pub values: Vec<(String, Place)>,
}

/// One operation of the spec.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// Upper case, as a request line writes it: `GET`.
    pub method: String,
    /// The path template as written: `/users/{id}`.
    pub path: String,
    /// Where the operation is (its method's key).
    pub at: Place,
    /// Its own `security`, which overrides the root's.
    pub security: Option<Security>,
    /// Its responses, in the order written.
    pub responses: Vec<DeclaredResponse>,
    /// Its parameters, the path item's merged in (the operation's win).
    pub parameters: Vec<Parameter>,
    /// The JSON body of its first success with an example, as JSON text.
    pub example: Option<String>,
    /// `x-authpath`.
    pub extension: Extension,
}

/// A response an operation declares.
#[derive(Clone, Debug, PartialEq)]
pub struct DeclaredResponse {
    /// The key: `401`, `4XX` or `default`.
    pub status: String,
    pub at: Place,
    /// Its headers' names, lowercased.
    pub headers: Vec<String>,
    /// Its media types, as written.
    pub media_types: Vec<String>,
}

/// A parameter an operation takes.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    pub name: String,
    /// `path`, `query`, `header` or `cookie`.
    pub location: String,
    pub at: Place,
    /// A value to send: its `example`, first of its `examples`, or its schema's `example`,
    /// `default` or first `enum` value, as text.
    pub example: Option<String>,
}

/// What an operation's `x-authpath` says that OpenAPI cannot.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extension {
    /// `owner`: the path parameter that must equal the caller.
    pub owner: Option<(String, Place)>,
    /// `roles`: the roles the operation needs (OpenAPI 3.0 has no place for them).
    pub roles: Vec<(String, Place)>,
    /// `scopes`: the scopes it needs of a Bearer token that is not an `oauth2` scheme's.
    pub scopes: Vec<(String, Place)>,
}

impl Spec {
    /// Reads a spec, JSON or YAML (sniffed), with the problems found on the way. `Err` only
    /// for a text that is no JSON or YAML object at all.
    pub fn read(text: &str) -> Result<(Spec, Vec<Problem>), Problem> {
        read::read(text)
    }

    /// The security that applies to an operation: its own, or else the root's; `None` when
    /// the spec says none (the operation is public).
    pub fn security_of<'a>(&'a self, operation: &'a Operation) -> Option<&'a Security> {
        operation.security.as_ref().or(self.security.as_ref())
    }

    /// The declared scheme of that name.
    pub fn scheme(&self, name: &str) -> Option<&DeclaredScheme> {
        self.schemes.iter().find(|scheme| scheme.name == name)
    }

    /// The policy the spec describes, with what could not be mapped.
    pub fn to_policy(&self) -> (Policy, Vec<Problem>) {
        policy::policy(self)
    }
}

impl Operation {
    /// `GET /users/{id}`.
    pub fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// Whether the operation declares `status` (a number): itself, its range (`4XX`) or
    /// `default`.
    pub fn declares(&self, status: u16) -> bool {
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        self.responses.iter().any(|response| {
            response.status == exact
                || response.status.eq_ignore_ascii_case(&range)
                || response.status == "default"
        })
    }

    /// The response declared for exactly `status`, or its range.
    pub fn response(&self, status: u16) -> Option<&DeclaredResponse> {
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        self.responses
            .iter()
            .find(|response| response.status == exact)
            .or_else(|| {
                self.responses
                    .iter()
                    .find(|response| response.status.eq_ignore_ascii_case(&range))
            })
    }
}

impl Security {
    /// Whether no credentials are needed: an empty list, or only `{}`.
    pub fn is_public(&self) -> bool {
        self.requirements
            .iter()
            .all(|requirement| requirement.schemes.is_empty())
    }

    /// Whether credentials are optional: a `{}` beside requirements that name schemes.
    pub fn is_optional(&self) -> bool {
        !self.is_public()
            && self
                .requirements
                .iter()
                .any(|requirement| requirement.schemes.is_empty())
    }
}

/// A spec text read, and mapped onto a policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub spec: Spec,
    pub policy: Policy,
    /// Everything not understood or not mapped: the reader's, then the mapping's.
    pub problems: Vec<Problem>,
}

/// Reads a spec text and maps it onto a policy. `Err` only for a text that is no JSON or
/// YAML object at all. The page's one call (its Policy view's import).
pub fn import(text: &str) -> Result<Import, Problem> {
    let (spec, mut problems) = Spec::read(text)?;
    let (policy, mapped) = spec.to_policy();
    problems.extend(mapped);
    Ok(Import {
        spec,
        policy,
        problems,
    })
}

/// The policy a spec text describes, and every problem: for a text that does not read, a
/// policy without routes and that one problem.
pub fn to_policy(text: &str) -> (Policy, Vec<Problem>) {
    match import(text) {
        Ok(import) => (import.policy, import.problems),
        Err(problem) => (
            Policy {
                schemes: Default::default(),
                routes: Vec::new(),
            },
            vec![problem],
        ),
    }
}
