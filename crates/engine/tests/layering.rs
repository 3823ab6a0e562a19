//! The engine's modules import each other in one direction only: no cycle. Read from the
//! source, so a `use crate::…` that points upwards fails here with the cycle it makes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The module a source file belongs to: `lint/r03_….rs` and `lint/mod.rs` are both `lint`.
fn module_of(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

/// Module → the modules it names as `crate::name`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut folders = vec![root.clone()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder).unwrap_or_else(|error| {
            panic!("cannot list {}: {error}", folder.display());
        });
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().and_then(|ext| ext.to_str()) != Some("rs") {
                continue;
            }
            let relative = path.strip_prefix(&root).unwrap_or(&path);
            let Some(module) = module_of(relative) else {
                continue;
            };
            if module == "lib" {
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
            let targets = graph.entry(module.clone()).or_default();
            for (index, _) in text.match_indices("crate::") {
                let name: String = text[index + "crate::".len()..]
                    .chars()
                    .take_while(|character| character.is_ascii_alphanumeric() || *character == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    targets.insert(name);
                }
            }
        }
    }
    graph
}

/// A cycle through `start`, if there is one, as the path of modules.
fn cycle(
    graph: &BTreeMap<String, BTreeSet<String>>,
    node: &str,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(position) = path.iter().position(|seen| seen == node) {
        let mut found = path[position..].to_vec();
        found.push(node.to_string());
        return Some(found);
    }
    if done.contains(node) {
        return None;
    }
    path.push(node.to_string());
    for next in graph.get(node).into_iter().flatten() {
        if let Some(found) = cycle(graph, next, path, done) {
            return Some(found);
        }
    }
    path.pop();
    done.insert(node.to_string());
    None
}

#[test]
fn no_module_imports_upwards() {
    let graph = imports();
    // The reader must see the modules it judges: a folder it misses would pass unseen.
    for expected in [
        "text", "http", "model", "policy", "pipeline", "lint", "teach",
    ] {
        assert!(
            graph.contains_key(expected),
            "{expected} not found: {graph:?}"
        );
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        if let Some(found) = cycle(&graph, module, &mut Vec::new(), &mut done) {
            panic!("import cycle: {}", found.join(" → "));
        }
    }
}

#[test]
fn the_text_helpers_are_a_leaf() {
    let graph = imports();
    assert_eq!(graph.get("text"), Some(&BTreeSet::new()), "{graph:?}");
}
