//! No secret the engine finds in a hand-edited request (credentials, cookies, API keys, CSRF
//! tokens, proxy credentials, passwords in the URL or the body) reaches a share link, in any
//! spelling or encoding, unless the person ticked "include my credentials". Native, with proptest.
#![cfg(not(target_arch = "wasm32"))]

use authpath::link::{decode, encode};
use authpath::state::State;
use authpath_engine::teach::mock::{
    CredentialKind, CsrfToken, MockRequest, Validity, DEMO_CSRF_TOKEN, UNKNOWN_API_KEY,
    UNKNOWN_SESSION, WRONG_CSRF_TOKEN,
};
use authpath_engine::text::percent_decode;
use authpath_engine::{find_credentials, find_secrets, CredentialPlace, Scenario, WITHHELD};
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use proptest::prelude::*;

/// A secret long and random enough never to appear in a link by chance.
fn secret() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{16,32}".prop_map(|text| format!("S3{text}"))
}

/// A hand-typed request carrying `secret` in one of the ways a request carries secrets: what
/// the engine reads (an `Authorization` field, `access_token`), and what only other servers
/// read (cookies, API keys, CSRF tokens, proxy credentials, a password in the URL or the body).
fn request() -> impl Strategy<Value = (String, String)> {
    let blank_lines = prop::sample::select(vec!["", "\n", "\r\n", "\r\n\n"]);
    let ending = prop::sample::select(vec!["\r\n", "\n"]);
    let parameter = prop::sample::select(vec![
        "access_token",
        "access%5Ftoken",
        "access%5ftoken",
        "%61ccess%5Ftoken",
        "api_key",
        "api%5Fkey",
        "apikey",
        "ApiKey",
        "key",
        "%6Bey",
        "token",
        "sig",
        "signature",
        "X-Amz-Signature",
        "X-Amz-Security-Token",
        "session",
        "code",
        "password",
        "client_secret",
    ]);
    let header = prop::sample::select(vec![
        "Authorization: Bearer",
        "authorization: Basic",
        "AUTHORIZATION: Token",
        "Authorization:",
        "Proxy-Authorization: Basic",
        "proxy-authorization: Bearer",
        "X-API-Key:",
        "x-api-key:",
        "Api-Key:",
        "X-Auth-Token:",
        "X-CSRFToken:",
        "X-XSRF-TOKEN:",
        "X-Amz-Security-Token:",
        "Private-Token:",
        "Ocp-Apim-Subscription-Key:",
        "X-Session-Id:",
        "DPoP:",
    ]);
    let cookie = prop::sample::select(vec![
        "sessionid",
        "csrftoken",
        "api_key",
        "theme",
        "JSESSIONID",
        "__Host-id",
    ]);
    let place = 0..8u8;
    (blank_lines, ending, parameter, header, cookie, place, secret()).prop_map(
        |(blank_lines, ending, parameter, header, cookie, place, secret)| {
            let head = |target: &str, extra: &str| {
                format!("{blank_lines}GET {target} HTTP/1.1{ending}Host: api.example{ending}{extra}")
            };
            let raw = match place {
                0 => head(&format!("/profile?x=1&{parameter}={secret}"), ""),
                1 => head("/profile", &format!("{header} {secret}{ending}{ending}")),
                2 => head(
                    "/profile",
                    &format!("Cookie: a=1; {cookie}={secret}; b=2{ending}{ending}"),
                ),
                3 => head(
                    &format!("https://alice:{secret}@api.example/profile"),
                    ending,
                ),
                4 => head(
                    "/profile",
                    &format!("Referer: https://app.example/cb?{parameter}={secret}{ending}{ending}"),
                ),
                // A browser's POST as the builder's session kind writes it: the session cookie,
                // and the CSRF token twice over (double submit: its cookie and X-CSRFToken).
                7 => format!(
                    "{blank_lines}POST /profile HTTP/1.1{ending}Host: api.example{ending}Cookie: sessionid={secret}; csrftoken={secret}{ending}X-CSRFToken: {secret}{ending}{ending}"
                ),
                5 => {
                    // A JSON member's name is written as it is, not percent-encoded.
                    let member = percent_decode(parameter, true).unwrap_or_default();
                    format!(
                        "{blank_lines}POST /profile HTTP/1.1{ending}Content-Type: application/json{ending}{ending}{{\"user\":\"alice\",\"{member}\":\"{secret}\"}}"
                    )
                }
                _ => format!(
                    "{blank_lines}POST /profile HTTP/1.1{ending}Content-Type: application/x-www-form-urlencoded{ending}{ending}user=alice&{parameter}={secret}"
                ),
            };
            (raw, secret)
        },
    )
}

/// A request with no secret in it: ordinary headers and parameters.
fn plain_request() -> impl Strategy<Value = String> {
    let header = prop::sample::select(vec![
        "Accept: application/json",
        "User-Agent: curl/8.5.0",
        "X-Request-Id: 7f3a",
        "Accept-Language: en",
        "Cache-Control: no-cache",
        "Referer: https://app.example/orders?page=2",
    ]);
    let parameter = prop::sample::select(vec![
        "page=2",
        "q=shoes",
        "keyword=red",
        "sort=-date",
        "author=bob",
    ]);
    let method = prop::sample::select(vec!["GET", "DELETE", "POST"]);
    let path = prop::sample::select(vec!["/profile", "/users/alice/notes", "/admin/users/bob"]);
    (
        method,
        path,
        prop::collection::vec(parameter, 0..3),
        prop::collection::vec(header, 0..4),
    )
        .prop_map(|(method, path, parameters, headers)| {
            let query = if parameters.is_empty() {
                String::new()
            } else {
                format!("?{}", parameters.join("&"))
            };
            let mut raw = format!("{method} {path}{query} HTTP/1.1\nHost: api.example\n");
            for header in headers {
                raw.push_str(header);
                raw.push('\n');
            }
            raw.push('\n');
            raw
        })
}

/// Every form in which `secret` could sit in `fragment`.
fn leaks(fragment: &str, secret: &str) -> Vec<String> {
    let mut forms = vec![("plain".to_string(), fragment.to_string())];
    let mut text = fragment.to_string();
    // Percent-encoded, once or twice over.
    for round in 1..=2 {
        match percent_decode(&text, false) {
            Ok(decoded) => {
                forms.push((format!("percent-decoded ×{round}"), decoded.clone()));
                text = decoded;
            }
            Err(_) => break,
        }
    }
    let mut found = Vec::new();
    for (how, form) in &forms {
        if form.contains(secret) {
            found.push(how.clone());
        }
        // Base64 of a longer text holds the secret's base64 at one of three alignments; the
        // last group may be shared with what follows, so it is left out.
        for shift in 0..3 {
            let tail = &secret[shift..];
            for (name, encoded) in [
                ("base64url", URL_SAFE_NO_PAD.encode(tail)),
                ("base64", STANDARD_NO_PAD.encode(tail)),
            ] {
                let inner = &encoded[..encoded.len().saturating_sub(4)];
                if inner.len() >= 12 && form.contains(inner) {
                    found.push(format!("{name} in {how}"));
                }
            }
        }
    }
    found
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn hand_typed_secrets_stay_out_of_links((raw, secret) in request()) {
        prop_assert!(!find_secrets(&raw).is_empty(), "{:?}", raw);
        let state = State { custom: Some(raw.clone()), ..State::default() };
        let fragment = encode(&state);
        prop_assert_eq!(leaks(&fragment, &secret), Vec::<String>::new(), "{}", fragment);
        // The rest of the request still travels: the link opens the same request with every
        // secret withheld, and the page says so.
        let opened = decode(&fragment, &State::default());
        let opened_raw = opened.state.raw_request();
        prop_assert!(opened_raw.contains("/profile"), "{:?}", opened_raw);
        for found in find_secrets(&opened_raw) {
            prop_assert_eq!(&opened_raw[found.value.clone()], WITHHELD, "{:?}", opened_raw);
        }
        prop_assert!(
            opened.ignored.iter().any(|notice| notice.contains("withheld")),
            "{:?}",
            opened.ignored
        );

        // Ticking the box is the only way in; then the link carries the whole text.
        let shared = State { share_credentials: true, ..state };
        prop_assert!(encode(&shared).len() > fragment.len());
        prop_assert_eq!(decode(&encode(&shared), &State::default()).state.raw_request(), raw);
    }

    #[test]
    fn a_request_without_secrets_travels_whole(raw in plain_request()) {
        prop_assert!(find_secrets(&raw).is_empty(), "{:?}", raw);
        let fragment = encode(&State { custom: Some(raw.clone()), ..State::default() });
        let opened = decode(&fragment, &State::default());
        prop_assert_eq!(opened.state.raw_request(), raw);
        prop_assert!(opened.ignored.is_empty(), "{:?}", opened.ignored);
    }

    #[test]
    fn every_credential_of_any_request_stays_out(
        prefix in "[\r\n]{0,2}",
        method in prop::sample::select(vec!["GET", "POST", "DELETE"]),
        pieces in prop::collection::vec(prop::sample::select(vec!["a=1", "access_token=", "access%5Ftoken=", "b"]), 1..4),
        header in prop::sample::select(vec!["Authorization: ", "authorization:", "Authorization : ", "X-Other: "]),
        secret in secret(),
        header_secret in secret(),
    ) {
        let query: Vec<String> = pieces.iter().map(|piece| {
            if piece.ends_with('=') { format!("{piece}{secret}") } else { piece.to_string() }
        }).collect();
        let raw = format!(
            "{prefix}{method} /notes?{} HTTP/1.1\nHost: h\n{header}Bearer {header_secret}\n\n",
            query.join("&")
        );
        let found = find_credentials(&raw);
        let fragment = encode(&State { custom: Some(raw.clone()), ..State::default() });
        for credential in &found {
            let value = &raw[credential.value.clone()];
            let secret_part = match credential.place {
                CredentialPlace::AuthorizationHeader => value.rsplit(' ').next().unwrap_or(value),
                CredentialPlace::QueryParameter | CredentialPlace::Header | CredentialPlace::Cookie => value,
            };
            if secret_part.len() >= 16 {
                prop_assert_eq!(leaks(&fragment, secret_part), Vec::<String>::new(), "{}", fragment);
            }
        }
    }
}

/// What the builder can make with every kind: each validity the kind offers, each CSRF choice,
/// any method and subject.
fn built_request() -> impl Strategy<Value = MockRequest> {
    let kind_and_validity =
        prop::sample::select(CredentialKind::ALL.to_vec()).prop_flat_map(|kind| {
            (
                Just(kind),
                prop::sample::select(Validity::for_kind(kind).to_vec()),
            )
        });
    (
        kind_and_validity,
        prop::sample::select(CsrfToken::ALL.to_vec()),
        prop::sample::select(vec!["GET", "POST", "PUT", "DELETE", "HEAD"]),
        prop::sample::select(vec!["alice", "bob", "carol", "mallory"]),
        prop::sample::select(vec!["/profile", "/metrics", "/users/alice/notes"]),
    )
        .prop_map(
            |((kind, validity), csrf, method, subject, path)| MockRequest {
                method: method.to_string(),
                path: path.to_string(),
                kind,
                validity,
                csrf,
                subject: subject.to_string(),
                ..MockRequest::default()
            },
        )
}

/// Every value of the demo server that is a credential: its sessions, its API keys, the CSRF
/// tokens, the ones it never issued, and the API key the builder makes up for a stranger.
fn demo_secrets(scenario: &Scenario) -> Vec<String> {
    let mut secrets: Vec<String> = scenario
        .sessions
        .iter()
        .map(|session| session.id.clone())
        .chain(scenario.api_keys.iter().map(|key| key.key.clone()))
        .collect();
    secrets.extend(
        [
            DEMO_CSRF_TOKEN,
            WRONG_CSRF_TOKEN,
            UNKNOWN_API_KEY,
            UNKNOWN_SESSION,
            "ak_mallory_demo",
        ]
        .map(str::to_string),
    );
    secrets
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// A session, its CSRF token or an API key the builder wrote is in no link: the toggles'
    /// link rebuilds it, and once the request is edited by hand its link withholds it.
    #[test]
    fn secrets_the_builder_writes_stay_out_of_links(mock in built_request()) {
        let scenario = Scenario::default();
        let raw = mock.to_raw(&scenario);
        // The credentials the engine reads (a token after its scheme), and the demo server's
        // secrets the text holds: the CSRF token is no credential, yet a secret.
        let mut secrets: Vec<String> = find_credentials(&raw)
            .iter()
            .map(|credential| {
                let value = &raw[credential.value.clone()];
                match credential.place {
                    CredentialPlace::AuthorizationHeader => value.rsplit(' ').next().unwrap_or(value),
                    _ => value,
                }
                .to_string()
            })
            .chain(demo_secrets(&scenario).into_iter().filter(|secret| raw.contains(secret.as_str())))
            .collect();
        secrets.sort();
        secrets.dedup();
        // Every kind sends a secret of the demo server; a session's unsafe request two (the
        // session and the CSRF token).
        let expected = 1 + usize::from(mock.sends_csrf_token());
        prop_assert!(secrets.len() >= expected, "{:?}: {:?}", raw, secrets);
        let built = State { mock: mock.clone(), ..State::default() };
        let edited = State { custom: Some(raw.clone()), ..State::default() };
        for state in [built, edited] {
            let fragment = encode(&state);
            for secret in &secrets {
                prop_assert_eq!(leaks(&fragment, secret), Vec::<String>::new(), "{}", fragment);
            }
        }
        let opened = decode(&encode(&State { custom: Some(raw.clone()), ..State::default() }), &State::default());
        let opened_raw = opened.state.raw_request();
        for secret in &secrets {
            prop_assert!(!opened_raw.contains(secret.as_str()), "{:?}", opened_raw);
        }
    }
}

#[test]
fn the_two_reported_requests_stay_out_of_links() {
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlc2lnbmF0dXJl";
    for raw in [
        format!("\nGET /profile?access_token={token} HTTP/1.1\nHost: x\n"),
        format!("GET /profile?access%5Ftoken={token} HTTP/1.1\nHost: x\n"),
    ] {
        let fragment = encode(&State {
            custom: Some(raw.clone()),
            ..State::default()
        });
        assert!(!fragment.contains("eyJ"), "{fragment}");
        assert_eq!(leaks(&fragment, token), Vec::<String>::new(), "{fragment}");
    }
}

/// The request of the report: a browser's session cookie, an API key and proxy credentials.
#[test]
fn a_request_copied_from_the_browser_keeps_its_session_out_of_links() {
    let raw = "GET /profile HTTP/1.1\nHost: api.example.com\nCookie: sessionid=REALSESSIONVALUE123; theme=dark\nX-API-Key: sk_live_SECRETKEY999\nProxy-Authorization: Basic cHJveHk6cHc=\n";
    let fragment = encode(&State {
        custom: Some(raw.to_string()),
        ..State::default()
    });
    for secret in [
        "REALSESSIONVALUE123",
        "sk_live_SECRETKEY999",
        "cHJveHk6cHc",
        "proxy:pw",
    ] {
        assert_eq!(leaks(&fragment, secret), Vec::<String>::new(), "{fragment}");
    }
    let opened = decode(&fragment, &State::default());
    assert_eq!(
        opened.state.raw_request(),
        "GET /profile HTTP/1.1\nHost: api.example.com\nCookie: sessionid=withheld; theme=withheld\nX-API-Key: withheld\nProxy-Authorization: Basic withheld\n"
    );
    assert!(
        opened.ignored.iter().any(|notice| notice.contains(
            "withheld 4 secret values (sessionid, theme, X-API-Key, Proxy-Authorization)"
        )),
        "{:?}",
        opened.ignored
    );
}
