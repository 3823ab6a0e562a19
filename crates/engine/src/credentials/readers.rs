//! The credential readers: each knows one place a credential can be in a request and how its
//! value is verified. The registry [`READERS`] is the one list the finder, the request builder
//! and the links use; a server reads with the readers its profile has and its policy's schemes
//! name (an API key or a session cookie under the name the policy gives it). A new kind of
//! credential is one reader here and its verifier.

use std::borrow::Cow;

/// Where a credential travels in a request.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// An `Authorization` field whose scheme is this one (compared in any case, RFC 9110 §11.1).
    Authorization(&'static str),
    /// A query parameter of this name (the name percent-decoded, `+` as a space).
    Query(Cow<'static, str>),
    /// A header field of this name (compared in any case).
    Header(Cow<'static, str>),
    /// A cookie of this name in the `Cookie` field (compared exactly, RFC 6265 §5.4).
    Cookie(Cow<'static, str>),
}

/// How a reader's value is verified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verifier {
    /// A JSON Web Token, signed (RFC 7519, RFC 7515): every check of `token::verify_jwt`.
    Jwt,
    /// `user:password` in base64, against the scenario's users (RFC 7617).
    Password,
    /// An opaque key, against the scenario's API keys.
    ApiKey,
    /// A session id, against the scenario's sessions; on an unsafe method the request must
    /// also carry the CSRF token (double submit: the `csrftoken` cookie and the `X-CSRFToken`
    /// header, equal).
    Session,
}

/// One place a credential can be, and how it is verified.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reader {
    /// Stable id of the kind, in links (`cred=`), reports and the lint's facts: `bearer`,
    /// `basic`, `query`, `token`, `api-key`, `api-key-query`, `api-key-cookie`, `session`.
    pub id: &'static str,
    pub place: Place,
    pub verifier: Verifier,
}

/// `Authorization: Bearer <JWT>` (RFC 6750 §2.1).
pub static BEARER: Reader = Reader {
    id: "bearer",
    place: Place::Authorization("Bearer"),
    verifier: Verifier::Jwt,
};

/// `Authorization: Basic <base64(user:password)>` (RFC 7617).
pub static BASIC: Reader = Reader {
    id: "basic",
    place: Place::Authorization("Basic"),
    verifier: Verifier::Password,
};

/// `?access_token=<JWT>` (RFC 6750 §2.3: allowed, discouraged).
pub static ACCESS_TOKEN: Reader = Reader {
    id: "query",
    place: Place::Query(Cow::Borrowed("access_token")),
    verifier: Verifier::Jwt,
};

/// `Authorization: Token <key>`, Django REST framework's `TokenAuthentication`.
pub static TOKEN: Reader = Reader {
    id: "token",
    place: Place::Authorization("Token"),
    verifier: Verifier::ApiKey,
};

/// `X-API-Key: <key>`: the demo API's key.
pub static API_KEY: Reader = Reader {
    id: "api-key",
    place: Place::Header(Cow::Borrowed("X-API-Key")),
    verifier: Verifier::ApiKey,
};

/// `?api_key=<key>`: a key in the URL (OWASP API2:2023; the demo API does not read it there).
pub static API_KEY_IN_QUERY: Reader = Reader {
    id: "api-key-query",
    place: Place::Query(Cow::Borrowed("api_key")),
    verifier: Verifier::ApiKey,
};

/// `Cookie: api_key=<key>`.
pub static API_KEY_IN_COOKIE: Reader = Reader {
    id: "api-key-cookie",
    place: Place::Cookie(Cow::Borrowed("api_key")),
    verifier: Verifier::ApiKey,
};

/// `Cookie: sessionid=<id>`: a browser session, Django's cookie name.
pub static SESSION: Reader = Reader {
    id: "session",
    place: Place::Cookie(Cow::Borrowed("sessionid")),
    verifier: Verifier::Session,
};

/// Every reader the engine knows by default, in the order the builder offers them: what the
/// finder looks for when no policy names other places.
pub static READERS: [&Reader; 8] = [
    &BEARER,
    &BASIC,
    &ACCESS_TOKEN,
    &API_KEY,
    &API_KEY_IN_QUERY,
    &API_KEY_IN_COOKIE,
    &SESSION,
    &TOKEN,
];

/// The CSRF token's cookie and header, as Django names them (`CSRF_COOKIE_NAME`,
/// `CSRF_HEADER_NAME`).
pub const CSRF_COOKIE: &str = "csrftoken";
pub const CSRF_HEADER: &str = "X-CSRFToken";

/// The reader with this id, among the defaults.
pub fn reader(id: &str) -> Option<&'static Reader> {
    READERS.iter().copied().find(|reader| reader.id == id)
}

impl Reader {
    /// The scheme of an `Authorization` reader.
    pub fn scheme(&self) -> Option<&'static str> {
        match self.place {
            Place::Authorization(scheme) => Some(scheme),
            _ => None,
        }
    }

    /// The parameter name of a query reader.
    pub fn parameter(&self) -> Option<&str> {
        match &self.place {
            Place::Query(name) => Some(name),
            _ => None,
        }
    }

    /// The header name of a header reader.
    pub fn header(&self) -> Option<&str> {
        match &self.place {
            Place::Header(name) => Some(name),
            _ => None,
        }
    }

    /// The cookie name of a cookie reader.
    pub fn cookie(&self) -> Option<&str> {
        match &self.place {
            Place::Cookie(name) => Some(name),
            _ => None,
        }
    }

    /// Whether the client sends it on purpose with each request (a header or the query), as
    /// opposed to a cookie, which a browser sends along with whatever else it sends.
    pub fn explicit(&self) -> bool {
        !matches!(self.place, Place::Cookie(_))
    }

    /// What the trace says was found, e.g. "a Bearer token in the Authorization header".
    pub fn found(&self) -> String {
        let what = match self.verifier {
            Verifier::Jwt => "a Bearer token",
            Verifier::Password => "Basic credentials",
            Verifier::ApiKey => "an API key",
            Verifier::Session => "a session id",
        };
        match &self.place {
            Place::Authorization(_) if self.verifier == Verifier::ApiKey => {
                format!("{what} in the Authorization header (Token)")
            }
            Place::Authorization(_) => format!("{what} in the Authorization header"),
            Place::Query(name) if self.verifier == Verifier::Jwt => {
                format!("{what} in the {name} query parameter (discouraged, RFC 6750 §2.3)")
            }
            Place::Query(name) => format!("{what} in the {name} query parameter"),
            Place::Header(name) => format!("{what} in the {name} header"),
            Place::Cookie(name) => format!("{what} in the {name} cookie"),
        }
    }

    /// Where it travels, as a client would read it: `Authorization: Bearer`, `?api_key=`,
    /// `X-API-Key:`, `Cookie: sessionid=`.
    pub fn written(&self) -> String {
        match &self.place {
            Place::Authorization(scheme) => format!("Authorization: {scheme}"),
            Place::Query(name) => format!("?{name}="),
            Place::Header(name) => format!("{name}:"),
            Place::Cookie(name) => format!("Cookie: {name}="),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_found_by_id() {
        for (index, one) in READERS.iter().enumerate() {
            assert_eq!(reader(one.id), Some(*one));
            assert!(READERS[index + 1..].iter().all(|other| other.id != one.id));
        }
        assert_eq!(reader("nope"), None);
    }

    #[test]
    fn each_says_where_it_reads() {
        assert_eq!(BEARER.found(), "a Bearer token in the Authorization header");
        assert_eq!(
            ACCESS_TOKEN.found(),
            "a Bearer token in the access_token query parameter (discouraged, RFC 6750 §2.3)"
        );
        assert_eq!(SESSION.found(), "a session id in the sessionid cookie");
        assert_eq!(API_KEY.written(), "X-API-Key:");
        assert!(!SESSION.explicit() && API_KEY.explicit());
    }
}
