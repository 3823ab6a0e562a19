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

mod facts;
mod model;
pub mod policy;

pub use facts::{Facts, Presented};
pub use model::*;
pub use policy::{Access, Policy, Route};
