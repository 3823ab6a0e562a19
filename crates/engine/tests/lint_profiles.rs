//! The lint over whole evaluations: every combination of the request builder's toggles, under
//! each profile. The `rfc` and `conceal` servers answer correctly, so their responses lint
//! without an error; the `naive` server's refusals are always flagged.

use authpath_engine::teach::mock::{presets, CredentialKind, MockRequest, Validity};
use authpath_engine::{evaluate, Evaluation, Profile, Scenario, Severity};

const PATHS: [&str; 8] = [
    "/public",
    "/profile",
    "/admin",
    "/users/bob",
    "/users/alice/notes",
    "/users/bob/notes",
    "/reports",
    "/nowhere",
];

/// Every builder combination, as raw request text.
fn requests(scenario: &Scenario) -> Vec<String> {
    // The attack catalogue's tokens once per path and method below, not in every combination:
    // they are refused before the claims are read, and every combination of them would
    // double this test's time.
    let (forged, validities): (Vec<Validity>, Vec<Validity>) = Validity::ALL
        .into_iter()
        .partition(|validity| matches!(validity, Validity::Forged(_)));
    let mut raws = Vec::new();
    for path in PATHS {
        for method in ["GET", "HEAD", "DELETE", "POST"] {
            let base = MockRequest {
                method: method.to_string(),
                path: path.to_string(),
                ..MockRequest::default()
            };
            raws.push(
                MockRequest {
                    token: false,
                    ..base.clone()
                }
                .to_raw(scenario),
            );
            for validity in &forged {
                raws.push(
                    MockRequest {
                        validity: *validity,
                        subject: "carol".to_string(),
                        role: "admin".to_string(),
                        ..base.clone()
                    }
                    .to_raw(scenario),
                );
            }
            for kind in [
                CredentialKind::Bearer,
                CredentialKind::Basic,
                CredentialKind::Query,
            ] {
                for &validity in &validities {
                    for (subject, role) in [("alice", "user"), ("carol", "admin")] {
                        for scopes in [vec![], vec!["reports:read".to_string()]] {
                            let request = MockRequest {
                                token: true,
                                kind,
                                validity,
                                subject: subject.to_string(),
                                role: role.to_string(),
                                scopes,
                                ..base.clone()
                            };
                            raws.push(request.to_raw(scenario));
                        }
                    }
                }
            }
        }
    }
    // What the builder cannot make: a lower-case scheme, an unsupported scheme, a token sent
    // two ways, a malformed header, garbage.
    let token = MockRequest::default().to_raw(scenario);
    let bearer_line = token
        .lines()
        .find(|line| line.starts_with("Authorization: "))
        .expect("the default mock request carries a token")
        .to_string();
    let credentials = bearer_line.trim_start_matches("Authorization: Bearer ");
    raws.push(token.replace("Authorization: Bearer", "Authorization: bearer"));
    raws.push(token.replace(&bearer_line, "Authorization: Digest username=\"alice\""));
    raws.push(token.replace(
        "GET /profile",
        &format!("GET /profile?access_token={credentials}"),
    ));
    raws.push(token.replace(&bearer_line, "Authorization: Bearer"));
    raws.push(token.replace(&bearer_line, "Authorization: Bearer a b c"));
    raws.push(format!(
        "{token}Authorization: Basic YWxpY2U6YWxpY2UtcHc=\r\n"
    ));
    raws.push(
        "GET /profile HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWxpY2U=\r\n\r\n".to_string(),
    );
    raws.push("not http at all".to_string());
    raws.extend(
        presets()
            .into_iter()
            .map(|preset| preset.request.to_raw(scenario)),
    );
    raws
}

fn errors(evaluation: &Evaluation) -> Vec<String> {
    evaluation
        .findings
        .iter()
        .filter(|finding| finding.severity == Severity::Error)
        .map(|finding| format!("{}: {}", finding.rule, finding.message))
        .collect()
}

/// A request and the evaluation that failed, for the assertion message.
fn failure(raw: &str, evaluation: &Evaluation) -> String {
    format!(
        "{raw}\n-> {}\n{:#?}",
        evaluation.response, evaluation.findings
    )
}

fn assert_none(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} failures, first:\n{}",
        failures.len(),
        failures[0]
    );
}

/// No response of `profile` to any request has a lint error.
fn assert_never_breaks_a_must(profile: Profile) {
    let scenario = Scenario {
        profile,
        ..Scenario::default()
    };
    let failures: Vec<String> = requests(&scenario)
        .iter()
        .filter_map(|raw| {
            let evaluation = evaluate(raw, &scenario);
            (!errors(&evaluation).is_empty()).then(|| failure(raw, &evaluation))
        })
        .collect();
    assert_none(&failures);
}

#[test]
fn the_rfc_server_never_breaks_a_must() {
    assert_never_breaks_a_must(Profile::Rfc);
}

#[test]
fn the_concealing_server_never_breaks_a_must() {
    assert_never_breaks_a_must(Profile::Conceal);
}

#[test]
fn the_naive_server_is_flagged_wherever_the_rfc_server_asks_who_is_calling() {
    let rfc = Scenario::default();
    let naive = Scenario {
        profile: Profile::Naive,
        ..Scenario::default()
    };
    let mut failures = Vec::new();
    for raw in requests(&rfc) {
        let correct = evaluate(&raw, &rfc);
        let evaluation = evaluate(&raw, &naive);
        if correct.response.status.code() == 401 && errors(&evaluation).is_empty() {
            failures.push(failure(&raw, &evaluation));
        }
    }
    assert_none(&failures);
}

/// Under a framework profile with advice, what breaks the rule that every error and warning
/// the lint finds over the builder's requests has a fix in that framework, and that every fix
/// is for a rule that is found: the rules without a fix (one line each, the first with its
/// request), then the fixes for rules never found.
fn missing_fixes(profile: Profile) -> (Vec<String>, Vec<String>) {
    let scenario = Scenario {
        profile,
        ..Scenario::default()
    };
    let spec = profile.spec();
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for raw in requests(&scenario) {
        let evaluation = evaluate(&raw, &scenario);
        for finding in &evaluation.findings {
            if !found.contains(&finding.rule) {
                found.push(finding.rule);
                if finding.severity != Severity::Note && spec.fix(finding.rule).is_none() {
                    missing.push(format!(
                        "{}: no fix for {}: {}\n{}",
                        profile.id(),
                        finding.rule,
                        finding.message,
                        failure(&raw, &evaluation)
                    ));
                }
            } else if finding.severity != Severity::Note
                && spec.fix(finding.rule).is_none()
                && !missing
                    .iter()
                    .any(|line| line.contains(&format!("no fix for {}:", finding.rule)))
            {
                missing.push(format!(
                    "{}: no fix for {}: {}",
                    profile.id(),
                    finding.rule,
                    finding.message
                ));
            }
        }
    }
    let unused = spec
        .fixes
        .iter()
        .filter(|fix| !found.contains(&fix.rule))
        .map(|fix| format!("{}: {} never found", profile.id(), fix.rule))
        .collect();
    (missing, unused)
}

fn assert_every_finding_has_a_fix(profile: Profile) {
    let (missing, unused) = missing_fixes(profile);
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    assert!(unused.is_empty(), "{}", unused.join("\n"));
}

#[test]
fn express_jwt_says_how_to_fix_what_it_breaks() {
    assert_every_finding_has_a_fix(Profile::ExpressJwt);
}

#[test]
fn passport_says_how_to_fix_what_it_breaks() {
    assert_every_finding_has_a_fix(Profile::PassportHttpBearer);
}

/// Every framework profile, the ones held live and the ones held by source alike: each error
/// or warning its answers give has that framework's fix, with its documentation, and every
/// fix names a documentation page. (Fixes shared by two versions, or for requests this builder
/// does not make, may go unused here; the express and passport tests above also hold that.)
#[test]
fn every_framework_says_how_to_fix_what_it_breaks() {
    let frameworks: Vec<Profile> = Profile::all()
        .into_iter()
        .filter(|profile| profile.spec().family == authpath_engine::profile::Family::Framework)
        .collect();
    assert_eq!(frameworks.len(), 13);
    let mut missing = Vec::new();
    for profile in frameworks {
        missing.extend(missing_fixes(profile).0);
        for fix in profile.spec().fixes {
            if !fix.docs.starts_with("https://") || fix.advice.is_empty() {
                missing.push(format!(
                    "{}: {} has no docs or advice",
                    profile.id(),
                    fix.rule
                ));
            }
        }
    }
    let rules: Vec<&str> = missing
        .iter()
        .map(|line| line.lines().next().unwrap_or_default())
        .collect();
    assert!(
        missing.is_empty(),
        "{}\n\n{}",
        rules.join("\n"),
        missing.join("\n\n")
    );
}
