//! The spec's tree read into a [`Spec`]: what it says about authentication, `$ref`s followed
//! inside the text (a cycle named, not followed forever), and everything not understood in
//! the parts read (security schemes, `security`, paths, operations, `x-authpath`) named as a
//! [`Problem`] where it stands. Parts that do not concern authentication (request bodies,
//! schemas beyond examples, tags, servers) are not read and not named.

use super::tree::{self, Node, Place, Value};
use super::{
    DeclaredResponse, DeclaredScheme, Extension, Named, Operation, Parameter, Problem, SchemeKind,
    Security, Spec, SpecRequirement, Version,
};
use crate::policy::KeyLocation;
use crate::text::percent_decode;

/// The methods a path item holds, in the order OpenAPI lists them.
pub(super) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The other members of a path item, read elsewhere or not needed.
const PATH_ITEM_MEMBERS: [&str; 5] = ["summary", "description", "servers", "parameters", "$ref"];

/// How many `$ref`s one chain may follow.
const MAX_REFERENCES: usize = 32;

pub(super) fn read(text: &str) -> Result<(Spec, Vec<Problem>), Problem> {
    let (root, syntax, problems) = tree::read(text)?;
    if !root.is_object() {
        return Err(Problem::at(
            &root.place,
            format!(
                "a spec is an object with openapi, info and paths, not {}",
                root.kind()
            ),
        ));
    }
    if let Some(swagger) = root.get("swagger") {
        return Err(Problem::at(
            &swagger.place,
            "a Swagger 2.0 document: authpath reads OpenAPI 3.0 and 3.1 (convert it first)",
        ));
    }
    let Some(declared) = root.get("openapi") else {
        return Err(Problem::at(
            &root.place,
            "no `openapi` member: this is not an OpenAPI document",
        ));
    };
    let mut reader = Reader {
        root: &root,
        problems,
        version: Version::V3_1,
    };
    reader.version = match declared.as_str() {
        Some(version) if version.starts_with("3.0.") || version == "3.0" => Version::V3_0,
        Some(version) if version.starts_with("3.1.") || version == "3.1" => Version::V3_1,
        Some(version) => {
            reader.problem(
                &declared.place,
                format!("OpenAPI {version}: authpath reads 3.0 and 3.1; read as 3.1"),
            );
            Version::V3_1
        }
        None => {
            reader.problem(
                &declared.place,
                format!(
                    "`openapi` is {}, not a version such as \"3.1.0\"; read as 3.1",
                    declared.kind()
                ),
            );
            Version::V3_1
        }
    };
    let schemes = reader.schemes();
    let security = root.get("security").and_then(|node| reader.security(node));
    let operations = reader.operations();
    let mut problems = reader.problems;
    // A component referenced from several places is read once per place: name it once.
    let mut seen = Vec::new();
    problems.retain(|problem| {
        let key = (problem.pointer.clone(), problem.message.clone());
        if seen.contains(&key) {
            return false;
        }
        seen.push(key);
        true
    });
    Ok((
        Spec {
            version: reader.version,
            syntax,
            schemes,
            security,
            operations,
        },
        problems,
    ))
}

struct Reader<'a> {
    root: &'a Node,
    problems: Vec<Problem>,
    version: Version,
}

impl<'a> Reader<'a> {
    fn problem(&mut self, place: &Place, message: impl Into<String>) {
        self.problems.push(Problem::at(place, message));
    }

    /// The node a `$ref` chain ends at (the node itself when it is no reference); `None`, with
    /// a problem, for a reference outside the text, to nothing, or in a cycle.
    fn resolve(&mut self, node: &'a Node) -> Option<&'a Node> {
        let mut current = node;
        let mut followed: Vec<String> = Vec::new();
        loop {
            let Some(reference) = current.get("$ref") else {
                return Some(current);
            };
            let Some(target) = reference.as_str() else {
                self.problem(
                    &reference.place,
                    format!(
                        "$ref is {}, not a reference such as \"#/components/…\"",
                        reference.kind()
                    ),
                );
                return None;
            };
            let Some(fragment) = target.strip_prefix('#') else {
                self.problem(
                    &reference.place,
                    format!("$ref {target:?}: only references inside this spec (#/…) are followed"),
                );
                return None;
            };
            // RFC 6901 §6: in a URI fragment the pointer is percent-encoded.
            let pointer = percent_decode(fragment, false).unwrap_or_else(|_| fragment.to_string());
            if followed.contains(&pointer) || followed.len() >= MAX_REFERENCES {
                followed.push(pointer);
                self.problem(
                    &reference.place,
                    format!("$ref cycle: {}; not followed", followed.join(" → ")),
                );
                return None;
            }
            let Some(next) = self.root.pointer(&pointer) else {
                self.problem(
                    &reference.place,
                    format!("$ref {target:?} points at nothing in this spec"),
                );
                return None;
            };
            followed.push(pointer);
            current = next;
        }
    }

    /// A string member, or a problem where it is not one.
    fn text(&mut self, node: &'a Node, key: &str) -> Option<&'a str> {
        let value = node.get(key)?;
        match value.as_str() {
            Some(text) => Some(text),
            None => {
                self.problem(
                    &value.place,
                    format!("`{key}` is {}, not a string", value.kind()),
                );
                None
            }
        }
    }

    fn schemes(&mut self) -> Vec<DeclaredScheme> {
        let Some(declared) = self
            .root
            .get("components")
            .and_then(|components| components.get("securitySchemes"))
        else {
            return Vec::new();
        };
        let mut schemes = Vec::new();
        for member in declared.members() {
            let kind = match self.resolve(&member.node) {
                Some(node) => self.scheme_kind(&member.key, node),
                None => SchemeKind::Unknown,
            };
            schemes.push(DeclaredScheme {
                name: member.key.clone(),
                at: member.at.clone(),
                kind,
            });
        }
        schemes
    }

    fn scheme_kind(&mut self, name: &str, node: &'a Node) -> SchemeKind {
        let Some(kind) = self.text(node, "type") else {
            self.problem(
                &node.place,
                format!("security scheme `{name}` has no `type`"),
            );
            return SchemeKind::Unknown;
        };
        match kind {
            "http" => match self.text(node, "scheme") {
                Some(scheme) => SchemeKind::Http {
                    scheme: scheme.to_ascii_lowercase(),
                },
                None => {
                    self.problem(
                        &node.place,
                        format!("http security scheme `{name}` has no `scheme`"),
                    );
                    SchemeKind::Unknown
                }
            },
            "apiKey" => self.api_key(name, node),
            "oauth2" => SchemeKind::OAuth2 {
                scopes: self.flow_scopes(node),
            },
            "openIdConnect" => SchemeKind::OpenIdConnect,
            "mutualTLS" => SchemeKind::MutualTls,
            other => {
                let place = node.get("type").map_or(&node.place, |node| &node.place);
                self.problem(
                    place,
                    format!("security scheme type {other:?} is not one OpenAPI defines (http, apiKey, oauth2, openIdConnect, mutualTLS)"),
                );
                SchemeKind::Unknown
            }
        }
    }

    fn api_key(&mut self, name: &str, node: &'a Node) -> SchemeKind {
        let location_node = node.get("in");
        let location = match self.text(node, "in") {
            Some("header") => KeyLocation::Header,
            Some("query") => KeyLocation::Query,
            Some("cookie") => KeyLocation::Cookie,
            other => {
                let place = location_node.map_or(&node.place, |node| &node.place);
                self.problem(
                    place,
                    format!(
                        "apiKey scheme `{name}`: `in` is {}, not header, query or cookie",
                        other.map_or_else(|| "missing".to_string(), |other| format!("{other:?}"))
                    ),
                );
                return SchemeKind::Unknown;
            }
        };
        let Some(key_name) = self.text(node, "name") else {
            self.problem(&node.place, format!("apiKey scheme `{name}` has no `name`"));
            return SchemeKind::Unknown;
        };
        let mut session = false;
        if let Some(extension) = node.get("x-authpath") {
            for member in extension.members() {
                match (member.key.as_str(), &member.node.value) {
                    ("session", Value::Bool(value)) if location == KeyLocation::Cookie => {
                        session = *value;
                    }
                    _ => self.problem(
                        &member.at,
                        format!(
                            "x-authpath.{} is not understood on a security scheme (only session: true, on an apiKey in a cookie)",
                            member.key
                        ),
                    ),
                }
            }
        }
        SchemeKind::ApiKey {
            location,
            name: key_name.to_string(),
            location_at: location_node
                .map_or_else(|| node.place.clone(), |node| node.place.clone()),
            session,
        }
    }

    /// Every scope the flows of an oauth2 scheme declare, each once, in the order met.
    fn flow_scopes(&mut self, node: &'a Node) -> Vec<String> {
        let mut scopes: Vec<String> = Vec::new();
        let Some(flows) = node.get("flows") else {
            self.problem(
                &node.place,
                "an oauth2 scheme without `flows`: no scopes are known",
            );
            return scopes;
        };
        for flow in flows.members() {
            let Some(declared) = flow.node.get("scopes") else {
                continue;
            };
            for scope in declared.members() {
                if !scopes.contains(&scope.key) {
                    scopes.push(scope.key.clone());
                }
            }
        }
        scopes
    }

    /// A `security` list; `None`, with a problem, when it is not a list.
    fn security(&mut self, node: &'a Node) -> Option<Security> {
        if !node.is_array() {
            self.problem(
                &node.place,
                format!(
                    "`security` is {}, not a list of requirements; not read",
                    node.kind()
                ),
            );
            return None;
        }
        let mut requirements = Vec::new();
        for item in node.items() {
            if !item.is_object() {
                self.problem(
                    &item.place,
                    format!(
                        "a security requirement is {}, not an object; not read",
                        item.kind()
                    ),
                );
                continue;
            }
            let mut schemes = Vec::new();
            for member in item.members() {
                let mut values = Vec::new();
                if !member.node.is_array() {
                    self.problem(
                        &member.node.place,
                        format!(
                            "the scopes of `{}` are {}, not a list; read as none",
                            member.key,
                            member.node.kind()
                        ),
                    );
                }
                for value in member.node.items() {
                    match value.as_str() {
                        Some(text) => values.push((text.to_string(), value.place.clone())),
                        None => self.problem(
                            &value.place,
                            format!(
                                "a scope or role is {}, not a string; not read",
                                value.kind()
                            ),
                        ),
                    }
                }
                schemes.push(Named {
                    name: member.key.clone(),
                    at: member.at.clone(),
                    values,
                });
            }
            requirements.push(SpecRequirement {
                at: item.place.clone(),
                schemes,
            });
        }
        Some(Security {
            at: node.place.clone(),
            requirements,
        })
    }

    fn operations(&mut self) -> Vec<Operation> {
        let Some(paths) = self.root.get("paths") else {
            return Vec::new();
        };
        if !paths.is_object() {
            self.problem(
                &paths.place,
                format!("`paths` is {}, not an object", paths.kind()),
            );
            return Vec::new();
        }
        let mut operations = Vec::new();
        for path in paths.members() {
            if path.key.starts_with("x-") {
                continue;
            }
            if !path.key.starts_with('/') {
                self.problem(
                    &path.at,
                    format!("the path {:?} does not start with /; not read", path.key),
                );
                continue;
            }
            let Some(item) = self.resolve(&path.node) else {
                continue;
            };
            let shared = self.parameters(item, &[]);
            for member in item.members() {
                let key = member.key.as_str();
                if METHODS.contains(&key) {
                    let Some(node) = self.resolve(&member.node) else {
                        continue;
                    };
                    if !node.is_object() {
                        self.problem(
                            &member.node.place,
                            format!("the operation is {}, not an object; not read", node.kind()),
                        );
                        continue;
                    }
                    operations.push(self.operation(
                        &path.key,
                        key,
                        member.at.clone(),
                        node,
                        &shared,
                    ));
                } else if !PATH_ITEM_MEMBERS.contains(&key) && !key.starts_with("x-") {
                    self.problem(
                        &member.at,
                        format!("`{key}` is not an operation authpath reads (get, put, post, delete, options, head, patch, trace); not read"),
                    );
                }
            }
        }
        operations
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        at: Place,
        node: &'a Node,
        shared: &[Parameter],
    ) -> Operation {
        let security = node.get("security").and_then(|node| self.security(node));
        let mut responses = Vec::new();
        let mut example = None;
        if let Some(declared) = node.get("responses") {
            for member in declared.members() {
                if member.key.starts_with("x-") {
                    continue;
                }
                let response = self.resolve(&member.node);
                let headers = response
                    .and_then(|response| response.get("headers"))
                    .map(|headers| {
                        headers
                            .members()
                            .iter()
                            .map(|header| header.key.to_ascii_lowercase())
                            .collect()
                    })
                    .unwrap_or_default();
                let content = response.and_then(|response| response.get("content"));
                let media_types = content
                    .map(|content| {
                        content
                            .members()
                            .iter()
                            .map(|media| media.key.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                if example.is_none() && member.key.starts_with('2') {
                    example = content.and_then(|content| self.example(content));
                }
                responses.push(DeclaredResponse {
                    status: member.key.clone(),
                    at: member.at.clone(),
                    headers,
                    media_types,
                });
            }
        }
        Operation {
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            at,
            security,
            responses,
            parameters: self.parameters(node, shared),
            example,
            extension: node
                .get("x-authpath")
                .map(|node| self.extension(node))
                .unwrap_or_default(),
        }
    }

    /// A node's `parameters` over `shared` (a parameter is the same when its name and place
    /// are: the operation's wins).
    fn parameters(&mut self, node: &'a Node, shared: &[Parameter]) -> Vec<Parameter> {
        let mut parameters = shared.to_vec();
        let Some(list) = node.get("parameters") else {
            return parameters;
        };
        for item in list.items() {
            let Some(parameter) = self.resolve(item) else {
                continue;
            };
            let (Some(name), Some(location)) =
                (self.text(parameter, "name"), self.text(parameter, "in"))
            else {
                continue;
            };
            let example = self.parameter_example(parameter);
            let read = Parameter {
                name: name.to_string(),
                location: location.to_string(),
                at: parameter.place.clone(),
                example,
            };
            match parameters
                .iter_mut()
                .find(|known| known.name == read.name && known.location == read.location)
            {
                Some(known) => *known = read,
                None => parameters.push(read),
            }
        }
        parameters
    }

    fn parameter_example(&mut self, parameter: &'a Node) -> Option<String> {
        let scalar = |node: &Node| match &node.value {
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => Some(number.to_string()),
            Value::Bool(value) => Some(value.to_string()),
            _ => None,
        };
        if let Some(example) = parameter.get("example").and_then(scalar) {
            return Some(example);
        }
        for example in parameter
            .get("examples")
            .map(Node::members)
            .unwrap_or_default()
        {
            if let Some(value) = self
                .resolve(&example.node)
                .and_then(|example| example.get("value"))
                .and_then(scalar)
            {
                return Some(value);
            }
        }
        let schema = parameter
            .get("schema")
            .and_then(|schema| self.resolve(schema))?;
        schema
            .get("example")
            .and_then(scalar)
            .or_else(|| {
                schema
                    .get("examples")
                    .and_then(|list| list.items().first())
                    .and_then(scalar)
            })
            .or_else(|| schema.get("default").and_then(scalar))
            .or_else(|| {
                schema
                    .get("enum")
                    .and_then(|list| list.items().first())
                    .and_then(scalar)
            })
    }

    /// The first JSON example of a response's content, as JSON text.
    fn example(&mut self, content: &'a Node) -> Option<String> {
        for media in content.members() {
            let json = media.key.starts_with("application/json") || media.key.contains("+json");
            if !json {
                continue;
            }
            let node = &media.node;
            if let Some(example) = node.get("example") {
                return Some(example.to_json().to_string());
            }
            for example in node.get("examples").map(Node::members).unwrap_or_default() {
                if let Some(value) = self
                    .resolve(&example.node)
                    .and_then(|example| example.get("value"))
                {
                    return Some(value.to_json().to_string());
                }
            }
            let schema = node.get("schema").and_then(|schema| self.resolve(schema));
            if let Some(example) = schema.and_then(|schema| schema.get("example")) {
                return Some(example.to_json().to_string());
            }
        }
        None
    }

    fn extension(&mut self, node: &'a Node) -> Extension {
        let mut extension = Extension::default();
        if !node.is_object() {
            self.problem(
                &node.place,
                format!(
                    "x-authpath is {}, not an object such as {{owner: id}}; not read",
                    node.kind()
                ),
            );
            return extension;
        }
        for member in node.members() {
            match member.key.as_str() {
                "owner" => match member.node.as_str() {
                    Some(owner) => {
                        extension.owner = Some((owner.to_string(), member.node.place.clone()))
                    }
                    None => self.problem(
                        &member.node.place,
                        format!(
                            "x-authpath.owner is {}, not the name of a path parameter",
                            member.node.kind()
                        ),
                    ),
                },
                "roles" | "scopes" => {
                    let mut values = Vec::new();
                    if !member.node.is_array() {
                        self.problem(
                            &member.node.place,
                            format!(
                                "x-authpath.{} is {}, not a list of names",
                                member.key,
                                member.node.kind()
                            ),
                        );
                    }
                    for item in member.node.items() {
                        match item.as_str() {
                            Some(text) => values.push((text.to_string(), item.place.clone())),
                            None => {
                                self.problem(&item.place, format!("{} is not a name", item.kind()))
                            }
                        }
                    }
                    if member.key == "roles" {
                        extension.roles = values;
                    } else {
                        extension.scopes = values;
                    }
                }
                other => self.problem(
                    &member.at,
                    format!(
                        "x-authpath.{other} is not understood (owner, roles, scopes); not read"
                    ),
                ),
            }
        }
        extension
    }
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(usize, usize, String)> {
        let (_, problems) = read(text).expect("a spec");
        problems
            .into_iter()
            .map(|problem| (problem.line, problem.column, problem.message))
            .collect()
    }

    #[test]
    fn references_are_followed_and_cycles_named() {
        let text = "openapi: 3.1.0\n\
            components:\n  securitySchemes:\n    a: {$ref: '#/components/securitySchemes/b'}\n    b: {$ref: '#/components/securitySchemes/a'}\n    c: {$ref: '#/components/x/c'}\n    d: {$ref: 'other.yaml#/d'}\n    e: {$ref: '#/components/x/e'}\n  x:\n    e: {type: http, scheme: Bearer}\n";
        let (spec, _) = read(text).expect("a spec");
        let kinds: Vec<(&str, &SchemeKind)> = spec
            .schemes
            .iter()
            .map(|scheme| (scheme.name.as_str(), &scheme.kind))
            .collect();
        assert_eq!(
            kinds[4],
            (
                "e",
                &SchemeKind::Http {
                    scheme: "bearer".to_string()
                }
            )
        );
        let found = problems(text);
        let lines: Vec<(usize, usize)> = found
            .iter()
            .map(|(line, column, _)| (*line, *column))
            .collect();
        assert_eq!(lines, [(4, 15), (5, 15), (6, 15), (7, 15)], "{found:?}");
        assert!(found[0].2.contains("cycle"), "{found:?}");
        assert!(found[2].2.contains("points at nothing"), "{found:?}");
        assert!(found[3].2.contains("only references inside"), "{found:?}");
    }

    #[test]
    fn unknown_members_are_named_where_they_are() {
        let text = "openapi: 3.0.3\n\
            paths:\n  /a:\n    query: {}\n    get:\n      x-authpath: {owner: id, rank: 1}\n      security: {a: []}\n  b: {}\n";
        let found = problems(text);
        let lines: Vec<(usize, usize)> = found
            .iter()
            .map(|(line, column, _)| (*line, *column))
            .collect();
        assert_eq!(lines, [(4, 5), (7, 17), (6, 31), (8, 3)], "{found:?}");
    }
}
