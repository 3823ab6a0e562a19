//! What each recorded app is held to: the engine profile whose answers it must give, and the
//! scenario it is evaluated under, which differs from one app to another only by the API the app
//! serves (its policy). One table, [`RENAMED`], names the recordings whose id is not their
//! profile's; every other id is a profile id, over the demo API.

use authpath_engine::{Policy, Profile, Scenario};

/// The API a recorded app serves, as the engine's policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    /// The demo API (`Policy::default_api`), which every app serves but the API key apps.
    Demo,
    /// `fastapi_keys_app.py`: `GET /query-key` takes an API key from the `api_key` query
    /// parameter and nothing else, `GET /cookie-key` from the `api_key` cookie ([`KEYS_POLICY`]).
    Keys,
}

/// The recordings held to a profile of another name, and the API their app serves.
const RENAMED: [(&str, Profile, Api); 2] = [
    ("fastapi-keys", Profile::Fastapi, Api::Keys),
    ("fastapi-0.121-keys", Profile::Fastapi0121, Api::Keys),
];

/// The policy of [`Api::Keys`]: `APIKeyQuery(name="api_key")` on one route,
/// `APIKeyCookie(name="api_key")` on the other, any known key let in.
const KEYS_POLICY: &str = r#"
[schemes.queryKey]
type = "apiKey"
in = "query"
name = "api_key"

[schemes.cookieKey]
type = "apiKey"
in = "cookie"
name = "api_key"

[[routes]]
method = "GET"
path = "/query-key"
access = "authenticated"
security = ["queryKey"]

[[routes]]
method = "GET"
path = "/cookie-key"
access = "authenticated"
security = ["cookieKey"]
"#;

/// The profile the recording `id` (a framework id of `record.py`) is held to, and the API its
/// app serves; `None` when the engine has no profile for it.
pub fn held_to(id: &str) -> Option<(Profile, Api)> {
    RENAMED
        .iter()
        .find(|(recorded, _, _)| *recorded == id)
        .map(|(_, profile, api)| (*profile, *api))
        .or_else(|| Profile::from_id(id).map(|profile| (profile, Api::Demo)))
}

impl Api {
    /// The demo scenario (keys, users, API keys, sessions) with this API's policy, `profile`
    /// and the clock `now`.
    pub fn scenario(self, profile: Profile, now: u64) -> Result<Scenario, String> {
        Ok(Scenario {
            policy: self.policy()?,
            profile,
            now,
            ..Scenario::default()
        })
    }

    fn policy(self) -> Result<Policy, String> {
        match self {
            Api::Demo => Ok(Policy::default_api()),
            Api::Keys => Policy::from_toml(KEYS_POLICY).map_err(|error| {
                format!(
                    "the API key apps' policy (xtask/src/conformance/held.rs), line {}: {}",
                    error.line.unwrap_or_default(),
                    error.describe()
                )
            }),
        }
    }

    /// Whether the app serves the demo's `GET /profile`, the endpoint the probe asks.
    pub fn serves_profile(self) -> bool {
        self == Api::Demo
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_find_their_profile_and_api() {
        assert_eq!(held_to("drf"), Some((Profile::Drf, Api::Demo)));
        assert_eq!(held_to("drf-token"), Some((Profile::DrfToken, Api::Demo)));
        assert_eq!(
            held_to("fastapi-0.121-keys"),
            Some((Profile::Fastapi0121, Api::Keys))
        );
        assert_eq!(held_to("fastapi-keys"), Some((Profile::Fastapi, Api::Keys)));
        assert_eq!(held_to("no-such-framework"), None);
    }

    /// Every app `conformance/recorded/` has a file for is held to a profile.
    #[test]
    fn every_recording_is_held_to_a_profile() {
        let recorded = crate::command::workspace_root()
            .join("conformance")
            .join("recorded");
        let ids: Vec<String> = std::fs::read_dir(&recorded)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|entry| {
                        Some(
                            entry
                                .file_name()
                                .to_str()?
                                .strip_suffix(".json")?
                                .to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert!(!ids.is_empty(), "no recordings in {}", recorded.display());
        let unheld: Vec<&String> = ids.iter().filter(|id| held_to(id).is_none()).collect();
        assert!(unheld.is_empty(), "not held to a profile: {unheld:?}");
    }

    /// The TOML reads as the policy it means, written out as JSON (the engine's root does not
    /// export `Scheme`, so the struct cannot be written here).
    #[test]
    fn the_keys_policy() {
        let json = Api::Keys
            .policy()
            .map(|policy| policy.to_json())
            .unwrap_or_else(|error| error);
        let read: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        let expected = serde_json::json!({
            "schemes": {
                "cookieKey": { "type": "apiKey", "in": "cookie", "name": "api_key" },
                "queryKey": { "type": "apiKey", "in": "query", "name": "api_key" },
            },
            "routes": [
                {
                    "method": "GET",
                    "path": "/query-key",
                    "access": "authenticated",
                    "security": ["queryKey"],
                },
                {
                    "method": "GET",
                    "path": "/cookie-key",
                    "access": "authenticated",
                    "security": ["cookieKey"],
                },
            ],
        });
        assert_eq!(read, expected, "{json}");
        let scenario = Api::Keys.scenario(Profile::Fastapi, 7);
        assert!(
            scenario.is_ok_and(|scenario| scenario.profile == Profile::Fastapi
                && scenario.now == 7
                && scenario.api_keys == Scenario::default().api_keys)
        );
    }
}
