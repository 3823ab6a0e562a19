//! The API's routes and who may use them, editable as TOML or JSON, and the
//! matching of a request path against them.

mod toml_text;

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_path_to_error::{Path, Segment};

/// The API's security schemes and routes. Deserializes from TOML or JSON:
///
/// ```toml
/// [schemes.bearer]               # optional: without schemes, a server reads on every route
/// type = "http"                  # what its profile reads (Bearer, Basic, access_token)
/// scheme = "bearer"
///
/// [schemes.apiKey]
/// type = "apiKey"
/// in = "header"
/// name = "X-API-Key"
///
/// [[routes]]
/// method = "GET"
/// path = "/users/{id}/notes"
/// access = { owner = "id" }
/// security = ["bearer"]          # optional: the schemes this route accepts (any one of them);
///                                # without it, every scheme of the policy
///
/// [[routes]]
/// method = "GET"
/// path = "/reports"
/// access = "authenticated"
/// security = [["apiKey", "bearer"], []]   # both together, or none at all (optional)
/// example = '{"reports": []}'    # optional: the JSON body a success answers with
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
// Refused rather than ignored, so a misspelt key (`methd`) is shown where it is.
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The API's security schemes by name, as OpenAPI's `components.securitySchemes`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub schemes: BTreeMap<String, Scheme>,
    /// The routes, matched in this order.
    pub routes: Vec<Route>,
}

/// One route: a method, a path pattern with `{param}` segments, and who may use it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// The HTTP method, case-sensitive (RFC 9110 §9.1), e.g. `GET`.
    pub method: String,
    /// The path pattern, e.g. `/users/{id}/notes`; a `{param}` matches one non-empty segment.
    pub path: String,
    /// Who may use the route.
    pub access: Access,
    /// The ways of authenticating the route accepts, any one of them (OpenAPI's `security`):
    /// each a [`Requirement`], the schemes that must be sent together, or none at all (the
    /// route then admits anonymous callers too); `None`: every scheme of the policy, alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<Vec<Requirement>>,
    /// The JSON text the handler answers a success with (an OpenAPI example, for a mock of the
    /// API); `None`: the default `{"user":…,"route":…}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
}

/// One way of authenticating: the schemes that must all be sent together (an OpenAPI
/// Security Requirement Object), or none at all, which lets an anonymous caller in (`{}`).
/// In TOML and JSON one scheme is its name (`"bearer"`), several an array of names
/// (`["apiKey", "bearer"]`), none an empty array (`[]`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Requirement {
    /// The schemes' names, in the order written; empty: no credentials needed.
    pub schemes: Vec<String>,
}

impl Requirement {
    /// One scheme alone.
    pub fn one(name: impl Into<String>) -> Requirement {
        Requirement {
            schemes: vec![name.into()],
        }
    }

    /// Several schemes, all needed.
    pub fn all<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Requirement {
        Requirement {
            schemes: names.into_iter().map(Into::into).collect(),
        }
    }

    /// No credentials: an anonymous caller meets it (OpenAPI's `{}`).
    pub fn anonymous() -> Requirement {
        Requirement::default()
    }

    /// Whether an anonymous caller meets it.
    pub fn is_anonymous(&self) -> bool {
        self.schemes.is_empty()
    }

    /// Whether it needs several schemes together.
    pub fn is_joint(&self) -> bool {
        self.schemes.len() > 1
    }

    /// The requirement in words: `bearer`, `apiKey and bearer`, `no credentials`.
    pub fn describe(&self) -> String {
        match self.schemes.as_slice() {
            [] => "no credentials".to_string(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }
}

impl Serialize for Requirement {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.schemes.as_slice() {
            [one] => serializer.serialize_str(one),
            schemes => schemes.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Requirement {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Requirement, D::Error> {
        deserializer.deserialize_any(RequirementVisitor)
    }
}

struct RequirementVisitor;

impl<'de> Visitor<'de> for RequirementVisitor {
    type Value = Requirement;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(
            "a scheme's name, or an array of the names of schemes sent together ([] for none)",
        )
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Requirement, E> {
        Ok(Requirement::one(name))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut names: A) -> Result<Requirement, A::Error> {
        let mut schemes = Vec::new();
        while let Some(name) = names.next_element::<String>()? {
            schemes.push(name);
        }
        Ok(Requirement { schemes })
    }
}

impl Route {
    /// Whether the route admits an anonymous caller besides those its security names (a
    /// requirement of no schemes, OpenAPI's `{}`): no credentials go on as anonymous, bad
    /// ones are still refused.
    pub fn is_optional(&self) -> bool {
        self.security
            .as_ref()
            .is_some_and(|security| security.iter().any(Requirement::is_anonymous))
    }

    /// The requirements that need several schemes together.
    pub fn joint_requirements(&self) -> impl Iterator<Item = &Requirement> {
        self.security
            .iter()
            .flatten()
            .filter(|requirement| requirement.is_joint())
    }
}

/// A security scheme: how a credential travels and what kind it is. In TOML and JSON, `type`
/// says which: `{ type = "http", scheme = "bearer" }` (or `basic`, `token`),
/// `{ type = "apiKey", in = "header", name = "X-API-Key" }` (`in`: `header`, `query` or
/// `cookie`), `{ type = "session", cookie = "sessionid" }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
pub enum Scheme {
    /// An `Authorization` scheme (RFC 9110 §11): `bearer` (RFC 6750: a JWT, also in the
    /// `access_token` parameter where the server reads it), `basic` (RFC 7617) or `token`
    /// (Django REST framework's `TokenAuthentication`, whose keys are the API keys).
    #[serde(rename = "http")]
    Http {
        /// The scheme's name, lowercase as OpenAPI writes it.
        scheme: String,
    },
    /// An API key in a header, the query or a cookie (OpenAPI's `apiKey`).
    #[serde(rename = "apiKey")]
    ApiKey {
        #[serde(rename = "in")]
        location: KeyLocation,
        /// The header, parameter or cookie name.
        name: String,
    },
    /// A browser session in a cookie; an unsafe method also needs the CSRF token (a cookie and
    /// a header that are equal). OpenAPI writes it as an `apiKey` in a cookie.
    #[serde(rename = "session")]
    Session {
        /// The session cookie's name, e.g. `sessionid`.
        cookie: String,
    },
}

/// Where an API key travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyLocation {
    Header,
    Query,
    Cookie,
}

impl KeyLocation {
    /// The name policy texts give it.
    pub fn name(self) -> &'static str {
        match self {
            KeyLocation::Header => "header",
            KeyLocation::Query => "query",
            KeyLocation::Cookie => "cookie",
        }
    }
}

impl Scheme {
    /// The HTTP authentication schemes authpath reads.
    pub const HTTP_SCHEMES: [&'static str; 3] = ["bearer", "basic", "token"];

    /// What the scheme is, in words: `http bearer`, `API key in the X-API-Key header`.
    pub fn describe(&self) -> String {
        match self {
            Scheme::Http { scheme } => format!("http {scheme}"),
            Scheme::ApiKey { location, name } => {
                format!("API key in the {name} {}", location.name())
            }
            Scheme::Session { cookie } => format!("session cookie {cookie}"),
        }
    }
}

/// Who may use a route. In TOML: `access = "public"`, `access = "authenticated"`,
/// `access = { role = "admin" }`, `access = { scope = "reports:read" }`, `access = { owner = "id" }`.
/// In JSON: `"public"`, `{"role": "admin"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
}

/// Read by hand rather than derived, for the messages: the derived reader says only
/// "expected value" when an object holds two rules.
impl<'de> Deserialize<'de> for Access {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Access, D::Error> {
        deserializer.deserialize_any(AccessVisitor)
    }
}

struct AccessVisitor;

impl<'de> Visitor<'de> for AccessVisitor {
    type Value = Access;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(
            "\"public\", \"authenticated\" or an object of one member, like {\"role\": \"admin\"}",
        )
    }

    fn visit_str<E: de::Error>(self, word: &str) -> Result<Access, E> {
        Access::named(word, None).map_err(E::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Access, A::Error> {
        let Some(rule) = members.next_key::<String>()? else {
            return Err(de::Error::invalid_length(0, &self));
        };
        let argument = members.next_value::<String>()?;
        if members.next_key::<IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(2, &self));
        }
        Access::named(&rule, Some(argument)).map_err(de::Error::custom)
    }
}

/// Why a policy text was refused: what is wrong, and where, as far as it is known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyError {
    /// What is wrong, in words, without the place, e.g. "the path must start with /".
    pub message: String,
    /// The route it is in, when it is in one.
    pub route: Option<ErrorRoute>,
    /// The member it is in, when it is in one.
    pub field: Option<Field>,
    /// 1-based line in the policy text.
    pub line: Option<usize>,
    /// 1-based column (in characters) on that line.
    pub column: Option<usize>,
}

/// The route a policy error is in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorRoute {
    /// Its 0-based position in `routes`.
    pub index: usize,
    /// Its method and path, e.g. `GET /a`, when it was read whole (errors of
    /// [`Policy::validate`]), so a reader finds it without counting.
    pub name: Option<String>,
}

/// A member of a policy text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The policy's `routes`.
    Routes,
    /// A route's `method`.
    Method,
    /// A route's `path`.
    Path,
    /// A route's `access`.
    Access,
    /// A route's `security`.
    Security,
    /// The policy's `schemes`.
    Schemes,
    /// A route's `example`.
    Example,
}

impl Field {
    /// The member's name in the policy text.
    pub fn name(self) -> &'static str {
        match self {
            Field::Routes => "routes",
            Field::Method => "method",
            Field::Path => "path",
            Field::Access => "access",
            Field::Security => "security",
            Field::Schemes => "schemes",
            Field::Example => "example",
        }
    }
}

impl PolicyError {
    /// An error found by a reader: its message, where the reader was in the policy, and its
    /// line and column when it knows them.
    fn read(message: String, path: Option<&Path>, place: Option<(usize, usize)>) -> PolicyError {
        let mut route = None;
        let mut field = None;
        for segment in path.into_iter().flatten() {
            match segment {
                Segment::Map { key } if key == "routes" && route.is_none() => {
                    field = Some(Field::Routes);
                }
                Segment::Map { key } if key == "schemes" && route.is_none() => {
                    field = Some(Field::Schemes);
                }
                Segment::Seq { index } if field == Some(Field::Routes) && route.is_none() => {
                    route = Some(ErrorRoute {
                        index: *index,
                        name: None,
                    });
                    field = None;
                }
                Segment::Map { key } if route.is_some() && field.is_none() => {
                    field = match key.as_str() {
                        "method" => Some(Field::Method),
                        "path" => Some(Field::Path),
                        "access" => Some(Field::Access),
                        "security" => Some(Field::Security),
                        "example" => Some(Field::Example),
                        _ => None,
                    };
                }
                _ => {}
            }
        }
        PolicyError {
            message,
            route,
            field,
            line: place.map(|(line, _)| line),
            column: place.map(|(_, column)| column),
        }
    }

    /// The error in words with the route and member it is in, without the line and column:
    /// e.g. "route 1 (GET p): the path must start with /".
    pub fn describe(&self) -> String {
        let mut text = String::new();
        if let Some(route) = &self.route {
            text.push_str(&format!("route {}", route.index + 1));
            if let Some(name) = &route.name {
                text.push_str(&format!(" ({name})"));
            }
        }
        if let Some(field) = self.field {
            if !text.is_empty() {
                text.push_str(", ");
            }
            text.push_str(&format!("`{}`", field.name()));
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&self.message);
        text
    }
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

    /// The demo API: Bearer tokens, Basic passwords, an API key in `X-API-Key` and a session
    /// cookie; `GET /metrics` takes the API key only, `POST /users/{id}/notes` a token or a
    /// session, every other route any of them.
    pub fn default_api() -> Policy {
        let route = |method: &str, path: &str, access: Access| Route {
            method: method.to_string(),
            path: path.to_string(),
            access,
            security: None,
            example: None,
        };
        let only = |route: Route, schemes: &[&str]| Route {
            security: Some(schemes.iter().map(|name| Requirement::one(*name)).collect()),
            ..route
        };
        let http = |scheme: &str| Scheme::Http {
            scheme: scheme.to_string(),
        };
        Policy {
            schemes: BTreeMap::from([
                ("bearer".to_string(), http("bearer")),
                ("basic".to_string(), http("basic")),
                (
                    "apiKey".to_string(),
                    Scheme::ApiKey {
                        location: KeyLocation::Header,
                        name: "X-API-Key".to_string(),
                    },
                ),
                (
                    "session".to_string(),
                    Scheme::Session {
                        cookie: "sessionid".to_string(),
                    },
                ),
            ]),
            routes: vec![
                route("GET", "/public", Access::Public),
                route("GET", "/profile", Access::Authenticated),
                route("GET", "/admin", Access::Role("admin".to_string())),
                route("DELETE", "/users/{id}", Access::Role("admin".to_string())),
                route("GET", "/users/{id}/notes", Access::Owner("id".to_string())),
                only(
                    route("POST", "/users/{id}/notes", Access::Owner("id".to_string())),
                    &["bearer", "session"],
                ),
                route("GET", "/reports", Access::Scope("reports:read".to_string())),
                only(route("GET", "/metrics", Access::Authenticated), &["apiKey"]),
            ],
        }
    }

    /// The schemes a route accepts, by name, each once, in the order its `security` names them
    /// (or the policy's order); empty when the policy names no schemes.
    pub fn schemes_of<'a>(&'a self, route: &'a Route) -> Vec<(&'a str, &'a Scheme)> {
        match &route.security {
            Some(requirements) => {
                let mut found: Vec<(&str, &Scheme)> = Vec::new();
                for name in requirements
                    .iter()
                    .flat_map(|requirement| &requirement.schemes)
                {
                    let Some((name, scheme)) = self.schemes.get_key_value(name) else {
                        continue;
                    };
                    if !found.iter().any(|(known, _)| *known == name.as_str()) {
                        found.push((name.as_str(), scheme));
                    }
                }
                found
            }
            None => self
                .schemes
                .iter()
                .map(|(name, scheme)| (name.as_str(), scheme))
                .collect(),
        }
    }

    /// Reads a policy from JSON, then checks it (see [`Policy::validate`]). A member other
    /// than `routes`, `method`, `path` and `access` is refused, so a misspelt one is shown.
    pub fn from_json(text: &str) -> Result<Policy, PolicyError> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let place = |error: &serde_json::Error| {
            // serde_json counts columns in bytes; the error names characters.
            (error.line() > 0).then(|| {
                let line_start: usize = text
                    .split_inclusive('\n')
                    .take(error.line() - 1)
                    .map(str::len)
                    .sum();
                crate::text::line_column(text, line_start + error.column().saturating_sub(1))
            })
        };
        let policy: Policy =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
                let place = place(error.inner());
                PolicyError::read(json_message(error.inner()), Some(error.path()), place)
            })?;
        deserializer
            .end()
            .map_err(|error| PolicyError::read(json_message(&error), None, place(&error)))?;
        policy.validate()?;
        Ok(policy)
    }

    /// Reads a policy from TOML (the small subset a policy needs, read as the toml crate reads
    /// it; anything else is refused with its line and column), then checks it (see
    /// [`Policy::validate`]).
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        toml_text::read(text)
    }

    /// The policy as TOML, readable by [`Policy::from_toml`] and by any TOML reader.
    pub fn to_toml(&self) -> String {
        toml_text::write(self)
    }

    /// The policy as compact JSON, readable by [`Policy::from_json`]. Compact because links
    /// carry it, where every indenting space would cost three characters.
    pub fn to_json(&self) -> String {
        // Serializing plain strings and enums cannot fail; an empty text is the safe fallback.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Checks what the readers cannot: methods are HTTP tokens, paths start with `/`, `{param}`
    /// segments are whole and named, an `owner` rule names a parameter of its path, schemes
    /// are ones authpath reads and a route's `security` names them.
    pub fn validate(&self) -> Result<(), PolicyError> {
        for (name, scheme) in &self.schemes {
            let fail = |message: String| PolicyError {
                message: format!("scheme `{name}`: {message}"),
                route: None,
                field: Some(Field::Schemes),
                line: None,
                column: None,
            };
            match scheme {
                Scheme::Http { scheme } if !Scheme::HTTP_SCHEMES.contains(&scheme.as_str()) => {
                    return Err(fail(format!(
                        "authpath reads the http schemes bearer, basic and token, not `{scheme}`"
                    )));
                }
                Scheme::ApiKey { name, .. } | Scheme::Session { cookie: name }
                    if name.is_empty() || !name.bytes().all(crate::text::is_token_byte) =>
                {
                    return Err(fail(format!(
                        "the name {name:?} must be a token such as X-API-Key"
                    )));
                }
                _ => {}
            }
        }
        for (index, route) in self.routes.iter().enumerate() {
            let fail = |field: Field, message: String| PolicyError {
                message,
                route: Some(ErrorRoute {
                    index,
                    name: Some(format!("{} {}", route.method, route.path)),
                }),
                field: Some(field),
                line: None,
                column: None,
            };
            if route.method.is_empty() || !route.method.bytes().all(crate::text::is_token_byte) {
                return Err(fail(
                    Field::Method,
                    "the method must be an HTTP token such as GET".to_string(),
                ));
            }
            if !route.path.starts_with('/') {
                return Err(fail(Field::Path, "the path must start with /".to_string()));
            }
            let mut names = Vec::new();
            for segment in route.path.split('/').skip(1) {
                match parameter_name(segment) {
                    Some(Ok(name)) => names.push(name),
                    Some(Err(())) => {
                        return Err(fail(
                            Field::Path,
                            format!(
                            "segment {segment:?} must be a whole {{name}} parameter or plain text"
                        ),
                        ))
                    }
                    None => {}
                }
            }
            if let Some(security) = &route.security {
                if security.is_empty() {
                    return Err(fail(
                        Field::Security,
                        "an empty security list accepts nothing: name a scheme, or make the route public"
                            .to_string(),
                    ));
                }
                if security.iter().all(Requirement::is_anonymous) {
                    return Err(fail(
                        Field::Security,
                        "a route that needs no credentials at all is public: write access = \"public\""
                            .to_string(),
                    ));
                }
                if let Some(twice) = security.iter().find_map(|requirement| {
                    let names = &requirement.schemes;
                    names
                        .iter()
                        .enumerate()
                        .find(|(at, name)| names[..*at].contains(name))
                        .map(|(_, name)| name)
                }) {
                    return Err(fail(
                        Field::Security,
                        format!("a requirement names `{twice}` twice"),
                    ));
                }
                if let Some(unknown) = security
                    .iter()
                    .flat_map(|requirement| &requirement.schemes)
                    .find(|name| !self.schemes.contains_key(name.as_str()))
                {
                    let known: Vec<&str> = self.schemes.keys().map(String::as_str).collect();
                    return Err(fail(
                        Field::Security,
                        if known.is_empty() {
                            format!("security names `{unknown}`, but the policy has no schemes")
                        } else {
                            format!(
                                "security names `{unknown}`, which is not one of the schemes ({})",
                                known.join(", ")
                            )
                        },
                    ));
                }
            }
            if let Some(example) = &route.example {
                if let Err(error) = serde_json::from_str::<IgnoredAny>(example) {
                    return Err(fail(
                        Field::Example,
                        format!("the example is not JSON: {}", json_message(&error)),
                    ));
                }
            }
            if let Access::Owner(parameter) = &route.access {
                if !names.contains(&parameter.as_str()) {
                    return Err(fail(
                        Field::Access,
                        format!("the owner rule names {{{parameter}}}, which is not in the path"),
                    ));
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

impl fmt::Display for PolicyError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(formatter, "line {line}, column {column}: "),
            (Some(line), None) => write!(formatter, "line {line}: "),
            _ => Ok(()),
        }?;
        formatter.write_str(&self.describe())
    }
}

/// serde_json's message without the " at line 1 column 5" it appends: the place is kept apart.
fn json_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&suffix) {
        Some(message) => message.to_string(),
        None => text,
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

pub(crate) fn match_path(pattern: &str, path: &str) -> Option<Params> {
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
            security: None,
            example: None,
        };
        let policy = Policy {
            schemes: Default::default(),
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
