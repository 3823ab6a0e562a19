//! No crate of the workspace has an import circle between its modules. The crates are read
//! from the workspace's `Cargo.toml`, so a new member is checked without a line here; each is
//! read from its sources with the engine's layering helper, which names every circle it finds.
//!
//! The engine is held per top module (a folder under `src/` is one module), as its own test
//! `crates/engine/tests/layering.rs` and ARCHITECTURE.md state it; every other crate file by
//! file, at every level of its module tree, so two files of one folder that import each other
//! (through `super::` or `crate::folder::…`) fail too.

#[path = "../../crates/engine/tests/support/layering.rs"]
mod layering;

use std::path::{Path, PathBuf};

use layering::{Granularity, Imports};

/// How finely a package's modules are told apart.
fn granularity(package: &str) -> Granularity {
    match package {
        "authpath-engine" => Granularity::TopModules,
        _ => Granularity::Files,
    }
}

/// Every package of the workspace, the root one first: its name and its `src/` folder.
fn packages() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is a folder of the workspace");
    let manifest = |folder: &Path| -> toml::Table {
        let path = folder.join("Cargo.toml");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        toml::from_str(&text)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
    };
    let workspace = manifest(root);
    let members = workspace["workspace"]["members"]
        .as_array()
        .expect("workspace.members is a list")
        .iter()
        .map(|member| member.as_str().expect("a member is a folder"));
    std::iter::once(".")
        .chain(members)
        .map(|member| {
            let folder = root.join(member);
            let name = manifest(&folder)["package"]["name"]
                .as_str()
                .expect("package.name is a string")
                .to_string();
            (name, folder.join("src"))
        })
        .collect()
}

/// An import per crate the reader must see (package, level, from, to): one written with
/// `super::`, one with `crate::folder::file`, so a reader that misses them fails here
/// instead of passing every crate unseen.
const SEEN: [(&str, &str, &str, &str); 4] = [
    ("authpath", "views", "views::policy", "views::policy_row"),
    (
        "authpath-cli",
        "serve",
        "serve::bridge",
        "serve::evaluation",
    ),
    ("authpath-engine", "crate", "teach", "pipeline"),
    ("xtask", "crate", "test", "command"),
];

#[test]
fn no_crate_has_an_import_cycle() {
    let packages = packages();
    let mut cycles = Vec::new();
    for (package, level, from, to) in SEEN {
        let (_, src) = packages
            .iter()
            .find(|(name, _)| name == package)
            .unwrap_or_else(|| panic!("{package} is not in the workspace: {packages:?}"));
        let graph = Imports::read(src, granularity(package)).level(level);
        assert!(
            graph.get(from).is_some_and(|targets| targets.contains(to)),
            "{package}: {from} → {to} not seen: {graph:?}"
        );
    }
    for (package, src) in &packages {
        for cycle in Imports::read(src, granularity(package)).cycles() {
            cycles.push(format!("{package}: {cycle}"));
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

/// What the reader must count as a circle, and what not: each case is a crate's files (path
/// under `src/`, text) and the circle expected, `None` for none.
#[test]
fn the_reader_sees_each_way_of_writing_a_circle() {
    type Case = (
        &'static str,
        &'static [(&'static str, &'static str)],
        Option<&'static str>,
    );
    let cases: [Case; 9] = [
        (
            "siblings through super::",
            &[
                ("lib.rs", "mod serve;"),
                ("serve/mod.rs", "mod a; mod b;"),
                ("serve/a.rs", "use super::b::X;"),
                ("serve/b.rs", "use super::{a::Y, Z};"),
            ],
            Some("serve::a → serve::b → serve::a"),
        ),
        (
            "siblings through crate::folder::file, in code",
            &[
                ("lib.rs", "pub mod views;"),
                ("views/mod.rs", "pub mod p; pub mod q;"),
                ("views/p.rs", "fn f() { crate::views::q::g() }"),
                ("views/q.rs", "use crate::views::p::{self};"),
            ],
            Some("views::p → views::q → views::p"),
        ),
        (
            "through a name the parent re-exports",
            &[
                ("lib.rs", "mod serve;"),
                (
                    "serve/mod.rs",
                    "mod a; mod b; pub(crate) use a::X as Shared;",
                ),
                ("serve/a.rs", "use super::b::Y;"),
                ("serve/b.rs", "use super::Shared;"),
            ],
            Some("serve::a → serve::b → serve::a"),
        ),
        (
            "across folders, through different files",
            &[
                ("main.rs", "mod a; mod b;"),
                ("a/mod.rs", "mod x; mod w;"),
                ("a/x.rs", "use crate::b::y::Y;"),
                ("b/mod.rs", "mod y; mod z;"),
                ("b/z.rs", "use crate::a::w::W;"),
            ],
            Some("a → b → a"),
        ),
        (
            "a test module's super:: is its own file; super::super:: is not",
            &[
                ("lib.rs", "mod serve;"),
                ("serve/mod.rs", "mod a; mod b;"),
                (
                    "serve/a.rs",
                    "#[cfg(test)] mod tests { use super::*; use super::super::b::Z; }",
                ),
                ("serve/b.rs", "use super::a::Y;"),
            ],
            Some("serve::a → serve::b → serve::a"),
        ),
        (
            "a parent and its child may use each other",
            &[
                (
                    "lib.rs",
                    "pub mod serve; pub use serve::run; pub struct Failure;",
                ),
                (
                    "serve/mod.rs",
                    "mod a; pub use a::run; pub const PATH: &str = \"/\";",
                ),
                (
                    "serve/a.rs",
                    "use super::PATH; use crate::Failure; pub fn run() {}",
                ),
            ],
            None,
        ),
        (
            "comments, strings and pub(in …) import nothing",
            &[
                ("lib.rs", "mod serve;"),
                ("serve/mod.rs", "mod a; mod b;"),
                (
                    "serve/a.rs",
                    "// use super::b::X;\n/* super::b /* nested */ super::b */\n\
                     const S: &str = \"super::b::X\"; const R: &str = r#\"super::b\"#;\n\
                     const C: char = '\"'; pub(in crate::serve) fn f<'a>() {}",
                ),
                ("serve/b.rs", "use super::a::Y;"),
            ],
            None,
        ),
        (
            "a test module that names a sibling is part of its file",
            &[
                ("lib.rs", "mod serve;"),
                ("serve/mod.rs", "mod a; mod b;"),
                ("serve/a.rs", "mod tests { use crate::serve::b::Z; }"),
                ("serve/b.rs", "pub(super) fn f() { super::a::g() }"),
            ],
            Some("serve::a → serve::b → serve::a"),
        ),
        (
            "a folder is one module at the top level",
            &[
                ("lib.rs", "mod lint; mod model;"),
                ("lint/mod.rs", "mod r01;"),
                ("lint/r01.rs", "use crate::model::Rule;"),
                ("model.rs", "use crate::lint::RULES;"),
            ],
            Some("lint → model → lint"),
        ),
    ];
    for (what, sources, expected) in cases {
        for granularity in [Granularity::Files, Granularity::TopModules] {
            let found: Vec<String> = Imports::from_sources(sources, granularity)
                .cycles()
                .iter()
                .map(|cycle| cycle.modules.join(" → "))
                .collect();
            // Per top module, a circle inside one folder is not one.
            let expected =
                expected.filter(|cycle| granularity == Granularity::Files || !cycle.contains("::"));
            assert_eq!(
                found,
                expected.into_iter().map(str::to_string).collect::<Vec<_>>(),
                "{what} ({granularity:?})"
            );
        }
    }
}
