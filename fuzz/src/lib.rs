//! The fuzz targets' shared harness (see `harness.rs`) and the JSON module's differential check
//! (`json.rs`).

pub mod harness;
pub mod json;
