//! The teaching helpers around the pipeline: they write requests and read answers, and decide
//! nothing themselves. `mock` is the request builder behind the page's toggles (with the
//! presets and the curl export), `matrix` evaluates credentials × routes, `quiz` asks seeded
//! questions whose answers come from `evaluate`, `explain` says what each part of a raw
//! response means, `code` writes a one-file app in a web framework that gives the response,
//! `alternatives` finds the changes of a request that change its answer by evaluating them,
//! `class` finds other requests that leave each node by the same exit, `narrate` tells a run
//! in plain words from its trace, and `attacks` forges the tokens of the JWT attack catalogue.

pub mod alternatives;
pub mod attacks;
pub mod class;
pub mod code;
pub mod explain;
pub mod matrix;
pub mod mock;
pub mod narrate;
pub mod quiz;
