//! One component per file; fragments without hooks are plain `view_*` functions, and
//! `status` is the one status-to-colour mapping they share.

pub mod builder;
pub mod copy;
pub mod decision_path;
pub mod presets;
pub mod raw_request;
pub mod response;
pub mod share;
pub mod status;
pub mod stepper;
pub mod trace;
