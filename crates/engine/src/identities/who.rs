//! An identity of the probe: what it sends, and what may be shown of it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::claims::ClaimLayout;
use crate::credentials::{CSRF_COOKIE, CSRF_HEADER};
use crate::policy::{KeyLocation, Policy, Scheme};
use crate::teach::mock::CredentialKind;

/// The name of the identity that sends no credentials; always in a plan, first.
pub const ANONYMOUS: &str = "anonymous";

/// One credential an identity sends. All of an identity's credentials go on every request it
/// makes, together (a session cookie with its CSRF cookie and header).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// A Bearer token (JWT or opaque): `Authorization: Bearer …`.
    Token(String),
    /// Basic credentials: `Authorization: Basic …`.
    Basic { user: String, password: String },
    /// A header field as given, e.g. `X-API-Key: …`.
    Header { name: String, value: String },
    /// A cookie, sent in the one `Cookie` field.
    Cookie { name: String, value: String },
}

/// One identity of an identities file, named by its table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub credentials: Vec<Credential>,
    /// The role, where its credentials cannot say it (an opaque token, Basic, an API key);
    /// over a token's own claims where both say.
    pub role: Option<String>,
    /// The scopes, likewise.
    pub scopes: Option<Vec<String>>,
    /// The objects it owns, as paths (`/users/alice/notes`, `/orders/17`); what lies under an
    /// object (`/orders/17/items`) is its too.
    pub owns: Vec<String>,
}

/// What may be shown of an identity: who it is as the policy sees it, without a secret. The
/// probe's JSON report carries it; the page reads it back to evaluate a cell's stand-in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Who {
    /// The table's name, or [`ANONYMOUS`].
    pub name: String,
    /// The `sub` of its token or its Basic user; `None` where its credentials do not say.
    #[serde(default)]
    pub subject: Option<String>,
    /// Its roles: the file's `role`, else the token's role claims; `None` when unknown.
    #[serde(default)]
    pub roles: Option<Vec<String>>,
    /// Its scopes: the file's `scopes`, else the token's (a JWT without any grants none);
    /// `None` when unknown.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// The objects it owns.
    #[serde(default)]
    pub owns: Vec<String>,
    /// What it sends, in words without the secret: `Bearer token`, `Basic alice`,
    /// `X-API-Key header`, `sessionid cookie`.
    #[serde(default)]
    pub sends: Vec<String>,
    /// The kind of credential its stand-in sends; `None` for anonymous, and for credentials
    /// no scheme of the policy (nor a default reader) reads.
    #[serde(default)]
    pub kind: Option<CredentialKind>,
    /// Whether it sends the CSRF token with its session (the header equal to the cookie).
    #[serde(default)]
    pub csrf: bool,
}

impl Who {
    /// The identity that sends nothing.
    pub fn anonymous() -> Who {
        Who {
            name: ANONYMOUS.to_string(),
            roles: Some(Vec::new()),
            scopes: Some(Vec::new()),
            ..Who::default()
        }
    }

    /// Whether it sends no credentials.
    pub fn is_anonymous(&self) -> bool {
        self.sends.is_empty()
    }

    /// Whether it owns `path`: the path is one of its objects, or lies under one.
    pub fn owns(&self, path: &str) -> bool {
        self.owns.iter().any(|object| under(path, object))
    }
}

/// Whether `path` is `object` or lies under it (`/orders/17/items` under `/orders/17`).
pub(super) fn under(path: &str, object: &str) -> bool {
    let object = object.trim_end_matches('/');
    path == object
        || path
            .strip_prefix(object)
            .is_some_and(|rest| rest.starts_with('/'))
}

impl Identity {
    /// What may be shown of it, as the policy reads its credentials and the claim layout
    /// reads its token.
    pub fn who(&self, policy: &Policy, layout: &ClaimLayout) -> Who {
        let credentials = &self.credentials;
        let mut who = Who {
            name: self.name.clone(),
            owns: self.owns.clone(),
            ..Who::default()
        };
        for credential in credentials {
            who.sends.push(describe(credential));
            match credential {
                Credential::Token(token) => {
                    if let Some(payload) = payload(token) {
                        let text = |name: &str| payload.get(name).and_then(Value::as_str);
                        who.subject = who.subject.or(text("sub").map(str::to_string));
                        let roles = layout.roles(&payload).values;
                        if !roles.is_empty() {
                            who.roles = Some(roles);
                        }
                        // A JWT that names no scope grants none.
                        who.scopes = Some(layout.scopes(&payload).values);
                    }
                }
                Credential::Basic { user, .. } => {
                    who.subject = who.subject.or(Some(user.clone()));
                }
                _ => {}
            }
            if who.kind.is_none() {
                who.kind = kind_of(credential, policy);
            }
        }
        who.csrf = credentials.iter().any(|credential| {
            matches!(credential, Credential::Header { name, .. } if name.eq_ignore_ascii_case(CSRF_HEADER))
        });
        if let Some(role) = &self.role {
            who.roles = Some(vec![role.clone()]);
        }
        if let Some(scopes) = &self.scopes {
            who.scopes = Some(scopes.clone());
        }
        if who.is_anonymous() {
            return Who {
                name: self.name.clone(),
                ..Who::anonymous()
            };
        }
        who
    }
}

/// The header fields that send `credentials`: each header as given, `Authorization` for a
/// token or Basic pair, and the cookies in one `Cookie` field (RFC 6265 §5.4).
pub fn fields(credentials: &[Credential]) -> Vec<(String, String)> {
    let mut headers = Vec::new();
    let mut cookies = Vec::new();
    for credential in credentials {
        match credential {
            Credential::Token(token) => {
                headers.push(("Authorization".to_string(), format!("Bearer {token}")));
            }
            Credential::Basic { user, password } => headers.push((
                "Authorization".to_string(),
                format!("Basic {}", crate::token::basic_credentials(user, password)),
            )),
            Credential::Header { name, value } => headers.push((name.clone(), value.clone())),
            Credential::Cookie { name, value } => cookies.push(format!("{name}={value}")),
        }
    }
    if !cookies.is_empty() {
        headers.push(("Cookie".to_string(), cookies.join("; ")));
    }
    headers
}

impl Credential {
    /// The secret values it carries, which no report may show.
    pub fn secrets(&self) -> Vec<String> {
        match self {
            Credential::Token(token) => vec![token.clone()],
            Credential::Basic { user, password } => vec![
                password.clone(),
                crate::token::basic_credentials(user, password),
            ],
            Credential::Header { value, .. } | Credential::Cookie { value, .. } => {
                vec![value.clone()]
            }
        }
    }
}

/// The credential in words, without its secret.
fn describe(credential: &Credential) -> String {
    match credential {
        Credential::Token(_) => "Bearer token".to_string(),
        Credential::Basic { user, .. } => format!("Basic {user}"),
        Credential::Header { name, value } if name.eq_ignore_ascii_case("authorization") => {
            let scheme = value.split_whitespace().next().unwrap_or_default();
            format!("{scheme} credentials")
        }
        Credential::Header { name, .. } => format!("{name} header"),
        Credential::Cookie { name, .. } => format!("{name} cookie"),
    }
}

/// The kind of credential the stand-in sends for `credential`: by the policy's scheme that
/// reads it, else by the default readers' places; `None` for one nothing reads and for the
/// CSRF pieces, which go with a session.
fn kind_of(credential: &Credential, policy: &Policy) -> Option<CredentialKind> {
    let named = |wanted: KeyLocation, field: &str| {
        policy.schemes.values().find_map(|scheme| match scheme {
            Scheme::ApiKey { location, name }
                if *location == wanted && name.eq_ignore_ascii_case(field) =>
            {
                Some(CredentialKind::sending(scheme))
            }
            Scheme::Session { cookie } if wanted == KeyLocation::Cookie && cookie == field => {
                Some(CredentialKind::Session)
            }
            _ => None,
        })
    };
    let default = |kind: CredentialKind, field: &str| {
        let reader = kind.reader();
        let place = reader.header().or(reader.cookie()).or(match &reader.place {
            crate::credentials::Place::Query(name) => Some(name),
            _ => None,
        });
        place
            .is_some_and(|place| place.eq_ignore_ascii_case(field))
            .then_some(kind)
    };
    let any_default = |field: &str| {
        CredentialKind::ALL
            .into_iter()
            .find_map(|kind| default(kind, field))
    };
    match credential {
        Credential::Token(_) => Some(CredentialKind::Bearer),
        Credential::Basic { .. } => Some(CredentialKind::Basic),
        Credential::Header { name, value } if name.eq_ignore_ascii_case("authorization") => {
            let scheme = value.split_whitespace().next().unwrap_or_default();
            if scheme.eq_ignore_ascii_case("basic") {
                Some(CredentialKind::Basic)
            } else {
                Some(CredentialKind::Bearer)
            }
        }
        Credential::Header { name, .. } if name.eq_ignore_ascii_case(CSRF_HEADER) => None,
        Credential::Header { name, .. } => {
            named(KeyLocation::Header, name).or_else(|| any_default(name))
        }
        Credential::Cookie { name, .. } if name == CSRF_COOKIE => None,
        Credential::Cookie { name, .. } => {
            named(KeyLocation::Cookie, name).or_else(|| any_default(name))
        }
    }
}

/// A JWT's payload, read without verifying; `None` for a token that is not a JWT.
fn payload(token: &str) -> Option<Map<String, Value>> {
    let mut parts = token.split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::{mint_token, Claims};

    fn identity(credentials: Vec<Credential>) -> Identity {
        Identity {
            name: "x".to_string(),
            credentials,
            ..Identity::default()
        }
    }

    #[test]
    fn who_reads_what_the_credentials_say_and_the_file_adds() {
        let policy = Policy::default_api();
        let layout = ClaimLayout::default();
        let token = mint_token(
            &Claims {
                sub: Some("alice".to_string()),
                role: Some("user".to_string()),
                ..Claims::default()
            },
            "any key",
        );
        let who = identity(vec![Credential::Token(token.clone())]).who(&policy, &layout);
        assert_eq!(who.subject.as_deref(), Some("alice"));
        assert_eq!(who.roles, Some(vec!["user".to_string()]));
        assert_eq!(who.scopes, Some(Vec::new()));
        assert_eq!(who.kind, Some(CredentialKind::Bearer));
        assert_eq!(who.sends, ["Bearer token"]);

        // An opaque token says nothing; the file's role says it.
        let opaque = Identity {
            role: Some("admin".to_string()),
            ..identity(vec![Credential::Token("opaque".to_string())])
        }
        .who(&policy, &layout);
        assert_eq!(opaque.subject, None);
        assert_eq!(opaque.roles, Some(vec!["admin".to_string()]));
        assert_eq!(opaque.scopes, None);

        // A session with its CSRF pair: a session, with the token.
        let session = identity(vec![
            Credential::Cookie {
                name: "sessionid".to_string(),
                value: "s".to_string(),
            },
            Credential::Cookie {
                name: CSRF_COOKIE.to_string(),
                value: "c".to_string(),
            },
            Credential::Header {
                name: CSRF_HEADER.to_string(),
                value: "c".to_string(),
            },
        ])
        .who(&policy, &layout);
        assert_eq!(session.kind, Some(CredentialKind::Session));
        assert!(session.csrf);
        let headers = fields(
            &identity(vec![
                Credential::Cookie {
                    name: "a".to_string(),
                    value: "1".to_string(),
                },
                Credential::Header {
                    name: "X-Key".to_string(),
                    value: "k".to_string(),
                },
                Credential::Cookie {
                    name: "b".to_string(),
                    value: "2".to_string(),
                },
            ])
            .credentials,
        );
        assert_eq!(
            headers,
            [
                ("X-Key".to_string(), "k".to_string()),
                ("Cookie".to_string(), "a=1; b=2".to_string())
            ]
        );

        // A header nothing reads is sent, but no stand-in kind is known for it.
        let custom = identity(vec![Credential::Header {
            name: "X-Tenant-Auth".to_string(),
            value: "k".to_string(),
        }])
        .who(&policy, &layout);
        assert_eq!(custom.kind, None);
        assert!(!custom.is_anonymous());
        assert!(identity(Vec::new()).who(&policy, &layout).is_anonymous());
    }

    #[test]
    fn an_object_owns_what_lies_under_it() {
        let cases = [
            ("/orders/17", "/orders/17", true),
            ("/orders/17/items", "/orders/17", true),
            ("/orders/17/items", "/orders/17/", true),
            ("/orders/170", "/orders/17", false),
            ("/orders", "/orders/17", false),
        ];
        for (path, object, expected) in cases {
            assert_eq!(under(path, object), expected, "{path} under {object}");
        }
    }
}
