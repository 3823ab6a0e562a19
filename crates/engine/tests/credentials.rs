//! The credential finder agrees with the pipeline: for every request the parser accepts, it
//! finds exactly the `Authorization` values and `access_token` parameters the pipeline reads,
//! and cutting them leaves a request without credentials.

use authpath_engine::text::percent_decode;
use authpath_engine::{
    evaluate, find_credentials, find_secrets, parse_request, withhold_secrets, without_credentials,
    CredentialPlace, Scenario, ACCESS_TOKEN, WITHHELD,
};
use proptest::prelude::*;

/// A request assembled from parts that exercise every spelling the parser accepts.
fn request() -> impl Strategy<Value = String> {
    let blank_lines = prop::collection::vec(prop::sample::select(vec!["\r\n", "\n"]), 0..3);
    let key = prop::sample::select(vec![
        "access_token",
        "access%5Ftoken",
        "access%5ftoken",
        "%61ccess_token",
        "access_token_x",
        "access+token",
        "a",
        "",
    ]);
    let value = "[A-Za-z0-9._~+/%-]{0,12}";
    let query = prop::collection::vec((key, prop::option::of(value)), 0..4);
    let name = prop::sample::select(vec![
        "Authorization",
        "authorization",
        "AUTHORIZATION",
        "X-Authorization",
        "Accept",
    ]);
    let header_value = "[ -~]{0,16}";
    let headers = prop::collection::vec((name, header_value), 0..4);
    let ending = prop::sample::select(vec!["\r\n", "\n"]);
    let body = prop::sample::select(vec!["", "Authorization: Bearer body", "access_token=b"]);
    (blank_lines, query, headers, ending, body).prop_map(
        |(blank_lines, query, headers, ending, body)| {
            let mut raw = blank_lines.concat();
            raw.push_str("GET /profile");
            if !query.is_empty() {
                let pieces: Vec<String> = query
                    .iter()
                    .map(|(key, value)| match value {
                        Some(value) => format!("{key}={value}"),
                        None => key.to_string(),
                    })
                    .collect();
                raw.push('?');
                raw.push_str(&pieces.join("&"));
            }
            raw.push_str(" HTTP/1.1");
            raw.push_str(ending);
            raw.push_str("Host: api.example");
            raw.push_str(ending);
            for (name, value) in headers {
                raw.push_str(&format!("{name}: {value}{ending}"));
            }
            raw.push_str(ending);
            raw.push_str(body);
            raw
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn the_finder_reads_what_the_pipeline_reads(raw in request()) {
        let Ok(request) = parse_request(&raw) else {
            return Ok(());
        };
        let found = find_credentials(&raw);
        let headers: Vec<&str> = found
            .iter()
            .filter(|credential| credential.place == CredentialPlace::AuthorizationHeader)
            .map(|credential| &raw[credential.value.clone()])
            .collect();
        let expected_headers: Vec<&str> = request.headers_named("authorization").collect();
        prop_assert_eq!(headers, expected_headers);

        let parameters: Vec<String> = found
            .iter()
            .filter(|credential| credential.place == CredentialPlace::QueryParameter)
            .map(|credential| percent_decode(&raw[credential.value.clone()], true))
            .collect::<Result<_, _>>()
            .map_err(|(at, reason)| {
                TestCaseError::fail(format!("a found query value does not decode at {at}: {reason}"))
            })?;
        let expected_parameters: Vec<String> = request
            .query
            .iter()
            .filter(|(key, _)| Some(key.as_str()) == ACCESS_TOKEN.parameter())
            .map(|(_, value)| value.clone())
            .collect();
        prop_assert_eq!(parameters, expected_parameters);
    }

    #[test]
    fn cutting_the_credentials_leaves_none(raw in request()) {
        let cut = without_credentials(&raw);
        prop_assert_eq!(cut.is_some(), !find_credentials(&raw).is_empty());
        let Some(cut) = cut else {
            return Ok(());
        };
        prop_assert!(find_credentials(&cut).is_empty(), "{:?} → {:?}", raw, cut);
        // Where the original parsed, the cut one still parses and carries nothing the
        // pipeline would read as a credential.
        if parse_request(&raw).is_ok() {
            let evaluation = evaluate(&cut, &Scenario::default());
            let request = evaluation.request.as_ref();
            prop_assert!(request.is_ok(), "{:?} → {:?}", raw, cut);
            if let Ok(request) = request {
                prop_assert!(request.header("authorization").is_none());
                prop_assert!(!request.query.iter().any(|(key, _)| Some(key.as_str()) == ACCESS_TOKEN.parameter()));
            }
        }
    }

    /// What may leave the page is decided apart from what a server reads, but it is wider:
    /// every credential the pipeline reads lies inside a value the link withholds.
    #[test]
    fn every_credential_is_a_secret(raw in request()) {
        let secrets = find_secrets(&raw);
        for credential in find_credentials(&raw) {
            let value = &raw[credential.value.clone()];
            // The secret is what follows the scheme in a header, the whole value in the query.
            let part = match (credential.place, value.split_once(' ')) {
                (CredentialPlace::AuthorizationHeader, Some((_, rest))) => rest.trim_start(),
                (CredentialPlace::AuthorizationHeader, None)
                    if matches!(value.to_ascii_lowercase().as_str(), "bearer" | "basic" | "token") => "",
                _ => value,
            };
            if part.is_empty() {
                continue;
            }
            let part_range = credential.value.end - part.len()..credential.value.end;
            let covered = secrets.iter().any(|secret| {
                secret.value.start <= part_range.start && part_range.end <= secret.value.end
            });
            prop_assert!(covered, "{:?}: {:?} not in {:?}", raw, part, secrets);
        }
        if let Some(withheld) = withhold_secrets(&raw, WITHHELD) {
            for secret in find_secrets(&withheld) {
                prop_assert_eq!(&withheld[secret.value.clone()], WITHHELD, "{:?} → {:?}", raw, withheld);
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(raw in "\\PC{0,200}", prefix in "[\r\n]{0,3}") {
        let raw = format!("{prefix}{raw}");
        for credential in find_credentials(&raw) {
            prop_assert!(raw.get(credential.field.clone()).is_some());
            prop_assert!(raw.get(credential.value.clone()).is_some());
        }
        let _ = without_credentials(&raw);
        for secret in find_secrets(&raw) {
            prop_assert!(raw.get(secret.value.clone()).is_some());
        }
        let _ = withhold_secrets(&raw, WITHHELD);
    }
}
