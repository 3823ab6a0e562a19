//! The corpus: thousands of evaluations, under every profile, that a change to the pipeline
//! must leave byte for byte unchanged (raw request, raw response, each step's node, check,
//! outcome and status, the findings' rules). It holds five groups:
//!
//! - `mock`: the request builder's toggles (`teach::mock::MockRequest`), method × path of the
//!   demo policy (and an unknown path) × credentials (none, every kind and validity, the demo
//!   users and roles, scopes none or the policy's), requests that come out the same kept once;
//! - `presets`: every preset and attack preset, each under the scenario it defines;
//! - `odd`: odd credentials and malformed requests, a fixed list and a seeded generator;
//! - `clock`: the builder and time claims under a later clock (2026-07-01T12:34:56Z);
//! - `keys`: the builder and tokens of every demo key under the attack presets' server keys.
//!
//! `tests/corpus/checksums.txt` holds one line per profile and group: its number of records
//! and the SHA-256 of their text; `tests/corpus/sample.txt` is a readable part of it (the
//! presets under every profile, and a few dozen others). Regenerate both, then read the diff
//! of the sample before committing:
//!
//! ```text
//! AUTHPATH_CORPUS=write cargo test -p authpath-engine --test corpus
//! ```
//!
//! A failing group is written whole to `target/corpus/<profile>-<group>.txt` (the text its
//! checksum is taken of; `sha256sum` of the file gives the checksum). To see what changed,
//! write the baseline's records too and diff them: at the commit before the change (e.g.
//! `git stash`), run `AUTHPATH_CORPUS=dump cargo test -p authpath-engine --test corpus`, which
//! writes every group to `target/corpus`, move that directory aside (a run clears the groups
//! it writes), come back to the change, run the test, and
//! `diff <baseline>/rfc-mock.txt target/corpus/rfc-mock.txt` for each group it names.
//!
//! Nothing here reads a clock or a random source, and the output never follows a hash map's
//! order: the same sources give the same files.

mod support;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use authpath_engine::teach::mock::{
    attack_presets, presets, token_with_header, CredentialKind, CsrfToken, MockRequest, Preset,
    Validity,
};
use authpath_engine::{
    basic_credentials, evaluate, fill_pattern, format_utc, mint_token, parse_private_key,
    sign_token, Algorithm, Claims, Evaluation, Policy, Profile, Scenario, Status, DEMO_ED25519_KID,
    DEMO_ED25519_PRIVATE_PEM, DEMO_P256_KID, DEMO_P256_PRIVATE_PEM, DEMO_RSA_KID,
    DEMO_RSA_PRIVATE_PEM, MAX_HEADER_LINE_BYTES, MAX_REQUEST_BYTES,
};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use support::{claims, mint, scenario, DEMO_KEY, NOW};

/// The clock of the `clock` group, 2026-07-01T12:34:56Z: half a year after the demo's, and
/// not on a round hour, so dates written in answers show it.
const LATER: u64 = 1_782_909_296;

const HOST: &str = "api.authpath.example";

/// The groups, in the order of the checksum file.
const GROUPS: [&str; 5] = ["mock", "presets", "odd", "clock", "keys"];

/// The server a case is evaluated by, besides the profile.
#[derive(Clone, Copy, Debug)]
enum Server {
    /// The demo scenario.
    Demo,
    /// The demo scenario at `LATER`.
    Later,
    /// The demo scenario with the attack presets' keys and algorithms.
    Keys,
    /// The demo scenario as this preset changes it (`Preset::scenario`).
    Preset(&'static str),
}

/// The scenarios of one profile, made once: reading the demo key set takes a while in a
/// debug build.
struct Servers {
    demo: Scenario,
    later: Scenario,
    keys: Scenario,
    presets: Vec<(&'static str, Scenario)>,
}

impl Servers {
    fn new(profile: Profile) -> Servers {
        let demo = scenario(profile);
        Servers {
            later: Scenario {
                now: LATER,
                ..demo.clone()
            },
            keys: attack_server().scenario(&demo),
            presets: every_preset()
                .into_iter()
                .map(|preset| (preset.id, preset.scenario(&demo)))
                .collect(),
            demo,
        }
    }

    fn scenario(&self, server: Server) -> &Scenario {
        match server {
            Server::Demo => &self.demo,
            Server::Later => &self.later,
            Server::Keys => &self.keys,
            Server::Preset(id) => self
                .presets
                .iter()
                .find(|(preset, _)| *preset == id)
                .map(|(_, scenario)| scenario)
                .unwrap_or_else(|| panic!("no preset {id}")),
        }
    }
}

/// One request of the corpus: an id unique in its group, the raw text, and its server.
struct Case {
    id: String,
    raw: String,
    server: Server,
}

/// A group's cases, each raw request kept once (the first id that made it).
#[derive(Default)]
struct Cases {
    cases: Vec<Case>,
    seen: HashSet<(String, String)>,
}

impl Cases {
    fn push(&mut self, id: impl Into<String>, raw: impl Into<String>, server: Server) {
        let raw = raw.into();
        if self.seen.insert((format!("{server:?}"), raw.clone())) {
            self.cases.push(Case {
                id: id.into(),
                raw,
                server,
            });
        }
    }
}

fn every_preset() -> Vec<Preset> {
    presets().into_iter().chain(attack_presets()).collect()
}

/// The first attack preset: every attack preset gives the server the same keys.
fn attack_server() -> Preset {
    attack_presets()
        .into_iter()
        .next()
        .expect("there are attack presets")
}

/// A raw request: the request line, `Host`, the header lines (each without CRLF), no body.
fn request(line: &str, headers: &[&str]) -> String {
    let mut text = format!("{line}\r\nHost: {HOST}\r\n");
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    text.push_str("\r\n");
    text
}

fn get(path: &str, headers: &[&str]) -> String {
    request(&format!("GET {path} HTTP/1.1"), headers)
}

fn bearer(token: &str) -> String {
    format!("Authorization: Bearer {token}")
}

fn basic(user: &str, password: &str) -> String {
    format!("Authorization: Basic {}", basic_credentials(user, password))
}

/// The serde name of a toggle's value, e.g. `not_yet_valid`.
fn name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .expect("a unit variant serializes")
        .trim_matches('"')
        .to_string()
}

/// The demo users and roles a token can name: the three users, and one the server lacks.
const SUBJECTS: [&str; 4] = ["alice", "bob", "carol", "mallory"];
const ROLES: [&str; 2] = ["user", "admin"];

/// The concrete paths of the demo policy's routes (each parameter filled with alice and bob),
/// and one no route has.
fn paths(policy: &Policy) -> Vec<String> {
    let mut paths: Vec<String> = Vec::new();
    for route in &policy.routes {
        for user in ["alice", "bob"] {
            let path = fill_pattern(&route.path, user);
            if !paths.contains(&path) {
                paths.push(path);
            }
        }
    }
    paths.push("/no/such/resource".to_string());
    paths
}

/// The builder's toggles for one method and path: no credentials; every kind and validity the
/// builder offers; for a valid token every demo user × role × scopes, for a broken one two
/// callers (a plain user, an admin with the scopes) since how a token is broken decides before
/// who it names; for Basic every user, a wrong password and a broken value.
fn toggles(method: &str, path: &str, scopes: &[String]) -> Vec<MockRequest> {
    let base = MockRequest {
        method: method.to_string(),
        path: path.to_string(),
        ..MockRequest::default()
    };
    let mut list = vec![MockRequest {
        token: false,
        ..base.clone()
    }];
    let who = |subject: &str, role: &str, scopes: &[String]| MockRequest {
        subject: subject.to_string(),
        role: role.to_string(),
        scopes: scopes.to_vec(),
        ..base.clone()
    };
    for kind in [CredentialKind::Bearer, CredentialKind::Query] {
        for &validity in Validity::for_kind(kind) {
            if validity == Validity::Valid {
                for subject in SUBJECTS {
                    for role in ROLES {
                        for granted in [&[][..], scopes] {
                            list.push(MockRequest {
                                kind,
                                validity,
                                ..who(subject, role, granted)
                            });
                        }
                    }
                }
            } else {
                for (subject, role, granted) in
                    [("alice", "user", &[][..]), ("carol", "admin", scopes)]
                {
                    list.push(MockRequest {
                        kind,
                        validity,
                        ..who(subject, role, granted)
                    });
                }
            }
        }
    }
    for &validity in Validity::for_kind(CredentialKind::Basic) {
        let subjects: &[&str] = match validity {
            Validity::Valid => &SUBJECTS,
            Validity::WrongPassword => &["alice", "carol"],
            _ => &["alice"],
        };
        for subject in subjects {
            list.push(MockRequest {
                kind: CredentialKind::Basic,
                validity,
                ..who(subject, "user", &[])
            });
        }
    }
    // API keys and sessions name a user, whose role the server's table gives; a session's
    // unsafe request sends the CSRF token, forgets it, or sends another.
    for kind in [
        CredentialKind::ApiKey,
        CredentialKind::ApiKeyQuery,
        CredentialKind::ApiKeyCookie,
        CredentialKind::Session,
    ] {
        for &validity in Validity::for_kind(kind) {
            let subjects: &[&str] = match validity {
                Validity::Valid => &SUBJECTS,
                _ => &["alice"],
            };
            let tokens: &[CsrfToken] = if kind == CredentialKind::Session {
                &CsrfToken::ALL
            } else {
                &[CsrfToken::Sent]
            };
            for subject in subjects {
                for &csrf in tokens {
                    list.push(MockRequest {
                        kind,
                        validity,
                        csrf,
                        ..who(subject, "user", &[])
                    });
                }
            }
        }
    }
    list
}

/// A short id for builder toggles, e.g. `GET /admin bearer:expired carol/admin +reports:read`.
fn toggles_id(mock: &MockRequest) -> String {
    let mut id = format!("{} {}", mock.method, mock.path);
    if !mock.token {
        id.push_str(" none");
        return id;
    }
    let _ = write!(
        id,
        " {}:{} {}",
        name(&mock.kind),
        name(&mock.validity),
        mock.subject
    );
    if matches!(mock.kind, CredentialKind::Bearer | CredentialKind::Query) {
        let _ = write!(id, "/{}", mock.role);
        for scope in &mock.scopes {
            let _ = write!(id, " +{scope}");
        }
    }
    if mock.kind == CredentialKind::Session && mock.csrf != CsrfToken::Sent {
        let _ = write!(id, " csrf:{}", name(&mock.csrf));
    }
    id
}

/// Writes builder toggles as raw text with `MockRequest::to_raw`. The two attack tokens signed
/// with Ed25519 (`ForeignJku`, `EmbeddedJwk`) take some 20 ms each to sign in a debug build
/// and do not depend on the method or path, so their request is written once per caller and
/// kind, and later ones differ from it only in the request line.
struct Builder<'a> {
    scenario: &'a Scenario,
    /// Toggles but method and path → the request line and the request written for them.
    signed: HashMap<String, (String, String)>,
}

impl Builder<'_> {
    fn new(scenario: &Scenario) -> Builder<'_> {
        Builder {
            scenario,
            signed: HashMap::new(),
        }
    }

    fn raw(&mut self, mock: &MockRequest) -> String {
        let slow =
            mock.token && matches!(mock.validity, Validity::ForeignJku | Validity::EmbeddedJwk);
        // A path to_raw writes as it is: no byte it would percent-encode.
        let plain = mock.path.starts_with('/')
            && mock
                .path
                .bytes()
                .all(|byte| (0x21..=0x7E).contains(&byte) && byte != b'#');
        if !slow || !plain || mock.method.is_empty() {
            return mock.to_raw(self.scenario);
        }
        let key = format!(
            "{:?} {:?} {} {} {:?}",
            mock.kind, mock.validity, mock.subject, mock.role, mock.scopes
        );
        let line = format!("{} {}", mock.method, mock.path);
        if let Some((first, raw)) = self.signed.get(&key) {
            return format!("{line}{}", &raw[first.len()..]);
        }
        let raw = mock.to_raw(self.scenario);
        assert!(raw.starts_with(&line), "{raw}");
        self.signed.insert(key, (line, raw.clone()));
        raw
    }
}

fn mock_group() -> Vec<Case> {
    let demo = Scenario::default();
    let scopes = demo.policy.scopes();
    let mut builder = Builder::new(&demo);
    let mut cases = Cases::default();
    // The policy's methods, HEAD (answered as GET) and a method no route has.
    for method in ["GET", "HEAD", "DELETE", "POST"] {
        for path in paths(&demo.policy) {
            for mock in toggles(method, &path, &scopes) {
                cases.push(toggles_id(&mock), builder.raw(&mock), Server::Demo);
            }
        }
    }
    cases.cases
}

fn presets_group() -> Vec<Case> {
    let mut cases = Cases::default();
    for preset in every_preset() {
        let raw = preset
            .request
            .to_raw(&preset.scenario(&Scenario::default()));
        cases.push(preset.id, raw, Server::Preset(preset.id));
    }
    cases.cases
}

/// A small xorshift64 generator: the same seed gives the same cases on every machine.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `length` characters drawn from `alphabet`.
    fn text(&mut self, alphabet: &str, length: usize) -> String {
        let characters: Vec<char> = alphabet.chars().collect();
        (0..length).map(|_| *self.pick(&characters)).collect()
    }
}

const TOKEN68: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=";
const PRINTABLE: &str =
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// A change to a token's claims.
type Edit = fn(&mut Claims);

/// The demo claims for `sub` with `role`, changed by `edit`, signed with the demo key.
fn token(sub: &str, role: &str, edit: impl FnOnce(&mut Claims)) -> String {
    let mut edited = claims(sub, role);
    edit(&mut edited);
    mint(&edited)
}

/// A token over any header members and payload text, signed with `algorithm` by `key` (a PEM
/// or a JWK), for payloads `Claims` cannot write and algorithms `mint_token` does not sign.
fn signed(header: Value, payload: &str, algorithm: Algorithm, key: &str) -> String {
    let key = parse_private_key(key).expect("a demo key parses");
    let header: Map<String, Value> = match header {
        Value::Object(members) => members,
        _ => Map::new(),
    };
    sign_token(&header, payload, algorithm, &key).expect("the demo key signs")
}

/// The demo HS256 secret as a JWK, for `signed`.
fn demo_secret() -> String {
    json!({"kty": "oct", "k": b64url(DEMO_KEY)}).to_string()
}

/// The demo claims as JSON text, with `extra` members replacing or adding to them.
fn payload(extra: Value) -> String {
    let mut members = match serde_json::to_value(claims("alice", "user")) {
        Ok(Value::Object(members)) => members,
        _ => Map::new(),
    };
    if let Value::Object(extra) = extra {
        members.extend(extra);
    }
    Value::Object(members).to_string()
}

fn odd_group() -> Vec<Case> {
    let mut cases = Cases::default();
    let mut add = |id: &str, raw: String| cases.push(id, raw, Server::Demo);
    let alice = token("alice", "user", |_| {});
    let carol = token("carol", "admin", |_| {});
    let secret = demo_secret();

    // How credentials are written.
    add(
        "bearer lower case",
        get("/profile", &[&format!("Authorization: bearer {alice}")]),
    );
    add(
        "bearer upper case, header name lower case",
        get("/profile", &[&format!("authorization: BEARER {alice}")]),
    );
    add("bearer alone", get("/profile", &["Authorization: Bearer"]));
    add(
        "bearer and a space",
        get("/profile", &["Authorization: Bearer "]),
    );
    add(
        "bearer two spaces",
        get("/profile", &[&format!("Authorization: Bearer  {alice}")]),
    );
    add(
        "bearer tab",
        get("/profile", &[&format!("Authorization: Bearer\t{alice}")]),
    );
    add("basic alone", get("/profile", &["Authorization: Basic"]));
    add("authorization empty", get("/profile", &["Authorization:"]));
    add("scheme only", get("/profile", &["Authorization: Bearer,"]));
    add(
        "digest",
        get(
            "/profile",
            &["Authorization: Digest username=\"alice\", realm=\"authpath-demo\""],
        ),
    );
    add(
        "token scheme",
        get("/profile", &["Authorization: Token abc123"]),
    );
    add(
        "negotiate",
        get("/profile", &["Authorization: Negotiate YIIBhg=="]),
    );
    add(
        "digest on admin",
        get("/admin", &["Authorization: Digest username=\"carol\""]),
    );
    add(
        "bearer two tokens",
        get("/profile", &["Authorization: Bearer a b"]),
    );
    add(
        "bearer comma",
        get("/profile", &["Authorization: Bearer abc,def"]),
    );
    add(
        "bearer equals inside",
        get("/profile", &["Authorization: Bearer ab=cd"]),
    );
    add(
        "bearer quoted",
        get("/profile", &[&format!("Authorization: Bearer \"{alice}\"")]),
    );
    add(
        "bearer padded",
        get("/profile", &[&format!("Authorization: Bearer {alice}==")]),
    );
    add(
        "bearer non-ascii",
        get("/profile", &["Authorization: Bearer t\u{f6}ken"]),
    );
    add(
        "two headers bearer basic",
        get("/profile", &[&bearer(&alice), &basic("alice", "alice-pw")]),
    );
    add(
        "two headers bearer",
        get("/profile", &[&bearer(&alice), &bearer(&alice)]),
    );
    add(
        "header and query",
        get(
            &format!("/profile?access_token={alice}"),
            &[&bearer(&alice)],
        ),
    );
    add(
        "two query tokens",
        get(
            &format!("/profile?access_token={alice}&access_token={alice}"),
            &[],
        ),
    );
    add("empty query token", get("/profile?access_token=", &[]));
    add(
        "query token name encoded",
        get(&format!("/profile?access%5Ftoken={alice}"), &[]),
    );
    add(
        "query token on public",
        get(&format!("/public?access_token={alice}"), &[]),
    );
    add(
        "query token and other parameters",
        get(&format!("/reports?page=2&access_token={carol}&x"), &[]),
    );
    add(
        "form body token",
        request(
            "POST /profile HTTP/1.1",
            &[
                "Content-Type: application/x-www-form-urlencoded",
                &format!("Content-Length: {}", alice.len() + 13),
            ],
        ) + &format!("access_token={alice}"),
    );
    add(
        "proxy-authorization",
        get(
            "/profile",
            &[&format!("Proxy-Authorization: Bearer {alice}")],
        ),
    );
    add(
        "x-authorization",
        get("/profile", &[&format!("X-Authorization: Bearer {alice}")]),
    );
    add(
        "cookie on admin",
        get("/admin", &["Cookie: sessionid=abc123"]),
    );
    add(
        "cookie on unknown path",
        get("/nope", &["Cookie: sessionid=abc123"]),
    );

    // Basic.
    add(
        "basic no colon",
        get(
            "/profile",
            &[&format!("Authorization: Basic {}", b64("alice"))],
        ),
    );
    add(
        "basic bad base64",
        get("/profile", &["Authorization: Basic !!!"]),
    );
    add(
        "basic not base64",
        get("/profile", &["Authorization: Basic not-base64"]),
    );
    add(
        "basic without padding",
        get(
            "/profile",
            &[&format!(
                "Authorization: Basic {}",
                b64("alice:alice-pw").trim_end_matches('=')
            )],
        ),
    );
    add(
        "basic wrong password",
        get("/profile", &[&basic("alice", "nope")]),
    );
    add(
        "basic unknown user",
        get("/profile", &[&basic("mallory", "mallory-pw")]),
    );
    add("basic empty user", get("/profile", &[&basic("", "")]));
    add(
        "basic colon in password",
        get("/profile", &[&basic("alice", "alice-pw:extra")]),
    );
    add(
        "basic not utf-8",
        get("/profile", &["Authorization: Basic //46YQ=="]),
    );
    add(
        "basic lower case",
        get(
            "/profile",
            &[&basic("alice", "alice-pw").replace("Basic", "basic")],
        ),
    );
    add(
        "basic admin on admin",
        get("/admin", &[&basic("carol", "carol-pw")]),
    );
    add(
        "basic admin deletes",
        request("DELETE /users/bob HTTP/1.1", &[&basic("carol", "carol-pw")]),
    );
    add(
        "basic on scope route",
        get("/reports", &[&basic("alice", "alice-pw")]),
    );
    add(
        "basic owner",
        get("/users/alice/notes", &[&basic("alice", "alice-pw")]),
    );
    add(
        "basic not owner",
        get("/users/bob/notes", &[&basic("alice", "alice-pw")]),
    );

    // Claims.
    let claim_cases: [(&str, &str, Edit); 20] = [
        ("token without exp", "/profile", |c| c.exp = None),
        ("token without iat", "/profile", |c| c.iat = None),
        ("token iat in the future", "/profile", |c| {
            c.iat = Some(NOW + 3600)
        }),
        ("token iat within leeway", "/profile", |c| {
            c.iat = Some(NOW + 20)
        }),
        ("token expired within leeway", "/profile", |c| {
            c.exp = Some(NOW - 20)
        }),
        ("token expired at the leeway", "/profile", |c| {
            c.exp = Some(NOW - 30)
        }),
        ("token expired long ago", "/profile", |c| {
            c.iat = Some(0);
            c.exp = Some(1)
        }),
        ("token nbf within leeway", "/profile", |c| {
            c.nbf = Some(NOW + 20)
        }),
        ("token nbf past", "/profile", |c| c.nbf = Some(NOW - 60)),
        ("token wrong iss", "/profile", |c| {
            c.iss = Some("https://evil.example".into())
        }),
        ("token without iss", "/profile", |c| c.iss = None),
        ("token wrong aud", "/profile", |c| {
            c.aud = Some("https://other.example".into())
        }),
        ("token without aud", "/profile", |c| c.aud = None),
        ("token without sub", "/profile", |c| c.sub = None),
        ("token unknown sub", "/profile", |c| {
            c.sub = Some("nobody".into())
        }),
        ("token without role on admin", "/admin", |c| c.role = None),
        ("token role superuser on admin", "/admin", |c| {
            c.role = Some("superuser".into())
        }),
        ("token two scopes", "/reports", |c| {
            c.scope = Some("reports:read reports:write".into())
        }),
        ("token other scope", "/reports", |c| {
            c.scope = Some("reports:write".into())
        }),
        ("token scope with extra spaces", "/reports", |c| {
            c.scope = Some("  reports:read  ".into())
        }),
    ];
    for (id, path, edit) in claim_cases {
        add(id, get(path, &[&bearer(&token("alice", "user", edit))]));
    }
    let hs256 = |extra: Value| {
        signed(
            json!({"typ": "JWT"}),
            &payload(extra),
            Algorithm::HS256,
            &secret,
        )
    };
    add(
        "token aud list with ours",
        get(
            "/profile",
            &[&bearer(&hs256(
                json!({"aud": ["https://other.example", "https://api.authpath.example"]}),
            ))],
        ),
    );
    add(
        "token aud list without ours",
        get(
            "/profile",
            &[&bearer(&hs256(json!({"aud": ["https://other.example"]})))],
        ),
    );
    add(
        "token scope list",
        get(
            "/reports",
            &[&bearer(&hs256(json!({"scope": ["reports:read"]})))],
        ),
    );
    add(
        "token scp",
        get(
            "/reports",
            &[&bearer(&hs256(json!({"scp": "reports:read"})))],
        ),
    );
    add(
        "token roles list",
        get("/admin", &[&bearer(&hs256(json!({"role": ["admin"]})))]),
    );
    add(
        "token exp text",
        get("/profile", &[&bearer(&hs256(json!({"exp": "soon"})))]),
    );
    add(
        "token exp negative",
        get("/profile", &[&bearer(&hs256(json!({"exp": -1})))]),
    );
    add(
        "token exp fraction",
        get(
            "/profile",
            &[&bearer(&hs256(json!({"exp": 1_767_229_200.5})))],
        ),
    );
    add(
        "token exp huge",
        get("/profile", &[&bearer(&hs256(json!({"exp": 1e20})))]),
    );
    add(
        "token sub number",
        get("/profile", &[&bearer(&hs256(json!({"sub": 7})))]),
    );
    let raw_payload = |text: &str| signed(json!({"typ": "JWT"}), text, Algorithm::HS256, &secret);
    add(
        "token payload null",
        get("/profile", &[&bearer(&raw_payload("null"))]),
    );
    add(
        "token payload list",
        get("/profile", &[&bearer(&raw_payload("[]"))]),
    );
    add(
        "token payload not json",
        get("/profile", &[&bearer(&raw_payload("not json"))]),
    );
    add(
        "token payload empty object",
        get("/profile", &[&bearer(&raw_payload("{}"))]),
    );

    // Headers and algorithms.
    let demo_claims = claims("alice", "user");
    let header = |text: &str| token_with_header(text, &demo_claims, DEMO_KEY);
    let unsigned = |text: &str| {
        let signed = token_with_header(text, &demo_claims, "");
        format!(
            "{}.",
            signed.rsplit_once('.').map_or("", |(input, _)| input)
        )
    };
    add(
        "alg none",
        get(
            "/profile",
            &[&bearer(&unsigned(r#"{"alg":"none","typ":"JWT"}"#))],
        ),
    );
    add(
        "alg None",
        get("/profile", &[&bearer(&unsigned(r#"{"alg":"None"}"#))]),
    );
    add(
        "alg none with a signature",
        get("/profile", &[&bearer(&header(r#"{"alg":"none"}"#))]),
    );
    add(
        "alg RS256 signed with the secret",
        get(
            "/profile",
            &[&bearer(&header(r#"{"alg":"RS256","typ":"JWT"}"#))],
        ),
    );
    add(
        "alg missing",
        get("/profile", &[&bearer(&header(r#"{"typ":"JWT"}"#))]),
    );
    add(
        "alg number",
        get("/profile", &[&bearer(&header(r#"{"alg":7}"#))]),
    );
    add(
        "header not an object",
        get("/profile", &[&bearer(&header("[]"))]),
    );
    add(
        "header not json",
        get("/profile", &[&bearer(&header("alg"))]),
    );
    add(
        "typ at+jwt",
        get(
            "/profile",
            &[&bearer(&header(r#"{"alg":"HS256","typ":"at+jwt"}"#))],
        ),
    );
    add(
        "typ other",
        get(
            "/profile",
            &[&bearer(&header(r#"{"alg":"HS256","typ":"JWE"}"#))],
        ),
    );
    add(
        "crit exp",
        get(
            "/profile",
            &[&bearer(&header(
                r#"{"alg":"HS256","crit":["exp"],"exp":1}"#,
            ))],
        ),
    );
    add(
        "crit unknown",
        get(
            "/profile",
            &[&bearer(&header(
                r#"{"alg":"HS256","crit":["x-custom"],"x-custom":true}"#,
            ))],
        ),
    );
    add(
        "kid on a keyless server",
        get(
            "/profile",
            &[&bearer(&header(r#"{"alg":"HS256","kid":"demo"}"#))],
        ),
    );
    add(
        "jku on a keyless server",
        get(
            "/profile",
            &[&bearer(&header(
                r#"{"alg":"HS256","jku":"https://attacker.example/jwks"}"#,
            ))],
        ),
    );
    add(
        "HS384",
        get(
            "/profile",
            &[&bearer(&signed(
                json!({"typ": "JWT"}),
                &payload(json!({})),
                Algorithm::HS384,
                &secret,
            ))],
        ),
    );
    add(
        "HS512",
        get(
            "/profile",
            &[&bearer(&signed(
                json!({"typ": "JWT"}),
                &payload(json!({})),
                Algorithm::HS512,
                &secret,
            ))],
        ),
    );
    add(
        "RS256 on an HS256 server",
        get(
            "/profile",
            &[&bearer(&signed(
                json!({"kid": DEMO_RSA_KID}),
                &payload(json!({})),
                Algorithm::RS256,
                DEMO_RSA_PRIVATE_PEM,
            ))],
        ),
    );
    add(
        "EdDSA on an HS256 server",
        get(
            "/profile",
            &[&bearer(&signed(
                json!({}),
                &payload(json!({})),
                Algorithm::EdDSA,
                DEMO_ED25519_PRIVATE_PEM,
            ))],
        ),
    );
    add(
        "wrong key",
        get(
            "/profile",
            &[&bearer(&mint_token(&demo_claims, "not-the-server-key"))],
        ),
    );
    add(
        "signature cut",
        get("/profile", &[&bearer(&alice[..alice.len() - 4])]),
    );

    // Not a JWT.
    for (id, value) in [
        ("not a jwt", "not-a-jwt"),
        ("two parts", "a.b"),
        ("three garbage parts", "a.b.c"),
        ("four parts", "a.b.c.d"),
        (
            "five parts",
            "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y2lwaGVy.dGFn",
        ),
        ("empty parts", ".."),
        ("one dot", "."),
    ] {
        add(id, get("/profile", &[&bearer(value)]));
    }
    add("long token", get("/profile", &[&bearer(&"a".repeat(8000))]));

    // Who may do what.
    add(
        "admin deletes",
        request("DELETE /users/bob HTTP/1.1", &[&bearer(&carol)]),
    );
    add("admin on admin", get("/admin", &[&bearer(&carol)]));
    add(
        "admin on another's notes",
        get("/users/bob/notes", &[&bearer(&carol)]),
    );
    add("owner", get("/users/alice/notes", &[&bearer(&alice)]));
    add("not owner", get("/users/bob/notes", &[&bearer(&alice)]));
    add(
        "owner of no such user",
        get(
            "/users/zed/notes",
            &[&bearer(&token("zed", "user", |_| {}))],
        ),
    );
    add(
        "scope granted",
        get(
            "/reports",
            &[&bearer(&token("bob", "user", |c| {
                c.scope = Some("reports:read".into())
            }))],
        ),
    );
    add(
        "wrong method with a token",
        get("/users/bob", &[&bearer(&carol)]),
    );
    add("token on public", get("/public", &[&bearer(&alice)]));
    add(
        "bad token on public",
        get("/public", &["Authorization: Bearer x"]),
    );
    add(
        "bad token on unknown path",
        get("/nope", &["Authorization: Bearer x.y.z"]),
    );

    // Methods and request targets.
    add(
        "HEAD profile",
        request("HEAD /profile HTTP/1.1", &[&bearer(&alice)]),
    );
    add(
        "HEAD admin",
        request("HEAD /admin HTTP/1.1", &[&bearer(&alice)]),
    );
    add("HEAD unknown path", request("HEAD /nope HTTP/1.1", &[]));
    add("HEAD public", request("HEAD /public HTTP/1.1", &[]));
    add(
        "HEAD expired",
        request(
            "HEAD /profile HTTP/1.1",
            &[&bearer(&token("alice", "user", |c| {
                c.exp = Some(NOW - 3600)
            }))],
        ),
    );
    add("OPTIONS star", request("OPTIONS * HTTP/1.1", &[]));
    add(
        "OPTIONS profile",
        request("OPTIONS /profile HTTP/1.1", &[&bearer(&alice)]),
    );
    add(
        "PUT profile",
        request(
            "PUT /profile HTTP/1.1",
            &[&bearer(&alice), "Content-Length: 0"],
        ),
    );
    add(
        "method lower case",
        request("get /profile HTTP/1.1", &[&bearer(&alice)]),
    );
    add("method unknown", request("PURGE /profile HTTP/1.1", &[]));
    add(
        "absolute form",
        request(
            &format!("GET http://{HOST}/profile HTTP/1.1"),
            &[&bearer(&alice)],
        ),
    );
    add(
        "absolute form without path",
        request(&format!("GET http://{HOST} HTTP/1.1"), &[]),
    );
    add(
        "absolute form with query token",
        request(
            &format!("GET https://{HOST}/profile?access_token={alice} HTTP/1.1"),
            &[],
        ),
    );
    add(
        "HTTP/1.0 without Host",
        format!("GET /profile HTTP/1.0\r\n{}\r\n\r\n", bearer(&alice)),
    );
    add("HTTP/2.0", request("GET /profile HTTP/2.0", &[]));
    add("HTTP/1.2", request("GET /profile HTTP/1.2", &[]));
    add("version lower case", request("GET /profile http/1.1", &[]));
    add("version missing", request("GET /profile", &[]));
    add("extra word", request("GET /profile HTTP/1.1 x", &[]));
    add("two spaces", request("GET  /profile HTTP/1.1", &[]));
    add("leading whitespace", request(" GET /profile HTTP/1.1", &[]));
    add("asterisk with GET", request("GET * HTTP/1.1", &[]));
    add("path without slash", request("GET profile HTTP/1.1", &[]));

    // Paths.
    for (id, path) in [
        ("percent-encoded path", "/%70rofile"),
        ("percent-encoded user", "/users/%61lice/notes"),
        ("encoded slash", "/users/bob%2Fnotes"),
        ("encoded space in user", "/users/a%20b/notes"),
        ("encoded dots", "/%2e%2e/admin"),
        ("dot segments", "/public/../admin"),
        ("trailing slash", "/admin/"),
        ("double slash", "//profile"),
        ("upper case path", "/PROFILE"),
        ("empty segment", "/users//notes"),
        ("path not utf-8", "/users/%FF/notes"),
        ("bad escape", "/a%zz"),
        ("non-ascii path", "/\u{e9}"),
        ("fragment", "/profile#top"),
        ("query with bad escape", "/profile?x=%4"),
        ("query", "/profile?x=1&y=%20z+w"),
        ("root", "/"),
    ] {
        add(id, get(path, &[&bearer(&alice)]));
    }

    // Head and body.
    add(
        "line feeds only",
        format!(
            "GET /profile HTTP/1.1\nHost: {HOST}\n{}\n\n",
            bearer(&alice)
        ),
    );
    add(
        "blank line first",
        format!("\r\n{}", get("/profile", &[&bearer(&alice)])),
    );
    add(
        "no final blank line",
        format!(
            "GET /profile HTTP/1.1\r\nHost: {HOST}\r\n{}",
            bearer(&alice)
        ),
    );
    add("obs-fold", get("/profile", &[&bearer(&alice), " folded"]));
    add("header without colon", get("/profile", &["Accept"]));
    add("empty header name", get("/profile", &[": x"]));
    add(
        "space before colon",
        get("/profile", &["Authorization : Bearer x"]),
    );
    add(
        "two Host headers",
        get("/profile", &["Host: other.example"]),
    );
    add(
        "no Host",
        format!("GET /profile HTTP/1.1\r\n{}\r\n\r\n", bearer(&alice)),
    );
    add(
        "bare CR",
        format!("GET /profile HTTP/1.1\rHost: {HOST}\r\n\r\n"),
    );
    add("control character", get("/profile", &["X-Note: a\u{1}b"]));
    add(
        "no Accept",
        format!("GET /profile HTTP/1.1\r\nHost: {HOST}\r\n\r\n"),
    );
    add(
        "Accept html",
        get("/profile", &["Accept: text/html", &bearer(&alice)]),
    );
    add(
        "body with length",
        request(
            "POST /profile HTTP/1.1",
            &["Content-Length: 5", &bearer(&alice)],
        ) + "hello",
    );
    add(
        "body shorter than length",
        request("POST /profile HTTP/1.1", &["Content-Length: 10"]) + "abc",
    );
    add(
        "length not a number",
        request("POST /profile HTTP/1.1", &["Content-Length: x"]),
    );
    add(
        "lengths disagree",
        request(
            "POST /profile HTTP/1.1",
            &["Content-Length: 1", "Content-Length: 2"],
        ) + "ab",
    );
    add(
        "chunked and length",
        request(
            "POST /profile HTTP/1.1",
            &["Content-Length: 1", "Transfer-Encoding: chunked"],
        ) + "a",
    );
    let many: Vec<String> = (0..100).map(|n| format!("X-Header-{n}: {n}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    add("a hundred headers", get("/profile", &many));
    let at_limit = format!("X-Long: {}", "a".repeat(MAX_HEADER_LINE_BYTES - 8));
    add("header at the limit", get("/profile", &[&at_limit]));
    add(
        "header over the limit",
        get("/profile", &[&format!("{at_limit}a")]),
    );
    add(
        "target over the limit",
        get(&format!("/{}", "a".repeat(MAX_HEADER_LINE_BYTES)), &[]),
    );
    let head = get("/profile", &[]);
    add(
        "request at the limit",
        format!("{head}{}", "a".repeat(MAX_REQUEST_BYTES - head.len())),
    );
    add(
        "request over the limit",
        format!("{head}{}", "a".repeat(MAX_REQUEST_BYTES + 1 - head.len())),
    );

    // Not HTTP.
    for (id, raw) in [
        ("empty", ""),
        ("blank lines", "\r\n\r\n"),
        ("one line feed", "\n"),
        ("spaces", "   "),
        ("a word", "garbage"),
        ("json", "{\"method\":\"GET\"}"),
        ("tls hello", "\u{16}\u{3}\u{1}\u{0}\u{a5}\u{1}"),
    ] {
        add(id, raw.to_string());
    }

    generated(&mut cases, &alice, &carol);
    cases.cases
}

fn b64(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

fn b64url(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

/// Cases from the seeded generator, in the spirit of the property tests: binary garbage,
/// arbitrary head lines, tokens of random characters, and requests put together from
/// plausible pieces.
fn generated(cases: &mut Cases, alice: &str, carol: &str) {
    let mut random = XorShift(0x9E37_79B9_7F4A_7C15);
    for n in 0..12 {
        let length = random.below(300);
        let bytes: Vec<u8> = (0..length).map(|_| random.next() as u8).collect();
        cases.push(
            format!("bytes {n}"),
            String::from_utf8_lossy(&bytes),
            Server::Demo,
        );
    }
    for n in 0..12 {
        let lines: Vec<String> = (0..random.below(5))
            .map(|_| {
                let length = random.below(40);
                random.text(&format!("{PRINTABLE}\t\r"), length)
            })
            .collect();
        cases.push(
            format!("head lines {n}"),
            format!(
                "GET /profile HTTP/1.1\r\nHost: a\r\n{}\r\n\r\n",
                lines.join("\n")
            ),
            Server::Demo,
        );
    }
    for n in 0..8 {
        let length = 1 + random.below(200);
        let value = random.text(TOKEN68, length);
        cases.push(
            format!("random token {n}"),
            get("/profile", &[&bearer(&value)]),
            Server::Demo,
        );
    }
    let scoped = token("bob", "user", |c| c.scope = Some("reports:read".into()));
    let expired = token("bob", "user", |c| c.exp = Some(NOW - 100));
    let tokens = [alice, carol, scoped.as_str(), expired.as_str()];
    // Mostly GET, so that more of them reach past the routing.
    let methods = ["GET", "GET", "GET", "DELETE", "POST", "get", "PATCH"];
    let paths = [
        "/profile",
        "/admin",
        "/public",
        "/reports",
        "/users/bob",
        "/users/alice/notes",
        "/users/bob/notes",
        "/x%2Fy",
    ];
    for n in 0..40 {
        let method = random.pick(&methods);
        let path = random.pick(&paths);
        let query = match random.below(3) {
            0 => String::new(),
            1 => {
                let length = random.below(40);
                format!("?access_token={}", random.text(TOKEN68, length))
            }
            _ => format!("?access_token={}", random.pick(&tokens)),
        };
        let authorization = match random.below(6) {
            0 => String::new(),
            1 => format!("{}\r\n", bearer(random.pick::<&str>(&tokens))),
            2 => format!("Authorization: bearer {}\r\n", random.pick(&tokens)),
            3 => format!("{}\r\n", basic("carol", "carol-pw")),
            4 => format!("{}\r\n", basic("alice", "nope")),
            _ => {
                let length = random.below(40);
                format!("Authorization:{}\r\n", random.text(PRINTABLE, length))
            }
        };
        let extra = match random.below(3) {
            0 => String::new(),
            1 => {
                let length = random.below(20);
                format!("X-Extra: {}\r\n", random.text(PRINTABLE, length))
            }
            _ => "Authorization: Basic eDp5\r\n".to_string(),
        };
        cases.push(
            format!("plausible {n}"),
            format!(
                "{method} {path}{query} HTTP/1.1\r\nHost: {HOST}\r\n{authorization}{extra}\r\n"
            ),
            Server::Demo,
        );
    }
}

fn clock_group() -> Vec<Case> {
    let later = Scenario {
        now: LATER,
        ..Scenario::default()
    };
    let demo = Scenario::default();
    let scopes = later.policy.scopes();
    let mut builder = Builder::new(&later);
    let mut cases = Cases::default();
    for (method, path) in [
        ("GET", "/public"),
        ("GET", "/profile"),
        ("GET", "/admin"),
        ("GET", "/reports"),
        ("GET", "/users/alice/notes"),
        ("GET", "/users/bob/notes"),
        ("DELETE", "/users/bob"),
        ("GET", "/no/such/resource"),
    ] {
        let base = MockRequest {
            method: method.to_string(),
            path: path.to_string(),
            ..MockRequest::default()
        };
        let mut list = vec![MockRequest {
            token: false,
            ..base.clone()
        }];
        for kind in [
            CredentialKind::Bearer,
            CredentialKind::Query,
            CredentialKind::Basic,
        ] {
            for &validity in Validity::for_kind(kind) {
                for (subject, role, granted) in
                    [("alice", "user", &[][..]), ("carol", "admin", &scopes)]
                {
                    list.push(MockRequest {
                        kind,
                        validity,
                        subject: subject.to_string(),
                        role: role.to_string(),
                        scopes: granted.to_vec(),
                        ..base.clone()
                    });
                }
            }
        }
        for mock in &list {
            cases.push(toggles_id(mock), builder.raw(mock), Server::Later);
        }
        // Tokens minted at the demo's clock, half a year before this server's.
        for validity in [Validity::Valid, Validity::NotYetValid] {
            let mock = MockRequest {
                validity,
                ..base.clone()
            };
            cases.push(
                format!("{} minted at the demo clock", toggles_id(&mock)),
                mock.to_raw(&demo),
                Server::Later,
            );
        }
    }
    // The time claims at the edges of the 30 s leeway: `now < exp + leeway` and
    // `nbf <= now + leeway` (and `iat` alike), so 30 s past `exp` is too late, 30 s before `nbf` in time.
    let edits: [(&str, Edit); 9] = [
        ("exp 29 s ago", |c| c.exp = Some(LATER - 29)),
        ("exp 30 s ago", |c| c.exp = Some(LATER - 30)),
        ("nbf in 30 s", |c| c.nbf = Some(LATER + 30)),
        ("nbf in 31 s", |c| c.nbf = Some(LATER + 31)),
        ("iat in 30 s", |c| c.iat = Some(LATER + 30)),
        ("iat in 31 s", |c| c.iat = Some(LATER + 31)),
        ("iat an hour on", |c| c.iat = Some(LATER + 3600)),
        ("without exp", |c| c.exp = None),
        ("exp a year on", |c| c.exp = Some(LATER + 366 * 86_400)),
    ];
    for (id, edit) in edits {
        let mut edited = Claims {
            iat: Some(LATER),
            exp: Some(LATER + 3600),
            ..claims("alice", "user")
        };
        edit(&mut edited);
        cases.push(
            id,
            get("/profile", &[&bearer(&mint(&edited))]),
            Server::Later,
        );
    }
    cases.cases
}

fn keys_group() -> Vec<Case> {
    let demo = Scenario::default();
    let scopes = demo.policy.scopes();
    let mut builder = Builder::new(&demo);
    let mut cases = Cases::default();
    // Verifying Ed25519 takes long in a debug build: fewer paths than the mock group, and the
    // query (a transport, which the mock group covers) for one caller only.
    let paths = ["/profile", "/admin", "/reports", "/no/such/resource"];
    for path in paths {
        let base = MockRequest {
            path: path.to_string(),
            ..MockRequest::default()
        };
        for kind in [CredentialKind::Bearer, CredentialKind::Query] {
            for &validity in Validity::for_kind(kind) {
                let callers: &[(&str, &str, &[String])] = match kind {
                    CredentialKind::Bearer => {
                        &[("alice", "user", &[]), ("carol", "admin", &scopes)]
                    }
                    _ => &[("alice", "user", &[])],
                };
                for &(subject, role, granted) in callers {
                    let mock = MockRequest {
                        kind,
                        validity,
                        subject: subject.to_string(),
                        role: role.to_string(),
                        scopes: granted.to_vec(),
                        ..base.clone()
                    };
                    cases.push(toggles_id(&mock), builder.raw(&mock), Server::Keys);
                }
            }
        }
    }
    // Tokens of every demo key, with the kid of their key, of another key, or none.
    let alice = payload(json!({}));
    let carol = payload(json!({"sub": "carol", "role": "admin", "scope": "reports:read"}));
    let secret = demo_secret();
    let mut tokens: Vec<(String, String)> = Vec::new();
    for (who, payload) in [("alice", &alice), ("carol", &carol)] {
        for (algorithm, key, kid) in [
            (Algorithm::RS256, DEMO_RSA_PRIVATE_PEM, DEMO_RSA_KID),
            (Algorithm::ES256, DEMO_P256_PRIVATE_PEM, DEMO_P256_KID),
            (Algorithm::EdDSA, DEMO_ED25519_PRIVATE_PEM, DEMO_ED25519_KID),
            (Algorithm::HS256, secret.as_str(), "authpath-demo-hs256"),
        ] {
            let name = algorithm.name();
            tokens.push((
                format!("{name} kid {who}"),
                signed(json!({"typ": "JWT", "kid": kid}), payload, algorithm, key),
            ));
            if who == "alice" {
                tokens.push((
                    format!("{name} without kid"),
                    signed(json!({"typ": "JWT"}), payload, algorithm, key),
                ));
                tokens.push((
                    format!("{name} kid of another key"),
                    signed(
                        json!({"typ": "JWT", "kid": DEMO_P256_KID}),
                        payload,
                        algorithm,
                        key,
                    ),
                ));
            }
        }
    }
    tokens.push((
        "RS384 not accepted".to_string(),
        signed(
            json!({"kid": DEMO_RSA_KID}),
            &alice,
            Algorithm::RS384,
            DEMO_RSA_PRIVATE_PEM,
        ),
    ));
    // An ES256 signature under a header that says RS256 and names the P-256 key.
    let es256 = signed(
        json!({"kid": DEMO_P256_KID}),
        &alice,
        Algorithm::ES256,
        DEMO_P256_PRIVATE_PEM,
    );
    let (_, rest) = es256.split_once('.').unwrap_or_default();
    tokens.push((
        "ES256 signature under an RS256 header".to_string(),
        format!(
            "{}.{rest}",
            b64url(&json!({"alg": "RS256", "kid": DEMO_P256_KID}).to_string())
        ),
    ));
    for path in paths {
        for (id, token) in &tokens {
            cases.push(
                format!("GET {path} {id}"),
                get(path, &[&bearer(token)]),
                Server::Keys,
            );
        }
    }
    cases.cases
}

/// Every group's cases, in the order of `GROUPS`.
fn corpus() -> Vec<(&'static str, Vec<Case>)> {
    let groups = vec![
        ("mock", mock_group()),
        ("presets", presets_group()),
        ("odd", odd_group()),
        ("clock", clock_group()),
        ("keys", keys_group()),
    ];
    assert!(groups.iter().map(|(group, _)| *group).eq(GROUPS));
    groups
}

/// Writes `text` so that it reads line by line and can be told apart from any other text:
/// each line after `prefix`, CR as `\r`, a backslash doubled, other control characters and a
/// line's last space as `\u{…}`, so no line ends in whitespace (an empty one is the prefix's
/// mark alone).
fn write_text(out: &mut String, prefix: &str, text: &str) {
    for line in text.split('\n') {
        if line.is_empty() {
            out.push_str(prefix.trim_end());
        } else {
            out.push_str(prefix);
        }
        let mut characters = line.chars().peekable();
        while let Some(character) = characters.next() {
            let last = characters.peek().is_none();
            match character {
                '\\' => out.push_str("\\\\"),
                '\r' => out.push_str("\\r"),
                c if c.is_control() || (last && c.is_whitespace()) => {
                    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        out.push('\n');
    }
}

/// What the corpus keeps of an evaluation besides the request: the raw response, each step's
/// node, check, outcome and the status it decided, and the findings' rules.
fn write_answer(out: &mut String, evaluation: &Evaluation) {
    write_text(out, "< ", &evaluation.response.to_string());
    out.push_str("trace:");
    for step in &evaluation.trace {
        let _ = write!(
            out,
            " {}/{} {}",
            step.node.id(),
            step.check,
            format!("{:?}", step.outcome).to_lowercase()
        );
        if let Some(status) = step.vars.response_code {
            let _ = write!(out, " {}", status.code());
        }
        out.push(';');
    }
    out.push_str("\nfindings:");
    for finding in &evaluation.findings {
        let _ = write!(
            out,
            " {}:{}",
            finding.rule,
            format!("{:?}", finding.severity).to_lowercase()
        );
    }
    out.push('\n');
}

fn write_record(
    out: &mut String,
    profile: Profile,
    group: &str,
    case: &Case,
    evaluation: &Evaluation,
) {
    let _ = writeln!(out, "## {} {group} {}", profile.id(), case.id);
    write_text(out, "> ", &case.raw);
    write_answer(out, evaluation);
}

/// One profile's group evaluated: its records' text, their number and checksum, and the
/// evaluations the sample shows.
struct Evaluated {
    profile: Profile,
    group: &'static str,
    text: String,
    count: usize,
    statuses: Vec<Status>,
    /// Case index → evaluation, for the cases the sample shows.
    kept: BTreeMap<usize, Evaluation>,
}

impl Evaluated {
    fn checksum_line(&self) -> String {
        let digest = Sha256::digest(self.text.as_bytes());
        let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
        format!("{} {} {} {hex}", self.profile.id(), self.group, self.count)
    }
}

/// The cases of a group the sample shows: all presets; of the others, a few spread over the
/// group (each under one profile, turn about), small enough to read.
fn sampled(group: &str, index: usize, case: &Case) -> bool {
    let stride = match group {
        "presets" => return true,
        "mock" => 397,
        "odd" => 9,
        _ => 43,
    };
    index.checked_rem(stride) == Some(0) && case.raw.len() <= 2_000
}

fn sample_profile(index: usize) -> Profile {
    let profiles = Profile::all();
    profiles[index / 7 % profiles.len()]
}

fn evaluate_profile(profile: Profile, groups: &[(&'static str, Vec<Case>)]) -> Vec<Evaluated> {
    let servers = Servers::new(profile);
    groups
        .iter()
        .map(|(group, cases)| {
            let mut text = String::new();
            let mut statuses = Vec::new();
            let mut kept = BTreeMap::new();
            for (index, case) in cases.iter().enumerate() {
                let evaluation = evaluate(&case.raw, servers.scenario(case.server));
                // Every record lights exactly the exit its run took, and its status is one
                // that exit may answer.
                if let Err(why) = support::walks_the_graph(&evaluation, profile) {
                    panic!("{} {group}: {why}\n{}", profile.id(), case.raw);
                }
                write_record(&mut text, profile, group, case, &evaluation);
                statuses.push(evaluation.response.status);
                if sampled(group, index, case)
                    && (*group == "presets" || sample_profile(index) == profile)
                {
                    kept.insert(index, evaluation);
                }
            }
            Evaluated {
                profile,
                group,
                text,
                count: cases.len(),
                statuses,
                kept,
            }
        })
        .collect()
}

fn sample(groups: &[(&'static str, Vec<Case>)], evaluated: &[Evaluated]) -> String {
    let mut out = String::from(
        "# authpath corpus sample: the presets under every profile, then a few cases of the other\n\
         # groups. `> ` is the raw request, `< ` the raw response (CR written \\r), then each step\n\
         # (node/check outcome status) and the findings (rule:severity).\n\
         # Regenerate: AUTHPATH_CORPUS=write cargo test -p authpath-engine --test corpus\n",
    );
    // The presets first: they are what a reviewer reads.
    let order = groups
        .iter()
        .filter(|(group, _)| *group == "presets")
        .chain(groups.iter().filter(|(group, _)| *group != "presets"));
    for (group, cases) in order {
        let of_group: Vec<&Evaluated> = evaluated
            .iter()
            .filter(|evaluated| evaluated.group == *group)
            .collect();
        for (index, case) in cases.iter().enumerate() {
            let shown: Vec<(Profile, &Evaluation)> = of_group
                .iter()
                .filter_map(|evaluated| {
                    evaluated
                        .kept
                        .get(&index)
                        .map(|evaluation| (evaluated.profile, evaluation))
                })
                .collect();
            if shown.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n## {group} {}", case.id);
            write_text(&mut out, "> ", &case.raw);
            for (profile, evaluation) in shown {
                let _ = writeln!(out, "-- {}", profile.id());
                write_answer(&mut out, evaluation);
            }
        }
    }
    out
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// `target/corpus`: where the records of a group are written for a diff.
fn dump_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map_or_else(|| PathBuf::from("target"), Path::to_path_buf)
        .join("corpus")
}

fn dump_path(evaluated: &Evaluated) -> PathBuf {
    dump_dir().join(format!(
        "{}-{}.txt",
        evaluated.profile.id(),
        evaluated.group
    ))
}

fn dump(evaluated: &Evaluated) -> PathBuf {
    std::fs::create_dir_all(dump_dir()).expect("target/corpus can be made");
    let path = dump_path(evaluated);
    std::fs::write(&path, &evaluated.text).expect("target/corpus is writable");
    path
}

const CHECKSUMS_HEAD: &str = "\
# The corpus of tests/corpus.rs: per profile and group, the number of records and the SHA-256
# of their text (the text `target/corpus/<profile>-<group>.txt` holds when the group fails).
# Regenerate: AUTHPATH_CORPUS=write cargo test -p authpath-engine --test corpus
";

#[test]
fn the_corpus_answers_as_recorded() {
    assert_eq!(format_utc(LATER), "2026-07-01T12:34:56Z");
    let mode = std::env::var("AUTHPATH_CORPUS").unwrap_or_default();
    let groups = corpus();
    for (group, cases) in &groups {
        let mut ids = HashSet::new();
        for case in cases {
            assert!(ids.insert(&case.id), "{group}: the id {:?} twice", case.id);
        }
    }

    // Two threads, one profile each in turn: the machine has two cores. The results are put
    // back in profile order, so the output does not depend on which thread finished first.
    let profiles = Profile::all();
    let mut evaluated: Vec<Evaluated> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|worker| {
                let groups = &groups;
                scope.spawn(move || {
                    profiles
                        .iter()
                        .skip(worker)
                        .step_by(2)
                        .flat_map(|profile| evaluate_profile(*profile, groups))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("a worker finished"))
            .collect()
    });
    let position = |profile: Profile| profiles.iter().position(|p| *p == profile);
    evaluated.sort_by_key(|evaluated| {
        (
            position(evaluated.profile),
            GROUPS.iter().position(|group| *group == evaluated.group),
        )
    });

    // An empty or shrunken corpus must not pass.
    let presets: Vec<&str> = every_preset().iter().map(|preset| preset.id).collect();
    assert_eq!(presets.len(), 28, "the presets and attack presets");
    for profile in profiles {
        let count = |group: &str| {
            evaluated
                .iter()
                .find(|evaluated| evaluated.profile == profile && evaluated.group == group)
                .map_or(0, |evaluated| evaluated.count)
        };
        // Somewhat below the counts now, so that pruning a few cases needs no change here.
        for (group, least) in [("mock", 3_800), ("odd", 200), ("clock", 350), ("keys", 150)] {
            assert!(
                count(group) >= least,
                "{} {group}: {} evaluations",
                profile.id(),
                count(group)
            );
        }
        assert_eq!(count("presets"), presets.len(), "{}", profile.id());
    }
    let preset_text = &evaluated
        .iter()
        .find(|evaluated| evaluated.group == "presets")
        .expect("a presets group")
        .text;
    for id in &presets {
        assert!(
            preset_text.contains(&format!("## rfc presets {id}\n")),
            "{id}"
        );
    }
    // The rfc profile answers every status the pipeline knows somewhere in the corpus.
    let rfc: HashSet<u16> = evaluated
        .iter()
        .filter(|evaluated| evaluated.profile == Profile::Rfc)
        .flat_map(|evaluated| evaluated.statuses.iter().map(|status| status.code()))
        .collect();
    for code in [200, 204, 400, 401, 403, 404, 405, 413, 431] {
        assert!(rfc.contains(&code), "rfc never answers {code}");
    }

    let checksums = format!(
        "{CHECKSUMS_HEAD}{}",
        evaluated
            .iter()
            .map(|evaluated| format!("{}\n", evaluated.checksum_line()))
            .collect::<String>()
    );
    let sample = sample(&groups, &evaluated);
    let dir = corpus_dir();
    if mode == "write" {
        std::fs::create_dir_all(&dir).expect("tests/corpus can be made");
        std::fs::write(dir.join("checksums.txt"), &checksums).expect("checksums.txt is writable");
        std::fs::write(dir.join("sample.txt"), &sample).expect("sample.txt is writable");
        return;
    }
    // What target/corpus holds after a run is this run's: every group with `dump`, else the
    // groups that changed. (A baseline written there must be moved aside before.)
    for evaluated in &evaluated {
        let _ = std::fs::remove_file(dump_path(evaluated));
    }
    if mode == "dump" {
        for evaluated in &evaluated {
            dump(evaluated);
        }
    }

    let recorded = std::fs::read_to_string(dir.join("checksums.txt")).unwrap_or_default();
    let recorded: BTreeMap<(String, String), String> = recorded
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            let mut words = line.split(' ');
            let profile = words.next().unwrap_or_default().to_string();
            let group = words.next().unwrap_or_default().to_string();
            ((profile, group), line.to_string())
        })
        .collect();
    let mut changed = Vec::new();
    for evaluated in &evaluated {
        let key = (
            evaluated.profile.id().to_string(),
            evaluated.group.to_string(),
        );
        let line = evaluated.checksum_line();
        match recorded.get(&key) {
            Some(recorded) if *recorded == line => {}
            recorded => {
                let path = dump(evaluated);
                changed.push(format!(
                    "  {} {}: recorded {:?}, now {:?}; records in {}",
                    key.0,
                    key.1,
                    recorded.map_or("nothing", |line| line.as_str()),
                    line,
                    path.display()
                ));
            }
        }
    }
    let known: HashSet<(String, String)> = evaluated
        .iter()
        .map(|evaluated| {
            (
                evaluated.profile.id().to_string(),
                evaluated.group.to_string(),
            )
        })
        .collect();
    for key in recorded.keys().filter(|key| !known.contains(*key)) {
        changed.push(format!(
            "  {} {}: recorded, no longer in the corpus",
            key.0, key.1
        ));
    }
    let sample_recorded = std::fs::read_to_string(dir.join("sample.txt")).unwrap_or_default();
    if sample_recorded != sample {
        changed.push("  tests/corpus/sample.txt differs from the answers now".to_string());
    }
    assert!(
        changed.is_empty(),
        "the corpus changed in {} place(s):\n{}\n\
         To see how: write the baseline's records with AUTHPATH_CORPUS=dump at the commit before \
         the change and diff its target/corpus/<profile>-<group>.txt with these. If the change is \
         meant: AUTHPATH_CORPUS=write cargo test -p authpath-engine --test corpus, and read the \
         diff of tests/corpus/sample.txt.",
        changed.len(),
        changed.join("\n")
    );
}
