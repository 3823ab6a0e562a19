//! No credential the engine finds in a hand-edited request reaches a share link, in any
//! spelling or encoding, unless the person ticked "include my credentials". Native, with proptest.
#![cfg(not(target_arch = "wasm32"))]

use authpath::link::{decode, encode};
use authpath::state::State;
use authpath_engine::text::percent_decode;
use authpath_engine::{find_credentials, CredentialPlace};
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use proptest::prelude::*;

/// A secret long and random enough never to appear in a link by chance.
fn secret() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{16,32}".prop_map(|text| format!("S3{text}"))
}

/// A hand-typed request carrying `secret` in one of the ways the engine reads credentials.
fn request() -> impl Strategy<Value = (String, String)> {
    let blank_lines = prop::sample::select(vec!["", "\n", "\r\n", "\r\n\n"]);
    let ending = prop::sample::select(vec!["\r\n", "\n"]);
    let key = prop::sample::select(vec![
        "access_token",
        "access%5Ftoken",
        "access%5ftoken",
        "%61ccess%5Ftoken",
    ]);
    let scheme = prop::sample::select(vec!["Bearer", "bearer", "Basic", "Token", ""]);
    let name = prop::sample::select(vec!["Authorization", "authorization", "AUTHORIZATION"]);
    let place = any::<bool>();
    (blank_lines, ending, key, scheme, name, place, secret()).prop_map(
        |(blank_lines, ending, key, scheme, name, in_query, secret)| {
            let raw = if in_query {
                format!(
                    "{blank_lines}GET /profile?x=1&{key}={secret} HTTP/1.1{ending}Host: api.example{ending}{ending}"
                )
            } else {
                format!(
                    "{blank_lines}GET /profile HTTP/1.1{ending}Host: api.example{ending}{name}: {scheme} {secret}{ending}{ending}"
                )
            };
            (raw, secret)
        },
    )
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
    fn hand_typed_credentials_stay_out_of_links((raw, secret) in request()) {
        prop_assert!(!find_credentials(&raw).is_empty(), "{:?}", raw);
        let state = State { custom: Some(raw.clone()), ..State::default() };
        let fragment = encode(&state);
        prop_assert_eq!(leaks(&fragment, &secret), Vec::<String>::new(), "{}", fragment);
        // The rest of the request still travels: the link opens the same request, less the
        // credential.
        let opened = decode(&fragment, &State::default()).state;
        let opened_raw = opened.raw_request();
        prop_assert!(opened_raw.contains("/profile"), "{:?}", opened_raw);
        prop_assert!(find_credentials(&opened_raw).is_empty(), "{:?}", opened_raw);

        // Ticking the box is the only way in; then the link carries the whole text.
        let shared = State { share_credentials: true, ..state };
        prop_assert!(encode(&shared).len() > fragment.len());
        prop_assert_eq!(decode(&encode(&shared), &State::default()).state.raw_request(), raw);
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
                CredentialPlace::QueryParameter => value,
            };
            if secret_part.len() >= 16 {
                prop_assert_eq!(leaks(&fragment, secret_part), Vec::<String>::new(), "{}", fragment);
            }
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
