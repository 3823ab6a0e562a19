//! One component per file; fragments without hooks are plain `view_*` functions.

pub mod builder;
pub mod copy;
pub mod decision_path;
pub mod presets;
pub mod raw_request;
pub mod response;
pub mod share;
pub mod stepper;
pub mod trace;
