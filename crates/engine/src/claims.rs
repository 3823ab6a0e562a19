//! Where a token carries the caller's rights. Identity providers put roles and scopes in
//! different claims (Auth0 `permissions`, Keycloak `realm_access.roles`, Entra ID `roles` and
//! `scp`, Cognito `cognito:groups`, Okta `scp` as an array): a [`ClaimLayout`] names them, and
//! the presets are a table, not branches in the pipeline.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The claim paths the server reads rights from, tried in order; a path is a claim name or
/// names joined by `.` into nested objects (`realm_access.roles`). `{azp}` in a path is the
/// token's own `azp` claim, the client it was issued to (Keycloak's
/// `resource_access.{azp}.roles`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimLayout {
    /// The preset these paths came from, or `custom`.
    #[serde(default)]
    pub preset: ClaimPreset,
    /// Claims that hold roles: a string (one role) or an array of strings.
    pub roles: Vec<String>,
    /// Claims that hold scopes: a space-separated string (RFC 8693 §4.2) or an array.
    pub scopes: Vec<String>,
}

/// The ready layouts of the identity providers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimPreset {
    /// authpath's demo tokens: `role` and `scope`.
    #[default]
    Demo,
    /// Auth0 with RBAC: `permissions` (an array), `scope`.
    Auth0,
    /// Keycloak: `realm_access.roles`, `resource_access.{azp}.roles`, `scope`.
    Keycloak,
    /// Microsoft Entra ID: `roles` (an array), `scp` (space-separated).
    Entra,
    /// Amazon Cognito: `cognito:groups`, `scope`.
    Cognito,
    /// Okta: `groups`, `scp` (an array).
    Okta,
    /// An RFC 9068 access token: `roles` (§7.2.1), `scope`.
    Rfc9068,
    /// Paths typed by hand.
    Custom,
}

/// What was read from one kind of claim: the values and the path they came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Read {
    pub values: Vec<String>,
    /// The path that held them (the first that did), as configured.
    pub claim: Option<String>,
}

impl ClaimPreset {
    /// Every preset with a layout of its own, in the page's order.
    pub const ALL: [ClaimPreset; 7] = [
        ClaimPreset::Demo,
        ClaimPreset::Auth0,
        ClaimPreset::Keycloak,
        ClaimPreset::Entra,
        ClaimPreset::Cognito,
        ClaimPreset::Okta,
        ClaimPreset::Rfc9068,
    ];

    /// The id used on the command line and in links: `demo`, `auth0`, `keycloak`, ….
    pub fn id(self) -> &'static str {
        match self {
            ClaimPreset::Demo => "demo",
            ClaimPreset::Auth0 => "auth0",
            ClaimPreset::Keycloak => "keycloak",
            ClaimPreset::Entra => "entra",
            ClaimPreset::Cognito => "cognito",
            ClaimPreset::Okta => "okta",
            ClaimPreset::Rfc9068 => "rfc9068",
            ClaimPreset::Custom => "custom",
        }
    }

    /// The preset with that id.
    pub fn from_id(id: &str) -> Option<ClaimPreset> {
        ClaimPreset::ALL
            .into_iter()
            .chain([ClaimPreset::Custom])
            .find(|preset| preset.id() == id)
    }

    /// The name a person knows it by, e.g. "Microsoft Entra ID".
    pub fn title(self) -> &'static str {
        match self {
            ClaimPreset::Demo => "authpath demo (role, scope)",
            ClaimPreset::Auth0 => "Auth0 (permissions, scope)",
            ClaimPreset::Keycloak => {
                "Keycloak (realm_access.roles, resource_access.{azp}.roles, scope)"
            }
            ClaimPreset::Entra => "Microsoft Entra ID (roles, scp)",
            ClaimPreset::Cognito => "Amazon Cognito (cognito:groups, scope)",
            ClaimPreset::Okta => "Okta (groups, scp)",
            ClaimPreset::Rfc9068 => "RFC 9068 access token (roles, scope)",
            ClaimPreset::Custom => "custom claim paths",
        }
    }

    /// The preset's layout.
    pub fn layout(self) -> ClaimLayout {
        let (roles, scopes): (&[&str], &[&str]) = match self {
            ClaimPreset::Demo | ClaimPreset::Custom => (&["role"], &["scope"]),
            ClaimPreset::Auth0 => (&["permissions"], &["scope"]),
            ClaimPreset::Keycloak => (
                &["realm_access.roles", "resource_access.{azp}.roles"],
                &["scope"],
            ),
            ClaimPreset::Entra => (&["roles"], &["scp"]),
            ClaimPreset::Cognito => (&["cognito:groups"], &["scope"]),
            ClaimPreset::Okta => (&["groups"], &["scp"]),
            ClaimPreset::Rfc9068 => (&["roles"], &["scope"]),
        };
        let owned = |paths: &[&str]| paths.iter().map(|path| path.to_string()).collect();
        ClaimLayout {
            preset: self,
            roles: owned(roles),
            scopes: owned(scopes),
        }
    }
}

impl Default for ClaimLayout {
    fn default() -> Self {
        ClaimPreset::Demo.layout()
    }
}

impl ClaimLayout {
    /// The roles of a verified token: every configured path that holds any, together; the first
    /// such path is the one the trace names.
    pub(crate) fn roles(&self, payload: &Map<String, Value>) -> Read {
        read_all(&self.roles, payload, |text| vec![text.to_string()])
    }

    /// The scopes of a verified token, like [`ClaimLayout::roles`].
    pub(crate) fn scopes(&self, payload: &Map<String, Value>) -> Read {
        read_all(&self.scopes, payload, |text| {
            text.split_whitespace().map(str::to_string).collect()
        })
    }

    /// Whether this is the demo's layout (`role`, `scope`), whose trace texts stay as they were.
    pub fn is_demo(&self) -> bool {
        self.roles == ["role"] && self.scopes == ["scope"]
    }
}

/// Reads every path; a string claim becomes values through `split` (one role, or
/// space-separated scopes).
fn read_all(
    paths: &[String],
    payload: &Map<String, Value>,
    split: fn(&str) -> Vec<String>,
) -> Read {
    let mut read = Read::default();
    for path in paths {
        let Some(value) = lookup(path, payload) else {
            continue;
        };
        let values: Vec<String> = match value {
            Value::String(text) => split(text),
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => continue,
        };
        if read.claim.is_none() {
            read.claim = Some(path.clone());
        }
        for value in values {
            if !read.values.contains(&value) {
                read.values.push(value);
            }
        }
    }
    read
}

/// The value at a path. A claim whose name itself has dots (Auth0's namespaced claims,
/// `https://example.com/roles`) is found by its whole name first.
fn lookup<'a>(path: &str, payload: &'a Map<String, Value>) -> Option<&'a Value> {
    if let Some(value) = payload.get(path) {
        return Some(value);
    }
    let azp = payload.get("azp").and_then(Value::as_str);
    let mut current = payload;
    let mut segments = path.split('.').peekable();
    while let Some(segment) = segments.next() {
        let name = if segment == "{azp}" { azp? } else { segment };
        let value = current.get(name)?;
        if segments.peek().is_none() {
            return Some(value);
        }
        current = value.as_object()?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{ClaimPreset, Read};
    use serde_json::{json, Map, Value};

    fn payload(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    fn read(values: &[&str], claim: &str) -> Read {
        Read {
            values: values.iter().map(|value| value.to_string()).collect(),
            claim: Some(claim.to_string()),
        }
    }

    #[test]
    fn each_preset_reads_its_providers_claims() {
        let cases = [
            (
                ClaimPreset::Demo,
                json!({"role": "admin", "scope": "a b"}),
                read(&["admin"], "role"),
                read(&["a", "b"], "scope"),
            ),
            (
                ClaimPreset::Auth0,
                json!({"permissions": ["read:reports"], "scope": "openid"}),
                read(&["read:reports"], "permissions"),
                read(&["openid"], "scope"),
            ),
            (
                ClaimPreset::Keycloak,
                json!({"azp": "api", "realm_access": {"roles": ["user"]}, "resource_access": {"api": {"roles": ["admin"]}}, "scope": "profile"}),
                read(&["user", "admin"], "realm_access.roles"),
                read(&["profile"], "scope"),
            ),
            (
                ClaimPreset::Entra,
                json!({"roles": ["Reports.Read"], "scp": "User.Read Mail.Send"}),
                read(&["Reports.Read"], "roles"),
                read(&["User.Read", "Mail.Send"], "scp"),
            ),
            (
                ClaimPreset::Cognito,
                json!({"cognito:groups": ["admin"], "scope": "aws.cognito.signin.user.admin"}),
                read(&["admin"], "cognito:groups"),
                read(&["aws.cognito.signin.user.admin"], "scope"),
            ),
            (
                ClaimPreset::Okta,
                json!({"groups": ["Everyone"], "scp": ["openid", "email"]}),
                read(&["Everyone"], "groups"),
                read(&["openid", "email"], "scp"),
            ),
            (
                ClaimPreset::Rfc9068,
                json!({"roles": ["admin"], "scope": "reports:read"}),
                read(&["admin"], "roles"),
                read(&["reports:read"], "scope"),
            ),
        ];
        for (preset, token, roles, scopes) in cases {
            let layout = preset.layout();
            let claims = payload(token);
            assert_eq!(layout.roles(&claims), roles, "{preset:?} roles");
            assert_eq!(layout.scopes(&claims), scopes, "{preset:?} scopes");
            assert_eq!(ClaimPreset::from_id(preset.id()), Some(preset));
        }
    }

    #[test]
    fn a_claim_with_dots_in_its_name_is_read_whole() {
        let layout = super::ClaimLayout {
            roles: vec!["https://example.com/roles".to_string()],
            ..ClaimPreset::Custom.layout()
        };
        let claims = payload(json!({"https://example.com/roles": ["admin"]}));
        assert_eq!(
            layout.roles(&claims),
            read(&["admin"], "https://example.com/roles")
        );
        // Missing or non-string claims read as nothing.
        let none = payload(json!({"role": 5}));
        assert_eq!(ClaimPreset::Demo.layout().roles(&none), Read::default());
    }
}
