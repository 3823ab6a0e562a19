//! Security requirements as OpenAPI writes them: schemes required together (AND inside one
//! requirement), requirements any one of which will do (OR), and a requirement of no schemes
//! (`{}`), which lets an anonymous caller in while credentials that are sent are still judged.

mod support;

use authpath_engine::{evaluate, Policy, Profile, Scenario};
use support::{claims, mint, scenario, walks_the_graph};

/// The policy of these cases: a Bearer token, Basic, and an API key in `X-API-Key`.
const POLICY: &str = r#"
[schemes.apiKey]
type = "apiKey"
in = "header"
name = "X-API-Key"

[schemes.basic]
type = "http"
scheme = "basic"

[schemes.bearer]
type = "http"
scheme = "bearer"

[[routes]]
method = "GET"
path = "/both"
access = "authenticated"
security = [["apiKey", "bearer"]]

[[routes]]
method = "GET"
path = "/both-or-basic"
access = "authenticated"
security = [["apiKey", "bearer"], "basic"]

[[routes]]
method = "GET"
path = "/optional"
access = "authenticated"
security = ["bearer", []]

[[routes]]
method = "GET"
path = "/optional-admin"
access = { role = "admin" }
security = ["bearer", []]
"#;

fn policy_scenario(profile: Profile) -> Scenario {
    let policy = Policy::from_toml(POLICY).unwrap_or_else(|error| panic!("{error}"));
    Scenario {
        policy,
        ..scenario(profile)
    }
}

/// A GET of `path` with these header lines.
fn request(path: &str, headers: &[String]) -> String {
    let mut raw = format!("GET {path} HTTP/1.1\r\nHost: api.example\r\n");
    for header in headers {
        raw.push_str(header);
        raw.push_str("\r\n");
    }
    raw.push_str("\r\n");
    raw
}

#[test]
fn requirements_are_met_whole_or_refused() {
    let alice = format!("Authorization: Bearer {}", mint(&claims("alice", "user")));
    let carol = format!("Authorization: Bearer {}", mint(&claims("carol", "admin")));
    let key = "X-API-Key: ak_alice_demo".to_string();
    let wrong_key = "X-API-Key: ak_nobody_demo".to_string();
    let basic = format!(
        "Authorization: Basic {}",
        authpath_engine::basic_credentials("alice", "alice-pw")
    );
    let broken = "Authorization: Bearer not-a-token".to_string();
    let empty = "Authorization: Bearer".to_string();
    // (profile, path, headers, status, a text the last step's detail holds)
    let cases: &[(Profile, &str, Vec<String>, u16, &str)] = &[
        // AND: both sent and valid.
        (
            Profile::Rfc,
            "/both",
            vec![key.clone(), alice.clone()],
            200,
            "OK for alice",
        ),
        // AND: one missing is no credentials for this route, naming the missing one.
        (
            Profile::Rfc,
            "/both",
            vec![alice.clone()],
            401,
            "apiKey not sent",
        ),
        (
            Profile::Rfc,
            "/both",
            vec![key.clone()],
            401,
            "bearer not sent",
        ),
        (Profile::Rfc, "/both", vec![], 401, "none sent"),
        // AND: each is verified; the wrong one refuses.
        (
            Profile::Rfc,
            "/both",
            vec![wrong_key.clone(), alice.clone()],
            401,
            "key",
        ),
        (
            Profile::Rfc,
            "/both",
            vec![key.clone(), broken.clone()],
            401,
            "",
        ),
        // AND: a malformed one of the pair is a malformed request.
        (
            Profile::Rfc,
            "/both",
            vec![key.clone(), empty.clone()],
            400,
            "Bearer without",
        ),
        // OR of an AND and a single scheme.
        (
            Profile::Rfc,
            "/both-or-basic",
            vec![basic.clone()],
            200,
            "OK for",
        ),
        (
            Profile::Rfc,
            "/both-or-basic",
            vec![key.clone(), alice.clone()],
            200,
            "OK for",
        ),
        (
            Profile::Rfc,
            "/both-or-basic",
            vec![key.clone()],
            401,
            "bearer not sent",
        ),
        // `{}`: no credentials go on as anonymous; bad ones are still refused.
        (Profile::Rfc, "/optional", vec![], 200, "anonymous caller"),
        (Profile::Rfc, "/optional", vec![alice.clone()], 200, "alice"),
        (Profile::Rfc, "/optional", vec![broken.clone()], 401, ""),
        (Profile::Rfc, "/optional", vec![empty.clone()], 400, ""),
        // `{}` with a rule: it judges those who send credentials.
        (
            Profile::Rfc,
            "/optional-admin",
            vec![],
            200,
            "anonymous caller",
        ),
        (
            Profile::Rfc,
            "/optional-admin",
            vec![alice.clone()],
            403,
            "",
        ),
        (
            Profile::Rfc,
            "/optional-admin",
            vec![carol.clone()],
            200,
            "carol",
        ),
        // A server that checks rights before the caller lets the anonymous caller in too.
        (
            Profile::Naive,
            "/optional-admin",
            vec![],
            200,
            "anonymous caller",
        ),
        // Servers that authenticate before routing.
        (
            Profile::Conceal,
            "/both",
            vec![key.clone(), alice.clone()],
            200,
            "OK for",
        ),
        (
            Profile::Conceal,
            "/optional",
            vec![],
            200,
            "anonymous caller",
        ),
        (Profile::Conceal, "/optional", vec![broken.clone()], 401, ""),
        (
            Profile::SpringSecurity,
            "/optional",
            vec![],
            200,
            "anonymous caller",
        ),
        (
            Profile::Fastapi,
            "/optional",
            vec![],
            200,
            "anonymous caller",
        ),
        (
            Profile::Fastapi,
            "/both",
            vec![key.clone(), alice.clone()],
            200,
            "OK for",
        ),
    ];
    for (profile, path, headers, status, detail) in cases {
        let raw = request(path, headers);
        let evaluation = evaluate(&raw, &policy_scenario(*profile));
        let last = evaluation.trace.last().map(|step| step.detail.clone());
        assert_eq!(
            evaluation.response.status.code(),
            *status,
            "{profile:?} {path} {headers:?}: {last:?}"
        );
        let described = last.clone().unwrap_or_default() + &evaluation.response.body;
        assert!(
            described.contains(detail) || evaluation.response.body.contains(detail),
            "{profile:?} {path} {headers:?}: {last:?}"
        );
        walks_the_graph(&evaluation, *profile)
            .unwrap_or_else(|why| panic!("{profile:?} {path} {headers:?}: {why}"));
    }
}

/// The lint finds nothing wrong in the reference answers to requirements met in part.
#[test]
fn the_reference_answers_lint_clean() {
    let alice = format!("Authorization: Bearer {}", mint(&claims("alice", "user")));
    let cases = [
        request("/both", std::slice::from_ref(&alice)),
        request("/both", &["X-API-Key: ak_alice_demo".to_string()]),
        request("/optional", &[]),
        request("/optional-admin", &[]),
    ];
    for raw in cases {
        let evaluation = evaluate(&raw, &policy_scenario(Profile::Rfc));
        assert!(
            evaluation.findings.is_empty(),
            "{raw}: {:?}",
            evaluation.findings
        );
    }
}

/// An exchange captured from a server: credentials a route requires together are the one way
/// in its requirement names, not "several at once"; where no route requires them together,
/// the same two are several.
#[test]
fn credentials_required_together_are_one_presentation_to_check() {
    use authpath_engine::exchange::{check, Exchange};
    use authpath_engine::Presented;
    let alice = format!("Authorization: Bearer {}", mint(&claims("alice", "user")));
    let key = "X-API-Key: ak_alice_demo".to_string();
    let ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}".to_string();
    let exchange = |path: &str| Exchange {
        request: request(path, &[key.clone(), alice.clone()]),
        response: ok.clone(),
    };
    let joint = policy_scenario(Profile::Rfc);
    let checked = check(&exchange("/both"), Some(&joint));
    assert!(
        matches!(checked.presented, Presented::Read(_)),
        "{:?}",
        checked.presented
    );
    assert!(checked.findings.is_empty(), "{:?}", checked.findings);
    let demo = scenario(Profile::Rfc);
    let checked = check(&exchange("/profile"), Some(&demo));
    assert_eq!(checked.presented, Presented::Several);
}

/// FastAPI's `HTTPBasic` (fastapi/security/http.py): a route whose policy names only a Basic
/// scheme reads Basic credentials under the FastAPI profiles; the demo's `/profile` (every
/// scheme, the first of the server's order) reads only Bearer.
#[test]
fn fastapi_reads_basic_where_the_policy_names_it() {
    let basic = format!(
        "Authorization: Basic {}",
        authpath_engine::basic_credentials("alice", "alice-pw")
    );
    for profile in [Profile::Fastapi, Profile::Fastapi0121] {
        let named = Scenario {
            policy: Policy::from_toml(
                "[schemes.basic]\ntype = \"http\"\nscheme = \"basic\"\n\n[[routes]]\nmethod = \"GET\"\npath = \"/basic\"\naccess = \"authenticated\"\nsecurity = [\"basic\"]\n",
            )
            .unwrap_or_else(|error| panic!("{error}")),
            ..scenario(profile)
        };
        let answer = evaluate(&request("/basic", std::slice::from_ref(&basic)), &named);
        assert_eq!(answer.response.status.code(), 200, "{profile:?}");
        let demo = scenario(profile);
        let answer = evaluate(&request("/profile", std::slice::from_ref(&basic)), &demo);
        assert_ne!(answer.response.status.code(), 200, "{profile:?}");
    }
}
