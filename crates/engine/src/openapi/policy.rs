//! A [`Spec`] mapped onto a [`Policy`]: schemes onto the policy's schemes (`oauth2` and
//! `openIdConnect` are Bearer tokens; `mutualTLS` cannot be sent), each operation onto a route
//! with its requirements and one access rule. What does not fit is named, never dropped
//! silently.

use std::collections::BTreeMap;

use super::{Operation, Problem, SchemeKind, Spec, Version};
use crate::policy::{Access, Policy, Requirement, Route, Scheme};

pub(super) fn policy(spec: &Spec) -> (Policy, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut schemes = BTreeMap::new();
    for declared in &spec.schemes {
        let scheme = match &declared.kind {
            SchemeKind::Http { scheme } if Scheme::HTTP_SCHEMES.contains(&scheme.as_str()) => {
                Scheme::Http {
                    scheme: scheme.clone(),
                }
            }
            SchemeKind::Http { scheme } => {
                problems.push(Problem::at(
                    &declared.at,
                    format!(
                        "security scheme `{}`: authpath sends http bearer, basic and token, not {scheme:?}; left out",
                        declared.name
                    ),
                ));
                continue;
            }
            SchemeKind::ApiKey {
                location,
                name,
                session,
                ..
            } => {
                if *session {
                    Scheme::Session {
                        cookie: name.clone(),
                    }
                } else {
                    Scheme::ApiKey {
                        location: *location,
                        name: name.clone(),
                    }
                }
            }
            SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect => Scheme::Http {
                scheme: "bearer".to_string(),
            },
            SchemeKind::MutualTls => {
                problems.push(Problem::at(
                    &declared.at,
                    format!(
                        "security scheme `{}` is mutualTLS: a client certificate, which a simulated request cannot send; left out",
                        declared.name
                    ),
                ));
                continue;
            }
            // Its problem was named when it was read.
            SchemeKind::Unknown => continue,
        };
        schemes.insert(declared.name.clone(), scheme);
    }
    let mut routes: Vec<Route> = Vec::new();
    for operation in &spec.operations {
        if let Some(route) = route(spec, operation, &schemes, &mut problems) {
            insert(&mut routes, route);
        }
    }
    let policy = Policy { schemes, routes };
    // What the mapping makes is a policy the engine takes; a failure here names itself.
    if let Err(error) = policy.validate() {
        problems.push(Problem {
            pointer: String::new(),
            line: 1,
            column: 1,
            message: format!(
                "the policy made from the spec is not valid: {}",
                error.describe()
            ),
        });
    }
    (policy, problems)
}

/// Puts `route` after the routes before it, unless one of them would take its requests: a
/// concrete path (`/users/me`) goes before a template that matches it (`/users/{id}`), as
/// OpenAPI matches concrete paths first.
fn insert(routes: &mut Vec<Route>, route: Route) {
    let shadowing = routes
        .iter()
        .position(|earlier| earlier.method == route.method && shadows(&earlier.path, &route.path));
    match shadowing {
        Some(at) => routes.insert(at, route),
        None => routes.push(route),
    }
}

/// Whether the template `earlier` matches every path `later` matches, and more.
fn shadows(earlier: &str, later: &str) -> bool {
    let earlier: Vec<&str> = earlier.split('/').collect();
    let later: Vec<&str> = later.split('/').collect();
    let parameter = |segment: &&str| segment.starts_with('{') && segment.ends_with('}');
    earlier.len() == later.len()
        && earlier.iter().filter(|segment| parameter(segment)).count()
            > later.iter().filter(|segment| parameter(segment)).count()
        && earlier
            .iter()
            .zip(&later)
            .all(|(earlier, later)| parameter(earlier) || earlier == later)
}

fn route(
    spec: &Spec,
    operation: &Operation,
    schemes: &BTreeMap<String, Scheme>,
    problems: &mut Vec<Problem>,
) -> Option<Route> {
    let name = operation.name();
    let whole_segments = operation.path.split('/').all(|segment| {
        !(segment.contains('{') || segment.contains('}'))
            || (segment.starts_with('{')
                && segment.ends_with('}')
                && segment.len() > 2
                && segment[1..segment.len() - 1]
                    .chars()
                    .all(|character| character.is_ascii_alphanumeric() || character == '_'))
    });
    if !whole_segments {
        problems.push(Problem::at(
            &operation.at,
            format!(
                "{name}: a path parameter that is part of a segment (or is named with other than letters, digits and _) cannot be routed; left out"
            ),
        ));
        return None;
    }
    let mut route = Route {
        method: operation.method.clone(),
        path: operation.path.clone(),
        access: Access::Public,
        security: None,
        example: operation.example.clone(),
    };
    let Some(security) = spec.security_of(operation) else {
        return Some(route);
    };
    if security.is_public() {
        return Some(route);
    }
    let mut requirements: Vec<Requirement> = Vec::new();
    // Scopes and roles, each with the requirement it came from.
    let mut scopes: Vec<(String, super::Place)> = Vec::new();
    let mut roles: Vec<(String, super::Place)> = Vec::new();
    let mut without_rights = false;
    for requirement in &security.requirements {
        let mut names = Vec::new();
        let mut sendable = true;
        let mut rights = false;
        for named in &requirement.schemes {
            let Some(declared) = spec.scheme(&named.name) else {
                problems.push(Problem::at(
                    &named.at,
                    format!(
                        "{name}: `{}` is not a security scheme of components.securitySchemes; this requirement is left out",
                        named.name
                    ),
                ));
                sendable = false;
                continue;
            };
            if !schemes.contains_key(&named.name) {
                problems.push(Problem::at(
                    &named.at,
                    format!(
                        "{name}: `{}` cannot be sent (see its scheme); this requirement is left out",
                        named.name
                    ),
                ));
                sendable = false;
                continue;
            }
            names.push(named.name.clone());
            let scoped = matches!(
                declared.kind,
                SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect
            );
            for (value, place) in &named.values {
                rights = true;
                match (scoped, spec.version) {
                    (true, _) => scopes.push((value.clone(), place.clone())),
                    (false, Version::V3_1) => roles.push((value.clone(), place.clone())),
                    (false, Version::V3_0) => problems.push(Problem::at(
                        place,
                        format!(
                            "{name}: OpenAPI 3.0 lists scopes only for oauth2 and openIdConnect; write the role {value:?} in x-authpath.roles; not read"
                        ),
                    )),
                }
            }
        }
        if !sendable {
            continue;
        }
        if !names.is_empty() && !rights {
            without_rights = true;
        }
        requirements.push(Requirement { schemes: names });
    }
    if requirements.iter().all(Requirement::is_anonymous) {
        if requirements.is_empty() {
            problems.push(Problem::at(
                &operation.at,
                format!("{name}: none of its security requirements can be sent; left out"),
            ));
            return None;
        }
        return Some(route);
    }
    let extension = &operation.extension;
    let from_requirements = !scopes.is_empty() || !roles.is_empty();
    roles.extend(extension.roles.iter().cloned());
    scopes.extend(extension.scopes.iter().cloned());
    route.access = Access::Authenticated;
    let mut rules: Vec<(Access, super::Place)> = Vec::new();
    if let Some((owner, place)) = &extension.owner {
        if operation
            .path
            .split('/')
            .any(|segment| segment == format!("{{{owner}}}"))
        {
            rules.push((Access::Owner(owner.clone()), place.clone()));
        } else {
            problems.push(Problem::at(
                place,
                format!("{name}: x-authpath.owner names {{{owner}}}, which is not a parameter of the path; not read"),
            ));
        }
    }
    for (role, place) in &roles {
        if !rules
            .iter()
            .any(|(rule, _)| *rule == Access::Role(role.clone()))
        {
            rules.push((Access::Role(role.clone()), place.clone()));
        }
    }
    for (scope, place) in &scopes {
        if !rules
            .iter()
            .any(|(rule, _)| *rule == Access::Scope(scope.clone()))
        {
            rules.push((Access::Scope(scope.clone()), place.clone()));
        }
    }
    let mut rules = rules.into_iter();
    if let Some((first, _)) = rules.next() {
        for (rule, place) in rules {
            problems.push(Problem::at(
                &place,
                format!(
                    "{name}: a route has one access rule; {} is taken, {} is not",
                    first.describe(),
                    rule.describe()
                ),
            ));
        }
        if from_requirements && without_rights {
            problems.push(Problem::at(
                &security.at,
                format!(
                    "{name}: some requirements list no scopes or roles, but a route has one rule for all of them: {} is required of every caller",
                    first.describe()
                ),
            ));
        }
        route.access = first;
    }
    // Every scheme alone, in the policy's order, is what a route without `security` accepts.
    let every: Vec<Requirement> = schemes.keys().map(Requirement::one).collect();
    route.security = if requirements == every {
        None
    } else {
        Some(requirements)
    };
    Some(route)
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use super::*;
    use crate::policy::KeyLocation;

    fn mapped(text: &str) -> (Policy, Vec<String>) {
        let (spec, mut problems) = Spec::read(text).expect("a spec");
        let (policy, more) = spec.to_policy();
        problems.extend(more);
        (
            policy,
            problems
                .into_iter()
                .map(|problem| format!("{}:{} {}", problem.line, problem.column, problem.message))
                .collect(),
        )
    }

    const SCHEMES: &str = r#"openapi: 3.1.0
info: {title: t, version: '1'}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
    basic: {type: http, scheme: Basic}
    key: {type: apiKey, in: header, name: X-API-Key}
    query: {type: apiKey, in: query, name: api_key}
    session: {type: apiKey, in: cookie, name: sessionid, x-authpath: {session: true}}
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://a.example/token
          scopes: {read: r, write: w}
    oidc: {type: openIdConnect, openIdConnectUrl: https://a.example/.well-known/openid-configuration}
    mtls: {type: mutualTLS}
    digest: {type: http, scheme: digest}
"#;

    #[test]
    fn every_scheme_type_maps_or_is_named() {
        let (policy, problems) = mapped(&format!("{SCHEMES}paths: {{}}\n"));
        let bearer = Scheme::Http {
            scheme: "bearer".to_string(),
        };
        let expected = BTreeMap::from([
            ("bearer".to_string(), bearer.clone()),
            (
                "basic".to_string(),
                Scheme::Http {
                    scheme: "basic".to_string(),
                },
            ),
            (
                "key".to_string(),
                Scheme::ApiKey {
                    location: KeyLocation::Header,
                    name: "X-API-Key".to_string(),
                },
            ),
            (
                "query".to_string(),
                Scheme::ApiKey {
                    location: KeyLocation::Query,
                    name: "api_key".to_string(),
                },
            ),
            (
                "session".to_string(),
                Scheme::Session {
                    cookie: "sessionid".to_string(),
                },
            ),
            ("oauth".to_string(), bearer.clone()),
            ("oidc".to_string(), bearer),
        ]);
        assert_eq!(policy.schemes, expected);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].starts_with("17:5 ") && problems[0].contains("mutualTLS"),
            "{problems:?}"
        );
        assert!(
            problems[1].starts_with("18:5 ") && problems[1].contains("digest"),
            "{problems:?}"
        );
    }

    /// One operation's `security` (and `x-authpath`) under the schemes above, and the route's
    /// security and access.
    #[test]
    fn requirements_map_to_security_and_access() {
        let any = || None;
        let one = |name: &str| Some(vec![Requirement::one(name)]);
        #[rustfmt::skip]
        let cases: Vec<(&str, Option<Vec<Requirement>>, Access, usize)> = vec![
            ("[]", any(), Access::Public, 0),
            ("[{}]", any(), Access::Public, 0),
            ("[{bearer: []}]", one("bearer"), Access::Authenticated, 0),
            ("[{bearer: []}, {key: []}]", Some(vec![Requirement::one("bearer"), Requirement::one("key")]), Access::Authenticated, 0),
            ("[{key: [], bearer: []}]", Some(vec![Requirement::all(["key", "bearer"])]), Access::Authenticated, 0),
            ("[{bearer: []}, {}]", Some(vec![Requirement::one("bearer"), Requirement::anonymous()]), Access::Authenticated, 0),
            ("[{oauth: [read]}]", one("oauth"), Access::Scope("read".to_string()), 0),
            ("[{oauth: [read, write]}]", one("oauth"), Access::Scope("read".to_string()), 1),
            ("[{oidc: [openid]}]", one("oidc"), Access::Scope("openid".to_string()), 0),
            ("[{bearer: [admin]}]", one("bearer"), Access::Role("admin".to_string()), 0),
            ("[{oauth: [read]}, {key: []}]", Some(vec![Requirement::one("oauth"), Requirement::one("key")]), Access::Scope("read".to_string()), 1),
            ("[{mtls: []}, {bearer: []}]", one("bearer"), Access::Authenticated, 1),
            ("[{nope: []}, {bearer: []}]", one("bearer"), Access::Authenticated, 1),
        ];
        for (security, expected_security, access, count) in cases {
            let text = format!("{SCHEMES}paths:\n  /a:\n    get:\n      security: {security}\n      responses: {{'200': {{description: ok}}}}\n");
            let (policy, problems) = mapped(&text);
            let problems: Vec<&String> = problems
                .iter()
                .filter(|p| !p.contains("mutualTLS") && !p.contains("digest"))
                .collect();
            assert_eq!(policy.routes.len(), 1, "{security}: {problems:?}");
            assert_eq!(policy.routes[0].security, expected_security, "{security}");
            assert_eq!(policy.routes[0].access, access, "{security}");
            assert_eq!(problems.len(), count, "{security}: {problems:?}");
        }
    }

    #[test]
    fn extensions_say_what_openapi_cannot() {
        let cases = [
            (
                "3.0.3",
                "[{bearer: []}]",
                "{owner: id}",
                Access::Owner("id".to_string()),
                0,
            ),
            (
                "3.0.3",
                "[{bearer: []}]",
                "{roles: [admin]}",
                Access::Role("admin".to_string()),
                0,
            ),
            (
                "3.0.3",
                "[{bearer: [admin]}]",
                "{}",
                Access::Authenticated,
                1,
            ),
            (
                "3.1.0",
                "[{bearer: []}]",
                "{scopes: [reports:read]}",
                Access::Scope("reports:read".to_string()),
                0,
            ),
            (
                "3.1.0",
                "[{bearer: []}]",
                "{owner: nope}",
                Access::Authenticated,
                1,
            ),
            (
                "3.1.0",
                "[{bearer: [admin]}]",
                "{owner: id}",
                Access::Owner("id".to_string()),
                1,
            ),
        ];
        for (version, security, extension, access, count) in cases {
            let text = SCHEMES.replace("3.1.0", version)
                + &format!("paths:\n  /u/{{id}}:\n    get:\n      security: {security}\n      x-authpath: {extension}\n      responses: {{'200': {{description: ok}}}}\n");
            let (policy, problems) = mapped(&text);
            let problems: Vec<&String> = problems
                .iter()
                .filter(|p| !p.contains("mutualTLS") && !p.contains("digest"))
                .collect();
            assert_eq!(
                policy.routes.first().map(|route| &route.access),
                Some(&access),
                "{version} {security} {extension}: {problems:?}"
            );
            assert_eq!(
                problems.len(),
                count,
                "{version} {security} {extension}: {problems:?}"
            );
        }
    }

    #[test]
    fn root_security_applies_until_an_operation_overrides_it() {
        let text = "openapi: 3.0.0\n\
            components: {securitySchemes: {a: {type: http, scheme: bearer}, b: {type: http, scheme: basic}}}\n\
            security: [{a: []}]\n\
            paths:\n  /x:\n    get: {responses: {'200': {description: ok}}}\n    post: {security: [], responses: {'200': {description: ok}}}\n    head: {security: [{a: []}, {b: []}], responses: {'200': {description: ok}}}\n  /y/{id}.json:\n    get: {responses: {'200': {description: ok}}}\n  /u/{id}:\n    get: {responses: {'200': {description: ok}}}\n  /u/me:\n    get: {responses: {'200': {description: ok}}}\n";
        let (policy, problems) = mapped(text);
        let routes: Vec<(String, &str, Option<Vec<Requirement>>, Access)> = policy
            .routes
            .iter()
            .map(|route| {
                (
                    format!("{} {}", route.method, route.path),
                    route.path.as_str(),
                    route.security.clone(),
                    route.access.clone(),
                )
            })
            .map(|(name, _, security, access)| (name, "", security, access))
            .collect();
        let names: Vec<&str> = routes.iter().map(|(name, ..)| name.as_str()).collect();
        assert_eq!(
            names,
            ["GET /x", "POST /x", "HEAD /x", "GET /u/me", "GET /u/{id}"]
        );
        assert_eq!(routes[0].2, Some(vec![Requirement::one("a")]));
        assert_eq!(routes[1].3, Access::Public);
        // Every scheme alone is what a route without security accepts.
        assert_eq!(routes[2].2, None);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("10:5 "), "{problems:?}");
    }
}
