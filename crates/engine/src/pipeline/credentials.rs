//! The credentials step: what the request presents to this server's readers, and whether the
//! server can use it.

use super::{Caller, Decision, Run};
use crate::credentials::{Place, Reader, Verifier, READERS};
use crate::facts::Presented;
use crate::http::Request;
use crate::model::{Authentication, Authorization, Node, Outcome};
use crate::policy::Access;
use crate::profile::{AuthorizationSyntax, Case, Missing, ServerProfile, Unusable};
use crate::text::{is_token68, is_token_byte, shorten};

/// How a request presents credentials to one server, before verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Credential<'r> {
    None,
    /// One value, read by one of the server's readers.
    Read {
        reader: &'static Reader,
        value: &'r str,
    },
    Unsupported(&'r str),
    /// A scheme with nothing after it, such as `Authorization: Bearer`.
    Empty(String),
    Malformed(String),
    Several(String),
}

impl Credential<'_> {
    pub(super) fn presented(&self) -> Presented {
        match self {
            Credential::None => Presented::None,
            Credential::Read { reader, .. } => Presented::Read(reader),
            Credential::Unsupported(scheme) => Presented::Unsupported(shorten(scheme, 40)),
            Credential::Empty(_) => Presented::Empty,
            Credential::Malformed(_) => Presented::Malformed,
            Credential::Several(_) => Presented::Several,
        }
    }

    pub(super) fn is_none(&self) -> bool {
        *self == Credential::None
    }
}

/// The `Authorization` schemes a server reads, as the lint names them.
pub(super) fn schemes(spec: &ServerProfile) -> Vec<String> {
    spec.readers
        .iter()
        .filter_map(|reader| reader.scheme())
        .map(str::to_string)
        .collect()
}

/// Reads the credentials of a request with the server's readers: one `Authorization` field
/// or one query parameter (RFC 6750 §2), never both; only what the server reads at all.
pub(super) fn extract<'r>(request: &'r Request, spec: &ServerProfile) -> Credential<'r> {
    let reads_authorization = spec.readers.iter().any(|reader| reader.scheme().is_some());
    let mut headers: Vec<&str> = if reads_authorization {
        request.headers_named("authorization").collect()
    } else {
        Vec::new()
    };
    if spec.first_authorization_only {
        headers.truncate(1);
    }
    if spec.syntax == AuthorizationSyntax::BearerFromList {
        match bearer_from_list(&headers) {
            Ok(bearer) => headers = bearer,
            Err(credential) => return credential,
        }
    }
    let query: Vec<(&'static Reader, &str)> = request
        .query
        .iter()
        .filter_map(|(key, value)| {
            let reader = spec
                .readers
                .iter()
                .find(|reader| reader.parameter() == Some(key.as_str()))?;
            Some((*reader, value.as_str()))
        })
        .collect();
    let parameter = query
        .first()
        .and_then(|(reader, _)| reader.parameter())
        .unwrap_or_default();
    match (headers.as_slice(), query.as_slice()) {
        ([], []) => Credential::None,
        ([], [(reader, value)]) => {
            if reader.verifier != Verifier::Jwt || is_token68(value) {
                Credential::Read { reader, value }
            } else {
                Credential::Malformed(format!(
                    "the {parameter} parameter is not a token (b64token, RFC 6750 §2.1)"
                ))
            }
        }
        // A server that compares the scheme byte for byte does not read `bearer`.
        ([value], [])
            if spec.syntax == AuthorizationSyntax::BearerExact
                && scheme_of(value).eq_ignore_ascii_case("bearer")
                && scheme_of(value) != "Bearer" =>
        {
            Credential::Unsupported(scheme_of(value))
        }
        ([value], []) => {
            let credential = if spec.syntax == AuthorizationSyntax::TwoParts {
                split_in_two(value)
            } else {
                parse_authorization(value)
            };
            match credential {
                // A scheme the server does not read is, to it, one it does not support.
                Credential::Read { reader, .. } if !spec.readers.contains(&reader) => {
                    Credential::Unsupported(scheme_of(value))
                }
                credential => credential,
            }
        }
        ([_], [_]) => Credential::Several(format!(
            "a token in the Authorization header and another in the {parameter} parameter"
        )),
        ([], _) => Credential::Several(format!("{} {parameter} parameters", query.len())),
        _ => Credential::Several(format!(
            "{} Authorization headers{}",
            headers.len(),
            if query.is_empty() {
                String::new()
            } else {
                format!(" and an {parameter} parameter")
            }
        )),
    }
}

/// The reader of an `Authorization` scheme, among all the engine knows.
fn authorization_reader(scheme: &str) -> Option<&'static Reader> {
    READERS.iter().copied().find(|reader| {
        reader
            .scheme()
            .is_some_and(|name| name.eq_ignore_ascii_case(scheme))
    })
}

/// `value.split(' ')` with exactly two parts, as passport-http-bearer and express-jwt read the
/// header: the second part is the Bearer token whatever its characters (the token check
/// refuses what is not a token); another scheme is one the server does not support.
fn split_in_two(value: &str) -> Credential<'_> {
    let mut parts = value.split(' ');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(scheme), Some(credentials), None) if scheme.eq_ignore_ascii_case("bearer") => {
            match (credentials.is_empty(), authorization_reader(scheme)) {
                (true, _) | (false, None) => {
                    Credential::Empty(format!("{scheme} without credentials"))
                }
                (false, Some(reader)) => Credential::Read {
                    reader,
                    value: credentials,
                },
            }
        }
        (Some(scheme), Some(_), None) => Credential::Unsupported(scheme),
        _ => Credential::Malformed(
            "the Authorization header is not two parts separated by one space".to_string(),
        ),
    }
}

/// The `Authorization` fields as one comma-separated list, as Werkzeug joins them: its one
/// element whose scheme is exactly `Bearer` (none when the list is empty), or why not.
fn bearer_from_list<'a>(headers: &[&'a str]) -> Result<Vec<&'a str>, Credential<'a>> {
    let elements: Vec<&str> = headers
        .iter()
        .flat_map(|value| value.split(','))
        .map(|element| element.trim_matches(' '))
        .filter(|element| !element.is_empty())
        .collect();
    let bearer: Vec<&str> = elements
        .iter()
        .copied()
        .filter(|element| element.split_whitespace().next() == Some("Bearer"))
        .collect();
    match (elements.first(), bearer.len()) {
        (None, _) | (_, 1) => Ok(bearer),
        (Some(first), 0) => Err(Credential::Unsupported(scheme_of(first))),
        (_, count) => Err(Credential::Several(format!(
            "{count} Bearer credentials in the Authorization field(s)"
        ))),
    }
}

fn scheme_of(value: &str) -> &str {
    value.split_once(' ').map_or(value, |(scheme, _)| scheme)
}

/// RFC 9110 §11.6.2: `scheme token68`, the scheme in any case; a scheme no reader knows is
/// unsupported.
fn parse_authorization(value: &str) -> Credential<'_> {
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if scheme.is_empty() {
        return Credential::Malformed("the Authorization header has no scheme".to_string());
    }
    if !scheme.bytes().all(is_token_byte) {
        return Credential::Malformed(format!(
            "the scheme {:?} is not a token",
            shorten(scheme, 40)
        ));
    }
    let credentials = rest.trim_start_matches(' ');
    let Some(reader) = authorization_reader(scheme) else {
        return Credential::Unsupported(scheme);
    };
    if credentials.is_empty() {
        return Credential::Empty(format!("{scheme} without credentials"));
    }
    if !is_token68(credentials) {
        return Credential::Malformed(format!(
            "the {scheme} credentials are not a single token68 (RFC 9110 §11.2)"
        ));
    }
    Credential::Read {
        reader,
        value: credentials,
    }
}

/// What the trace says a server accepts, from the schemes it reads: "this server accepts
/// Bearer and Basic".
fn accepted_schemes(schemes: &[String]) -> String {
    match schemes {
        [] => "this server reads no Authorization scheme".to_string(),
        [one] => format!("this server accepts {one} only"),
        [rest @ .., last] => format!("this server accepts {} and {last}", rest.join(", ")),
    }
}

/// The credentials step's condition, from the server's readers: under the reference profiles
/// "exactly one Authorization header (Bearer or Basic) or one access_token parameter".
fn condition(spec: &ServerProfile) -> String {
    let schemes = schemes(spec).join(" or ");
    let header = match (schemes.is_empty(), spec.first_authorization_only) {
        (true, _) => String::new(),
        (false, true) => format!("the first Authorization header ({schemes})"),
        (false, false) => format!("exactly one Authorization header ({schemes})"),
    };
    let parameters: Vec<String> = spec
        .readers
        .iter()
        .filter_map(|reader| reader.parameter())
        .map(|name| format!("one {name} parameter"))
        .collect();
    let mut places: Vec<String> = Vec::new();
    if !header.is_empty() {
        places.push(header);
    }
    places.extend(parameters);
    if places.is_empty() {
        "no credentials: this server reads none".to_string()
    } else {
        places.join(" or ")
    }
}

/// "no Authorization header, no access_token parameter": the places the server looked.
fn looked(spec: &ServerProfile) -> String {
    let places: Vec<String> = spec
        .readers
        .iter()
        .map(|reader| match reader.place {
            Place::Authorization(_) => "no Authorization header".to_string(),
            Place::Query(name) => format!("no {name} parameter"),
        })
        .fold(Vec::new(), |mut places, place| {
            if !places.contains(&place) {
                places.push(place);
            }
            places
        });
    places.join(", ")
}

impl Run<'_, '_> {
    /// Credentials where the route needs them: none is refused, like one the server cannot use.
    pub(super) fn credentials(&mut self) -> Result<&'static str, Decision> {
        let condition = condition(self.spec);
        if self.credential.is_none() {
            self.vars.authentication = Authentication::Failed;
            let detail = format!("none sent: {}", looked(self.spec));
            let decision = Decision::new(
                Case::Missing(Missing::NoCredentials),
                "authentication is required: no credentials were sent",
            );
            return Err(self.decide(
                Node::Credentials,
                "credentials",
                &condition,
                detail,
                decision,
            ));
        }
        self.usable(&condition)
    }

    /// Credentials read before routing: none goes on as anonymous.
    pub(super) fn credentials_or_anonymous(&mut self) -> Result<&'static str, Decision> {
        let condition = condition(self.spec);
        if self.credential.is_none() {
            self.vars.authentication = Authentication::Anonymous;
            self.caller = Caller::Anonymous;
            self.pass(
                Node::Credentials,
                "credentials",
                &condition,
                Outcome::Passed,
                "none sent: going on as anonymous".to_string(),
            );
            return Ok("none: anonymous");
        }
        self.usable(&condition)
    }

    /// A request without credentials on a path no public route has is refused before routing
    /// (a filter chain's `anyRequest().authenticated()`).
    pub(super) fn anonymous_on_public_paths(&mut self, request: &Request) -> Result<(), Decision> {
        if !self.credential.is_none() || self.path_is_public(request) {
            return Ok(());
        }
        self.vars.authentication = Authentication::Failed;
        let detail = format!(
            "no public route has {} {}: refused for the missing credentials before routing",
            shorten(&request.method, 20),
            shorten(&request.path, 80)
        );
        let decision = Decision::new(
            Case::Missing(Missing::NoCredentials),
            "authentication is required: no credentials were sent",
        );
        Err(self.decide(
            Node::Credentials,
            "credentials",
            &condition(self.spec),
            detail,
            decision,
        ))
    }

    /// A server that checks rights before it checks for a user, as many tutorials do
    /// (`if user?.role != "admin" return 403`), refuses a request without credentials to a
    /// route that needs a role, a scope or ownership for the rights: the mistake R3 names.
    pub(super) fn rights_first(&mut self) -> Result<(), Decision> {
        let access = self.route_access();
        let needs_rights = matches!(
            access,
            Access::Role(_) | Access::Scope(_) | Access::Owner(_)
        );
        if !needs_rights || !self.credential.is_none() {
            return Ok(());
        }
        self.vars.authentication = Authentication::Failed;
        self.vars.authorization = Authorization::Failed;
        let detail = format!(
            "none sent, yet the rule \"{}\" is checked as if a user had failed it",
            access.describe()
        );
        let decision = Decision::new(
            Case::Missing(Missing::RightsFirst),
            "you do not have the rights for this route",
        );
        Err(self.decide(
            Node::Credentials,
            "credentials",
            &condition(self.spec),
            detail,
            decision,
        ))
    }

    /// Sent credentials: one the server can verify goes on, anything else is refused.
    fn usable(&mut self, condition: &str) -> Result<&'static str, Decision> {
        let (case, detail) = match &self.credential {
            Credential::Read { reader, .. } => {
                self.pass(
                    Node::Credentials,
                    "credentials",
                    condition,
                    Outcome::Passed,
                    reader.found.to_string(),
                );
                return Ok("found");
            }
            // Not reached: each caller settles "none" first.
            Credential::None => (
                Case::Missing(Missing::NoCredentials),
                "authentication is required: no credentials were sent".to_string(),
            ),
            Credential::Unsupported(scheme) => (
                Case::Unusable(Unusable::UnsupportedScheme),
                format!(
                    "the scheme {} is not supported; {}",
                    shorten(scheme, 40),
                    accepted_schemes(&self.facts.schemes)
                ),
            ),
            Credential::Several(why) => (
                Case::Unusable(Unusable::SeveralCredentials),
                format!("credentials sent two ways at once: {why}"),
            ),
            Credential::Empty(why) => (
                Case::Unusable(Unusable::EmptyCredentials),
                format!("malformed credentials: {why}"),
            ),
            Credential::Malformed(why) => (
                Case::Unusable(Unusable::MalformedCredentials),
                format!("malformed credentials: {why}"),
            ),
        };
        self.vars.authentication = Authentication::Failed;
        let decision = Decision::new(case, &detail);
        Err(self.decide(
            Node::Credentials,
            "credentials",
            condition,
            detail,
            decision,
        ))
    }
}
