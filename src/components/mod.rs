//! The simulator's parts: one component per file, fragments without hooks as plain `view_*`
//! functions beside it; `explain` holds what would change the answer, the run in words
//! and the code that gives the response; `copy` is the hook the copy buttons share and `status` the one
//! status-to-colour mapping every view uses.

pub mod builder;
pub mod copy;
pub mod decision_path;
pub mod execution_table;
pub mod explain;
pub mod notices;
pub mod presets;
pub mod profile;
pub mod raw_request;
pub mod response;
pub mod share;
pub mod status;
pub mod stepper;
pub mod variable_tracker;
