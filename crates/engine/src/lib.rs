//! authpath's auth pipeline: a raw HTTP request in, the decision path, the response and a
//! lint of that response against the RFCs out.
//!
//! ```
//! use authpath_engine::{evaluate, Scenario};
//!
//! let scenario = Scenario::default();
//! let evaluation = evaluate("GET /profile HTTP/1.1\r\nHost: api.example\r\n\r\n", &scenario);
//! assert_eq!(evaluation.response.status.code(), 401);
//! assert!(evaluation.response.to_string().contains("WWW-Authenticate: Bearer realm=\"authpath-demo\""));
//! ```
//!
//! Architecture invariant: this crate does no I/O, reads no clock and knows nothing of the
//! web. It never panics, whatever the input: parse errors are values.

mod credentials;
pub mod explain;
mod facts;
mod http;
mod lint;
pub mod matrix;
pub mod mock;
mod model;
mod pipeline;
pub mod policy;
pub mod profile;
pub mod quiz;
pub mod text;
pub mod token;

pub use credentials::{
    find_credentials, without_credentials, CredentialPlace, FoundCredential, QUERY_PARAMETER,
};
pub use explain::*;
pub use facts::{Facts, Presented};
pub use http::{
    parse_request, Header, Request, RequestError, Status, MAX_HEADER_LINE_BYTES, MAX_REQUEST_BYTES,
};
pub use lint::lint;
pub use matrix::{build_matrix, Cell, Credential, Matrix, MatrixRow};
pub use mock::{curl_command, presets, CredentialKind, MockRequest, Preset, Validity};
pub use model::*;
pub use pipeline::{evaluate, graph};
pub use policy::{Access, ErrorRoute, Field, Policy, PolicyError, Route, RouteMatch};
pub use quiz::{generate_quiz, Choice, ClientAction, Question, QuestionKind, Quiz};
pub use token::{basic_credentials, mint_token, Claims};
