//! The API's routes and who may use them, editable as TOML or JSON, and the
//! matching of a request path against them.

use serde::{Deserialize, Serialize};

use crate::json::{self, Value};

/// The API's routes. Deserializes from TOML or JSON:
///
/// ```toml
/// [[routes]]
/// method = "GET"
/// path = "/users/{id}/notes"
/// access = { owner = "id" }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// The routes, matched in this order.
    pub routes: Vec<Route>,
}

/// One route: a method, a path pattern with `{param}` segments, and who may use it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// The HTTP method, case-sensitive (RFC 9110 §9.1), e.g. `GET`.
    pub method: String,
    /// The path pattern, e.g. `/users/{id}/notes`; a `{param}` matches one non-empty segment.
    pub path: String,
    /// Who may use the route.
    pub access: Access,
}

/// Who may use a route. In TOML: `access = "public"`, `access = "authenticated"`,
/// `access = { role = "admin" }`, `access = { scope = "reports:read" }`, `access = { owner = "id" }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Anyone, without credentials.
    Public,
    /// Any caller whose credentials verify.
    Authenticated,
    /// Callers with exactly this role.
    Role(String),
    /// Callers whose token grants this scope.
    Scope(String),
    /// The named path parameter must equal the token's `sub` (or the Basic user); admins pass too.
    Owner(String),
}

impl Route {
    fn from_json_value(value: &Value) -> Result<Route, String> {
        let Some(members) = value.as_object() else {
            return Err(
                "invalid type: a route is an object with `method`, `path` and `access`".to_string(),
            );
        };
        let text = |name: &str| match members.get(name) {
            Some(Value::String(text)) => Ok(text.clone()),
            Some(_) => Err(format!("invalid type: `{name}` must be a string")),
            None => Err(format!("missing field `{name}`")),
        };
        Ok(Route {
            method: text("method")?,
            path: text("path")?,
            access: Access::from_json_value(members.get("access"))?,
        })
    }

    fn to_json_value(&self) -> Value {
        json::object([
            ("method", Value::from(&self.method)),
            ("path", Value::from(&self.path)),
            ("access", self.access.to_json_value()),
        ])
    }
}

impl Access {
    /// How policy texts (TOML and JSON) name this access: a word, `public` or `authenticated`,
    /// or a rule and its argument, e.g. `role` and `admin`.
    pub fn name(&self) -> (&'static str, Option<&str>) {
        match self {
            Access::Public => ("public", None),
            Access::Authenticated => ("authenticated", None),
            Access::Role(role) => ("role", Some(role)),
            Access::Scope(scope) => ("scope", Some(scope)),
            Access::Owner(parameter) => ("owner", Some(parameter)),
        }
    }

    /// The access a policy text names: a word alone, or a rule with its argument.
    pub fn named(name: &str, argument: Option<String>) -> Result<Access, String> {
        match (name, argument) {
            ("public", None) => Ok(Access::Public),
            ("authenticated", None) => Ok(Access::Authenticated),
            ("role", Some(role)) => Ok(Access::Role(role)),
            ("scope", Some(scope)) => Ok(Access::Scope(scope)),
            ("owner", Some(parameter)) => Ok(Access::Owner(parameter)),
            (other, None) => Err(format!(
                "unknown variant `{other}`, expected one of `public`, `authenticated`, `role`, `scope`, `owner`"
            )),
            (other, Some(_)) => Err(format!(
                "unknown variant `{other}`, expected one of `role`, `scope`, `owner`"
            )),
        }
    }

    /// The JSON form: `"public"`, `"authenticated"`, or an object of one member, e.g.
    /// `{"role": "admin"}`.
    fn from_json_value(value: Option<&Value>) -> Result<Access, String> {
        let invalid = || {
            "invalid type: `access` must be \"public\", \"authenticated\" or an object of one member, like {\"role\": \"admin\"}".to_string()
        };
        match value {
            None => Err("missing field `access`".to_string()),
            Some(Value::String(word)) => Access::named(word, None),
            Some(Value::Object(members)) => {
                let mut members = members.iter();
                let (Some((rule, argument)), None) = (members.next(), members.next()) else {
                    return Err(invalid());
                };
                match argument.as_str() {
                    Some(argument) => Access::named(rule, Some(argument.to_string())),
                    None => Err(format!("invalid type: `{rule}` must be a string")),
                }
            }
            Some(_) => Err(invalid()),
        }
    }

    fn to_json_value(&self) -> Value {
        match self.name() {
            (word, None) => Value::from(word),
            (rule, Some(argument)) => json::object([(rule, argument)]),
        }
    }
}

/// Why a policy text was refused, and where when the parser knows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyError {
    /// What is wrong, in words.
    pub message: String,
    /// 1-based line in the policy text.
    pub line: Option<usize>,
    /// 1-based column (in characters) on that line.
    pub column: Option<usize>,
}

/// The `{param}` values of a matched path, in order, percent-decoded.
pub type Params = Vec<(String, String)>;

/// What a request path and method find in the policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteMatch<'a> {
    /// A route matches path and method; `params` are the `{param}` values, percent-decoded.
    Found {
        /// The matched route.
        route: &'a Route,
        /// The `{param}` values.
        params: Params,
    },
    /// The path matches routes, but none for this method; `allow` is sorted and deduplicated.
    MethodNotAllowed {
        /// The methods the path supports, for the `Allow` header.
        allow: Vec<String>,
    },
    /// No route matches the path.
    NotFound,
}

impl Default for Policy {
    fn default() -> Self {
        Policy::default_api()
    }
}

impl Policy {
    /// Every scope the routes name, sorted, once each.
    pub fn scopes(&self) -> Vec<String> {
        let mut scopes: Vec<String> = self
            .routes
            .iter()
            .filter_map(|route| match &route.access {
                Access::Scope(scope) => Some(scope.clone()),
                _ => None,
            })
            .collect();
        scopes.sort();
        scopes.dedup();
        scopes
    }

    /// The demo API of issue 3.
    pub fn default_api() -> Policy {
        let route = |method: &str, path: &str, access: Access| Route {
            method: method.to_string(),
            path: path.to_string(),
            access,
        };
        Policy {
            routes: vec![
                route("GET", "/public", Access::Public),
                route("GET", "/profile", Access::Authenticated),
                route("GET", "/admin", Access::Role("admin".to_string())),
                route("DELETE", "/users/{id}", Access::Role("admin".to_string())),
                route("GET", "/users/{id}/notes", Access::Owner("id".to_string())),
                route("GET", "/reports", Access::Scope("reports:read".to_string())),
            ],
        }
    }

    /// Reads a policy from JSON, then checks it (see [`Policy::validate`]). Members other
    /// than `routes`, `method`, `path` and `access` are ignored.
    pub fn from_json(text: &str) -> Result<Policy, PolicyError> {
        let value = json::parse(text).map_err(|error| PolicyError {
            message: error.message,
            line: Some(error.line),
            column: Some(error.column),
        })?;
        let policy = Policy::from_json_value(&value).map_err(|message| PolicyError {
            message,
            line: None,
            column: None,
        })?;
        policy.validate()?;
        Ok(policy)
    }

    fn from_json_value(value: &Value) -> Result<Policy, String> {
        let routes = match value.get("routes") {
            Some(Value::Array(routes)) => routes,
            Some(_) => return Err("invalid type: `routes` must be an array".to_string()),
            None if value.as_object().is_some() => return Err("missing field `routes`".to_string()),
            None => return Err("invalid type: a policy is an object with `routes`".to_string()),
        };
        let routes = routes
            .iter()
            .enumerate()
            .map(|(index, route)| {
                Route::from_json_value(route).map_err(|what| format!("route {}: {what}", index + 1))
            })
            .collect::<Result<_, _>>()?;
        Ok(Policy { routes })
    }

    /// Reads a policy from TOML, then checks it (see [`Policy::validate`]).
    #[cfg(feature = "toml")]
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let policy: Policy = toml::from_str(text).map_err(|error| {
            let (line, column) = match error.span() {
                Some(span) => {
                    let (line, column) = crate::text::line_column(text, span.start);
                    (Some(line), Some(column))
                }
                None => (None, None),
            };
            PolicyError {
                message: error.message().trim().to_string(),
                line,
                column,
            }
        })?;
        policy.validate()?;
        Ok(policy)
    }

    /// The policy as TOML, readable by [`Policy::from_toml`].
    #[cfg(feature = "toml")]
    pub fn to_toml(&self) -> String {
        // Serializing plain strings and enums cannot fail; an empty text is the safe fallback.
        toml::to_string(self).unwrap_or_default()
    }

    /// The policy as compact JSON, readable by [`Policy::from_json`]. Compact because links
    /// carry it, where every indenting space would cost three characters.
    pub fn to_json(&self) -> String {
        let routes = self.routes.iter().map(Route::to_json_value).collect();
        json::object([("routes", Value::Array(routes))]).to_string()
    }

    /// Checks what the readers cannot: methods are HTTP tokens, paths start with `/`, `{param}`
    /// segments are whole and named, and an `owner` rule names a parameter of its path.
    pub fn validate(&self) -> Result<(), PolicyError> {
        for (index, route) in self.routes.iter().enumerate() {
            let fail = |what: String| PolicyError {
                message: format!(
                    "route {} ({} {}): {what}",
                    index + 1,
                    route.method,
                    route.path
                ),
                line: None,
                column: None,
            };
            if route.method.is_empty() || !route.method.bytes().all(crate::text::is_token_byte) {
                return Err(fail(
                    "the method must be an HTTP token such as GET".to_string(),
                ));
            }
            if !route.path.starts_with('/') {
                return Err(fail("the path must start with /".to_string()));
            }
            let mut names = Vec::new();
            for segment in route.path.split('/').skip(1) {
                match parameter_name(segment) {
                    Some(Ok(name)) => names.push(name),
                    Some(Err(())) => {
                        return Err(fail(format!(
                            "segment {segment:?} must be a whole {{name}} parameter or plain text"
                        )))
                    }
                    None => {}
                }
            }
            if let Access::Owner(parameter) = &route.access {
                if !names.contains(&parameter.as_str()) {
                    return Err(fail(format!(
                        "the owner rule names {{{parameter}}}, which is not in the path"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Matches a method and a raw path (no query) against the routes, in policy order. HEAD
    /// goes where GET goes (RFC 9110 §9.3.2), unless a route names HEAD itself.
    pub fn resolve(&self, method: &str, path: &str) -> RouteMatch<'_> {
        let mut allow: Vec<String> = Vec::new();
        let mut as_get = None;
        for route in &self.routes {
            let Some(params) = match_path(&route.path, path) else {
                continue;
            };
            if route.method == method {
                return RouteMatch::Found { route, params };
            }
            if method == "HEAD" && route.method == "GET" && as_get.is_none() {
                as_get = Some(RouteMatch::Found { route, params });
            }
            allow.push(route.method.clone());
        }
        if let Some(found) = as_get {
            return found;
        }
        if allow.is_empty() {
            return RouteMatch::NotFound;
        }
        if allow.iter().any(|method| method == "GET") {
            allow.push("HEAD".to_string());
        }
        allow.sort();
        allow.dedup();
        RouteMatch::MethodNotAllowed { allow }
    }
}

impl Access {
    /// The rule in words, e.g. `"role admin"`, `"public"`.
    pub fn describe(&self) -> String {
        match self {
            Access::Public => "public".to_string(),
            Access::Authenticated => "any authenticated user".to_string(),
            Access::Role(role) => format!("role {role}"),
            Access::Scope(scope) => format!("scope {scope}"),
            Access::Owner(parameter) => format!("owner of {{{parameter}}}"),
        }
    }
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(formatter, "line {line}, column {column}: {}", self.message)
            }
            (Some(line), None) => write!(formatter, "line {line}: {}", self.message),
            _ => formatter.write_str(&self.message),
        }
    }
}

impl std::error::Error for PolicyError {}

/// `Some(Ok(name))` for a `{name}` segment, `Some(Err(()))` for a broken one, `None` for text.
fn parameter_name(segment: &str) -> Option<Result<&str, ()>> {
    if !segment.contains('{') && !segment.contains('}') {
        return None;
    }
    let name = segment
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .filter(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|character| character.is_ascii_alphanumeric() || character == '_')
        });
    Some(name.ok_or(()))
}

/// The `{param}` values when `path` matches `pattern`, segment by segment.
/// A concrete path for a route pattern: every `{param}` segment becomes `value`, e.g.
/// `/users/{id}/notes` with `bob` is `/users/bob/notes`. Builders and examples use it; routing
/// itself matches with `Policy::resolve`.
pub fn fill_pattern(pattern: &str, value: &str) -> String {
    pattern
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                value
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn match_path(pattern: &str, path: &str) -> Option<Params> {
    let mut pattern_segments = pattern.split('/');
    let mut path_segments = path.split('/');
    let mut params = Vec::new();
    loop {
        match (pattern_segments.next(), path_segments.next()) {
            (None, None) => return Some(params),
            (Some(expected), Some(actual)) => match parameter_name(expected) {
                Some(Ok(name)) => {
                    if actual.is_empty() {
                        return None;
                    }
                    let value = crate::text::percent_decode(actual, false)
                        .unwrap_or_else(|_| actual.to_string());
                    params.push((name.to_string(), value));
                }
                _ => {
                    if expected != actual {
                        return None;
                    }
                }
            },
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{fill_pattern, Access, Policy, Route};

    #[test]
    fn scopes_are_the_routes_scopes_sorted_once_each() {
        let route = |path: &str, access| Route {
            method: "GET".to_string(),
            path: path.to_string(),
            access,
        };
        let policy = Policy {
            routes: vec![
                route("/b", Access::Scope("notes:read".to_string())),
                route("/a", Access::Scope("admin:all".to_string())),
                route("/c", Access::Scope("notes:read".to_string())),
                route("/d", Access::Role("admin".to_string())),
            ],
        };
        assert_eq!(policy.scopes(), ["admin:all", "notes:read"]);
        assert_eq!(Policy::default_api().scopes(), ["reports:read"]);
    }

    #[test]
    fn parameters_are_filled_into_route_patterns() {
        let cases = [
            ("/users/{id}/notes", "alice", "/users/alice/notes"),
            ("/users/{id}", "bob", "/users/bob"),
            ("/profile", "alice", "/profile"),
            ("/", "alice", "/"),
        ];
        for (pattern, value, expected) in cases {
            assert_eq!(fill_pattern(pattern, value), expected, "{pattern}");
        }
    }
}
