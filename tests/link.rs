//! Links round-trip: whatever the page shows, its link opens again. Native, with proptest.
#![cfg(not(target_arch = "wasm32"))]

use authpath::link::{decode, encode, strip_credentials};
use authpath::state::{Action, State, View, KEPT_BYTES};
use authpath_engine::teach::mock::{presets, CredentialKind, CsrfToken, MockRequest, Validity};
use authpath_engine::{evaluate, Policy, Profile, Status, MAX_REQUEST_BYTES};
use proptest::prelude::*;
use std::rc::Rc;
use yew::Reducible;

/// What a link must restore: the same request text, profile, view, step and scenario.
fn assert_restores(state: &State) {
    let fragment = encode(state);
    let decoded = decode(&fragment, &State::default());
    assert!(
        decoded.ignored.is_empty(),
        "{fragment}: ignored {:?}",
        decoded.ignored
    );
    let back = decoded.state;
    assert_eq!(back.raw_request(), state.raw_request(), "{fragment}");
    assert_eq!(back.profile(), state.profile(), "{fragment}");
    assert_eq!(back.view, state.view, "{fragment}");
    assert_eq!(back.step, state.step, "{fragment}");
    assert_eq!(back.scenario, state.scenario, "{fragment}");
    assert_eq!(back.preset, state.preset, "{fragment}");
}

fn apply(state: State, action: Action) -> State {
    State::clone(&Rc::new(state).reduce(action))
}

#[test]
fn every_preset_round_trips_and_reads_as_its_name() {
    for preset in presets() {
        let state = apply(State::default(), Action::ApplyPreset(preset.id));
        assert_eq!(state.preset, Some(preset.id));
        assert_eq!(encode(&state), format!("v=1&preset={}", preset.id));
        assert_restores(&state);
        let stepped = apply(state, Action::ShowStep(Some(2)));
        assert_eq!(encode(&stepped), format!("v=1&preset={}&step=3", preset.id));
        assert_restores(&stepped);
    }
}

#[test]
fn views_and_the_quiz_seed_round_trip() {
    for view in View::ALL {
        let state = apply(State::default(), Action::SetView(view));
        assert_restores(&state);
    }
    let quiz = apply(State::default(), Action::SetView(View::Quiz));
    let quiz = apply(quiz, Action::SetQuizSeed(42));
    assert_eq!(encode(&quiz), "v=1&view=quiz&m=GET&p=/profile&cred=bearer&valid=valid&sub=alice&role=user&profile=rfc&seed=42");
    assert_eq!(
        decode(&encode(&quiz), &State::default()).state.quiz_seed,
        Some(42)
    );
}

#[test]
fn an_edited_policy_realm_and_clock_travel_in_the_link() {
    let mut scenario = (*State::default().scenario).clone();
    scenario
        .policy
        .routes
        .retain(|route| route.path != "/admin");
    scenario.realm = "docs & examples".to_string();
    scenario.now += 86_400;
    let state = [
        Action::SetPolicy(scenario.policy.clone()),
        Action::SetRealm(scenario.realm.clone()),
        Action::SetClock(scenario.now),
    ]
    .into_iter()
    .fold(State::default(), apply);
    let fragment = encode(&state);
    assert!(fragment.contains("policy="), "{fragment}");
    // Compact JSON: an escaped line break or indent would triple in the address. The demo
    // policy names its schemes first, and the routes that accept only some say which.
    assert!(
        fragment.contains("policy=%7B%22schemes%22:%7B%22apiKey%22:%7B%22type%22:%22apiKey%22"),
        "{fragment}"
    );
    assert!(
        fragment.contains("%22path%22:%22/metrics%22,%22access%22:%22authenticated%22,%22security%22:%5B%22apiKey%22%5D"),
        "{fragment}"
    );
    assert!(
        !fragment.contains("%0A") && !fragment.contains("%20%20"),
        "{fragment}"
    );
    assert!(
        fragment.contains("realm=docs%20%26%20examples"),
        "{fragment}"
    );
    let back = decode(&fragment, &State::default()).state;
    assert_eq!(*back.scenario, scenario);
    assert_restores(&state);

    // A policy without schemes is written and read as before they existed.
    let mut plain = scenario.policy.clone();
    plain.schemes.clear();
    for route in &mut plain.routes {
        route.security = None;
    }
    let state = apply(State::default(), Action::SetPolicy(plain.clone()));
    let fragment = encode(&state);
    assert!(
        fragment.contains("policy=%7B%22routes%22:%5B%7B%22method%22:%22GET%22"),
        "{fragment}"
    );
    assert!(!fragment.contains("security"), "{fragment}");
    assert_eq!(
        decode(&fragment, &State::default()).state.scenario.policy,
        plain
    );
    assert_restores(&state);
}

#[test]
fn links_written_with_indented_policy_json_still_read() {
    let mut policy = Policy::default();
    policy.routes.retain(|route| route.path != "/admin");
    // Earlier builds wrote the policy indented, one member per line.
    let indented = serde_json::to_string_pretty(&policy).unwrap_or_default();
    assert!(indented.contains("\n    {\n"), "{indented}");
    let escaped: String = indented
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => char::from(byte).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect();
    let decoded = decode(&format!("v=1&policy={escaped}"), &State::default());
    assert_eq!(decoded.ignored, Vec::<String>::new());
    assert_eq!(decoded.state.scenario.policy, policy);
}

#[test]
fn a_changed_toggle_is_spelled_out_readably() {
    let state = apply(State::default(), Action::ApplyPreset("user-on-admin"));
    let state = apply(state, Action::SetValidity(Validity::Expired));
    assert_eq!(
        encode(&state),
        "v=1&m=GET&p=/admin&cred=bearer&valid=expired&sub=alice&role=user&profile=rfc"
    );
    assert_restores(&state);
}

#[test]
fn every_credential_kind_and_csrf_choice_is_spelled_out_readably() {
    let kinds = [
        (CredentialKind::Bearer, "bearer"),
        (CredentialKind::Basic, "basic"),
        (CredentialKind::Query, "query"),
        (CredentialKind::ApiKey, "api-key"),
        (CredentialKind::ApiKeyQuery, "api-key-query"),
        (CredentialKind::ApiKeyCookie, "api-key-cookie"),
        (CredentialKind::Session, "session"),
    ];
    assert_eq!(kinds.len(), CredentialKind::ALL.len());
    for (kind, id) in kinds {
        for validity in Validity::for_kind(kind) {
            // As bob, whom no preset names, so the link spells the toggles out.
            let state = apply(State::default(), Action::SetSubject("bob".into()));
            let state = apply(state, Action::SetKind(kind));
            let state = apply(state, Action::SetValidity(*validity));
            let fragment = encode(&state);
            assert!(
                fragment.contains(&format!(
                    "&cred={id}&valid={}&sub=",
                    authpath::link::validity_id(*validity)
                )),
                "{fragment}"
            );
            assert_restores(&state);
        }
    }
    // The CSRF choice is written when it is not the default (sent).
    let missing = apply(State::default(), Action::ApplyPreset("csrf-missing"));
    let wrong = apply(missing.clone(), Action::SetCsrf(CsrfToken::Wrong));
    assert_eq!(
        encode(&wrong),
        "v=1&m=POST&p=/users/alice/notes&cred=session&valid=valid&csrf=wrong&sub=alice&role=user&profile=rfc"
    );
    assert_restores(&wrong);
    let sent = apply(wrong, Action::SetCsrf(CsrfToken::Sent));
    assert_eq!(
        encode(&sent),
        "v=1&m=POST&p=/users/alice/notes&cred=session&valid=valid&sub=alice&role=user&profile=rfc"
    );
    assert_restores(&sent);
    let spelled = decode(
        "v=1&m=POST&p=/users/alice/notes&cred=session&valid=valid&csrf=missing&sub=alice&role=user",
        &State::default(),
    );
    assert_eq!(spelled.ignored, Vec::<String>::new());
    assert_eq!(spelled.state.preset, Some("csrf-missing"));
    assert_eq!(spelled.state.mock, missing.mock);
    // A validity the kind cannot have builds a valid credential, and reads as one.
    let odd = decode("v=1&cred=session&valid=alg_none", &State::default()).state;
    assert_eq!(odd.mock.validity, Validity::Valid);
}

#[test]
fn hand_typed_credentials_stay_out_of_the_link_until_allowed() {
    let raw =
        "GET /profile?x=1&access_token=secret HTTP/1.1\nHost: h\nAuthorization: Bearer secret\n\n";
    let state = apply(State::default(), Action::EditRaw(raw.to_string()));
    let fragment = encode(&state);
    assert!(!fragment.contains("secret"), "{fragment}");
    let decoded = decode(&fragment, &State::default());
    assert_eq!(
        decoded.state.custom.as_deref(),
        Some("GET /profile?x=1&access_token=withheld HTTP/1.1\nHost: h\nAuthorization: Bearer withheld\n\n")
    );
    // The page that opens the link says what its sender withheld.
    assert!(
        decoded
            .ignored
            .iter()
            .any(|notice| notice.contains("withheld 2 secret values (access_token, Authorization)")),
        "{:?}",
        decoded.ignored
    );

    let allowed = apply(state, Action::SetShareCredentials(true));
    assert!(encode(&allowed).contains("secret"));
    assert_restores(&allowed);
}

#[test]
fn strip_credentials_finds_every_way_of_sending_them() {
    let cases: [(&str, &str, bool); 7] = [
        (
            "GET / HTTP/1.1\nHost: h\n\n",
            "GET / HTTP/1.1\nHost: h\n\n",
            false,
        ),
        (
            "GET / HTTP/1.1\nauthorization: Basic eA==\n\n",
            "GET / HTTP/1.1\nauthorization: Basic withheld\n\n",
            true,
        ),
        (
            "GET /?access_token=t HTTP/1.1\n\n",
            "GET /?access_token=withheld HTTP/1.1\n\n",
            true,
        ),
        (
            "GET /?a=1&access_token=t&b=2 HTTP/1.1\n\n",
            "GET /?a=1&access_token=withheld&b=2 HTTP/1.1\n\n",
            true,
        ),
        (
            "GET /profile HTTP/1.1\nHost: api.example.com\nCookie: sessionid=REALSESSIONVALUE123; theme=dark\nX-API-Key: sk_live_SECRETKEY999\nProxy-Authorization: Basic cHJveHk6cHc=\n\n",
            "GET /profile HTTP/1.1\nHost: api.example.com\nCookie: sessionid=withheld; theme=withheld\nX-API-Key: withheld\nProxy-Authorization: Basic withheld\n\n",
            true,
        ),
        // What a link already withheld has nothing left to hide.
        (
            "GET /?api_key=withheld HTTP/1.1\n\n",
            "GET /?api_key=withheld HTTP/1.1\n\n",
            false,
        ),
        // After the blank line it is body text, not a header.
        (
            "POST / HTTP/1.1\n\nAuthorization: x",
            "POST / HTTP/1.1\n\nAuthorization: x",
            false,
        ),
    ];
    for (raw, expected, stripped) in cases {
        assert_eq!(
            strip_credentials(raw),
            (expected.to_string(), stripped),
            "{raw:?}"
        );
    }
}

#[test]
fn unreadable_links_open_the_default_scenario_and_say_what_was_ignored() {
    let cases: [(&str, &str); 9] = [
        ("v=9&preset=no-token", "newer authpath"),
        ("v=1&preset=nope", "no preset"),
        ("v=1&profile=evil", "no profile"),
        ("v=1&valid=sort-of", "validity"),
        ("v=1&cred=api-token", "credential kind “api-token”"),
        (
            "v=1&m=POST&cred=session&csrf=forgotten",
            "CSRF token choice “forgotten”",
        ),
        ("v=1&step=0", "step"),
        ("v=1&raw=%E2%28", "not valid text"),
        ("v=1&policy=%7B", "policy"),
    ];
    for (fragment, said) in cases {
        let decoded = decode(fragment, &State::default());
        assert!(
            decoded.ignored.iter().any(|note| note.contains(said)),
            "{fragment}: {:?}",
            decoded.ignored
        );
        assert!(!decoded.state.raw_request().is_empty());
    }
    assert_eq!(
        decode("v=9&preset=no-token", &State::default())
            .state
            .raw_request(),
        State::default().raw_request()
    );
}

/// What the builder can make: every kind, with a validity that kind offers, and any CSRF choice.
fn mock_strategy() -> impl Strategy<Value = MockRequest> {
    let kind_and_validity =
        prop::sample::select(CredentialKind::ALL.to_vec()).prop_flat_map(|kind| {
            (
                Just(kind),
                prop::sample::select(Validity::for_kind(kind).to_vec()),
            )
        });
    let methods = prop::sample::select(vec!["GET", "POST", "DELETE", "PATCH"]);
    (
        methods,
        "/[ -~]{0,24}",
        any::<bool>(),
        kind_and_validity,
        prop::sample::select(CsrfToken::ALL.to_vec()),
        "[a-z]{1,8}",
        prop::sample::select(vec!["user", "admin"]),
        prop::collection::vec("[a-z]{1,6}:[a-z]{1,6}", 0..3),
    )
        .prop_map(
            |(method, path, token, (kind, validity), csrf, subject, role, scopes)| MockRequest {
                method: method.to_string(),
                path,
                token,
                kind,
                validity,
                subject,
                role: role.to_string(),
                scopes,
                csrf,
            },
        )
}

proptest! {
    #[test]
    fn random_scenarios_round_trip(
        mock in mock_strategy(),
        profile in prop::sample::select(vec![Profile::Rfc, Profile::Conceal, Profile::Naive]),
        custom in prop::option::of("[ -~\n]{0,80}"),
        step in prop::option::of(0usize..12),
        realm in prop::option::of("[ -~]{1,20}"),
    ) {
        let mut state = State { mock, step, view: View::Simulator, ..State::default() };
        let mut scenario = (*state.scenario).clone();
        scenario.profile = profile;
        if let Some(realm) = realm {
            scenario.realm = realm;
        }
        state.scenario = Rc::new(scenario);
        // Hand-typed credentials are left out by design; share them so the text is whole.
        state.share_credentials = true;
        state.custom = custom;
        state.preset = authpath::state::preset_of(&state);
        assert_restores(&state);
    }

    #[test]
    fn garbage_fragments_never_panic(fragment in "\\PC{0,200}") {
        let decoded = decode(&fragment, &State::default());
        prop_assert!(decoded.ignored.len() <= fragment.len() + 1);
    }

    #[test]
    fn garbage_pairs_never_panic(pairs in prop::collection::vec(("[a-z]{0,6}", "[%0-9A-Za-z&=#]{0,30}"), 0..8)) {
        let fragment: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = decode(&fragment.join("&"), &State::default());
    }
}

#[test]
fn text_over_the_limit_is_cut_yet_still_too_large_for_the_engine() {
    // Two-byte characters, so the cut must find a character boundary.
    let big = format!(
        "GET /public HTTP/1.1\r\nHost: api.authpath.example\r\nX-Big: {}\r\n\r\n",
        "é".repeat(600_000)
    );
    let typed = Rc::new(State::default()).reduce(Action::EditRaw(big.clone()));
    let kept = typed.custom.clone().unwrap_or_default();
    assert!(
        kept.len() > MAX_REQUEST_BYTES && kept.len() <= KEPT_BYTES,
        "{}",
        kept.len()
    );
    assert!(big.starts_with(&kept));
    assert_eq!(typed.cut_from, Some(big.len()));
    let answer = evaluate(&kept, &typed.scenario);
    assert_eq!(answer.response.status, Status::ContentTooLarge);

    // Short text again: nothing cut, nothing said.
    let mended = typed.reduce(Action::EditRaw("GET /public HTTP/1.1\r\n\r\n".to_string()));
    assert_eq!(mended.cut_from, None);

    // A hand-made link with the whole text is cut the same way.
    let linked = State {
        custom: Some(big.clone()),
        ..State::default()
    };
    let opened = decode(&encode(&linked), &State::default()).state;
    assert_eq!(opened.custom.as_deref(), Some(kept.as_str()));
    assert_eq!(opened.cut_from, Some(big.len()));
}

#[test]
fn an_attack_preset_link_brings_its_keys_and_is_refused() {
    for preset in authpath_engine::teach::mock::attack_presets() {
        let applied = apply(State::default(), Action::ApplyPreset(preset.id));
        let linked = decode(&format!("v=1&preset={}", preset.id), &State::default()).state;
        assert_eq!(linked.scenario, applied.scenario, "{}", preset.id);
        assert_eq!(linked.preset, Some(preset.id));
        assert_restores(&applied);
        let answer = evaluate(&linked.raw_request(), &linked.scenario).response;
        // The weak secret is the lesson that passes: the server's key was guessable.
        let expected = if preset.id == "attack-weak-secret" {
            Status::Ok
        } else {
            Status::Unauthorized
        };
        assert_eq!(answer.status, expected, "{}", preset.id);
    }
}

#[test]
fn every_attack_of_the_catalogue_is_spelled_out_and_read_back() {
    for preset in authpath_engine::teach::mock::attack_presets() {
        let applied = apply(State::default(), Action::ApplyPreset(preset.id));
        // As bob, whom no preset names, so the link spells the toggles out.
        let spelled = apply(applied, Action::SetSubject("bob".to_string()));
        assert_eq!(spelled.preset, None, "{}", preset.id);
        let fragment = encode(&spelled);
        assert!(
            fragment.contains(&format!(
                "valid={}",
                authpath::link::validity_id(preset.request.validity)
            )),
            "{fragment}"
        );
        let back = decode(&fragment, &State::default()).state;
        assert_eq!(back.mock, spelled.mock, "{fragment}");
    }
}
