//! Properties over arbitrary input: requests, tokens and policies never make the engine
//! panic, and the answers keep the RFC invariants whatever comes in.

mod support;

use authpath_engine::profile::Case;
use authpath_engine::{
    basic_credentials, evaluate, Access, Claims, Evaluation, Outcome, Policy, Profile, Route,
    Scenario, Severity, Status,
};
use proptest::prelude::*;
use support::{claims, mint, scenario, DEMO_KEY, NOW};

/// The request carried no credentials at all.
fn anonymous(evaluation: &Evaluation) -> bool {
    match &evaluation.request {
        Ok(request) => {
            request.header("authorization").is_none()
                && !request.query.iter().any(|(key, _)| key == "access_token")
        }
        Err(_) => true,
    }
}

/// The invariants every evaluation keeps, in every profile.
fn invariants(evaluation: &Evaluation, profile: Profile) -> Result<(), TestCaseError> {
    let response = &evaluation.response;
    let first = evaluation
        .trace
        .first()
        .ok_or_else(|| TestCaseError::fail("empty trace"))?;
    let last = evaluation
        .trace
        .last()
        .ok_or_else(|| TestCaseError::fail("empty trace"))?;
    prop_assert_eq!(first.node, authpath_engine::Node::Parse);
    prop_assert!(
        matches!(last.outcome, Outcome::Failed | Outcome::Answered),
        "last step decides: {:?}",
        last
    );
    // The run leaves by exactly one exit of its profile's graph, and answers one of its
    // statuses: what the page lights.
    if let Err(why) = support::walks_the_graph(evaluation, profile) {
        return Err(TestCaseError::fail(why));
    }
    let before = evaluation.trace.len().saturating_sub(1);
    prop_assert!(
        evaluation
            .trace
            .iter()
            .take(before)
            .all(|step| step.vars.response_code.is_none()
                && matches!(step.outcome, Outcome::Passed | Outcome::Skipped)),
        "only the last step decides"
    );
    prop_assert_eq!(
        last.outcome == Outcome::Answered,
        response.status.is_success()
    );
    let text = response.to_string();
    let head = text.split("\r\n\r\n").next().unwrap_or_default();
    prop_assert!(
        !head.contains('\n')
            || head
                .split("\r\n")
                .all(|line| !line.contains('\n') && !line.contains('\r')),
        "header lines stay whole"
    );
    if let Some(length) = response.header("Content-Length") {
        prop_assert_eq!(length, response.body.len().to_string());
    }
    // Some servers give 403 without credentials on purpose (`naive`, FastAPI before 0.122,
    // API Gateway's 403 for an unknown route or method, Spring's CSRF filter), and their
    // tables say so; the lint
    // flags it (tests/pipeline.rs). No other server may.
    // A CSRF filter in front of everything (Spring's) refuses an anonymous unsafe request too.
    let csrf_filter = authpath_engine::graph(profile)
        .iter()
        .any(|node| node.node == authpath_engine::Node::Csrf);
    let forbids_anonymous = Case::all()
        .into_iter()
        .filter(|case| {
            matches!(case, Case::Missing(_) | Case::Routing(_))
                || (csrf_filter && matches!(case, Case::Csrf(_)))
        })
        .any(|case| profile.spec().status(case) == Some(Status::Forbidden));
    if !forbids_anonymous && anonymous(evaluation) {
        prop_assert_ne!(
            response.status,
            Status::Forbidden,
            "R3: never 403 without credentials"
        );
    }
    if profile == Profile::Rfc {
        if response.status == Status::Unauthorized {
            prop_assert!(
                response.header("WWW-Authenticate").is_some(),
                "R1: a 401 carries a challenge"
            );
        }
        let errors: Vec<_> = evaluation
            .findings
            .iter()
            .filter(|finding| finding.severity == Severity::Error)
            .collect();
        prop_assert!(
            errors.is_empty(),
            "rfc has no error findings: {:?}\n{}",
            errors,
            text
        );
    }
    for challenge in response.headers_named("WWW-Authenticate") {
        if let Some((_, description)) = challenge.split_once("error_description=\"") {
            let description = description.split('"').next().unwrap_or_default();
            prop_assert!(
                description
                    .chars()
                    .all(|character| (' '..='~').contains(&character) && character != '\\'),
                "R15: {}",
                description
            );
        }
    }
    Ok(())
}

fn all_profiles(raw: &str) -> Result<(), TestCaseError> {
    for profile in Profile::all() {
        let evaluation = evaluate(raw, &scenario(profile));
        invariants(&evaluation, profile)?;
        // Deterministic: no clock, no randomness.
        prop_assert_eq!(&evaluate(raw, &scenario(profile)), &evaluation);
    }
    Ok(())
}

/// Requests built from plausible pieces, so that the fuzzing reaches past the parser.
fn request_strategy() -> impl Strategy<Value = String> {
    let method = prop_oneof![
        Just("GET".to_string()),
        Just("DELETE".to_string()),
        Just("POST".to_string()),
        Just("get".to_string()),
        "[A-Z]{1,7}"
    ];
    let path = prop_oneof![
        Just("/profile".to_string()),
        Just("/admin".to_string()),
        Just("/public".to_string()),
        Just("/reports".to_string()),
        Just("/users/bob".to_string()),
        Just("/users/alice/notes".to_string()),
        Just("/users/bob/notes".to_string()),
        "/[a-z%0-9/{}]{0,20}",
    ];
    let query = prop_oneof![
        Just(String::new()),
        "\\?access_token=[A-Za-z0-9._~+/=-]{0,40}",
        "\\?[a-z_=&%0-9]{0,30}"
    ];
    let token = prop_oneof![
        Just(mint(&claims("alice", "user"))),
        Just(mint(&claims("carol", "admin"))),
        Just(mint(&Claims {
            scope: Some("reports:read".into()),
            ..claims("bob", "user")
        })),
        Just(mint(&Claims {
            exp: Some(NOW - 100),
            ..claims("bob", "user")
        })),
        "[A-Za-z0-9._~+/=-]{0,60}",
    ];
    let authorization = prop_oneof![
        Just(String::new()),
        token
            .clone()
            .prop_map(|token| format!("Authorization: Bearer {token}\r\n")),
        token.prop_map(|token| format!("Authorization: bearer {token}\r\n")),
        Just(format!(
            "Authorization: Basic {}\r\n",
            basic_credentials("carol", "carol-pw")
        )),
        Just(format!(
            "Authorization: Basic {}\r\n",
            basic_credentials("alice", "nope")
        )),
        "Authorization:[ -~]{0,40}\r\n",
    ];
    let extra = prop_oneof![
        Just(String::new()),
        "[A-Za-z-]{1,10}: [ -~]{0,20}\r\n",
        Just("Authorization: Basic eDp5\r\n".to_string())
    ];
    (method, path, query, authorization, extra)
        .prop_map(|(method, path, query, authorization, extra)| format!("{method} {path}{query} HTTP/1.1\r\nHost: api.authpath.example\r\n{authorization}{extra}\r\n"))
}

fn access_strategy() -> impl Strategy<Value = Access> {
    prop_oneof![
        Just(Access::Public),
        Just(Access::Authenticated),
        "[a-z]{1,8}".prop_map(Access::Role),
        "[a-z:]{1,12}".prop_map(Access::Scope),
        Just(Access::Owner("id".to_string())),
    ]
}

fn policy_strategy() -> impl Strategy<Value = Policy> {
    let route = (
        prop_oneof![Just("GET"), Just("DELETE"), Just("PUT")],
        "(/[a-z]{1,5}){0,2}",
        access_strategy(),
    )
        .prop_map(|(method, prefix, access)| Route {
            method: method.to_string(),
            // Every route has {id}, so an owner rule always names a parameter of its path.
            path: format!("{prefix}/{{id}}"),
            access,
            security: None,
            example: None,
        });
    proptest::collection::vec(route, 0..6).prop_map(|routes| Policy {
        schemes: Default::default(),
        routes,
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(raw in "\\PC*") {
        all_profiles(&raw)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        all_profiles(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn arbitrary_head_lines_never_panic(lines in proptest::collection::vec("[ -~\t\r]{0,40}", 0..8)) {
        all_profiles(&format!("GET /profile HTTP/1.1\r\nHost: a\r\n{}\r\n\r\n", lines.join("\n")))?;
    }

    #[test]
    fn plausible_requests_keep_the_rules(raw in request_strategy()) {
        all_profiles(&raw)?;
    }

    #[test]
    fn concealed_404s_match_the_unknown_path_404(raw in request_strategy()) {
        // R17: under conceal, any 404 equals the 404 of a path that exists nowhere, sent
        // with the same credentials.
        let conceal = scenario(Profile::Conceal);
        let evaluation = evaluate(&raw, &conceal);
        if evaluation.response.status == Status::NotFound {
            let (request_line, rest) = raw.split_once("\r\n").unwrap_or_default();
            let method = request_line.split(' ').next().unwrap_or_default();
            let query = request_line.split(' ').nth(1).and_then(|target| target.split_once('?')).map(|(_, query)| format!("?{query}")).unwrap_or_default();
            let twin = format!("{method} /no/such/resource/here{query} HTTP/1.1\r\n{rest}");
            prop_assert_eq!(evaluate(&twin, &conceal).response.to_string(), evaluation.response.to_string());
        }
    }

    #[test]
    fn arbitrary_tokens_are_refused_with_401(token in "[A-Za-z0-9._~+/-]{1,200}") {
        let evaluation = evaluate(&format!("GET /profile HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer {token}\r\n\r\n"), &Scenario::default());
        invariants(&evaluation, Profile::Rfc)?;
        prop_assert_eq!(evaluation.response.status, Status::Unauthorized);
    }

    #[test]
    fn arbitrary_signed_payloads_never_panic(payload in "\\PC{0,80}", header in "\\PC{0,40}") {
        // Signed with the server's key, so the checks after the signature see this payload.
        let signed = sign(r#"{"alg":"HS256"}"#, &payload);
        all_profiles(&format!("GET /profile HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer {signed}\r\n\r\n"))?;
        let claims = format!(r#"{{"sub":{payload:?},"exp":{payload:?},"aud":[{payload:?}],"iss":"https://auth.authpath.example","scope":7}}"#);
        let signed = sign(r#"{"alg":"HS256"}"#, &claims);
        all_profiles(&format!("GET /users/x/notes HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer {signed}\r\n\r\n"))?;
        let signed = sign(&header, &payload);
        all_profiles(&format!("GET /profile HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer {signed}\r\n\r\n"))?;
    }

    #[test]
    fn arbitrary_policy_text_never_panics(text in "\\PC{0,200}") {
        let _ = Policy::from_json(&text);
        let _ = Policy::from_toml(&text);
    }

    #[test]
    fn generated_policies_round_trip_and_evaluate(policy in policy_strategy(), raw in request_strategy()) {
        prop_assert_eq!(Policy::from_toml(&policy.to_toml()), Ok(policy.clone()));
        prop_assert_eq!(Policy::from_json(&policy.to_json()), Ok(policy.clone()));
        for profile in Profile::all() {
            let scenario = Scenario { policy: policy.clone(), profile, ..Scenario::default() };
            invariants(&evaluate(&raw, &scenario), profile)?;
        }
    }
}

/// An HS256 token over any payload text (not only `Claims`), signed with the demo key.
fn sign(header: &str, payload: &str) -> String {
    use base64::Engine as _;
    use hmac::{KeyInit as _, Mac as _};
    let encode = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let input = format!(
        "{}.{}",
        encode(header.as_bytes()),
        encode(payload.as_bytes())
    );
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(DEMO_KEY.as_bytes()).expect("any key length");
    mac.update(input.as_bytes());
    format!("{input}.{}", encode(&mac.finalize().into_bytes()))
}
