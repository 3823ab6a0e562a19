//! The credentials step: what the request presents to this server's readers, and whether the
//! server can use it.

use super::{Caller, Decision, Run};
use crate::credentials::{Place, Reader, Verifier, BASIC, BEARER};
use crate::facts::Presented;
use crate::http::Request;
use crate::model::Scenario;
use crate::model::{Authentication, Authorization, Node, Outcome};
use crate::policy::Access;
use crate::policy::{KeyLocation, Policy, Requirement, Route, Scheme};
use crate::profile::RouteSchemes;
use crate::profile::{AuthorizationSyntax, Case, Kind, Missing, ServerProfile, Tries, Unusable};
use crate::text::{is_token68, is_token_byte, shorten};

/// How a request presents credentials to one server, before verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Credential<'r> {
    None,
    /// One value, read by one of the server's readers.
    Read {
        reader: Reader,
        value: &'r str,
    },
    Unsupported(&'r str),
    /// A scheme with nothing after it, such as `Authorization: Bearer`.
    Empty(Kind, String),
    Malformed(Kind, String),
    Several(String),
}

impl Credential<'_> {
    pub(super) fn presented(&self) -> Presented {
        match self {
            Credential::None => Presented::None,
            Credential::Read { reader, .. } => Presented::Read(reader.clone()),
            Credential::Unsupported(scheme) => Presented::Unsupported(shorten(scheme, 40)),
            Credential::Empty(..) => Presented::Empty,
            Credential::Malformed(..) => Presented::Malformed,
            Credential::Several(_) => Presented::Several,
        }
    }

    pub(super) fn is_none(&self) -> bool {
        *self == Credential::None
    }
}

/// The exit of the credentials step that lets an anonymous caller on to a route whose
/// credentials are optional.
pub(super) const OPTIONAL: &str = "none, optional";

/// A requirement of schemes sent together that a request met only in part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Partly {
    pub(super) requirement: Requirement,
    /// The names of the schemes not sent.
    pub(super) missing: Vec<String>,
}

/// The kind of credential a reader reads, for the answer to one it cannot use.
fn kind_of(reader: &Reader) -> Kind {
    match reader.verifier {
        Verifier::Jwt => Kind::Token,
        Verifier::Password => Kind::Password,
        Verifier::ApiKey | Verifier::Session => Kind::Key,
    }
}

/// The `Authorization` schemes these readers read, as the lint names them.
pub(super) fn schemes(readers: &[Reader]) -> Vec<String> {
    let mut schemes: Vec<String> = Vec::new();
    for scheme in readers.iter().filter_map(Reader::scheme) {
        if !schemes.iter().any(|known| known == scheme) {
            schemes.push(scheme.to_string());
        }
    }
    schemes
}

/// The readers this server reads `route` with, in its order of preference; with no route
/// (credentials read before routing), every scheme of the policy. A policy without schemes
/// leaves the server its own `Authorization` and token readers, as before schemes existed.
pub(super) fn readers_for(
    spec: &ServerProfile,
    policy: &Policy,
    route: Option<&Route>,
) -> Vec<Reader> {
    if policy.schemes.is_empty() {
        return spec.native.iter().copied().cloned().collect();
    }
    let accepted: Vec<&Scheme> = match (route, spec.route_schemes) {
        (Some(route), RouteSchemes::Any | RouteSchemes::First) => policy
            .schemes_of(route)
            .into_iter()
            .map(|(_, scheme)| scheme)
            .collect(),
        _ => policy.schemes.values().collect(),
    };
    let mut readers: Vec<Reader> = Vec::new();
    let mut add = |reader: Reader| {
        if !readers.contains(&reader) {
            readers.push(reader);
        }
    };
    match spec.route_schemes {
        RouteSchemes::Any => {
            for reader in spec.readers {
                for scheme in &accepted {
                    if let Some(reader) = reading(reader, scheme) {
                        add(reader);
                    }
                }
            }
        }
        RouteSchemes::First => {
            // The route's scheme that comes first in the server's order of readers, alone.
            let first = spec.readers.iter().find_map(|reader| {
                let scheme = accepted
                    .iter()
                    .find(|scheme| reading(reader, scheme).is_some())?;
                let found: Vec<Reader> = spec
                    .readers
                    .iter()
                    .filter_map(|reader| reading(reader, scheme))
                    .collect();
                Some(found)
            });
            first.into_iter().flatten().for_each(add);
        }
        RouteSchemes::Global => {
            // Each of the server's readers, named as the policy names its kind; an
            // `Authorization` scheme of the server's own needs no name.
            for reader in spec.readers {
                let named = accepted.iter().find_map(|scheme| reading(reader, scheme));
                match (named, &reader.place) {
                    (Some(named), _) => add(named),
                    (None, Place::Authorization(_)) => add(Reader::clone(reader)),
                    (None, _) => {}
                }
            }
        }
    }
    readers
}

/// `reader` reading `scheme`, under the name the scheme gives; `None` when it reads another.
fn reading(reader: &Reader, scheme: &Scheme) -> Option<Reader> {
    let named = |place: Place| Reader {
        place,
        ..Reader::clone(reader)
    };
    match (scheme, &reader.place, reader.verifier) {
        (Scheme::Http { scheme }, Place::Authorization(name), _)
            if name.eq_ignore_ascii_case(scheme) =>
        {
            Some(Reader::clone(reader))
        }
        // RFC 6750 §2.3: a Bearer token may come in the query, where the server reads it there.
        (Scheme::Http { scheme }, Place::Query(_), Verifier::Jwt) if scheme == "bearer" => {
            Some(Reader::clone(reader))
        }
        (Scheme::ApiKey { location, name }, place, Verifier::ApiKey) => match (location, place) {
            (KeyLocation::Header, Place::Header(_)) => {
                Some(named(Place::Header(name.clone().into())))
            }
            (KeyLocation::Query, Place::Query(_)) => Some(named(Place::Query(name.clone().into()))),
            (KeyLocation::Cookie, Place::Cookie(_)) => {
                Some(named(Place::Cookie(name.clone().into())))
            }
            _ => None,
        },
        (Scheme::Session { cookie }, Place::Cookie(_), Verifier::Session) => {
            Some(named(Place::Cookie(cookie.clone().into())))
        }
        _ => None,
    }
}

/// The readers of this server that read one scheme, under the names it gives.
fn readers_of(spec: &ServerProfile, scheme: &Scheme) -> Vec<Reader> {
    let mut readers: Vec<Reader> = Vec::new();
    for reader in spec.readers {
        if let Some(reader) = reading(reader, scheme) {
            if !readers.contains(&reader) {
                readers.push(reader);
            }
        }
    }
    readers
}

/// What a request presents to requirements that name several schemes together.
pub(super) enum Joint<'r> {
    /// Every scheme of a requirement sent, each read: the first, and the others.
    Met(Credential<'r>, Vec<(Reader, &'r str)>),
    /// Every scheme of a requirement sent, one of them in a way the server cannot use.
    Unusable(Credential<'r>),
    /// Some schemes of a requirement sent, not all: the first read, and the names missing.
    Partly(Credential<'r>, Requirement, Vec<String>),
    /// None of them.
    Nothing,
}

/// Reads the request once per scheme of each requirement, in order, each scheme with its own
/// readers (so credentials sent together are not "sent two ways at once"): the first
/// requirement met wins; else the first whose schemes were all sent, one unusable; else the
/// first partly sent. A single scheme's requirement is read the same way, so a route's
/// requirements are weighed alike.
pub(super) fn joint<'r>(
    request: &'r Request,
    spec: &ServerProfile,
    policy: &Policy,
    requirements: &[&Requirement],
    scenario: &Scenario,
) -> Joint<'r> {
    let mut unusable = None;
    let mut partly = None;
    for requirement in requirements {
        if requirement.is_anonymous() {
            continue;
        }
        let mut read: Vec<(Reader, &'r str)> = Vec::new();
        let mut refused = None;
        let mut missing = Vec::new();
        for name in &requirement.schemes {
            let Some(scheme) = policy.schemes.get(name) else {
                missing.push(name.clone());
                continue;
            };
            match extract(request, spec, &readers_of(spec, scheme), scenario) {
                Credential::Read { reader, value } => read.push((reader, value)),
                Credential::None => missing.push(name.clone()),
                other => {
                    refused.get_or_insert(other);
                }
            }
        }
        match (refused, missing.is_empty(), read.is_empty()) {
            (None, true, _) => {
                let mut read = read.into_iter();
                let Some((reader, value)) = read.next() else {
                    continue;
                };
                return Joint::Met(Credential::Read { reader, value }, read.collect());
            }
            (Some(credential), true, _) => {
                unusable.get_or_insert(credential);
            }
            (_, false, false) => {
                if partly.is_none() {
                    let (reader, value) = read.swap_remove(0);
                    partly = Some((
                        Credential::Read { reader, value },
                        Requirement::clone(requirement),
                        missing,
                    ));
                }
            }
            (_, false, true) => {}
        }
    }
    match (unusable, partly) {
        (Some(credential), _) => Joint::Unusable(credential),
        (None, Some((credential, requirement, missing))) => {
            Joint::Partly(credential, requirement, missing)
        }
        (None, None) => Joint::Nothing,
    }
}

/// Reads the credentials of a request with `readers`: at most one sent on purpose (an
/// `Authorization` field, a query parameter or an API key header: two are refused, RFC 6750
/// §3.1), and cookies, which a browser sends along anyway: a cookie is used when nothing else
/// was sent, or when its reader comes before the other's in the server's order.
pub(super) fn extract<'r>(
    request: &'r Request,
    spec: &ServerProfile,
    readers: &[Reader],
    scenario: &Scenario,
) -> Credential<'r> {
    if spec.tries == Tries::InOrder {
        return in_order(request, spec, readers, scenario);
    }
    let reads_authorization = readers.iter().any(|reader| reader.scheme().is_some());
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
    // An empty key or session is none at all (FastAPI's `if not api_key`); an empty token is
    // a malformed one (RFC 6750 §2.1).
    let sent = |reader: &Reader, value: &str| !value.is_empty() || reader.verifier == Verifier::Jwt;
    let query: Vec<(&Reader, &str)> = request
        .query
        .iter()
        .filter_map(|(key, value)| {
            let reader = readers
                .iter()
                .find(|reader| reader.parameter() == Some(key.as_str()))?;
            sent(reader, value).then_some((reader, value.as_str()))
        })
        .collect();
    let keys: Vec<(&Reader, &str)> = readers
        .iter()
        .filter_map(|reader| reader.header().map(|name| (reader, name)))
        .flat_map(|(reader, name)| {
            request
                .headers
                .iter()
                .filter(move |header| header.name.eq_ignore_ascii_case(name))
                .map(move |header| (reader, header.value.as_str()))
        })
        .filter(|(_, value)| !value.is_empty())
        .collect();
    let cookie = readers.iter().find_map(|reader| {
        let name = reader.cookie()?;
        cookie_value(request, name)
            .filter(|value| !value.is_empty())
            .map(|value| (reader, value))
    });
    let explicit = explicit(spec, readers, &headers, &query, &keys);
    let Some((cookie_reader, cookie_value)) = cookie else {
        return explicit;
    };
    // The server tries its readers in order: a cookie whose reader comes first wins over what
    // was sent otherwise (DRF's SessionAuthentication before BasicAuthentication), and what
    // it cannot use counts where its first `Authorization` or key reader stands.
    let position = |wanted: &Reader| readers.iter().position(|reader| reader == wanted);
    let explicit_at = match &explicit {
        Credential::None => None,
        Credential::Read { reader, .. } => position(reader),
        _ => readers.iter().position(Reader::explicit),
    };
    match explicit_at {
        Some(at) if position(cookie_reader).is_some_and(|cookie_at| at < cookie_at) => explicit,
        _ => Credential::Read {
            reader: cookie_reader.clone(),
            value: cookie_value,
        },
    }
}

/// The credentials as a server that asks its readers in turn reads them (DRF's authentication
/// classes, `request.py:391-401`): the first whose credential is there takes the request,
/// right or wrong; a session cookie that names no live session is no user, and the next
/// reader is asked (SessionAuthentication returns None, `authentication.py:124-128`). Several
/// `Authorization` fields reach the server joined by a comma (wsgiref), one value that its
/// reader cannot split.
fn in_order<'r>(
    request: &'r Request,
    spec: &ServerProfile,
    readers: &[Reader],
    scenario: &Scenario,
) -> Credential<'r> {
    let headers: Vec<&str> = request.headers_named("authorization").collect();
    for reader in readers {
        match &reader.place {
            Place::Authorization(scheme) => {
                let Some(first) = headers.first() else {
                    continue;
                };
                let word = first.split_whitespace().next().unwrap_or_default();
                let claims = if spec.syntax == AuthorizationSyntax::BearerExact {
                    word == *scheme
                } else {
                    word.eq_ignore_ascii_case(scheme)
                };
                if !claims {
                    continue;
                }
                if headers.len() > 1 {
                    return Credential::Malformed(
                        kind_of(reader),
                        format!(
                            "{} Authorization fields joined into one by the server: more than two parts",
                            headers.len()
                        ),
                    );
                }
                // `header.split()`: one word is no credentials, more than two are malformed.
                let words: Vec<&str> = first.split_whitespace().collect();
                return match words.as_slice() {
                    [_, value] => Credential::Read {
                        reader: reader.clone(),
                        value,
                    },
                    [_] => {
                        Credential::Empty(kind_of(reader), format!("{word} without credentials"))
                    }
                    _ => Credential::Malformed(
                        kind_of(reader),
                        format!("the {word} credentials are more than one word"),
                    ),
                };
            }
            Place::Cookie(name) => {
                let Some(value) = cookie_value(request, name).filter(|value| !value.is_empty())
                else {
                    continue;
                };
                let live = scenario
                    .session(value)
                    .is_some_and(|session| !session.expired);
                if reader.verifier == Verifier::Session && !live {
                    continue;
                }
                return Credential::Read {
                    reader: reader.clone(),
                    value,
                };
            }
            Place::Header(name) => {
                let value = request
                    .headers
                    .iter()
                    .find(|header| header.name.eq_ignore_ascii_case(name))
                    .map(|header| header.value.as_str())
                    .filter(|value| !value.is_empty());
                if let Some(value) = value {
                    return Credential::Read {
                        reader: reader.clone(),
                        value,
                    };
                }
            }
            Place::Query(name) => {
                let value = request
                    .query
                    .iter()
                    .find(|(key, _)| key == name.as_ref())
                    .map(|(_, value)| value.as_str());
                if let Some(value) = value {
                    return Credential::Read {
                        reader: reader.clone(),
                        value,
                    };
                }
            }
        }
    }
    Credential::None
}

/// The credential sent on purpose: one `Authorization` field, one query parameter or one API
/// key header; several are refused.
fn explicit<'r>(
    spec: &ServerProfile,
    readers: &[Reader],
    headers: &[&'r str],
    query: &[(&Reader, &'r str)],
    keys: &[(&Reader, &'r str)],
) -> Credential<'r> {
    let parameter = query
        .first()
        .and_then(|(reader, _)| reader.parameter())
        .unwrap_or_default()
        .to_string();
    if let [(reader, value)] = keys {
        if headers.is_empty() && query.is_empty() {
            return Credential::Read {
                reader: Reader::clone(reader),
                value,
            };
        }
    }
    if !keys.is_empty() {
        let mut places: Vec<String> = keys
            .iter()
            .filter_map(|(reader, _)| reader.header())
            .map(|name| format!("the {name} header"))
            .collect();
        places.extend(
            headers
                .iter()
                .map(|_| "the Authorization header".to_string()),
        );
        places.extend(query.iter().map(|_| format!("the {parameter} parameter")));
        return Credential::Several(format!("credentials in {}", places.join(" and ")));
    }
    match (headers, query) {
        ([], []) => Credential::None,
        ([], [(reader, value)]) => {
            if reader.verifier != Verifier::Jwt || is_token68(value) {
                Credential::Read {
                    reader: Reader::clone(reader),
                    value,
                }
            } else {
                Credential::Malformed(
                    kind_of(reader),
                    format!("the {parameter} parameter is not a token (b64token, RFC 6750 §2.1)"),
                )
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
                split_in_two(value, readers)
            } else {
                parse_authorization(value, readers)
            };
            match credential {
                // A scheme the server does not read here is, to it, one it does not support.
                Credential::Read { reader, .. } if !readers.contains(&reader) => {
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

/// The value of the first cookie named `name` in the request's `Cookie` fields (RFC 6265
/// §5.4: `name=value` pairs separated by `;`, the name compared exactly).
pub(super) fn cookie_value<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    let fields = request
        .headers
        .iter()
        .filter(|header| header.name.eq_ignore_ascii_case("cookie"))
        .map(|header| header.value.as_str());
    fields.into_iter().find_map(|field: &'r str| {
        field.split(';').find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key.trim() == name).then(|| value.trim())
        })
    })
}

/// The reader of an `Authorization` scheme: one of the server's, or Bearer or Basic, which
/// every server recognizes as credentials even where it does not read them.
fn authorization_reader(scheme: &str, readers: &[Reader]) -> Option<Reader> {
    let named = |reader: &&Reader| {
        reader
            .scheme()
            .is_some_and(|name| name.eq_ignore_ascii_case(scheme))
    };
    readers
        .iter()
        .find(named)
        .or_else(|| [&BEARER, &BASIC].into_iter().find(named))
        .cloned()
}

/// `value.split(' ')` with exactly two parts, as passport-http-bearer and express-jwt read the
/// header: the second part is the Bearer token whatever its characters (the token check
/// refuses what is not a token); another scheme is one the server does not support.
fn split_in_two<'r>(value: &'r str, readers: &[Reader]) -> Credential<'r> {
    let mut parts = value.split(' ');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(scheme), Some(credentials), None) if scheme.eq_ignore_ascii_case("bearer") => {
            match (
                credentials.is_empty(),
                authorization_reader(scheme, readers),
            ) {
                (true, _) | (false, None) => {
                    Credential::Empty(Kind::Token, format!("{scheme} without credentials"))
                }
                (false, Some(reader)) => Credential::Read {
                    reader,
                    value: credentials,
                },
            }
        }
        (Some(scheme), Some(_), None) => Credential::Unsupported(scheme),
        _ => Credential::Malformed(
            Kind::Token,
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
fn parse_authorization<'r>(value: &'r str, readers: &[Reader]) -> Credential<'r> {
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if scheme.is_empty() {
        return Credential::Malformed(
            Kind::Token,
            "the Authorization header has no scheme".to_string(),
        );
    }
    if !scheme.bytes().all(is_token_byte) {
        return Credential::Malformed(
            Kind::Token,
            format!("the scheme {:?} is not a token", shorten(scheme, 40)),
        );
    }
    let credentials = rest.trim_start_matches(' ');
    let Some(reader) = authorization_reader(scheme, readers) else {
        return Credential::Unsupported(scheme);
    };
    if credentials.is_empty() {
        return Credential::Empty(kind_of(&reader), format!("{scheme} without credentials"));
    }
    if !is_token68(credentials) {
        return Credential::Malformed(
            kind_of(&reader),
            format!("the {scheme} credentials are not a single token68 (RFC 9110 §11.2)"),
        );
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

/// The credentials step's condition, from the readers: under the reference profiles
/// "exactly one Authorization header (Bearer or Basic) or one access_token parameter".
fn condition(spec: &ServerProfile, readers: &[Reader]) -> String {
    let schemes = schemes(readers).join(" or ");
    let mut places: Vec<String> = Vec::new();
    match (schemes.is_empty(), spec.first_authorization_only) {
        (true, _) => {}
        (false, true) => places.push(format!("the first Authorization header ({schemes})")),
        (false, false) => places.push(format!("exactly one Authorization header ({schemes})")),
    }
    for reader in readers {
        match &reader.place {
            Place::Authorization(_) => {}
            Place::Query(name) => places.push(format!("one {name} parameter")),
            Place::Header(name) => places.push(format!("one {name} header")),
            Place::Cookie(name) => places.push(format!("a {name} cookie")),
        }
    }
    if places.is_empty() {
        "no credentials: this server reads none here".to_string()
    } else {
        places.join(" or ")
    }
}

/// "none sent: no Authorization header, no access_token parameter": the places the server
/// looked. An `Authorization` header whose scheme no reader takes (DRF passes over `Digest`)
/// is named with its scheme, since "no Authorization header" would contradict the request.
fn looked(readers: &[Reader], request: Option<&Request>) -> String {
    let unread = request
        .and_then(|request| request.header("Authorization"))
        .map(|value| value.split_whitespace().next().unwrap_or_default());
    let mut places: Vec<String> = Vec::new();
    for reader in readers {
        let place = match &reader.place {
            Place::Authorization(_) if unread.is_some() => continue,
            Place::Authorization(_) => "no Authorization header".to_string(),
            Place::Query(name) => format!("no {name} parameter"),
            Place::Header(name) => format!("no {name} header"),
            Place::Cookie(name) => format!("no {name} cookie"),
        };
        if !places.contains(&place) {
            places.push(place);
        }
    }
    match unread {
        Some(scheme) => {
            let scheme = if scheme.is_empty() {
                "an empty Authorization header".to_string()
            } else {
                format!("the Authorization scheme {}", shorten(scheme, 40))
            };
            let mut said = format!("none it reads: {scheme} is not one its readers take");
            if !places.is_empty() {
                said.push_str("; ");
                said.push_str(&places.join(", "));
            }
            said
        }
        None => format!("none sent: {}", places.join(", ")),
    }
}

impl<'r> Run<'_, 'r> {
    /// Credentials where the route needs them: none is refused, like one the server cannot use,
    /// unless the route's credentials are optional.
    pub(super) fn credentials(&mut self) -> Result<&'static str, Decision> {
        self.read_for_route();
        let condition = condition(self.spec, &self.readers);
        if let Some(partly) = self.partly.take() {
            return Err(self.partly_sent(&condition, partly));
        }
        if self.credential.is_none() && self.route_is_optional() {
            return Ok(self.optional_anonymous(&condition));
        }
        if self.credential.is_none() {
            self.vars.authentication = Authentication::Failed;
            let detail = match self.dead_session() {
                Some(name) => format!(
                    "the {name} cookie names no live session, so its reader passes it over; beside it, {}",
                    looked(&self.readers, self.request)
                ),
                None => looked(&self.readers, self.request),
            };
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

    /// No credentials on a route whose credentials are optional: the caller goes on as
    /// anonymous, past the verify step.
    fn optional_anonymous(&mut self, condition: &str) -> &'static str {
        self.vars.authentication = Authentication::Anonymous;
        self.caller = Caller::Anonymous;
        self.pass(
            Node::Credentials,
            "credentials",
            condition,
            Outcome::Passed,
            format!(
                "{}: the route's credentials are optional, going on as anonymous",
                looked(&self.readers, self.request)
            ),
        );
        OPTIONAL
    }

    /// Whether the route found admits anonymous callers (a requirement of no schemes).
    pub(super) fn route_is_optional(&self) -> bool {
        self.route
            .as_ref()
            .is_some_and(|(route, _)| route.is_optional())
    }

    /// Some of the schemes a requirement names together were sent, not all: refused as
    /// missing credentials, naming what is missing.
    fn partly_sent(&mut self, condition: &str, partly: Partly) -> Decision {
        self.vars.authentication = Authentication::Failed;
        let detail = format!(
            "this route needs {} together: {} not sent",
            partly.requirement.describe(),
            partly.missing.join(" and ")
        );
        let decision = Decision::new(
            Case::Missing(Missing::NoCredentials),
            format!("authentication is required: {detail}"),
        );
        self.decide(
            Node::Credentials,
            "credentials",
            condition,
            detail,
            decision,
        )
    }

    /// Credentials read before routing: none goes on as anonymous.
    pub(super) fn credentials_or_anonymous(&mut self) -> Result<&'static str, Decision> {
        let condition = condition(self.spec, &self.readers);
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
            &condition(self.spec, &self.readers),
            detail,
            decision,
        ))
    }

    /// A server that checks rights before it checks for a user, as many tutorials do
    /// (`if user?.role != "admin" return 403`), refuses a request without credentials to a
    /// route that needs a role, a scope or ownership for the rights: the mistake R3 names.
    pub(super) fn rights_first(&mut self) -> Result<(), Decision> {
        self.read_for_route();
        if self.route_is_optional() {
            return Ok(());
        }
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
            &condition(self.spec, &self.readers),
            detail,
            decision,
        ))
    }

    /// The session cookie a server that asks its readers in turn passed over for naming no
    /// live session, if the request has one.
    fn dead_session(&self) -> Option<String> {
        let request = self.request?;
        if self.spec.tries != Tries::InOrder {
            return None;
        }
        self.readers
            .iter()
            .filter(|reader| reader.verifier == Verifier::Session)
            .filter_map(Reader::cookie)
            .find(|name| cookie_value(request, name).is_some_and(|value| !value.is_empty()))
            .map(str::to_string)
    }

    /// What the request presents to the readers of the route found (all of the policy's
    /// before routing): the credentials step acts on it.
    pub(super) fn read_for_route(&mut self) {
        let route = self.route.as_ref().map(|(route, _)| *route);
        let policy = &self.scenario.policy;
        self.readers = readers_for(self.spec, policy, route);
        self.also.clear();
        self.partly = None;
        if let Some(request) = self.request {
            self.credential = extract(request, self.spec, &self.readers, self.scenario);
            self.facts.readers = Some(self.readers.clone());
            self.read_jointly(request, route);
        }
        self.facts.presented = self.credential.presented();
        // An `Authorization` field every reader passed over (DRF's classes skip a scheme not
        // theirs) is still what the request carried, where the route reads that field: the
        // lint names it, as it does a stranger's.
        let reads_authorization =
            (self.readers.iter()).any(|reader| matches!(reader.place, Place::Authorization(_)));
        if let (true, Some(value)) = (
            self.credential.is_none() && reads_authorization,
            self.request
                .and_then(|request| request.header("Authorization"))
                .filter(|value| !value.trim().is_empty()),
        ) {
            self.facts.presented = Presented::of_authorization(value, Some(&self.readers));
        }
        self.facts.schemes = schemes(&self.readers);
    }

    /// Where schemes are required together: on a route that names such a requirement, its
    /// requirements decide what was presented (see [`joint`]); before routing, a requirement
    /// of any route met in full is read as such, as a server that authenticates before
    /// routing accepts every scheme of the API on every route.
    fn read_jointly(&mut self, request: &'r Request, route: Option<&Route>) {
        let policy = &self.scenario.policy;
        match route {
            Some(route) if route.joint_requirements().next().is_some() => {
                let requirements: Vec<&Requirement> = route.security.iter().flatten().collect();
                match joint(request, self.spec, policy, &requirements, self.scenario) {
                    Joint::Met(credential, also) => {
                        self.credential = credential;
                        self.also = also;
                    }
                    Joint::Unusable(credential) => self.credential = credential,
                    Joint::Partly(credential, requirement, missing) => {
                        self.credential = credential;
                        self.partly = Some(Partly {
                            requirement,
                            missing,
                        });
                    }
                    Joint::Nothing => self.credential = Credential::None,
                }
            }
            Some(_) => {}
            None => {
                let requirements: Vec<&Requirement> = policy
                    .routes
                    .iter()
                    .flat_map(Route::joint_requirements)
                    .collect();
                if requirements.is_empty() {
                    return;
                }
                if let Joint::Met(credential, also) =
                    joint(request, self.spec, policy, &requirements, self.scenario)
                {
                    self.credential = credential;
                    self.also = also;
                }
            }
        }
    }

    /// Sent credentials: one the server can verify goes on, anything else is refused.
    fn usable(&mut self, condition: &str) -> Result<&'static str, Decision> {
        let (case, detail) = match &self.credential {
            Credential::Read { reader, .. } => {
                let mut found = reader.found();
                for (other, _) in &self.also {
                    found.push_str(&format!(", with {}", other.found()));
                }
                self.pass(
                    Node::Credentials,
                    "credentials",
                    condition,
                    Outcome::Passed,
                    found,
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
            Credential::Empty(kind, why) => (
                Case::Unusable(Unusable::EmptyCredentials(*kind)),
                format!("malformed credentials: {why}"),
            ),
            Credential::Malformed(kind, why) => (
                Case::Unusable(Unusable::MalformedCredentials(*kind)),
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
