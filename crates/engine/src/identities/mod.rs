//! The probe as several identities (`authpath probe --identities FILE`): who each identity is
//! as the policy sees it, the plan of requests, and the judgement of each answer.
//!
//! - [`Identity`] is one identity of the file: what it sends (a token, Basic credentials,
//!   headers, cookies), the role and scopes its credentials cannot say, and the objects it
//!   owns. [`Who`] is what may be shown of it:
//!   its subject, roles, scopes, objects and the kinds of credential it sends, never a secret.
//! - [`plan`] is the request set: every operation as every identity (anonymous too); every
//!   owned object as every other identity, and, as each identity refused it, a neighbouring id
//!   that does not exist (a difference between the two answers tells that the object exists:
//!   R17, live); every method a path does not declare, as the most privileged identity.
//! - [`judge`] judges the answers: a 2xx where the identity may not is BOLA (OWASP API1:2023)
//!   on an object, BFLA (API5:2023) on a function; a refusal where it may is an error too. What
//!   the run saw goes to the R rules as [`Known`](crate::exchange::Known): an identity whose
//!   credentials the server accepted elsewhere is authenticated, so a 401 for its missing role
//!   breaks R2.
//!
//! - [`ProbeReport`] reads the probe's JSON report back, for the page's matrix.
//!
//! Whether an identity may is decided by the pipeline, not here: its [`stand_in`] (a request
//! with a demo credential for its subject, roles and scopes, the kind it sends) is evaluated
//! under the policy with the rfc profile, so the verdict, the RFC answer and the decision path
//! the page draws are one evaluation. Pure: the caller sends the requests and hands the
//! answers back.
//!
//! ```
//! use authpath_engine::identities::{plan, Credential, Identity, Options};
//! use authpath_engine::Scenario;
//!
//! let scenario = Scenario::default();
//! let alice = Identity {
//!     name: "alice".to_string(),
//!     credentials: vec![Credential::Basic { user: "alice".to_string(), password: "alice-pw".to_string() }],
//!     role: Some("user".to_string()),
//!     owns: vec!["/users/alice/notes".to_string()],
//!     ..Identity::default()
//! };
//! let plan = plan(&scenario, &[alice], &Options::default()).unwrap_or_default();
//! let notes = plan.cells.iter().find(|cell| cell.path == "/users/alice/notes" && cell.method == "GET");
//! assert!(notes.is_some());
//! ```

mod judge;
mod plan;
mod report;
mod stand_in;
mod who;

pub use judge::{judge, Answer, Breach, Judged};
pub use plan::{is_safe, neighbour, plan, Cell, Options, Plan, Purpose};
pub use report::{ProbeCell, ProbeExchange, ProbeFinding, ProbeReport};
pub use stand_in::{stand_in, verdict, Level, May, Verdict};
pub use who::{fields, Credential, Identity, Who, ANONYMOUS};
