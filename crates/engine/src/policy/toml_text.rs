//! The policy as TOML: a writer and a reader for the small subset a policy needs, behind
//! `Policy::from_toml` and `Policy::to_toml` for the page and the command line alike. The
//! `toml` crate would cost the page more than this feature is worth (BENCHMARKS.md has the
//! measurement); what this reads, the toml crate reads the same way with the policy's serde
//! derives (tests and the `policy` fuzz target hold the two together):
//!
//! ```toml
//! # comments, blank lines
//! [[routes]]
//! method = "GET"                 # basic "…" or literal '…' strings
//! path = "/users/{id}/notes"
//! access = { owner = "id" }      # or "public", "authenticated", { role = … }, { scope = … }
//!
//! [[routes]]                     # the toml crate's own layout is read too:
//! method = "GET"
//! path = "/admin"
//! [routes.access]
//! role = "admin"
//! ```
//!
//! and `routes = []` for a policy without routes. Security schemes come as tables
//! (`[schemes.apiKey]` then `type = "apiKey"`, `in = "header"`, `name = "X-API-Key"`) or inline
//! under `[schemes]` (`bearer = { type = "http", scheme = "bearer" }`), and a route's
//! `security = ["bearer", "session"]` is an array on one line, of names and of arrays of names
//! (schemes sent together, `[]` for none: `security = [["apiKey", "bearer"], []]`); a route's
//! `example` is a string of JSON. As TOML 1.1 allows, an inline table may
//! span lines (`access = {` … `role = "admin" }`, comments between) and end with a comma. Anything else is refused with the line and
//! column of the first thing not understood, and the route and member it is in. An unknown key
//! or table is refused, as the derives refuse it, so a typo (`methd`) is shown.

use std::collections::BTreeMap;

use super::{
    Access, ErrorRoute, Field, KeyLocation, Policy, PolicyError, Requirement, Route, Scheme,
};

/// The policy as TOML that both [`read`] and the toml crate read back to the same policy.
pub fn write(policy: &Policy) -> String {
    let mut text = String::new();
    // A key after a table header would belong to that table: `routes = []` goes first.
    if policy.routes.is_empty() {
        text.push_str("routes = []\n");
        if !policy.schemes.is_empty() {
            text.push('\n');
        }
    }
    for (name, scheme) in &policy.schemes {
        text.push_str(&format!("[schemes.{}]\n", key(name)));
        let pairs: Vec<(&str, &str)> = match scheme {
            Scheme::Http { scheme } => vec![("type", "http"), ("scheme", scheme)],
            Scheme::ApiKey { location, name } => {
                vec![("type", "apiKey"), ("in", location.name()), ("name", name)]
            }
            Scheme::Session { cookie } => vec![("type", "session"), ("cookie", cookie)],
        };
        for (key, value) in pairs {
            text.push_str(&format!("{key} = {}\n", quote(value)));
        }
        text.push('\n');
    }
    if policy.routes.is_empty() {
        // The scheme tables end with a blank line, which the text does not need at its end.
        text.truncate(text.trim_end().len());
        text.push('\n');
        return text;
    }
    for (index, route) in policy.routes.iter().enumerate() {
        if index > 0 {
            text.push('\n');
        }
        let access = match route.access.name() {
            (word, None) => quote(word),
            (rule, Some(argument)) => format!("{{ {rule} = {} }}", quote(argument)),
        };
        text.push_str(&format!(
            "[[routes]]\nmethod = {}\npath = {}\naccess = {access}\n",
            quote(&route.method),
            quote(&route.path)
        ));
        if let Some(security) = &route.security {
            let requirements: Vec<String> = security.iter().map(requirement).collect();
            text.push_str(&format!("security = [{}]\n", requirements.join(", ")));
        }
        if let Some(example) = &route.example {
            text.push_str(&format!("example = {}\n", quote(example)));
        }
    }
    text
}

/// A requirement as the policy writes it: one name alone, several (or none) as an array.
fn requirement(requirement: &Requirement) -> String {
    match requirement.schemes.as_slice() {
        [one] => quote(one),
        names => {
            let names: Vec<String> = names.iter().map(|name| quote(name)).collect();
            format!("[{}]", names.join(", "))
        }
    }
}

/// A key as TOML writes it: bare when it can be, quoted otherwise.
fn key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-');
    if bare {
        name.to_string()
    } else {
        quote(name)
    }
}

/// Reads a policy written in the subset above, then checks it as `Policy::validate` does.
pub fn read(text: &str) -> Result<Policy, PolicyError> {
    let mut reader = Reader {
        routes: Vec::new(),
        empty_list: false,
        in_access_table: false,
        schemes: Vec::new(),
        table: Table::Top,
    };
    for (number, line) in logical_lines(text) {
        reader.line(number, &line)?;
    }
    let mut routes = Vec::with_capacity(reader.routes.len());
    for (index, draft) in reader.routes.into_iter().enumerate() {
        let missing = |field: &str| PolicyError {
            message: format!("missing field `{field}`"),
            route: Some(ErrorRoute { index, name: None }),
            field: None,
            line: Some(draft.line),
            column: Some(1),
        };
        routes.push(Route {
            method: draft.method.ok_or_else(|| missing("method"))?,
            path: draft.path.ok_or_else(|| missing("path"))?,
            access: draft.access.ok_or_else(|| missing("access"))?,
            security: draft.security,
            example: draft.example,
        });
    }
    let mut schemes = BTreeMap::new();
    for draft in reader.schemes {
        let scheme = draft.scheme()?;
        schemes.insert(draft.name, scheme);
    }
    if routes.is_empty() && !reader.empty_list {
        return Err(PolicyError {
            message: "start a route with [[routes]], or write routes = []".to_string(),
            route: None,
            field: Some(Field::Routes),
            line: None,
            column: None,
        });
    }
    let policy = Policy { schemes, routes };
    policy.validate()?;
    Ok(policy)
}

/// The statements of `text` with their 1-based line numbers: each line, except that an inline
/// table left open at the end of a line goes on into the next ones (TOML 1.1), which are
/// joined to it without their comments. Errors inside such a table name its first line.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut statements: Vec<(usize, String)> = Vec::new();
    let mut open = 0usize;
    for (index, line) in text.lines().enumerate() {
        let (code, depth) = scan(line);
        match statements.last_mut() {
            Some((_, statement)) if open > 0 => {
                statement.push(' ');
                statement.push_str(code);
            }
            _ => statements.push((index + 1, line.to_string())),
        }
        if let Some((_, statement)) = statements.last_mut().filter(|_| open == 0 && depth > 0) {
            // The first line keeps no comment once a table continues past it.
            *statement = code.to_string();
        }
        open = open.saturating_add_signed(depth);
    }
    statements
}

/// A line without its comment, and how many inline tables it leaves open (or closes, when
/// negative): braces inside strings do not count.
fn scan(line: &str) -> (&str, isize) {
    let mut depth = 0isize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (index, character) in line.char_indices() {
        match (quote, character) {
            (Some('"'), '\\') if !escaped => {
                escaped = true;
                continue;
            }
            (Some(open), character) if character == open && !escaped => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(character),
            (None, '{') => depth += 1,
            (None, '}') => depth -= 1,
            (None, '#') => return (line.get(..index).unwrap_or(line), depth),
            (None, _) => {}
        }
        escaped = false;
    }
    // A string cannot go on past the end of its line: nothing is joined to it, so the reader
    // refuses it where it is.
    if quote.is_some() {
        return (line, 0);
    }
    (line, depth)
}

/// A route being read: each field once, and the line of its `[[routes]]`.
struct Draft {
    line: usize,
    method: Option<String>,
    path: Option<String>,
    access: Option<Access>,
    security: Option<Vec<Requirement>>,
    example: Option<String>,
}

/// A scheme being read: its name, the line it starts on, and its keys as written.
struct SchemeDraft {
    name: String,
    line: usize,
    keys: Vec<(String, String)>,
}

impl SchemeDraft {
    /// The scheme its keys describe, as the policy's derives read it.
    fn scheme(&self) -> Result<Scheme, PolicyError> {
        let fail = |message: String| PolicyError {
            message: format!("scheme `{}`: {message}", self.name),
            route: None,
            field: Some(Field::Schemes),
            line: Some(self.line),
            column: Some(1),
        };
        let get = |key: &str| {
            self.keys
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value.clone())
        };
        let allowed: &[&str] = match get("type").as_deref() {
            Some("http") => &["type", "scheme"],
            Some("apiKey") => &["type", "in", "name"],
            Some("session") => &["type", "cookie"],
            Some(other) => {
                return Err(fail(format!(
                    "unknown variant `{other}`, expected one of `http`, `apiKey`, `session`"
                )))
            }
            None => return Err(fail("missing field `type`".to_string())),
        };
        if let Some((unknown, _)) = self
            .keys
            .iter()
            .find(|(key, _)| !allowed.contains(&key.as_str()))
        {
            return Err(fail(format!(
                "unknown field `{unknown}`, expected one of {}",
                allowed
                    .iter()
                    .map(|key| format!("`{key}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let need = |key: &str| get(key).ok_or_else(|| fail(format!("missing field `{key}`")));
        Ok(match get("type").as_deref() {
            Some("http") => Scheme::Http {
                scheme: need("scheme")?,
            },
            Some("apiKey") => Scheme::ApiKey {
                location: match need("in")?.as_str() {
                    "header" => KeyLocation::Header,
                    "query" => KeyLocation::Query,
                    "cookie" => KeyLocation::Cookie,
                    other => {
                        return Err(fail(format!(
                            "unknown variant `{other}`, expected one of `header`, `query`, `cookie`"
                        )))
                    }
                },
                name: need("name")?,
            },
            _ => Scheme::Session {
                cookie: need("cookie")?,
            },
        })
    }
}

/// The table the statements below a header belong to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Table {
    /// Before any header.
    Top,
    /// `[schemes]`: `name = { type = … }` lines.
    Schemes,
    /// `[schemes.NAME]`: the keys of the last scheme.
    Scheme,
    /// `[[routes]]` (and `[routes.access]`, see `in_access_table`).
    Routes,
}

struct Reader {
    routes: Vec<Draft>,
    empty_list: bool,
    /// After `[routes.access]`: keys are `role`, `scope` or `owner`.
    in_access_table: bool,
    schemes: Vec<SchemeDraft>,
    table: Table,
}

/// A failure at a 1-based line and column.
fn fail(line: usize, column: usize, message: impl Into<String>) -> PolicyError {
    PolicyError {
        message: message.into(),
        route: None,
        field: None,
        line: Some(line),
        column: Some(column),
    }
}

impl Reader {
    /// One line: blank or a comment, a `[[routes]]` header, a `[routes.access]` header, or a
    /// `key = value` statement.
    fn line(&mut self, number: usize, line: &str) -> Result<(), PolicyError> {
        let mut cursor = Cursor::new(line, number);
        cursor.skip_space();
        if cursor.at_end_of_statement() {
            return Ok(());
        }
        if cursor.eat("[[") {
            return self.routes_header(number, &mut cursor);
        }
        if cursor.eat("[") {
            cursor.skip_space();
            if cursor.rest.starts_with("schemes") {
                return self.schemes_header(number, &mut cursor);
            }
            return self.access_header(number, &mut cursor);
        }
        if matches!(self.table, Table::Schemes | Table::Scheme) {
            let mut field = Some(Field::Schemes);
            return self
                .scheme_statement(number, &mut cursor)
                .map_err(|mut error| {
                    error.field = field.take();
                    error
                });
        }
        // The rest is a statement: its error names the route it is in and the member.
        let route = self.routes.len().checked_sub(1);
        let mut field = self.in_access_table.then_some(Field::Access);
        self.statement(number, &mut cursor, &mut field)
            .map_err(|mut error| {
                error.route = route.map(|index| ErrorRoute { index, name: None });
                error.field = field;
                error
            })
    }

    /// `[[routes]]` (after its `[[`): a new route.
    fn routes_header(&mut self, number: usize, cursor: &mut Cursor) -> Result<(), PolicyError> {
        cursor.skip_space();
        let column = cursor.column();
        let name = cursor.key()?;
        if name != "routes" {
            return Err(fail(
                number,
                column,
                format!("unknown table `{name}`: a policy has only [[routes]] tables"),
            ));
        }
        cursor.skip_space();
        cursor.expect("]]")?;
        cursor.end()?;
        if self.empty_list {
            return Err(fail(number, 1, "`routes` is already given as routes = []"));
        }
        self.routes.push(Draft {
            line: number,
            method: None,
            path: None,
            access: None,
            security: None,
            example: None,
        });
        self.in_access_table = false;
        self.table = Table::Routes;
        Ok(())
    }

    /// `[schemes]` or `[schemes.NAME]` (after its `[`).
    fn schemes_header(&mut self, number: usize, cursor: &mut Cursor) -> Result<(), PolicyError> {
        cursor.expect_word("schemes")?;
        cursor.skip_space();
        if cursor.eat(".") {
            cursor.skip_space();
            let name = cursor.key()?;
            cursor.skip_space();
            cursor.expect("]")?;
            cursor.end()?;
            self.new_scheme(number, name)?;
            self.table = Table::Scheme;
        } else {
            cursor.skip_space();
            cursor.expect("]")?;
            cursor.end()?;
            self.table = Table::Schemes;
        }
        self.in_access_table = false;
        Ok(())
    }

    fn new_scheme(&mut self, number: usize, name: String) -> Result<(), PolicyError> {
        if self.schemes.iter().any(|scheme| scheme.name == name) {
            return Err(fail(number, 1, format!("duplicate scheme `{name}`")));
        }
        self.schemes.push(SchemeDraft {
            name,
            line: number,
            keys: Vec::new(),
        });
        Ok(())
    }

    /// Under `[schemes.NAME]`: `key = "value"`; under `[schemes]`: `NAME = { key = "value", … }`.
    fn scheme_statement(&mut self, number: usize, cursor: &mut Cursor) -> Result<(), PolicyError> {
        let key_column = cursor.column();
        let key = cursor.key()?;
        cursor.skip_space();
        cursor.expect("=")?;
        cursor.skip_space();
        if self.table == Table::Schemes {
            if !cursor.eat("{") {
                return Err(fail(
                    number,
                    key_column,
                    "a scheme under [schemes] is an inline table: name = { type = \"http\", scheme = \"bearer\" }",
                ));
            }
            self.new_scheme(number, key)?;
            loop {
                cursor.skip_space();
                if cursor.eat("}") {
                    break;
                }
                let inner = cursor.key()?;
                cursor.skip_space();
                cursor.expect("=")?;
                cursor.skip_space();
                let value = cursor.string()?;
                self.scheme_key(number, key_column, inner, value)?;
                cursor.skip_space();
                if !cursor.eat(",") {
                    cursor.skip_space();
                    cursor.expect("}")?;
                    break;
                }
            }
            return cursor.end();
        }
        let value = cursor.string()?;
        cursor.end()?;
        self.scheme_key(number, key_column, key, value)
    }

    fn scheme_key(
        &mut self,
        number: usize,
        column: usize,
        key: String,
        value: String,
    ) -> Result<(), PolicyError> {
        let Some(scheme) = self.schemes.last_mut() else {
            return Err(fail(
                number,
                column,
                "a scheme key needs a [schemes.NAME] first",
            ));
        };
        if scheme.keys.iter().any(|(name, _)| *name == key) {
            return Err(fail(number, column, format!("duplicate key `{key}`")));
        }
        scheme.keys.push((key, value));
        Ok(())
    }

    /// `[routes.access]` (after its `[`): the current route's access, as a table.
    fn access_header(&mut self, number: usize, cursor: &mut Cursor) -> Result<(), PolicyError> {
        let column = cursor.column();
        cursor.skip_space();
        cursor.expect_word("routes")?;
        cursor.expect(".")?;
        cursor.expect_word("access")?;
        cursor.skip_space();
        cursor.expect("]")?;
        cursor.end()?;
        let Some(route) = self.routes.last_mut() else {
            return Err(fail(
                number,
                column,
                "[routes.access] needs a [[routes]] before it",
            ));
        };
        if route.access.is_some() {
            return Err(fail(number, column, "duplicate key `access`"));
        }
        self.in_access_table = true;
        Ok(())
    }

    /// A `key = value` line; `field` is set to the member once the key is read.
    fn statement(
        &mut self,
        number: usize,
        cursor: &mut Cursor,
        field: &mut Option<Field>,
    ) -> Result<(), PolicyError> {
        let key_column = cursor.column();
        let key = cursor.key()?;
        if field.is_none() {
            *field = match key.as_str() {
                "method" => Some(Field::Method),
                "path" => Some(Field::Path),
                "access" => Some(Field::Access),
                "security" => Some(Field::Security),
                "example" => Some(Field::Example),
                _ => None,
            };
        }
        cursor.skip_space();
        cursor.expect("=")?;
        cursor.skip_space();
        let key = Key {
            name: &key,
            line: number,
            column: key_column,
        };
        if self.in_access_table {
            return self.access_table_entry(&key, cursor);
        }
        match self.routes.last_mut() {
            Some(route) => route_field(route, &key, cursor),
            None => self.top_level(&key, cursor),
        }
    }

    /// `role = "…"` (or `scope`, `owner`) under `[routes.access]`: one key only.
    fn access_table_entry(&mut self, key: &Key, cursor: &mut Cursor) -> Result<(), PolicyError> {
        let value = cursor.string()?;
        cursor.end()?;
        let access = access_of(key.name, value, key.line, key.column)?;
        if let Some(route) = self.routes.last_mut() {
            if route.access.is_some() {
                return Err(key.error("the access table has one key: role, scope or owner"));
            }
            route.access = Some(access);
        }
        Ok(())
    }

    /// A statement before any `[[routes]]`: only `routes = []`.
    fn top_level(&mut self, key: &Key, cursor: &mut Cursor) -> Result<(), PolicyError> {
        if key.name == "routes" && cursor.eat("[") {
            cursor.skip_space();
            cursor.expect("]")?;
            cursor.end()?;
            self.empty_list = true;
            return Ok(());
        }
        Err(key.error(format!(
            "unknown field `{}`: a policy has only [[routes]] tables",
            key.name
        )))
    }
}

/// The key of a statement, and where it stands.
struct Key<'a> {
    name: &'a str,
    line: usize,
    column: usize,
}

impl Key<'_> {
    fn error(&self, message: impl Into<String>) -> PolicyError {
        fail(self.line, self.column, message)
    }
}

/// `method`, `path` or `access` of the route being read, each once.
fn route_field(route: &mut Draft, key: &Key, cursor: &mut Cursor) -> Result<(), PolicyError> {
    let duplicate = match key.name {
        "method" => {
            let value = cursor.string()?;
            cursor.end()?;
            route.method.replace(value).is_some()
        }
        "path" => {
            let value = cursor.string()?;
            cursor.end()?;
            route.path.replace(value).is_some()
        }
        "access" => {
            let access = access_value(cursor, key.line)?;
            cursor.end()?;
            route.access.replace(access).is_some()
        }
        "security" => {
            let requirements = requirements(cursor)?;
            cursor.end()?;
            route.security.replace(requirements).is_some()
        }
        "example" => {
            let value = cursor.string()?;
            cursor.end()?;
            route.example.replace(value).is_some()
        }
        other => {
            return Err(key.error(format!(
                "unknown field `{other}`, expected one of `method`, `path`, `access`, `security`, `example`"
            )))
        }
    };
    if duplicate {
        return Err(key.error(format!("duplicate key `{}`", key.name)));
    }
    Ok(())
}

/// `["a", ["b", "c"], []]` on one line: each a name, or an array of names (a trailing comma
/// allowed in both).
fn requirements(cursor: &mut Cursor) -> Result<Vec<Requirement>, PolicyError> {
    cursor.expect("[")?;
    let mut values = Vec::new();
    loop {
        cursor.skip_space();
        if cursor.eat("]") {
            return Ok(values);
        }
        if cursor.rest.starts_with('[') {
            values.push(Requirement {
                schemes: string_array(cursor)?,
            });
        } else {
            values.push(Requirement::one(cursor.string()?));
        }
        cursor.skip_space();
        if !cursor.eat(",") {
            cursor.skip_space();
            cursor.expect("]")?;
            return Ok(values);
        }
    }
}

/// `["a", "b"]` on one line (a trailing comma allowed).
fn string_array(cursor: &mut Cursor) -> Result<Vec<String>, PolicyError> {
    cursor.expect("[")?;
    let mut values = Vec::new();
    loop {
        cursor.skip_space();
        if cursor.eat("]") {
            return Ok(values);
        }
        values.push(cursor.string()?);
        cursor.skip_space();
        if !cursor.eat(",") {
            cursor.skip_space();
            cursor.expect("]")?;
            return Ok(values);
        }
    }
}

/// The value of `access =`: an inline table `{ role = "…" }` or a word such as `"public"`.
fn access_value(cursor: &mut Cursor, number: usize) -> Result<Access, PolicyError> {
    let value_column = cursor.column();
    if cursor.eat("{") {
        cursor.skip_space();
        let inner_column = cursor.column();
        let inner = cursor.key()?;
        cursor.skip_space();
        cursor.expect("=")?;
        cursor.skip_space();
        let value = cursor.string()?;
        cursor.skip_space();
        // TOML 1.1: a trailing comma.
        if cursor.eat(",") {
            cursor.skip_space();
        }
        cursor.expect("}")?;
        return access_of(&inner, value, number, inner_column);
    }
    let word = cursor.string()?;
    Access::named(&word, None).map_err(|message| fail(number, value_column, message))
}

fn access_of(key: &str, value: String, line: usize, column: usize) -> Result<Access, PolicyError> {
    Access::named(key, Some(value)).map_err(|message| fail(line, column, message))
}

/// A position in one line.
struct Cursor<'a> {
    rest: &'a str,
    line: &'a str,
    number: usize,
}

impl<'a> Cursor<'a> {
    fn new(line: &'a str, number: usize) -> Cursor<'a> {
        Cursor {
            rest: line,
            line,
            number,
        }
    }

    /// The 1-based column (in characters) of what comes next.
    fn column(&self) -> usize {
        let done = self.line.len() - self.rest.len();
        self.line
            .get(..done)
            .map_or(1, |text| text.chars().count() + 1)
    }

    fn error(&self, message: impl Into<String>) -> PolicyError {
        fail(self.number, self.column(), message)
    }

    fn skip_space(&mut self) {
        self.rest = self.rest.trim_start_matches([' ', '\t']);
    }

    fn at_end_of_statement(&self) -> bool {
        self.rest.is_empty() || self.rest.starts_with('#') || self.rest == "\r"
    }

    fn eat(&mut self, token: &str) -> bool {
        match self.rest.strip_prefix(token) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    fn expect(&mut self, token: &str) -> Result<(), PolicyError> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(self.error(format!("expected `{token}`")))
        }
    }

    fn expect_word(&mut self, word: &str) -> Result<(), PolicyError> {
        let column = self.column();
        let found = self.key()?;
        if found == word {
            Ok(())
        } else {
            Err(fail(
                self.number,
                column,
                format!("expected `{word}`, found `{found}`"),
            ))
        }
    }

    /// Nothing but spaces and a comment may follow a statement.
    fn end(&mut self) -> Result<(), PolicyError> {
        self.skip_space();
        if self.at_end_of_statement() {
            Ok(())
        } else {
            Err(self.error("expected the end of the line (or a # comment)"))
        }
    }

    /// A bare key (`A-Za-z0-9_-`) or a quoted one.
    fn key(&mut self) -> Result<String, PolicyError> {
        if self.rest.starts_with(['"', '\'']) {
            return self.string();
        }
        let length = self
            .rest
            .find(|character: char| {
                !(character.is_ascii_alphanumeric() || character == '_' || character == '-')
            })
            .unwrap_or(self.rest.len());
        if length == 0 {
            return Err(self.error("expected a key such as method, path or access"));
        }
        let (key, rest) = self.rest.split_at(length);
        self.rest = rest;
        Ok(key.to_string())
    }

    /// A basic `"…"` (with escapes) or literal `'…'` string on one line.
    fn string(&mut self) -> Result<String, PolicyError> {
        if self.rest.starts_with("\"\"\"") || self.rest.starts_with("'''") {
            return Err(self.error(
                "multi-line strings are not used in a policy; write the value on one line",
            ));
        }
        let opening = self.column();
        if self.eat("'") {
            return self.literal_string(opening);
        }
        if !self.eat("\"") {
            return Err(self.error("expected a string in double quotes"));
        }
        self.basic_string(opening)
    }

    /// The rest of a `'…'` string, taken as written; `opening` is the column of its `'`.
    fn literal_string(&mut self, opening: usize) -> Result<String, PolicyError> {
        let Some(end) = self.rest.find('\'') else {
            return Err(fail(
                self.number,
                opening,
                "this literal string has no closing '",
            ));
        };
        let (value, rest) = self.rest.split_at(end);
        self.rest = rest.get(1..).unwrap_or_default();
        Ok(value.to_string())
    }

    /// The rest of a `"…"` string, escapes decoded; `opening` is the column of its `"`.
    fn basic_string(&mut self, opening: usize) -> Result<String, PolicyError> {
        let mut value = String::new();
        let mut characters = self.rest.char_indices();
        while let Some((at, character)) = characters.next() {
            // The column of `character`, for an error about it.
            let column_at = || self.column() + self.rest.get(..at).map_or(0, |t| t.chars().count());
            match character {
                '"' => {
                    self.rest = self.rest.get(at + 1..).unwrap_or_default();
                    return Ok(value);
                }
                '\\' => {
                    let escaped = unescape(&mut characters).ok_or_else(|| {
                        fail(self.number, column_at(), "invalid escape in a string")
                    })?;
                    value.push(escaped);
                }
                control if control.is_control() && control != '\t' => {
                    return Err(fail(
                        self.number,
                        column_at(),
                        "a control character must be escaped in a string",
                    ));
                }
                other => value.push(other),
            }
        }
        Err(fail(self.number, opening, "this string has no closing \""))
    }
}

/// The character an escape stands for, read after its `\`; `None` for an invalid escape.
fn unescape(characters: &mut std::str::CharIndices<'_>) -> Option<char> {
    match characters.next().map(|(_, c)| c)? {
        '"' => Some('"'),
        '\\' => Some('\\'),
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        // TOML 1.1: escape, and two-digit `\xHH`.
        'e' => Some('\u{1b}'),
        kind @ ('x' | 'u' | 'U') => {
            let digits = match kind {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            let hex: String = characters.by_ref().take(digits).map(|(_, c)| c).collect();
            // `from_str_radix` would also take a sign: only hexadecimal digits are allowed.
            if hex.len() != digits || !hex.bytes().all(|byte| byte.is_ascii_hexdigit()) {
                return None;
            }
            u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
        }
        _ => None,
    }
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            control if control.is_control() => {
                quoted.push_str(&format!("\\u{:04X}", u32::from(control)));
            }
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    quoted
}
