//! The requests of a probe as several identities.

use serde::{Deserialize, Serialize};

use super::stand_in::{verdict, May, Verdict};
use super::who::{under, Credential, Identity, Who, ANONYMOUS};
use crate::model::Scenario;
use crate::policy::{fill_pattern, match_path, Access, Route};

/// What to plan besides the policy and the identities.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Send the requests of unsafe methods (POST, PUT, PATCH, DELETE) too; without it they
    /// are planned, and skipped.
    pub send_unsafe: bool,
    /// Only the policy's routes of this method (and the method of each path in `paths`).
    pub method: Option<String>,
    /// Paths to probe instead of the policy's routes (each owned object is probed besides).
    pub paths: Vec<String>,
}

/// The request set, in the order to send it, and what was left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Anonymous first, then the identities in the file's order.
    pub who: Vec<Who>,
    /// What each of `who` sends, by the same index: the secrets, for the caller to
    /// send and to withhold from every report.
    pub credentials: Vec<Vec<Credential>>,
    /// The requests to send.
    pub cells: Vec<Cell>,
    /// The requests of unsafe methods, without `Options::send_unsafe`.
    pub skipped: Vec<Cell>,
}

/// One request of the plan: an identity, a method and a concrete path, why it is asked, and
/// whether the identity may.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// The identity's name ([`ANONYMOUS`] for none).
    pub identity: String,
    pub method: String,
    pub path: String,
    /// The operation it exercises: the route (`GET /users/{id}/notes`), or the method and
    /// path where the policy has none.
    pub operation: String,
    pub purpose: Purpose,
    /// Whether the object exists: `true` for a path without parameters, an owned object and
    /// what its id fills in; `false` for the neighbouring id; `None` for a made-up value.
    pub exists: Option<bool>,
    pub verdict: Verdict,
}

/// Why a request is in the plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Purpose {
    /// An operation as this identity.
    Operation,
    /// An object another identity owns.
    Object { owner: String },
    /// A neighbouring id that does not exist, next to `object`: its answer is compared with
    /// the answer to `object` for the same identity.
    Missing { owner: String, object: String },
    /// A method the path does not declare, as the most privileged identity.
    Undeclared,
}

/// The methods tried on a path that does not declare them.
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// GET, HEAD, OPTIONS and TRACE (RFC 9110 §9.2.1): sent without `--unsafe`.
pub fn is_safe(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS" | "TRACE")
}

/// One operation: a route of the policy, or a path given.
struct Operation<'a> {
    method: String,
    pattern: String,
    route: Option<&'a Route>,
}

/// The plan for `identities` against `scenario`'s policy (its claim layout reads their
/// tokens):
///
/// 1. every operation (each route, or each path of `options`) as every identity, anonymous
///    first, on the identity's own object where the route's rule is ownership;
/// 2. every object an identity owns, with each route whose pattern it matches (GET where none
///    does), as every other identity;
/// 3. for each of those an identity may not read, the same method on a neighbouring id no
///    one owns ([`neighbour`]), as that identity;
/// 4. each method of GET, POST, PUT, PATCH and DELETE that a path does not declare, as the
///    identity that may make the most of step 1.
///
/// Each request once; unsafe methods after the safe ones, DELETE last (the identities that
/// may not before the ones that may), and only with `send_unsafe`. An error names an identity
/// named twice or `anonymous`.
pub fn plan(
    scenario: &Scenario,
    identities: &[Identity],
    options: &Options,
) -> Result<Plan, String> {
    let policy = &scenario.policy;
    let mut who = vec![Who::anonymous()];
    let mut credentials = vec![Vec::new()];
    for identity in identities {
        if identity.name == ANONYMOUS {
            return Err(format!(
                "{ANONYMOUS} is the identity without credentials, always probed: name the table otherwise"
            ));
        }
        if who.iter().any(|known| known.name == identity.name) {
            return Err(format!("the identity {} is named twice", identity.name));
        }
        who.push(identity.who(policy, &scenario.claims));
        credentials.push(identity.credentials.clone());
    }
    let operations: Vec<Operation> = if options.paths.is_empty() {
        policy
            .routes
            .iter()
            .filter(|route| {
                options
                    .method
                    .as_ref()
                    .is_none_or(|method| route.method == *method)
            })
            .map(|route| Operation {
                method: route.method.clone(),
                pattern: route.path.clone(),
                route: Some(route),
            })
            .collect()
    } else {
        options
            .paths
            .iter()
            .map(|path| Operation {
                method: options.method.clone().unwrap_or_else(|| "GET".to_string()),
                pattern: path.clone(),
                route: None,
            })
            .collect()
    };
    let mut planner = Planner {
        scenario,
        who: &who,
        cells: Vec::new(),
    };
    // 1. Every operation as every identity.
    for operation in &operations {
        for identity in &who {
            let (path, exists) = bind(operation, identity, &who);
            let label = format!("{} {}", operation.method, operation.pattern);
            planner.add(
                identity,
                &operation.method,
                &path,
                &label,
                Purpose::Operation,
                exists,
            );
        }
    }
    // 2. Every owned object as every other identity.
    let mut objects: Vec<Object> = Vec::new();
    for owner in who.iter().skip(1) {
        for object in &owner.owns {
            let routes: Vec<(String, String)> = policy
                .routes
                .iter()
                .filter(|route| match_path(&route.path, object).is_some())
                .filter(|route| {
                    options
                        .method
                        .as_ref()
                        .is_none_or(|method| route.method == *method)
                })
                .map(|route| {
                    (
                        route.method.clone(),
                        format!("{} {}", route.method, route.path),
                    )
                })
                .collect();
            let routes = if routes.is_empty() {
                // The policy has no route for it: its owner reads it too, to compare with.
                let label = format!("GET {object}");
                planner.add(owner, "GET", object, &label, Purpose::Operation, Some(true));
                vec![("GET".to_string(), label)]
            } else {
                routes
            };
            for (method, label) in &routes {
                for identity in who.iter().filter(|identity| identity.name != owner.name) {
                    let purpose = Purpose::Object {
                        owner: owner.name.clone(),
                    };
                    planner.add(identity, method, object, label, purpose, Some(true));
                }
            }
            objects.push((owner, object, routes));
        }
    }
    // 3. A neighbouring id that does not exist, as each identity refused the object.
    let owned: Vec<&String> = who.iter().flat_map(|identity| &identity.owns).collect();
    for (owner, object, routes) in &objects {
        for (method, label) in routes.iter().filter(|(method, _)| is_safe(method)) {
            let pattern = label.split_once(' ').map(|(_, pattern)| pattern);
            let missing = neighbour(object, pattern, &owned);
            for identity in who
                .iter()
                .skip(1)
                .filter(|identity| identity.name != owner.name)
            {
                let refused = planner
                    .find(&identity.name, method, object)
                    .is_some_and(|cell| cell.verdict.may == May::No);
                if refused {
                    let purpose = Purpose::Missing {
                        owner: owner.name.clone(),
                        object: object.to_string(),
                    };
                    planner.add(identity, method, &missing, label, purpose, Some(false));
                }
            }
        }
    }
    // 4. Each method a path does not declare, as the most privileged identity.
    if let Some(privileged) = most_privileged(&planner.cells, &who) {
        let mut patterns: Vec<&Operation> = Vec::new();
        for operation in operations
            .iter()
            .filter(|operation| operation.route.is_some())
        {
            if !patterns
                .iter()
                .any(|known| known.pattern == operation.pattern)
            {
                patterns.push(operation);
            }
        }
        for operation in patterns {
            let (path, exists) = bind(operation, privileged, &who);
            for method in METHODS {
                let declared = policy
                    .routes
                    .iter()
                    .any(|route| route.path == operation.pattern && route.method == method);
                if !declared {
                    let label = format!("{method} {}", operation.pattern);
                    planner.add(
                        privileged,
                        method,
                        &path,
                        &label,
                        Purpose::Undeclared,
                        exists,
                    );
                }
            }
        }
    }
    let mut cells = planner.cells;
    // Safe methods first, DELETE last, and among the DELETEs those the identity may last, so
    // that what a DELETE removes is asked for before.
    cells.sort_by_key(|cell| {
        let class = match cell.method.as_str() {
            method if is_safe(method) => 0,
            "DELETE" => 2,
            _ => 1,
        };
        (class, class == 2 && cell.verdict.may == May::Yes)
    });
    let (cells, skipped) = cells
        .into_iter()
        .partition(|cell| options.send_unsafe || is_safe(&cell.method));
    Ok(Plan {
        who,
        credentials,
        cells,
        skipped,
    })
}

/// An owned object, its owner and the routes that take it, as `(method, operation)`.
type Object<'a> = (&'a Who, &'a String, Vec<(String, String)>);

/// The cells as they are planned, each request once.
struct Planner<'a> {
    scenario: &'a Scenario,
    who: &'a [Who],
    cells: Vec<Cell>,
}

impl Planner<'_> {
    fn find(&self, identity: &str, method: &str, path: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|cell| cell.identity == identity && cell.method == method && cell.path == path)
    }

    fn add(
        &mut self,
        identity: &Who,
        method: &str,
        path: &str,
        operation: &str,
        purpose: Purpose,
        exists: Option<bool>,
    ) {
        if self.find(&identity.name, method, path).is_some() {
            return;
        }
        // A neighbouring id is judged as the object beside it: its owner's kind of object.
        let neighbour_of = match &purpose {
            Purpose::Missing { owner, .. } => self.who.iter().find(|who| who.name == *owner),
            _ => None,
        };
        let owner = self
            .who
            .iter()
            .filter(|candidate| candidate.owns(path))
            .find(|candidate| candidate.name == identity.name)
            .or_else(|| self.who.iter().find(|candidate| candidate.owns(path)))
            .or(neighbour_of);
        self.cells.push(Cell {
            identity: identity.name.clone(),
            method: method.to_string(),
            path: path.to_string(),
            operation: operation.to_string(),
            purpose,
            exists,
            verdict: verdict(self.scenario, identity, owner, method, path),
        });
    }
}

/// The concrete path of an operation for `identity`, and whether it is known to exist. A path
/// without parameters is itself. An ownership route: the identity's own object that the
/// pattern matches, else its subject (or name) filled in; anonymous takes the first
/// identity's. Any other route: the first owned object the pattern matches, or the start of
/// one (`/users/{id}` in `/users/alice/notes`), else the first identity's subject.
fn bind(operation: &Operation, identity: &Who, who: &[Who]) -> (String, Option<bool>) {
    let pattern = operation.pattern.as_str();
    if !pattern.contains('{') {
        return (pattern.to_string(), Some(true));
    }
    let matching = |owner: &Who| -> Option<String> {
        owner
            .owns
            .iter()
            .find(|object| match_path(pattern, object).is_some())
            .cloned()
    };
    let starting = |owner: &Who| -> Option<String> {
        let depth = pattern.split('/').count();
        owner.owns.iter().find_map(|object| {
            let start: Vec<&str> = object.split('/').take(depth).collect();
            let start = start.join("/");
            (start.split('/').count() == depth && match_path(pattern, &start).is_some())
                .then_some(start)
        })
    };
    let filled = |owner: &Who| {
        fill_pattern(
            pattern,
            owner.subject.as_deref().unwrap_or(owner.name.as_str()),
        )
    };
    let first = who.iter().find(|candidate| !candidate.is_anonymous());
    let owner_rule = operation
        .route
        .is_some_and(|route| matches!(route.access, Access::Owner(_)));
    if owner_rule {
        let own = if identity.is_anonymous() {
            first
        } else {
            Some(identity)
        };
        let Some(own) = own else {
            return (fill_pattern(pattern, "authpath-probe"), None);
        };
        return match matching(own) {
            Some(object) => (object, Some(true)),
            None => (filled(own), None),
        };
    }
    let owners = std::iter::once(identity).chain(who.iter());
    if let Some(object) = owners.clone().find_map(matching) {
        return (object, Some(true));
    }
    if let Some(start) = owners.clone().find_map(starting) {
        return (start, Some(true));
    }
    match first {
        Some(first) => (filled(first), None),
        None => (fill_pattern(pattern, "authpath-probe"), None),
    }
}

/// The identity that may make the most of the planned operations, the first of them on a
/// tie; `None` without identities.
fn most_privileged<'a>(cells: &[Cell], who: &'a [Who]) -> Option<&'a Who> {
    let allowed = |identity: &Who| {
        cells
            .iter()
            .filter(|cell| {
                cell.identity == identity.name
                    && cell.purpose == Purpose::Operation
                    && cell.verdict.may == May::Yes
            })
            .count()
    };
    let mut best: Option<(&Who, usize)> = None;
    for identity in who.iter().filter(|identity| !identity.is_anonymous()) {
        let count = allowed(identity);
        if best.is_none_or(|(_, most)| count > most) {
            best = Some((identity, count));
        }
    }
    best.map(|(identity, _)| identity)
}

/// A neighbouring id of `object` that likely names nothing: the segment of the pattern's
/// last parameter (or the last segment) changed so that it keeps its shape. Up to 9 digits
/// get 9s after them to 9 digits (`17` → `179999999`, still a 32-bit integer, far from the
/// ids in use); anything else its last letter or digit moved on by one (`alice` → `alicf`,
/// a UUID's last hex digit). An id equal to one in `taken` moves on again.
pub fn neighbour(object: &str, pattern: Option<&str>, taken: &[&String]) -> String {
    let segments: Vec<&str> = object.split('/').collect();
    let index = pattern
        .and_then(|pattern| {
            pattern
                .split('/')
                .enumerate()
                .filter(|(_, segment)| segment.starts_with('{') && segment.ends_with('}'))
                .map(|(index, _)| index)
                .last()
        })
        .filter(|index| *index < segments.len())
        .or_else(|| segments.iter().rposition(|segment| !segment.is_empty()))
        .unwrap_or(0);
    let id = segments.get(index).copied().unwrap_or_default();
    let mut changed =
        if !id.is_empty() && id.len() < 9 && id.bytes().all(|byte| byte.is_ascii_digit()) {
            format!("{id}{}", "9".repeat(9 - id.len()))
        } else {
            moved_on(id)
        };
    let path_with = |value: &str| {
        let mut parts = segments.clone();
        if let Some(segment) = parts.get_mut(index) {
            *segment = value;
        }
        parts.join("/")
    };
    // Bounded: at most a few steps past the owned ids.
    for _ in 0..=taken.len() {
        let path = path_with(&changed);
        let clashes = taken
            .iter()
            .any(|object| under(&path, object) || under(object, &path));
        if !clashes {
            return path;
        }
        changed = moved_on(&changed);
    }
    path_with(&changed)
}

/// `id` with its last ASCII letter or digit moved on by one (`z` → `a`, `9` → `0`), or `0`
/// added where it has none.
fn moved_on(id: &str) -> String {
    let mut characters: Vec<char> = id.chars().collect();
    let last = characters
        .iter()
        .rposition(|character| character.is_ascii_alphanumeric());
    match last.and_then(|index| characters.get_mut(index)) {
        Some(character) => {
            *character = match *character {
                '9' => '0',
                'z' => 'a',
                'Z' => 'A',
                other => char::from(u8::try_from(u32::from(other) + 1).unwrap_or(b'0')),
            };
            characters.into_iter().collect()
        }
        None => format!("{id}0"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    fn basic(name: &str, role: &str, owns: &[&str]) -> Identity {
        Identity {
            name: name.to_string(),
            credentials: vec![Credential::Basic {
                user: name.to_string(),
                password: format!("{name}-pw"),
            }],
            role: Some(role.to_string()),
            scopes: Some(Vec::new()),
            owns: owns.iter().map(|path| path.to_string()).collect(),
        }
    }

    fn identities() -> Vec<Identity> {
        vec![
            basic("alice", "user", &["/users/alice/notes"]),
            basic("bob", "user", &["/users/bob/notes"]),
            basic("carol", "admin", &[]),
        ]
    }

    fn cells<'a>(plan: &'a Plan, identity: &str) -> Vec<(&'a str, &'a str)> {
        plan.cells
            .iter()
            .filter(|cell| cell.identity == identity)
            .map(|cell| (cell.method.as_str(), cell.path.as_str()))
            .collect()
    }

    #[test]
    fn every_operation_as_every_identity_on_its_own_object() {
        let scenario = Scenario::default();
        let plan = plan(&scenario, &identities(), &Options::default()).unwrap_or_default();
        assert_eq!(
            plan.who
                .iter()
                .map(|who| who.name.as_str())
                .collect::<Vec<_>>(),
            ["anonymous", "alice", "bob", "carol"]
        );
        // Each safe route of the demo policy once per identity: alice on her own notes.
        for route in Policy::default_api()
            .routes
            .iter()
            .filter(|route| is_safe(&route.method))
        {
            for who in &plan.who {
                let found = plan.cells.iter().any(|cell| {
                    cell.identity == who.name
                        && cell.operation == format!("{} {}", route.method, route.path)
                });
                assert!(found, "{} {} as {}", route.method, route.path, who.name);
            }
        }
        assert!(cells(&plan, "alice").contains(&("GET", "/users/alice/notes")));
        assert!(cells(&plan, "bob").contains(&("GET", "/users/bob/notes")));
        // Another's object as every other identity, and a neighbouring id as each refused.
        assert!(cells(&plan, "bob").contains(&("GET", "/users/alice/notes")));
        assert!(cells(&plan, "anonymous").contains(&("GET", "/users/bob/notes")));
        assert!(cells(&plan, "bob").contains(&("GET", "/users/alicf/notes")));
        // carol may read anyone's notes: no neighbour for her to compare.
        assert!(!cells(&plan, "carol").contains(&("GET", "/users/alicf/notes")));
        // Without --unsafe the DELETE and POST routes are skipped, not sent.
        assert!(plan.cells.iter().all(|cell| is_safe(&cell.method)));
        assert!(plan.skipped.iter().any(|cell| cell.method == "DELETE"));
        // Undeclared methods as the most privileged identity, carol.
        let undeclared: Vec<&Cell> = plan
            .cells
            .iter()
            .chain(&plan.skipped)
            .filter(|cell| cell.purpose == Purpose::Undeclared)
            .collect();
        assert!(!undeclared.is_empty());
        assert!(undeclared.iter().all(|cell| cell.identity == "carol"
            && cell.verdict.may == May::No
            && cell.verdict.expected == [405]));
        assert!(undeclared
            .iter()
            .any(|cell| cell.method == "GET" && cell.path == "/users/alice"));
        // Each request once.
        let mut keys: Vec<(&str, &str, &str)> = plan
            .cells
            .iter()
            .chain(&plan.skipped)
            .map(|cell| {
                (
                    cell.identity.as_str(),
                    cell.method.as_str(),
                    cell.path.as_str(),
                )
            })
            .collect();
        let count = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), count);
    }

    #[test]
    fn unsafe_methods_go_last_and_deletes_that_may_last_of_all() {
        let scenario = Scenario::default();
        let options = Options {
            send_unsafe: true,
            ..Options::default()
        };
        let plan = plan(&scenario, &identities(), &options).unwrap_or_default();
        assert!(plan.skipped.is_empty());
        let classes: Vec<u8> = plan
            .cells
            .iter()
            .map(|cell| match cell.method.as_str() {
                method if is_safe(method) => 0,
                "DELETE" if cell.verdict.may == May::Yes => 3,
                "DELETE" => 2,
                _ => 1,
            })
            .collect();
        let mut sorted = classes.clone();
        sorted.sort_unstable();
        assert_eq!(classes, sorted);
        assert!(classes.contains(&3), "carol may DELETE /users/…");
    }

    #[test]
    fn names_are_checked() {
        let scenario = Scenario::default();
        let twice = [basic("a", "user", &[]), basic("a", "user", &[])];
        assert!(plan(&scenario, &twice, &Options::default())
            .is_err_and(|error| error.contains("twice")));
        let anonymous = [basic(ANONYMOUS, "user", &[])];
        assert!(plan(&scenario, &anonymous, &Options::default()).is_err());
    }

    /// An object the policy has no route for is probed with GET, as its owner and as every
    /// other identity.
    #[test]
    fn an_object_the_policy_lacks_is_probed_with_get() {
        let scenario = Scenario::default();
        let identities = [
            basic("alice", "user", &["/orders/17"]),
            basic("bob", "user", &[]),
        ];
        let plan = plan(&scenario, &identities, &Options::default()).unwrap_or_default();
        for (identity, path, may) in [
            ("alice", "/orders/17", May::Yes),
            ("bob", "/orders/17", May::No),
            ("anonymous", "/orders/17", May::No),
            ("bob", "/orders/179999999", May::No),
        ] {
            let cell = plan
                .cells
                .iter()
                .find(|cell| cell.identity == identity && cell.path == path);
            assert_eq!(
                cell.map(|cell| cell.verdict.may),
                Some(may),
                "{identity} {path}"
            );
        }
    }

    #[test]
    fn a_neighbour_keeps_the_shape_and_names_nothing_owned() {
        let alice = "/users/alice/notes".to_string();
        let alicf = "/users/alicf/notes".to_string();
        let cases: &[(&str, Option<&str>, &[&String], &str)] = &[
            ("/orders/17", Some("/orders/{id}"), &[], "/orders/179999999"),
            ("/orders/17", None, &[], "/orders/179999999"),
            (
                "/users/alice/notes",
                Some("/users/{id}/notes"),
                &[],
                "/users/alicf/notes",
            ),
            (
                "/users/alice/notes",
                Some("/users/{id}/notes"),
                &[&alice, &alicf],
                "/users/alicg/notes",
            ),
            ("/docs/3f2a-99", Some("/docs/{id}"), &[], "/docs/3f2a-90"),
            (
                "/docs/123456789",
                Some("/docs/{id}"),
                &[],
                "/docs/123456780",
            ),
            ("/docs/z", Some("/docs/{id}"), &[], "/docs/a"),
            ("/docs/-", Some("/docs/{id}"), &[], "/docs/-0"),
        ];
        for (object, pattern, taken, expected) in cases {
            assert_eq!(neighbour(object, *pattern, taken), *expected, "{object}");
        }
    }
}
