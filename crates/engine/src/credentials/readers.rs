//! The credential readers: each knows one place a credential can be in a request and how its
//! value is verified. The registry [`READERS`] is the one list the finder, the pipeline (each
//! profile names the readers its server has), the lint's facts, the request builder and the
//! links use, so a new kind of credential is one reader here and its verifier.

/// Where a credential travels in a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// An `Authorization` field whose scheme is this one (compared in any case, RFC 9110 §11.1).
    Authorization(&'static str),
    /// A query parameter of this name (the name percent-decoded, `+` as a space).
    Query(&'static str),
}

/// How a reader's value is verified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verifier {
    /// A JSON Web Token, signed (RFC 7519, RFC 7515): every check of `token::verify_jwt`.
    Jwt,
    /// `user:password` in base64, against the scenario's users (RFC 7617).
    Password,
}

/// One place a credential can be, and how it is verified.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Reader {
    /// Stable id, in links (`cred=`), reports and the lint's facts: `bearer`, `basic`, `query`.
    pub id: &'static str,
    pub place: Place,
    pub verifier: Verifier,
    /// What the trace says was found: "a Bearer token in the Authorization header".
    pub found: &'static str,
}

/// `Authorization: Bearer <JWT>` (RFC 6750 §2.1).
pub static BEARER: Reader = Reader {
    id: "bearer",
    place: Place::Authorization("Bearer"),
    verifier: Verifier::Jwt,
    found: "a Bearer token in the Authorization header",
};

/// `Authorization: Basic <base64(user:password)>` (RFC 7617).
pub static BASIC: Reader = Reader {
    id: "basic",
    place: Place::Authorization("Basic"),
    verifier: Verifier::Password,
    found: "Basic credentials in the Authorization header",
};

/// `?access_token=<JWT>` (RFC 6750 §2.3: allowed, discouraged).
pub static ACCESS_TOKEN: Reader = Reader {
    id: "query",
    place: Place::Query("access_token"),
    verifier: Verifier::Jwt,
    found: "a Bearer token in the access_token query parameter (discouraged, RFC 6750 §2.3)",
};

/// Every reader the engine knows, in the order the builder offers them. A profile's server
/// has some of them, in its own order.
pub static READERS: [&Reader; 3] = [&BEARER, &BASIC, &ACCESS_TOKEN];

/// The reader with this id.
pub fn reader(id: &str) -> Option<&'static Reader> {
    READERS.iter().copied().find(|reader| reader.id == id)
}

impl Reader {
    /// The scheme of an `Authorization` reader.
    pub fn scheme(&self) -> Option<&'static str> {
        match self.place {
            Place::Authorization(scheme) => Some(scheme),
            Place::Query(_) => None,
        }
    }

    /// The parameter name of a query reader.
    pub fn parameter(&self) -> Option<&'static str> {
        match self.place {
            Place::Query(name) => Some(name),
            Place::Authorization(_) => None,
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
}
