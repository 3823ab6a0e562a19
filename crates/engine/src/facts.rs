//! What the pipeline learned about a request, handed to the lint. The lint judges the response
//! against these facts; it never re-runs verification itself (it has no key).

use serde::{Deserialize, Serialize};

use crate::credentials::{reader, Place, Reader, Verifier, READERS};
use crate::model::{Profile, Response};
use crate::text::is_token68;

/// How the request presented credentials, as the pipeline read them from the raw text: none,
/// what one of the server's readers read, or something no reader could use.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "Written", try_from = "Written")]
pub enum Presented {
    /// The request could not be parsed, or credentials were never looked at.
    #[default]
    NotExamined,
    /// Nothing any reader of the server reads.
    None,
    /// One credential, read by this reader (`Authorization: Bearer …`, `?access_token=…`).
    Read(Reader),
    /// A scheme the server does not support (the name as sent).
    Unsupported(String),
    /// An `Authorization` scheme with nothing after it (`Authorization: Bearer`): no
    /// credentials, in a header the server may also refuse as malformed.
    Empty,
    /// An `Authorization` header that does not parse (bad token68, no scheme…).
    Malformed,
    /// Credentials sent two ways at once (header and query, or two headers).
    Several,
}

/// How `Presented` is written: a word (`none`, `several`, or the reader's id such as `bearer`),
/// or `{"unsupported": "Digest"}`.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Written {
    Word(String),
    Unsupported { unsupported: String },
}

impl From<Presented> for Written {
    fn from(presented: Presented) -> Written {
        let word = match presented {
            Presented::NotExamined => "not_examined",
            Presented::None => "none",
            Presented::Read(reader) => reader.id,
            Presented::Unsupported(unsupported) => return Written::Unsupported { unsupported },
            Presented::Empty => "empty",
            Presented::Malformed => "malformed",
            Presented::Several => "several",
        };
        Written::Word(word.to_string())
    }
}

impl TryFrom<Written> for Presented {
    type Error = String;

    fn try_from(written: Written) -> Result<Presented, String> {
        let word = match written {
            Written::Unsupported { unsupported } => return Ok(Presented::Unsupported(unsupported)),
            Written::Word(word) => word,
        };
        Ok(match word.as_str() {
            "not_examined" => Presented::NotExamined,
            "none" => Presented::None,
            "empty" => Presented::Empty,
            "malformed" => Presented::Malformed,
            "several" => Presented::Several,
            id => Presented::Read(
                reader(id)
                    .cloned()
                    .ok_or_else(|| format!("no credential reader `{id}`"))?,
            ),
        })
    }
}

/// Facts about one evaluated request, for the lint.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub profile: Profile,
    pub presented: Presented,
    /// `Some(true)` when the credentials verified, `Some(false)` when they failed, `None` when
    /// verification was not reached.
    pub verified: Option<bool>,
    /// The `alg` of the JWT header, when one was decoded.
    pub token_alg: Option<String>,
    /// The algorithms the server was configured for; empty when not known (R12 then assumes the
    /// demo's HS256).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted_algorithms: Vec<String>,
    /// `Some(true)` when the route exists for some method.
    pub route_exists: Option<bool>,
    /// `Some(true)` when authorization passed, `Some(false)` when it failed.
    pub authorized: Option<bool>,
    /// The response is a 404 that hides a resource that exists (profile `conceal`).
    pub concealed: bool,
    /// For R17: what the same server answers, for the same credentials, on a path that does
    /// not exist. Set only when `concealed`.
    pub counterpart: Option<Box<Response>>,
    /// `Some(true)` when the token's `exp` lies further in the past than the leeway allows,
    /// `Some(false)` when `exp` was checked and holds, `None` when not checked (R13).
    #[serde(default)]
    pub token_expired: Option<bool>,
    /// `Some(true)` when the token's `nbf` lies further in the future than the leeway allows,
    /// `Some(false)` when `nbf` was checked and holds, `None` when not checked (R13).
    #[serde(default)]
    pub token_not_yet_valid: Option<bool>,
    /// The leeway, in seconds, the server granted to `exp` / `nbf`, when it checked them (R13).
    #[serde(default)]
    pub leeway: Option<u64>,
    /// The `Authorization` schemes the server reads at all; empty when not known, which the
    /// lint takes as Bearer and Basic (R8).
    #[serde(default)]
    pub schemes: Vec<String>,
    /// The readers the server read the request with (the route's, once it was found); `None`
    /// when the request did not parse, or the facts are not the pipeline's. The lint of a
    /// foreign exchange classifies its credentials with them (`exchange::check`).
    #[serde(skip)]
    pub readers: Option<Vec<Reader>>,
    /// Whose answer is judged: authpath's own (every fact the pipeline did not set was not
    /// reached), or a server's outside authpath (a fact left `None` is unknown there, and a
    /// rule that needs it records an `Unjudged` instead of staying silent).
    #[serde(default)]
    pub origin: Origin,
    /// What the sender of a foreign request knows that its text cannot show; nothing for
    /// authpath's own answers, whose facts the pipeline sets itself.
    #[serde(default)]
    pub known: Known,
}

/// What whoever sent a request knows about it beyond its text, for the lint of the answer
/// another server gave (`exchange::check_knowing`). `authpath probe` knows it, because it
/// made its requests so; a pasted exchange comes with nothing.
///
/// Invariant: each field states only what the sender made true or saw itself, and the
/// default states nothing, so a lint given `Known::default()` is the lint given no knowledge.
/// It never says that credentials are valid on the sender's word: only the keys can (a
/// scenario), or the server itself, by accepting them (`accepted`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    /// The request was made so that no server can accept a credential in it: a token with a
    /// changed signature or signed with a key no server has, a wrong password, a scheme with
    /// nothing after it, made-up credentials in a scheme the server does not read. The text
    /// shows which of these it is; only the sender knows that none can be accepted.
    #[serde(default)]
    pub unacceptable: bool,
    /// Whether the route refuses a request without credentials, as the sender saw it: its
    /// request without credentials to the same method and path was refused (`Some(true)`) or
    /// answered with a 2xx (`Some(false)`); `None` when not seen. See [`Known::protected_by`].
    #[serde(default)]
    pub protected: Option<bool>,
    /// The server accepted these same credentials on another request the sender made (a 2xx
    /// on a route that refused the request without credentials; `authpath probe
    /// --identities`), and this route takes them too: they are valid, whatever else it
    /// answers them here.
    #[serde(default)]
    pub accepted: bool,
}

impl Known {
    /// What a route's answer to a request without credentials says of it: refused (401, or
    /// the 403 some servers send) means protected; a 2xx means public; anything else (a
    /// redirect, a 404, an error) says neither.
    pub fn protected_by(anonymous_status: u16) -> Option<bool> {
        match anonymous_status {
            401 | 403 => Some(true),
            200..=299 => Some(false),
            _ => None,
        }
    }
}

/// Where the judged response comes from, and so what a missing fact means.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// authpath's pipeline answered: a fact left `None` was not reached.
    #[default]
    Pipeline,
    /// Another server answered, and no scenario was given: nothing is known of its keys,
    /// users or routes.
    ForeignUnknown,
    /// Another server answered, and the facts it cannot show come from authpath's evaluation
    /// of the same request under a scenario (its keys, policy and clock).
    ForeignWithScenario,
}

impl Presented {
    /// Whether a credential the server could verify was sent: one a reader read.
    pub fn verifiable(&self) -> bool {
        matches!(self, Presented::Read(_))
    }

    /// The reader that read the credential, if one did.
    pub fn reader(&self) -> Option<&Reader> {
        match self {
            Presented::Read(reader) => Some(reader),
            _ => None,
        }
    }

    /// Whether a token (a JWT) was sent, in whatever place.
    pub fn token(&self) -> bool {
        self.reader()
            .is_some_and(|reader| reader.verifier == Verifier::Jwt)
    }

    /// What an `Authorization` field's value presents to a server that reads with `readers` (any
    /// reader, when unknown): the pipeline names the same for a field its readers passed over.
    pub(crate) fn of_authorization(value: &str, readers: Option<&[Reader]>) -> Presented {
        let value = value.trim();
        let (scheme, secret) = match value.split_once([' ', '\t']) {
            Some((scheme, secret)) => (scheme, secret.trim()),
            None => (value, ""),
        };
        if scheme.is_empty() {
            return Presented::Malformed;
        }
        let named = |reader: &&Reader| {
            reader
                .scheme()
                .is_some_and(|name| name.eq_ignore_ascii_case(scheme))
        };
        let Some(reader) = READERS.iter().copied().find(named) else {
            return Presented::Unsupported(scheme.to_string());
        };
        if secret.is_empty() {
            return Presented::Empty;
        }
        let read = readers.is_none_or(|readers| readers.iter().any(|reader| named(&reader)));
        match (read, reader.verifier) {
            (false, _) => Presented::Unsupported(scheme.to_string()),
            (true, Verifier::Jwt) if !is_token68(secret) => Presented::Malformed,
            (true, _) => Presented::Read(Reader::clone(reader)),
        }
    }

    /// Whether the credential travelled in the URL's query.
    pub fn in_query(&self) -> bool {
        self.reader()
            .is_some_and(|reader| matches!(reader.place, Place::Query(_)))
    }
}
