//! The two Flask profiles over whole evaluations: how each reads `Authorization` (Werkzeug
//! joins several fields into one; Flask-JWT-Extended takes the one element whose scheme is
//! exactly `Bearer`), and that every finding of their answers comes with a fix in that
//! extension's terms.

use authpath_engine::teach::mock::{CredentialKind, MockRequest, Validity};
use authpath_engine::{evaluate, Profile, Rule, Scenario, Severity};

fn scenario(profile: Profile) -> Scenario {
    Scenario {
        profile,
        ..Scenario::default()
    }
}

/// A valid token for alice on `GET /profile`, with `Authorization` lines replaced by `lines`
/// (`{token}` stands for the token).
fn profile_request(lines: &[&str]) -> String {
    let scenario = Scenario::default();
    let raw = MockRequest::default().to_raw(&scenario);
    let bearer = raw
        .lines()
        .find(|line| line.starts_with("Authorization: "))
        .unwrap_or_default()
        .to_string();
    let token = bearer
        .trim_start_matches("Authorization: Bearer ")
        .to_string();
    let fields: Vec<String> = lines
        .iter()
        .map(|line| line.replace("{token}", &token))
        .collect();
    raw.replace(
        &format!("{bearer}\r\n"),
        &format!("{}\r\n", fields.join("\r\n")),
    )
    .replace("\r\n\r\n\r\n", "\r\n\r\n")
}

/// The status and body start each profile answers to the same `Authorization` lines.
fn check(lines: &[&str], httpauth: (u16, &str), jwt_extended: (u16, &str)) {
    let raw = profile_request(lines);
    for (profile, (status, body)) in [
        (Profile::FlaskHttpauth, httpauth),
        (Profile::FlaskJwtExtended, jwt_extended),
    ] {
        let response = evaluate(&raw, &scenario(profile)).response;
        assert_eq!(response.status.code(), status, "{profile:?} {lines:?}");
        assert!(
            response.body.starts_with(body),
            "{profile:?} {lines:?}: {}",
            response.body
        );
    }
}

#[test]
#[rustfmt::skip]
fn authorization_as_each_extension_reads_it() {
    let ok = r#"{"user":"alice""#;
    let access = "Unauthorized Access";
    let missing = r#"{"msg":"Missing 'Bearer' type"#;
    check(&["Authorization: Bearer {token}"], (200, ok), (200, ok));
    check(&["Authorization: bearer {token}"], (200, ok), (401, missing));
    check(&["Authorization: Bearer {token}", "Authorization: Bearer {token}"], (401, access), (401, missing));
    check(&["Authorization: Bearer {token}", "Authorization: Basic YWxpY2U6YWxpY2UtcHc="], (401, access), (200, ok));
    check(&["Authorization: Basic YWxpY2U6YWxpY2UtcHc=, Bearer {token}"], (401, access), (200, ok));
    check(&["Authorization: Digest username=\"alice\", realm=\"authpath-demo\""], (401, access), (401, missing));
    check(&["Authorization: Bearer"], (401, access), (422, r#"{"msg":"Bad Authorization header."#));
    check(&["Authorization: Bearer {token} extra"], (401, access), (422, r#"{"msg":"Bad Authorization header."#));
    check(&["Authorization: Bearer not-a-jwt"], (401, access), (422, r#"{"msg":"Not enough segments"}"#));
    check(&["Authorization:"], (401, access), (401, r#"{"msg":"Missing Authorization Header"}"#));
    check(&[], (401, access), (401, r#"{"msg":"Missing Authorization Header"}"#));
}

/// Every builder combination on every route, and the hand-typed `Authorization` forms.
fn requests() -> Vec<String> {
    let scenario = Scenario::default();
    let mut raws = Vec::new();
    for path in [
        "/public",
        "/profile",
        "/admin",
        "/users/bob",
        "/users/bob/notes",
        "/reports",
        "/nowhere",
    ] {
        for method in ["GET", "DELETE", "POST"] {
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
                .to_raw(&scenario),
            );
            for kind in [
                CredentialKind::Bearer,
                CredentialKind::Basic,
                CredentialKind::Query,
            ] {
                for validity in Validity::for_kind(kind) {
                    let request = MockRequest {
                        kind,
                        validity: *validity,
                        ..base.clone()
                    };
                    raws.push(request.to_raw(&scenario));
                }
            }
        }
    }
    for lines in [
        &["Authorization: bearer {token}"][..],
        &[
            "Authorization: Bearer {token}",
            "Authorization: Bearer {token}",
        ],
        &["Authorization: Digest username=\"alice\""],
        &["Authorization: Bearer"],
    ] {
        raws.push(profile_request(lines));
    }
    raws
}

/// Under both Flask profiles, each rule that finds an error or a warning in an answer has the
/// extension's fix, with its documentation.
#[test]
fn every_finding_has_a_fix_in_the_extension() {
    for profile in [Profile::FlaskHttpauth, Profile::FlaskJwtExtended] {
        let spec = profile.spec();
        let mut found: Vec<Rule> = Vec::new();
        for raw in requests() {
            for finding in evaluate(&raw, &scenario(profile)).findings {
                if finding.severity == Severity::Note || found.contains(&finding.rule) {
                    continue;
                }
                let fix = spec.fix(finding.rule);
                assert!(
                    fix.is_some(),
                    "{profile:?}: no fix for {}: {}",
                    finding.rule,
                    finding.message
                );
                assert!(fix.is_some_and(|fix| fix.docs.starts_with("https://")));
                found.push(finding.rule);
            }
        }
        // The rules the recorded answers break (conformance/README.md), each met above.
        let expected: &[Rule] = match profile {
            Profile::FlaskHttpauth => &[Rule::R5, Rule::R14],
            _ => &[Rule::R1, Rule::R8, Rule::R14, Rule::R19],
        };
        for rule in expected {
            assert!(
                found.contains(rule),
                "{profile:?}: {rule} not found in {found:?}"
            );
        }
    }
}
