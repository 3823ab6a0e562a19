//! Links: the page's state in the URL fragment, e.g.
//! `#v=1&preset=expired-token&step=3` or `#v=1&m=GET&p=/admin&cred=bearer&valid=valid&sub=alice&role=user`
//! or `#v=1&m=POST&p=/users/alice/notes&cred=session&valid=valid&csrf=missing&sub=alice&role=user`.
//!
//! Short keys, readable values, a version first so old links keep working. Decoding never fails:
//! whatever cannot be read is left at its default and named in `Decoded::ignored`, which the
//! page shows as a notice.

use std::rc::Rc;

use authpath_engine::teach::mock::preset;
use authpath_engine::teach::mock::{CredentialKind, CsrfToken, MockRequest, Validity};
use authpath_engine::text::{percent_decode, shorten};
use authpath_engine::{
    parse_keys, withheld_values, withhold_secrets, Algorithm, ClaimPreset, KeyType, Policy,
    Profile, Scenario, ASYMMETRIC, WITHHELD,
};

use crate::state::{keep_a_validity_of_the_kind, route_index, State, View, LINK_POLICY_CHARS};

/// The version this build writes. Links without `v=` are read as version 1.
pub const VERSION: u32 = 1;

/// How many characters of a value it cannot read a notice quotes: a link can be long.
const NOTICE_CHARS: usize = 40;

/// A fragment read back: the state it describes, and what had to be left out.
#[derive(Debug)]
pub struct Decoded {
    pub state: State,
    /// One sentence per part that could not be used.
    pub ignored: Vec<String>,
}

/// The fragment (without `#`) for `state`. Every value of a hand-edited request that may be a
/// secret (credentials, cookies, keys, CSRF tokens, passwords) is withheld unless
/// `state.share_credentials` (RFC 6750 §5.3: bearer tokens do not belong in page URLs); minted
/// demo credentials never need to be written, the toggles rebuild them.
pub fn encode(state: &State) -> String {
    let mut pairs: Vec<(&str, String)> = vec![("v", VERSION.to_string())];
    if state.view != View::Simulator {
        pairs.push(("view", state.view.id().to_string()));
    }
    match (&state.custom, state.preset) {
        (Some(raw), _) => {
            let (text, stripped) = strip_credentials(raw);
            if state.share_credentials && stripped {
                pairs.push(("raw", raw.clone()));
                pairs.push(("creds", "1".to_string()));
            } else {
                pairs.push(("raw", text));
            }
        }
        (None, Some(id)) => pairs.push(("preset", id.to_string())),
        (None, None) => {
            let mock = &state.mock;
            pairs.push(("m", mock.method.clone()));
            pairs.push(("p", mock.path.clone()));
            if !mock.token {
                pairs.push(("cred", "none".to_string()));
            } else {
                pairs.push(("cred", kind_id(mock.kind).to_string()));
                pairs.push(("valid", validity_id(mock.validity).to_string()));
                // Sent is the default; only a token left out or a wrong one is spelled out.
                if mock.csrf != CsrfToken::Sent {
                    pairs.push(("csrf", csrf_id(mock.csrf).to_string()));
                }
                pairs.push(("sub", mock.subject.clone()));
                pairs.push(("role", mock.role.clone()));
                if !mock.scopes.is_empty() {
                    pairs.push(("scope", mock.scopes.join(",")));
                }
            }
        }
    }
    if state.preset.is_none() || state.custom.is_some() {
        pairs.push(("profile", state.profile().id().to_string()));
    }
    let defaults = Scenario::default();
    // A policy too large for a link is left out; the page's notice says so (state.rs).
    if state.scenario.policy != defaults.policy {
        let policy = state.scenario.policy.to_json();
        if policy.len() <= LINK_POLICY_CHARS {
            pairs.push(("policy", policy));
        }
    }
    if state.scenario.realm != defaults.realm {
        pairs.push(("realm", state.scenario.realm.clone()));
    }
    if state.scenario.now != defaults.now {
        pairs.push(("now", state.scenario.now.to_string()));
    }
    push_token_settings(state, &defaults, &mut pairs);
    if let Some(step) = state.step {
        pairs.push(("step", (step + 1).to_string()));
    }
    if let (View::Quiz, Some(seed)) = (state.view, state.quiz_seed) {
        pairs.push(("seed", seed.to_string()));
    }
    pairs
        .into_iter()
        .map(|(key, value)| format!("{key}={}", escape(&value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The server's token settings that differ from the demo's. Public keys, algorithms, issuers,
/// audiences, leeway and claim layout always go in; a secret (the HMAC secret, or an `oct` key)
/// only when the person ticked the box for credentials in links.
fn push_token_settings(state: &State, defaults: &Scenario, pairs: &mut Vec<(&str, String)>) {
    let scenario = &state.scenario;
    let keys: Vec<serde_json::Value> = scenario
        .keys
        .iter()
        .filter(|key| state.share_credentials || key.key_type() != KeyType::Secret)
        .map(|key| serde_json::Value::Object(key.to_jwk()))
        .collect();
    if !keys.is_empty() {
        pairs.push(("keys", serde_json::json!({ "keys": keys }).to_string()));
    }
    if scenario.key != defaults.key && (state.share_credentials || scenario.key.is_empty()) {
        pairs.push(("secret", scenario.key.clone()));
    }
    if scenario.algorithms != defaults.algorithms {
        let names: Vec<&str> = scenario.algorithms.iter().map(|alg| alg.name()).collect();
        pairs.push(("algs", names.join(",")));
    }
    let issuers: Vec<&str> = scenario.issuers().collect();
    if !issuers.iter().copied().eq(defaults.issuers()) {
        pairs.push(("iss", issuers.join(",")));
    }
    let audiences: Vec<&str> = scenario.audiences().collect();
    if !audiences.iter().copied().eq(defaults.audiences()) {
        pairs.push(("aud", audiences.join(",")));
    }
    if scenario.leeway != defaults.leeway {
        pairs.push(("leeway", scenario.leeway.to_string()));
    }
    if scenario.claims != defaults.claims && scenario.claims.preset != ClaimPreset::Custom {
        pairs.push(("claims", scenario.claims.preset.id().to_string()));
    }
}

/// Reads the token settings `push_token_settings` wrote; what does not read is named.
fn read_token_settings(
    pairs: &[(String, String)],
    scenario: &mut Scenario,
    ignored: &mut Vec<String>,
    deferred: &mut bool,
) {
    if let Some(text) = get(pairs, "keys") {
        match parse_keys(text) {
            Ok(keys) => scenario.keys = keys,
            // Public keys are read by the full build (src/parts.rs): the link goes there whole.
            Err(_) if !ASYMMETRIC => *deferred = true,
            Err(error) => ignored.push(format!("the keys ({error})")),
        }
    }
    if let Some(secret) = get(pairs, "secret") {
        scenario.key = secret.to_string();
    }
    if let Some(text) = get(pairs, "algs") {
        match Algorithm::parse_list(text) {
            Ok(algorithms) => scenario.algorithms = algorithms,
            Err(error) => ignored.push(format!("the algorithms ({error})")),
        }
    }
    if let Some(text) = get(pairs, "iss") {
        scenario.set_issuers(text);
    }
    if let Some(text) = get(pairs, "aud") {
        scenario.set_audiences(text);
    }
    if let Some(text) = get(pairs, "leeway") {
        match text.parse() {
            Ok(leeway) => scenario.leeway = leeway,
            Err(_) => ignored.push(format!(
                "the leeway “{}” is not a number of seconds",
                shorten(text, NOTICE_CHARS)
            )),
        }
    }
    if let Some(id) = get(pairs, "claims") {
        match ClaimPreset::from_id(id) {
            Some(preset) => scenario.claims = preset.layout(),
            None => ignored.push(format!(
                "there is no claim preset “{}”",
                shorten(id, NOTICE_CHARS)
            )),
        }
    }
}

/// Reads a fragment (with or without the leading `#`) over `base`, the state a fresh page has.
pub fn decode(fragment: &str, base: &State) -> Decoded {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut state = base.clone();
    let mut ignored = Vec::new();
    if fragment.is_empty() {
        return Decoded { state, ignored };
    }

    let mut pairs = Vec::new();
    for part in fragment.split('&').filter(|part| !part.is_empty()) {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        match unescape(value) {
            Some(value) => pairs.push((key.to_string(), value)),
            None => ignored.push(format!(
                "“{}” is not valid text",
                shorten(key, NOTICE_CHARS)
            )),
        }
    }

    match get(&pairs, "v").map(str::parse::<u32>) {
        None | Some(Ok(VERSION)) => {}
        Some(Ok(version)) => {
            ignored.push(format!(
                "this link is from a newer authpath (link version {version}); the default scenario is shown"
            ));
            return Decoded {
                state: base.clone(),
                ignored,
            };
        }
        Some(Err(_)) => ignored.push("the link's version is not a number".to_string()),
    }

    let mut scenario = Scenario::clone(&base.scenario);
    if let Some(text) = get(&pairs, "policy") {
        match Policy::from_json(text) {
            Ok(policy) => scenario.policy = policy,
            Err(error) => ignored.push(format!("the policy ({})", error.message)),
        }
    }
    if let Some(realm) = get(&pairs, "realm") {
        scenario.realm = realm.to_string();
    }
    if let Some(now) = get(&pairs, "now") {
        match now.parse() {
            Ok(now) => scenario.now = now,
            Err(_) => ignored.push(format!(
                "the clock “{}” is not a number of seconds",
                shorten(now, NOTICE_CHARS)
            )),
        }
    }
    let linked_preset = get(&pairs, "preset").map(|id| (id, preset(id)));
    if let Some((_, Some(found))) = &linked_preset {
        // The attack presets bring the key settings they need (the demo JWKS), as choosing one
        // in the page does; the link's own token settings go on top.
        if found.server.is_some() {
            scenario = found.scenario(&scenario);
        }
    }
    let mut deferred = false;
    read_token_settings(&pairs, &mut scenario, &mut ignored, &mut deferred);
    state.scenario = Rc::new(scenario);
    if deferred {
        state.deferred_link = Some(fragment.to_string());
    }

    if let Some((id, found)) = linked_preset {
        match found {
            Some(found) => {
                state.mock = found.request;
                state.set_profile(Profile::Rfc);
            }
            None => ignored.push(format!(
                "there is no preset “{}”",
                shorten(id, NOTICE_CHARS)
            )),
        }
    }
    read_mock(&pairs, &mut state.mock, &mut ignored);
    if let Some(raw) = get(&pairs, "raw") {
        state.edit_raw(raw.to_string());
        state.share_credentials = get(&pairs, "creds") == Some("1");
        let withheld = withheld_values(raw);
        if !withheld.is_empty() {
            let names: Vec<String> = withheld
                .iter()
                .take(4)
                .map(|name| shorten(name, NOTICE_CHARS))
                .collect();
            let more = if withheld.len() > 4 { ", …" } else { "" };
            ignored.push(format!(
                "the sender's page withheld {} secret value{} ({}{more}): each reads “{WITHHELD}” in the raw request, so the answer may differ from theirs; ask them for the request, or type your own values",
                withheld.len(),
                if withheld.len() == 1 { "" } else { "s" },
                names.join(", "),
            ));
        }
    }
    if let Some(id) = get(&pairs, "profile") {
        match Profile::from_id(id) {
            Some(profile) => state.set_profile(profile),
            None => ignored.push(format!(
                "there is no profile “{}”",
                shorten(id, NOTICE_CHARS)
            )),
        }
    }
    if let Some(id) = get(&pairs, "view") {
        match View::from_id(id) {
            Some(view) => state.view = view,
            None => ignored.push(format!("there is no view “{}”", shorten(id, NOTICE_CHARS))),
        }
    }
    if let Some(step) = get(&pairs, "step") {
        match step.parse::<usize>() {
            Ok(step) if step >= 1 => state.step = Some(step - 1),
            _ => ignored.push(format!(
                "the step “{}” is not a step number",
                shorten(step, NOTICE_CHARS)
            )),
        }
    }
    if let Some(seed) = get(&pairs, "seed") {
        match seed.parse::<u64>() {
            Ok(seed) => state.quiz_seed = Some(seed),
            Err(_) => ignored.push(format!(
                "the quiz seed “{}” is not a number",
                shorten(seed, NOTICE_CHARS)
            )),
        }
    }
    if get(&pairs, "secret").is_some_and(|secret| !secret.is_empty()) {
        // A secret came in a link only because its sender ticked the box: it stays ticked.
        state.share_credentials = true;
    }
    const KNOWN: [&str; 27] = [
        "v", "view", "preset", "m", "p", "cred", "valid", "csrf", "sub", "role", "scope", "raw",
        "creds", "profile", "policy", "realm", "now", "step", "seed", "keys", "secret", "algs",
        "iss", "aud", "leeway", "claims", "",
    ];
    for (key, _) in &pairs {
        if !KNOWN.contains(&key.as_str()) {
            ignored.push(format!(
                "the unknown setting “{}”",
                shorten(key, NOTICE_CHARS)
            ));
        }
    }

    state.route = route_index(&state.scenario.policy, &state.mock.method, &state.mock.path);
    state.preset = crate::state::preset_of(&state);
    Decoded { state, ignored }
}

fn read_mock(pairs: &[(String, String)], mock: &mut MockRequest, ignored: &mut Vec<String>) {
    if let Some(method) = get(pairs, "m") {
        if is_token(method) {
            mock.method = method.to_string();
        } else {
            ignored.push(format!("the method “{}”", shorten(method, NOTICE_CHARS)));
        }
    }
    if let Some(path) = get(pairs, "p") {
        mock.path = path.to_string();
    }
    match get(pairs, "cred") {
        None => {}
        Some("none") => mock.token = false,
        Some(id) => match kind_from_id(id) {
            Some(kind) => {
                mock.token = true;
                mock.kind = kind;
            }
            None => ignored.push(format!(
                "the credential kind “{}”",
                shorten(id, NOTICE_CHARS)
            )),
        },
    }
    if let Some(id) = get(pairs, "valid") {
        match validity_from_id(id) {
            Some(validity) => mock.validity = validity,
            None => ignored.push(format!("the validity “{}”", shorten(id, NOTICE_CHARS))),
        }
    }
    // A validity its kind cannot have (a session with a bad signature) builds the same
    // request as a valid one; the builder shows it as valid, so the state says so too.
    keep_a_validity_of_the_kind(mock);
    if let Some(id) = get(pairs, "csrf") {
        match csrf_from_id(id) {
            Some(csrf) => mock.csrf = csrf,
            None => ignored.push(format!(
                "the CSRF token choice “{}”",
                shorten(id, NOTICE_CHARS)
            )),
        }
    }
    if let Some(subject) = get(pairs, "sub") {
        mock.subject = subject.to_string();
    }
    if let Some(role) = get(pairs, "role") {
        mock.role = role.to_string();
    }
    if let Some(scopes) = get(pairs, "scope") {
        mock.scopes = scopes
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
    }
}

/// The value of `key` in a link's pairs.
fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The request with every value that may be a secret replaced by “withheld”, and whether there
/// were any. Which bytes may be secrets is the engine's to say (`find_secrets`, wider than
/// what any server reads): the link must never carry a session, a key or a token, however it
/// was spelled.
pub fn strip_credentials(raw: &str) -> (String, bool) {
    match withhold_secrets(raw, WITHHELD) {
        Some(text) => (text, true),
        None => (raw.to_string(), false),
    }
}

/// Percent-encodes everything but unreserved characters and a few that read well in links.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b'/'
            | b':'
            | b',' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Undoes `escape` (`+` is a plus, not a space). `None` for broken escapes or bytes that
/// are not UTF-8.
fn unescape(text: &str) -> Option<String> {
    percent_decode(text, false).ok()
}

/// Text from a link, cut short for a notice.
fn is_token(text: &str) -> bool {
    !text.is_empty() && text.len() <= 20 && text.bytes().all(|b| b.is_ascii_alphabetic())
}

/// A credential kind's id in links: its reader's (`bearer`, `basic`, `query`, `api-key`,
/// `api-key-query`, `api-key-cookie`, `session`).
pub fn kind_id(kind: CredentialKind) -> &'static str {
    kind.reader().id
}

pub fn kind_from_id(id: &str) -> Option<CredentialKind> {
    CredentialKind::from_id(id)
}

/// The CSRF token choice's id in links (`csrf=`): `sent`, `missing`, `wrong`.
pub fn csrf_id(csrf: CsrfToken) -> &'static str {
    match csrf {
        CsrfToken::Sent => "sent",
        CsrfToken::Missing => "missing",
        CsrfToken::Wrong => "wrong",
    }
}

pub fn csrf_from_id(id: &str) -> Option<CsrfToken> {
    CsrfToken::ALL.into_iter().find(|csrf| csrf_id(*csrf) == id)
}

pub fn validity_id(validity: Validity) -> &'static str {
    match validity {
        Validity::Valid => "valid",
        Validity::Expired => "expired",
        Validity::NotYetValid => "not_yet_valid",
        Validity::BadSignature => "bad_signature",
        Validity::WrongAudience => "wrong_audience",
        Validity::AlgNone => "alg_none",
        Validity::Malformed => "malformed",
        Validity::WrongPassword => "wrong_password",
        Validity::AlgConfusion => "alg_confusion",
        Validity::UnknownKid => "unknown_kid",
        Validity::ForeignJku => "foreign_jku",
        Validity::EmbeddedJwk => "embedded_jwk",
        Validity::JustExpired => "just_expired",
        Validity::Unknown => "unknown",
        // The catalogue's ids are kebab-case, so they never meet the words above.
        Validity::Forged(attack) => attack.id(),
    }
}

pub fn validity_from_id(id: &str) -> Option<Validity> {
    Validity::ALL
        .into_iter()
        .find(|validity| validity_id(*validity) == id)
}
