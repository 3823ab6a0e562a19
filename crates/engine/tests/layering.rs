//! The engine's modules import each other in one direction only: no cycle. Read from the
//! source, so a `use crate::…` that points upwards fails here with the cycle it makes. A
//! folder under `src/` counts as one module (`lint/r03_….rs` and `lint/mod.rs` are `lint`);
//! `xtask/tests/layering.rs` holds every other crate of the workspace to the same, file by file.

#[path = "support/layering.rs"]
mod layering;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use layering::{Granularity, Imports};

/// Top module → the top modules it imports.
fn imports() -> Imports {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    Imports::read(&root, Granularity::TopModules)
}

fn top_modules() -> BTreeMap<String, BTreeSet<String>> {
    imports().level("crate")
}

#[test]
fn no_module_imports_upwards() {
    let graph = top_modules();
    // The reader must see the modules it judges: a folder it misses would pass unseen.
    for expected in [
        "text", "http", "model", "policy", "pipeline", "lint", "teach",
    ] {
        assert!(
            graph.contains_key(expected),
            "{expected} not found: {graph:?}"
        );
    }
    let cycles = imports().cycles();
    assert!(
        cycles.is_empty(),
        "import cycle: {}",
        cycles
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    );
}

#[test]
fn the_text_helpers_are_a_leaf() {
    let graph = top_modules();
    assert_eq!(graph.get("text"), Some(&BTreeSet::new()), "{graph:?}");
}
