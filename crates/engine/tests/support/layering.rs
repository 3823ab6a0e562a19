//! Import cycles between the modules of a crate, read from its sources. One copy for the two
//! layering tests: `crates/engine/tests/layering.rs` (the engine) and `xtask/tests/layering.rs`
//! (every crate of the workspace) compile it in with `#[path]`. Plain Rust: a few path forms
//! are all it reads, which a parser crate would not make shorter.
//!
//! A path that names a module of the crate is an import of the module file it resolves to:
//! `crate::a::b`, `super::x`, `self::y`, and in a `use` a submodule's bare name. A name a
//! module brings in with `use` is followed to where it comes from, so `super::X` that the
//! parent re-exports from a sibling counts as that sibling. Comments and strings are skipped;
//! an inline `mod tests { … }` belongs to its file, whose module its `super` is.
//!
//! At each level of the module tree, the submodules of one module (each standing for all that
//! is under it) must import each other in one direction only. A module using its own
//! submodules is not counted: that is how a folder's `mod.rs` or the crate root re-exports and
//! dispatches, and a submodule may use its parent's items without that making a circle.

// Each layering test uses its own subset of these helpers.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

/// How finely the modules of a crate are told apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Granularity {
    /// Only the modules right under the crate root: a folder under `src/` is one module.
    TopModules,
    /// Every module file, at every level: also the files of one folder, among themselves.
    Files,
}

/// One crate's imports, level by level of its module tree.
pub struct Imports {
    /// Level (a module, `crate` for the root) → its submodules → what each imports (a sibling,
    /// or the level's own module) → where that is first written, as `file:line`.
    levels: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
}

/// A circle of imports between the submodules of one module.
#[derive(Debug)]
pub struct Cycle {
    /// Starts and ends with the same module.
    pub modules: Vec<String>,
    /// Where each step is written, as `file:line`, one fewer than `modules`.
    pub places: Vec<String>,
}

impl fmt::Display for Cycle {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{} (at {})",
            self.modules.join(" → "),
            self.places.join(", ")
        )
    }
}

impl Imports {
    /// Reads every `.rs` file under `src`. The crate root is `lib.rs`, or else `main.rs`; a
    /// `main.rs` beside `lib.rs` and `src/bin/` are crates of their own, which reach this one
    /// by its name, never by `crate::`.
    pub fn read(src: &Path, granularity: Granularity) -> Imports {
        let mut sources = Vec::new();
        let mut folders = vec![src.to_path_buf()];
        while let Some(folder) = folders.pop() {
            let entries = std::fs::read_dir(&folder).unwrap_or_else(|error| {
                panic!("cannot list {}: {error}", folder.display());
            });
            for entry in entries.flatten() {
                let path = entry.path();
                let relative = path
                    .strip_prefix(src)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                if path.is_dir() {
                    if relative != "bin" {
                        folders.push(path);
                    }
                    continue;
                }
                if !relative.ends_with(".rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
                sources.push((relative, text));
            }
        }
        let sources: Vec<(&str, &str)> = sources
            .iter()
            .map(|(file, text)| (file.as_str(), text.as_str()))
            .collect();
        Imports::from_sources(&sources, granularity)
    }

    /// The imports of the files `sources` (path under `src/`, text).
    pub fn from_sources(sources: &[(&str, &str)], granularity: Granularity) -> Imports {
        let has_lib = sources.iter().any(|(file, _)| *file == "lib.rs");
        let files: Vec<(&str, ModulePath, Vec<Token>)> = sources
            .iter()
            .filter(|(file, _)| !(has_lib && *file == "main.rs"))
            .map(|(file, text)| (*file, module_of(file), tokens(text)))
            .collect();
        let modules: BTreeSet<ModulePath> = files
            .iter()
            .map(|(_, module, _)| module.clone())
            .chain([ModulePath::new()])
            .collect();
        let scans: Vec<(&str, &ModulePath, Scan)> = files
            .iter()
            .map(|(file, module, tokens)| (*file, module, scan(tokens, module, &modules)))
            .collect();
        let resolver = Resolver {
            scopes: scans
                .iter()
                .map(|(_, module, scan)| ((*module).clone(), scan.scope.clone()))
                .collect(),
            modules,
        };
        let mut imports = Imports {
            levels: BTreeMap::new(),
        };
        for (file, module, scan) in &scans {
            imports.add_module(module, granularity);
            for (line, path) in &scan.paths {
                let target = resolver.resolve(path);
                imports.add_import(module, &target, format!("{file}:{line}"), granularity);
            }
        }
        imports
    }

    /// The submodules of `module` (`crate` for the root) → what each of them imports.
    pub fn level(&self, module: &str) -> BTreeMap<String, BTreeSet<String>> {
        self.levels
            .get(module)
            .into_iter()
            .flatten()
            .map(|(from, targets)| (from.clone(), targets.keys().cloned().collect()))
            .collect()
    }

    /// One circle per level that has one.
    pub fn cycles(&self) -> Vec<Cycle> {
        let mut found = Vec::new();
        for graph in self.levels.values() {
            let mut done = BTreeSet::new();
            for module in graph.keys() {
                let Some(modules) = cycle(graph, module, &mut Vec::new(), &mut done) else {
                    continue;
                };
                let places = modules
                    .windows(2)
                    .map(|step| graph[&step[0]][&step[1]].clone())
                    .collect();
                found.push(Cycle { modules, places });
                break;
            }
        }
        found
    }

    fn add_module(&mut self, module: &[String], granularity: Granularity) {
        let depth = match granularity {
            Granularity::TopModules => module.len().min(1),
            Granularity::Files => module.len(),
        };
        for length in 0..depth {
            self.levels
                .entry(name(&module[..length]))
                .or_default()
                .entry(name(&module[..=length]))
                .or_default();
        }
    }

    /// Counts `source` → `target` at the level where they part: their deepest common module.
    fn add_import(
        &mut self,
        source: &[String],
        target: &[String],
        place: String,
        granularity: Granularity,
    ) {
        let common = source
            .iter()
            .zip(target)
            .take_while(|(left, right)| left == right)
            .count();
        // `target` is `source` itself or under it: a module using its own submodules.
        if common == source.len() {
            return;
        }
        if granularity == Granularity::TopModules && common > 0 {
            return;
        }
        let to = name(&target[..target.len().min(common + 1)]);
        self.levels
            .entry(name(&source[..common]))
            .or_default()
            .entry(name(&source[..=common]))
            .or_default()
            .entry(to)
            .or_insert(place);
    }
}

/// A module path, `["serve", "bridge"]`; the crate root is empty.
type ModulePath = Vec<String>;

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "crate".to_string()
    } else {
        module.join("::")
    }
}

/// `serve/bridge.rs` is `serve::bridge`, `serve/mod.rs` is `serve`, `lib.rs` the root.
fn module_of(file: &str) -> ModulePath {
    let mut module: ModulePath = file
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if module.len() == 1 && (module[0] == "lib" || module[0] == "main") {
        module.clear();
    }
    if module.last().is_some_and(|last| last == "mod") {
        module.pop();
    }
    module
}

/// A cycle through `node`, if there is one, as the path of modules.
fn cycle(
    graph: &BTreeMap<String, BTreeMap<String, String>>,
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
    for next in graph.get(node).into_iter().flat_map(BTreeMap::keys) {
        if let Some(found) = cycle(graph, next, path, done) {
            return Some(found);
        }
    }
    path.pop();
    done.insert(node.to_string());
    None
}

/// What one file names: every path into the crate (absolute, with its line) and what its
/// top-level `use`s bring into its scope (`None`: from outside the crate).
struct Scan {
    paths: Vec<(usize, ModulePath)>,
    scope: BTreeMap<String, Option<ModulePath>>,
}

fn scan(tokens: &[Token], module: &[String], modules: &BTreeSet<ModulePath>) -> Scan {
    let mut found = Scan {
        paths: Vec::new(),
        scope: BTreeMap::new(),
    };
    let mut depth = 0;
    // The inline modules the scan is in, with the brace depth inside each.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut pending_mod: Option<String> = None;
    let mut index = 0;
    while let Some(token) = tokens.get(index) {
        let is_use = token.kind == Kind::Ident("use".to_string());
        let starts_path = matches!(&token.kind, Kind::Ident(word) if ["crate", "super", "self"].contains(&word.as_str()))
            && kind(tokens, index + 1) == Some(&Kind::PathSep)
            && !is_visibility(tokens, index);
        match &token.kind {
            Kind::Punct('{') => {
                depth += 1;
                if let Some(name) = pending_mod.take() {
                    inline.push((name, depth));
                }
            }
            Kind::Punct('}') => {
                if inline.last().is_some_and(|(_, at)| *at == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Kind::Punct(';') => pending_mod = None,
            Kind::Ident(word) if word == "mod" => {
                if let Some(Kind::Ident(name)) = kind(tokens, index + 1) {
                    pending_mod = Some(name.clone());
                    index += 1;
                }
            }
            _ => {}
        }
        if !is_use && !starts_path {
            index += 1;
            continue;
        }
        let logical: ModulePath = module
            .iter()
            .cloned()
            .chain(inline.iter().map(|(name, _)| name.clone()))
            .collect();
        let mut leaves = Vec::new();
        let start = if is_use { index + 1 } else { index };
        let end = use_tree(tokens, start, Vec::new(), &mut leaves);
        for leaf in leaves {
            let path = absolute(&leaf.path, &logical, modules);
            if let Some(path) = &path {
                found.paths.push((token.line, path.clone()));
            }
            // Only a file's top-level `use`s are in the scope other modules can name.
            if is_use && depth == 0 {
                if let Some(name) = leaf.name {
                    found.scope.insert(name, path);
                }
            }
        }
        index = end.max(index + 1);
    }
    found
}

/// `crate` in `pub(in crate::a)` restricts visibility; it imports nothing.
fn is_visibility(tokens: &[Token], index: usize) -> bool {
    index >= 3
        && tokens[index - 1].kind == Kind::Ident("in".to_string())
        && tokens[index - 2].kind == Kind::Punct('(')
        && tokens[index - 3].kind == Kind::Ident("pub".to_string())
}

/// One path of a use tree, and the name it binds (`None` for a glob or `as _`).
struct Leaf {
    path: Vec<String>,
    name: Option<String>,
}

/// Reads a use tree (or a plain path) from `index` on, under `path`, into `leaves`;
/// returns the index after it.
fn use_tree(
    tokens: &[Token],
    mut index: usize,
    mut path: Vec<String>,
    leaves: &mut Vec<Leaf>,
) -> usize {
    if kind(tokens, index) == Some(&Kind::PathSep) {
        index += 1;
    }
    loop {
        match kind(tokens, index) {
            Some(Kind::Ident(segment)) => {
                path.push(segment.clone());
                index += 1;
                if kind(tokens, index) == Some(&Kind::PathSep) {
                    index += 1;
                    continue;
                }
                // `{self}` binds the name of the module before it.
                let mut name = path
                    .iter()
                    .rev()
                    .find(|segment| *segment != "self")
                    .cloned();
                if kind(tokens, index) == Some(&Kind::Ident("as".to_string())) {
                    name = match kind(tokens, index + 1) {
                        Some(Kind::Ident(alias)) if alias != "_" => Some(alias.clone()),
                        _ => None,
                    };
                    index += 2;
                }
                leaves.push(Leaf { path, name });
                return index;
            }
            Some(Kind::Punct('*')) => {
                leaves.push(Leaf { path, name: None });
                return index + 1;
            }
            Some(Kind::Punct('{')) => {
                index += 1;
                while let Some(next) = kind(tokens, index) {
                    match next {
                        Kind::Punct('}') => return index + 1,
                        Kind::Punct(',') => index += 1,
                        _ => index = use_tree(tokens, index, path.clone(), leaves).max(index + 1),
                    }
                }
                return index;
            }
            // The end of a plain path: `crate::x::f::<T>`, `super::Y;`.
            _ => {
                if !path.is_empty() {
                    let name = path.last().cloned();
                    leaves.push(Leaf { path, name });
                }
                return index;
            }
        }
    }
}

/// The absolute path `path` names when written in module `logical` (a file's module and the
/// inline modules around the path), or `None` when it leads out of the crate.
fn absolute(
    path: &[String],
    logical: &[String],
    modules: &BTreeSet<ModulePath>,
) -> Option<ModulePath> {
    let (first, rest) = path.split_first()?;
    let mut absolute = match first.as_str() {
        "crate" => ModulePath::new(),
        "self" => logical.to_vec(),
        "super" => {
            let mut base = logical.to_vec();
            base.pop()?;
            base
        }
        // A bare name is a submodule, or else something from outside the crate.
        _ => {
            let mut child = logical.to_vec();
            child.push(first.clone());
            if !modules.contains(&child) {
                return None;
            }
            child
        }
    };
    for segment in rest {
        match segment.as_str() {
            "super" => {
                absolute.pop()?;
            }
            "self" => {}
            _ => absolute.push(segment.clone()),
        }
    }
    Some(absolute)
}

struct Resolver {
    modules: BTreeSet<ModulePath>,
    scopes: BTreeMap<ModulePath, BTreeMap<String, Option<ModulePath>>>,
}

impl Resolver {
    /// The module file an absolute path leads to, following the `use`s that re-export a name.
    fn resolve(&self, path: &[String]) -> ModulePath {
        let mut path = path.to_vec();
        // A chain of re-exports is short; the bound only stops a circle of `use`s.
        for _ in 0..32 {
            let known = (0..=path.len())
                .rev()
                .find(|&length| self.modules.contains(&path[..length]))
                .unwrap_or(0);
            if known == path.len() {
                return path;
            }
            let source = self
                .scopes
                .get(&path[..known])
                .and_then(|scope| scope.get(&path[known]));
            match source {
                Some(Some(source)) if source[..] != path[..=known] => {
                    let mut next = source.clone();
                    next.extend_from_slice(&path[known + 1..]);
                    path = next;
                }
                _ => return path[..known].to_vec(),
            }
        }
        let known = (0..=path.len())
            .rev()
            .find(|&length| self.modules.contains(&path[..length]))
            .unwrap_or(0);
        path[..known].to_vec()
    }
}

struct Token {
    kind: Kind,
    line: usize,
}

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Ident(String),
    /// `::`
    PathSep,
    Punct(char),
}

fn kind(tokens: &[Token], index: usize) -> Option<&Kind> {
    tokens.get(index).map(|token| &token.kind)
}

/// The identifiers, `::` and punctuation of Rust source; comments, string and character
/// literals, lifetimes and numbers dropped.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut index = 0;
    while let Some(&character) = chars.get(index) {
        let next = chars.get(index + 1).copied();
        if character == '\n' {
            line += 1;
            index += 1;
        } else if character.is_whitespace() {
            index += 1;
        } else if character == '/' && next == Some('/') {
            while chars.get(index).is_some_and(|&character| character != '\n') {
                index += 1;
            }
        } else if character == '/' && next == Some('*') {
            index = skip_block_comment(&chars, index, &mut line);
        } else if character == '"' {
            index = skip_string(&chars, index + 1, &mut line);
        } else if character == '\'' {
            index = skip_quote(&chars, index);
        } else if character == ':' && next == Some(':') {
            tokens.push(Token {
                kind: Kind::PathSep,
                line,
            });
            index += 2;
        } else if character.is_ascii_digit() {
            while chars
                .get(index)
                .is_some_and(|&character| character.is_alphanumeric() || character == '_')
            {
                index += 1;
            }
        } else if character.is_alphabetic() || character == '_' {
            let start = index;
            index = skip_word(&chars, index);
            let word: String = chars[start..index].iter().collect();
            let hashes = chars[index..]
                .iter()
                .take_while(|&&character| character == '#')
                .count();
            let after = chars.get(index + hashes).copied();
            match (word.as_str(), chars.get(index).copied()) {
                ("r" | "br" | "cr", Some('"' | '#')) if after == Some('"') => {
                    index = skip_raw_string(&chars, index + hashes + 1, hashes, &mut line);
                }
                // A raw identifier, `r#type`.
                ("r", Some('#')) if hashes == 1 => {
                    let start = index + 1;
                    index = skip_word(&chars, start);
                    tokens.push(Token {
                        kind: Kind::Ident(chars[start..index].iter().collect()),
                        line,
                    });
                }
                ("b" | "c", Some('"')) => index = skip_string(&chars, index + 1, &mut line),
                ("b", Some('\'')) => index = skip_quote(&chars, index),
                _ => tokens.push(Token {
                    kind: Kind::Ident(word),
                    line,
                }),
            }
        } else {
            tokens.push(Token {
                kind: Kind::Punct(character),
                line,
            });
            index += 1;
        }
    }
    tokens
}

fn skip_word(chars: &[char], mut index: usize) -> usize {
    while chars
        .get(index)
        .is_some_and(|&character| character.is_alphanumeric() || character == '_')
    {
        index += 1;
    }
    index
}

/// From `/*` to past its `*/`; block comments nest.
fn skip_block_comment(chars: &[char], mut index: usize, line: &mut usize) -> usize {
    let mut nesting = 0;
    while let Some(&character) = chars.get(index) {
        let next = chars.get(index + 1).copied();
        if character == '/' && next == Some('*') {
            nesting += 1;
            index += 2;
        } else if character == '*' && next == Some('/') {
            nesting -= 1;
            index += 2;
            if nesting == 0 {
                break;
            }
        } else {
            if character == '\n' {
                *line += 1;
            }
            index += 1;
        }
    }
    index
}

/// From just after the opening `"` to past the closing one.
fn skip_string(chars: &[char], mut index: usize, line: &mut usize) -> usize {
    while let Some(&character) = chars.get(index) {
        match character {
            '\\' => {
                if chars.get(index + 1) == Some(&'\n') {
                    *line += 1;
                }
                index += 2;
            }
            '"' => return index + 1,
            _ => {
                if character == '\n' {
                    *line += 1;
                }
                index += 1;
            }
        }
    }
    index
}

/// From just after `r#…"` to past the `"` and as many `#`.
fn skip_raw_string(chars: &[char], mut index: usize, hashes: usize, line: &mut usize) -> usize {
    while let Some(&character) = chars.get(index) {
        if character == '"'
            && chars[index + 1..]
                .iter()
                .take(hashes)
                .filter(|&&character| character == '#')
                .count()
                == hashes
        {
            return index + 1 + hashes;
        }
        if character == '\n' {
            *line += 1;
        }
        index += 1;
    }
    index
}

/// At a `'`: past a character literal (`'x'`, `'\''`, `'\u{1F600}'`), or past the `'` of a
/// lifetime, whose name is then read as a word.
fn skip_quote(chars: &[char], index: usize) -> usize {
    if chars.get(index + 1) == Some(&'\\') {
        let mut end = index + 3;
        while chars.get(end).is_some_and(|&character| character != '\'') {
            end += 1;
        }
        return end + 1;
    }
    if chars.get(index + 2) == Some(&'\'') {
        return index + 3;
    }
    index + 1
}
