//! `authpath eval` and `authpath token`, run as the built binary.

mod common;

use authpath_engine::teach::alternatives::alternatives;
use authpath_engine::teach::mock::presets;
use authpath_engine::teach::narrate::narrate;
use authpath_engine::{evaluate, Claims, Evaluation, Profile, Scenario};
use common::support::{json, mint, scenario};
use common::{eval, run};

const PROFILES: [(&str, Profile); 3] = [
    ("rfc", Profile::Rfc),
    ("conceal", Profile::Conceal),
    ("naive", Profile::Naive),
];

/// Calls `check(profile name, scenario, preset id, raw request)` for every preset under every
/// profile.
fn for_every_preset_and_profile(mut check: impl FnMut(&str, &Scenario, &str, &str)) {
    for (name, profile) in PROFILES {
        let scenario = scenario(profile);
        for preset in presets() {
            check(
                name,
                &scenario,
                preset.id,
                &preset.request.to_raw(&scenario),
            );
        }
    }
}

#[test]
fn eval_prints_the_engines_raw_response_for_every_preset_and_profile() {
    for_every_preset_and_profile(|name, scenario, id, raw| {
        let expected = evaluate(raw, scenario).response.to_string();
        assert_eq!(
            eval(&["--profile", name], raw),
            expected,
            "preset {id} under profile {name}"
        );
    });
}

#[test]
fn eval_reads_a_file_argument_like_stdin() {
    let scenario = Scenario::default();
    let raw = presets()[0].request.to_raw(&scenario);
    let path = std::env::temp_dir().join(format!("authpath-eval-{}.http", std::process::id()));
    std::fs::write(&path, &raw).expect("write the request file");
    let from_file = eval(&[path.to_str().expect("UTF-8 path")], "");
    let from_dash = eval(&["-"], &raw);
    let _ = std::fs::remove_file(&path);
    assert_eq!(from_file, evaluate(&raw, &scenario).response.to_string());
    assert_eq!(from_dash, from_file);
}

#[test]
fn eval_json_is_the_whole_evaluation() {
    for_every_preset_and_profile(|name, scenario, id, raw| {
        let printed = eval(&["--json", "--profile", name], raw);
        let parsed: Evaluation = json(&printed, &format!("--json for {id}"));
        assert_eq!(parsed, evaluate(raw, scenario), "preset {id}");
        // Beside the evaluation: the run in words and what would change it, each change with
        // its status and the raw request it sends.
        let whole: serde_json::Value = json(&printed, &format!("--json for {id}"));
        assert_eq!(
            whole["narration"],
            serde_json::json!(narrate(&evaluate(raw, scenario))),
            "{id}"
        );
        let expected = serde_json::to_value(alternatives(raw, scenario)).expect("JSON");
        assert_eq!(whole["alternatives"], expected, "{id}");
        // The classes evaluate a few hundred requests each: two presets stand for all.
        if name == "rfc" && ["no-token", "csrf-missing"].contains(&id) {
            let evaluation = evaluate(raw, scenario);
            let classes = authpath_engine::teach::class::same_exit(&evaluation, raw, scenario, 3);
            let expected = serde_json::to_value(classes).expect("JSON");
            assert_eq!(whole["same_exit"], expected, "{id}");
        }
        for alternative in whole["alternatives"].as_array().expect("a list") {
            for member in ["change", "status", "request"] {
                assert!(alternative.get(member).is_some(), "{id}: {member}");
            }
        }
    });
}

#[test]
fn eval_now_and_policy_options_reach_the_scenario() {
    let base = Scenario::default();
    // The expired preset's token is still valid an hour before the default clock.
    let expired = presets()
        .into_iter()
        .find(|preset| preset.id == "expired-token")
        .expect("the expired-token preset");
    let raw = expired.request.to_raw(&base);
    let earlier = Scenario {
        now: base.now - 24 * 3600,
        ..base.clone()
    };
    let now = earlier.now.to_string();
    assert_eq!(
        eval(&["--now", &now], &raw),
        evaluate(&raw, &earlier).response.to_string()
    );

    let directory = std::env::temp_dir();
    let toml = "[[routes]]\nmethod = \"GET\"\npath = \"/profile\"\naccess = \"public\"\n";
    let json = r#"{"routes":[{"method":"GET","path":"/profile","access":"public"}]}"#;
    let request = "GET /profile HTTP/1.1\r\nHost: api.authpath.example\r\n\r\n";
    for (extension, text) in [("toml", toml), ("json", json)] {
        let path = directory.join(format!(
            "authpath-policy-{}.{extension}",
            std::process::id()
        ));
        std::fs::write(&path, text).expect("write the policy");
        let printed = eval(&["--policy", path.to_str().expect("UTF-8 path")], request);
        let _ = std::fs::remove_file(&path);
        let policy = if extension == "toml" {
            authpath_engine::Policy::from_toml(text)
        } else {
            authpath_engine::Policy::from_json(text)
        }
        .expect("the test policy parses");
        let custom = Scenario {
            policy,
            ..Scenario::default()
        };
        let expected = evaluate(request, &custom).response;
        assert_eq!(printed, expected.to_string(), "{extension} policy");
        assert_eq!(expected.status.code(), 200, "a public /profile answers 200");
    }
}

#[test]
fn eval_explain_shows_each_step_and_each_finding() {
    for_every_preset_and_profile(|name, scenario, _, raw| {
        let evaluation = evaluate(raw, scenario);
        let printed = eval(&["--explain", "--profile", name], raw);
        for (index, step) in evaluation.trace.iter().enumerate() {
            let line = printed
                .lines()
                .find(|line| line.trim_start().starts_with(&format!("{}. ", index + 1)))
                .unwrap_or_else(|| panic!("no line for step {} in:\n{printed}", index + 1));
            assert!(
                line.contains(step.node.id()) && line.contains(&step.check),
                "step line {line:?} names node and check"
            );
        }
        let status = evaluation.response.status;
        assert!(printed.contains(&format!("response: {} {}", status.code(), status.reason())));
        for finding in &evaluation.findings {
            assert!(
                printed
                    .lines()
                    .any(|line| line.contains(finding.rule.id())
                        && line.contains(&finding.message)),
                "finding {} missing in:\n{printed}",
                finding.rule.id()
            );
        }
        if evaluation.findings.is_empty() {
            assert!(printed.contains("findings: none"), "{printed}");
        }
        assert!(printed.contains(&format!("in words: {}", narrate(&evaluation))));
        // What would change the answer: under its line, one `→ STATUS REASON-PHRASE: change`
        // line each, in the engine's order.
        let found = alternatives(raw, scenario);
        let listed: Vec<&str> = printed
            .split("what would change the answer:\n")
            .nth(1)
            .unwrap_or_default()
            .lines()
            .take_while(|line| line.starts_with("→ "))
            .collect();
        let expected: Vec<String> = found
            .iter()
            .map(|alternative| {
                format!(
                    "→ {} {}: {}",
                    alternative.status.code(),
                    alternative.status.reason(),
                    alternative.change
                )
            })
            .collect();
        assert_eq!(listed, expected, "{printed}");
    });
}

#[test]
fn eval_code_prints_the_engines_snippet_for_each_framework() {
    use authpath_engine::teach::code::{snippet, Endpoint, Framework};
    for_every_preset_and_profile(|name, scenario, id, raw| {
        let evaluation = evaluate(raw, scenario);
        let endpoint = Endpoint::of(&evaluation, &scenario.policy).expect("presets parse");
        for framework in Framework::ALL {
            let printed = eval(&["--profile", name, "--code", framework.id()], raw);
            assert_eq!(
                printed,
                snippet(framework, &endpoint, &evaluation.response),
                "{id} under {name} in {}",
                framework.id()
            );
        }
    });
    // A request that does not parse has no route to answer at: exit 1, and why.
    let output = run(&["eval", "--code", "flask"], "not a request\r\n\r\n");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("does not parse"));
}

#[test]
fn naive_profile_findings_carry_rule_ids_and_severities() {
    let scenario = scenario(Profile::Naive);
    let no_token = presets()
        .into_iter()
        .find(|preset| preset.id == "no-token")
        .expect("the no-token preset");
    let printed = eval(
        &["--explain", "--profile", "naive"],
        &no_token.request.to_raw(&scenario),
    );
    // A 401 without a challenge breaks R1, a MUST.
    assert!(
        printed
            .lines()
            .any(|line| line.trim_start().starts_with("R1 ") && line.contains("error")),
        "{printed}"
    );
}

#[test]
fn token_mints_what_the_engine_mints() {
    let printed = run(
        &[
            "token",
            "--sub",
            "alice",
            "--role",
            "user",
            "--scope",
            "reports:read",
            "--exp",
            "1767229200",
            "--nbf",
            "1767225000",
        ],
        "",
    );
    assert!(printed.status.success());
    let scenario = Scenario::default();
    let claims = Claims {
        sub: Some("alice".to_string()),
        role: Some("user".to_string()),
        scope: Some("reports:read".to_string()),
        exp: Some(1767229200),
        nbf: Some(1767225000),
        iss: Some(scenario.issuer.clone()),
        aud: Some(scenario.audience.clone()),
        ..Claims::default()
    };
    let token = mint(&claims);
    assert_eq!(
        String::from_utf8_lossy(&printed.stdout),
        format!("{token}\n")
    );

    // The minted token opens the routes its claims allow.
    let cases = [("/profile", 200), ("/reports", 200), ("/admin", 403)];
    for (path, expected) in cases {
        let raw = format!(
            "GET {path} HTTP/1.1\r\nHost: api.authpath.example\r\nAuthorization: Bearer {token}\r\n\r\n"
        );
        let response = eval(&[], &raw);
        assert_eq!(common::status(&response), expected, "{path}: {response}");
    }
}

#[test]
fn token_role_defaults_to_the_users_role() {
    let printed = run(&["token", "--sub", "carol", "--exp", "1767229200"], "");
    let token = String::from_utf8_lossy(&printed.stdout).trim().to_string();
    let raw = format!(
        "GET /admin HTTP/1.1\r\nHost: api.authpath.example\r\nAuthorization: Bearer {token}\r\n\r\n"
    );
    assert_eq!(common::status(&eval(&[], &raw)), 200, "carol is an admin");
}

#[test]
fn usage_errors_exit_2_and_say_what_to_fix() {
    let directory = std::env::temp_dir();
    let broken = directory.join(format!("authpath-broken-{}.toml", std::process::id()));
    std::fs::write(&broken, "[[routes]]\nmethod = \n").expect("write the broken policy");
    let broken = broken.to_str().expect("UTF-8 path").to_string();
    let cases: &[(&[&str], &str)] = &[
        (&[], "say what to do"),
        (&["frobnicate"], "unknown command"),
        (&["help", "frobnicate"], "there is no command"),
        (
            &["eval", "--profile", "strict"],
            "one of rfc, conceal, naive, fastapi",
        ),
        (&["eval", "--now", "soon"], "Unix seconds"),
        (&["eval", "--now"], "--now needs a value"),
        (&["eval", "--now", "--json"], "--now needs a value"),
        (&["eval", "--json", "--explain"], "choose one"),
        (
            &["eval", "--code", "cobol"],
            "--code takes one of flask, fastapi, drf, express, spring, aspnetcore, go",
        ),
        (&["eval", "--code", "go", "--json"], "choose one"),
        (&["eval", "--json=yes"], "takes no value"),
        (&["eval", "--bogus"], "unknown option --bogus"),
        (&["eval", "-x"], "unknown option -x"),
        (&["eval", "a.http", "b.http"], "two files"),
        (
            &["eval", "--policy", "/nonexistent/policy.toml"],
            "cannot read the policy file",
        ),
        (&["eval", "--policy", &broken], "is not valid"),
        (&["token", "--exp", "tomorrow"], "--exp needs"),
        (&["token", "alice"], "did you mean --sub alice"),
        (&["token", "--colour", "red"], "unknown option --colour"),
        (&["serve", "--addr", "localhost"], "IP address and port"),
        (&["serve", "--clock", "later"], "--clock needs"),
        (&["serve", "--timeout", "0"], "--timeout needs"),
        (&["serve", "8401"], "did you mean --addr 8401"),
    ];
    for (arguments, message) in cases {
        let output = run(arguments, "");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{arguments:?}: {stderr}");
        assert!(
            stderr.contains(message),
            "{arguments:?}: {stderr:?} lacks {message:?}"
        );
        assert!(
            stderr.contains("--help"),
            "{arguments:?} points to --help: {stderr}"
        );
        assert!(
            output.stdout.is_empty(),
            "{arguments:?} prints nothing on stdout"
        );
    }
    let output = run(&["eval", "--policy", &broken], "");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(&format!("{broken}:2")),
        "the policy error names its line"
    );
    let _ = std::fs::remove_file(&broken);
}

#[test]
fn an_unreadable_request_file_exits_1() {
    let output = run(&["eval", "/nonexistent/request.http"], "");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read the request file"));
}

#[test]
fn every_command_has_help() {
    let cases: &[(&[&str], &str)] = &[
        (&["--help"], "authpath eval"),
        (&["help"], "authpath serve"),
        (&["help", "eval"], "--explain"),
        (&["eval", "--help"], "--explain"),
        (&["eval", "-h"], "--profile"),
        (&["token", "--help"], "--scope"),
        (&["serve", "--help"], "/.well-known/authpath/evaluation"),
        (&["--version"], "authpath "),
    ];
    for (arguments, fragment) in cases {
        let output = run(arguments, "");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{arguments:?}");
        assert!(stdout.contains(fragment), "{arguments:?}: {stdout}");
    }
}

#[test]
fn eval_answers_garbage_with_a_response_and_exit_0() {
    let scenario = Scenario::default();
    let cases = [
        "",
        "\u{0}\u{1}",
        "GET\r\n\r\n",
        "GET / HTTP/1.1\r\nBad Header\r\n\r\n",
    ];
    for raw in cases {
        assert_eq!(
            eval(&[], raw),
            evaluate(raw, &scenario).response.to_string(),
            "{raw:?}"
        );
    }
    // Bytes that are not UTF-8 reach the engine as U+FFFD and still get an answer.
    let bytes = b"GET /profile HTTP/1.1\r\nX-Name: caf\xe9\r\n\r\n";
    let path = std::env::temp_dir().join(format!("authpath-latin1-{}.http", std::process::id()));
    std::fs::write(&path, bytes).expect("write the request file");
    let printed = eval(&[path.to_str().expect("UTF-8 path")], "");
    let _ = std::fs::remove_file(&path);
    let text = String::from_utf8_lossy(bytes);
    assert_eq!(printed, evaluate(&text, &scenario).response.to_string());
}

/// Each `--help` text equals `tests/golden/help[-<command>].txt`: the texts are laid out from
/// each command's flag table, and this keeps the layout from drifting. Rewrite the files with
/// `UPDATE_GOLDEN=1 cargo test -p authpath-cli --test cli`, then read the diff.
#[test]
fn help_texts_equal_their_golden_files() {
    let cases: &[(&[&str], &str)] = &[
        (&["--help"], "help.txt"),
        (&["eval", "--help"], "help-eval.txt"),
        (&["token", "--help"], "help-token.txt"),
        (&["serve", "--help"], "help-serve.txt"),
        (&["profiles", "--help"], "help-profiles.txt"),
        (&["check", "--help"], "help-check.txt"),
        (&["probe", "--help"], "help-probe.txt"),
        (&["openapi", "--help"], "help-openapi.txt"),
        (&["openapi", "lint", "--help"], "help-openapi-lint.txt"),
        (&["openapi", "export", "--help"], "help-openapi-export.txt"),
    ];
    let directory = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    for (arguments, file) in cases {
        let output = run(arguments, "");
        assert!(output.status.success(), "{arguments:?}");
        let printed = String::from_utf8(output.stdout).expect("help is UTF-8");
        let path = directory.join(file);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &printed).expect("write the golden file");
        }
        let golden = std::fs::read_to_string(&path).expect("read the golden file");
        assert_eq!(printed, golden, "{arguments:?} differs from {file}");
        // `help <command>` prints the same text.
        if let [command, _] = arguments {
            assert_eq!(run(&["help", command], "").stdout, printed.as_bytes());
        }
    }
}

/// `authpath profiles` lists every profile the engine has, one line each, grouped; `--sources`
/// adds where each behaviour was read.
#[test]
fn profiles_lists_every_profile_once() {
    let output = run(&["profiles"], "");
    assert_eq!(output.status.code(), Some(0));
    let listing = String::from_utf8_lossy(&output.stdout);
    for profile in authpath_engine::Profile::all() {
        let lines: Vec<&str> = listing
            .lines()
            .filter(|line| line.split_whitespace().next() == Some(profile.id()))
            .collect();
        assert_eq!(lines.len(), 1, "{}: {listing}", profile.id());
        assert!(lines[0].contains(profile.spec().models), "{}", lines[0]);
    }
    let frameworks = listing.find("frameworks:").unwrap_or(0);
    assert!(
        listing.find("fastapi-0.121").unwrap_or(0) > frameworks,
        "{listing}"
    );

    let sourced = run(&["profiles", "--sources"], "");
    let sourced = String::from_utf8_lossy(&sourced.stdout);
    assert!(
        sourced.contains("source: fastapi 0.121.3 fastapi/security/http.py"),
        "{sourced}"
    );
    // The profile a listing names is one --profile takes.
    let evaluated = run(
        &["eval", "--profile", "fastapi-0.121"],
        "GET /profile HTTP/1.1\r\nHost: h\r\n\r\n",
    );
    assert_eq!(evaluated.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&evaluated.stdout).starts_with("HTTP/1.1 403 Forbidden"));
}

/// `authpath token --alg X` signs with the demo key of that type; `eval` with the demo public
/// keys and `--alg X` accepts it, and refuses it under the default HS256 alone.
#[test]
fn tokens_of_every_demo_algorithm_pass_eval_with_their_keys() {
    let directory = std::env::temp_dir().join(format!("authpath-jws-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("temp dir");
    let jwks = directory.join("jwks.json");
    let keys: Vec<serde_json::Value> = authpath_engine::demo_jwks()
        .iter()
        .map(|key| serde_json::Value::Object(key.to_jwk()))
        .collect();
    std::fs::write(&jwks, serde_json::json!({ "keys": keys }).to_string()).expect("write jwks");
    let jwks = jwks.to_string_lossy().to_string();
    for alg in ["HS384", "RS256", "RS512", "PS256", "ES256", "EdDSA"] {
        let token = run(
            &[
                "token",
                "--alg",
                alg,
                "--exp",
                "1767229200",
                "--iat",
                "1767225600",
            ],
            "",
        );
        assert!(
            token.status.success(),
            "{alg}: {}",
            String::from_utf8_lossy(&token.stderr)
        );
        let token = String::from_utf8(token.stdout).expect("UTF-8");
        let request = format!(
            "GET /profile HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer {}\r\n\r\n",
            token.trim()
        );
        let accepted = run(&["eval", "--key", &jwks, "--alg", alg], &request);
        let response = String::from_utf8_lossy(&accepted.stdout).to_string();
        assert!(response.starts_with("HTTP/1.1 200 OK"), "{alg}: {response}");
        let refused = run(&["eval"], &request);
        let response = String::from_utf8_lossy(&refused.stdout).to_string();
        let expected = if alg == "HS256" { "200" } else { "401" };
        assert!(
            response.starts_with(&format!("HTTP/1.1 {expected}")),
            "{alg}: {response}"
        );
    }
}

/// Mistakes in the token settings are usage errors (exit 2) that name the flag.
#[test]
fn token_settings_mistakes_name_their_flag() {
    let missing = std::env::temp_dir().join("authpath-no-such-key.pem");
    let missing = missing.to_string_lossy().to_string();
    let cases: [(&[&str], &str); 6] = [
        (&["eval", "--alg", "XS256"], "--alg"),
        (&["eval", "--key", &missing], "--key"),
        (&["eval", "--leeway", "soon"], "--leeway"),
        (&["eval", "--claims", "azure"], "--claims"),
        (&["token", "--alg", "ES384"], "--private-key"),
        (&["token", "--private-key", &missing], "--private-key"),
    ];
    for (arguments, flag) in cases {
        let output = run(arguments, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assert_eq!(output.status.code(), Some(2), "{arguments:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(flag), "{arguments:?}: {stderr}");
    }
}
