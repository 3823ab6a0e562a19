//! The teaching helpers around the pipeline: they write requests and read answers, and decide
//! nothing themselves. `mock` is the request builder behind the page's toggles (with the
//! presets and the curl export), `matrix` evaluates credentials × routes, `quiz` asks seeded
//! questions whose answers come from `evaluate`, and `explain` says what each part of a raw
//! response means.

pub mod explain;
pub mod matrix;
pub mod mock;
pub mod quiz;
