//! The conformance step of `cargo xtask test`: the engine's framework profiles held to the real
//! frameworks. For every framework in `conformance/record.py` that the engine has a profile for,
//! the real app (installed by `conformance/setup.sh`) answers the fixed requests afresh, the
//! engine answers the same raw requests under that profile, over the API the app serves, at the
//! recording's clock (`held`), and the two must agree in status, challenges and body
//! (`compare`). First, tokens signed by PyJWT and by Node's jsonwebtoken for every algorithm must
//! verify in the engine (`foreign`). Then `authpath probe` is run against each app that serves
//! the demo API, and must report the findings its table gives (`probe`); and the FastAPI apps'
//! and drf-spectacular's own OpenAPI specs are read, mapped, linted and probed with (`openapi`).
//! The JWT attack catalogue's forged tokens must get the verdicts PyJWT and jsonwebtoken give
//! (`attacks`). Last, the code snippets of `authpath eval --code` for every preset's response
//! are run in the real frameworks and must answer byte for byte as the engine shows (`snippets`).

pub mod attacks;
mod compare;
mod foreign;
mod held;
mod openapi;
mod probe;
pub mod snippets;

use std::fs;
use std::path::Path;
use std::process::{Child, Command};
use std::thread;
use std::time::{Duration, Instant};

use authpath_engine::{evaluate, Profile, Scenario};
use serde::Deserialize;

use crate::command::{describe, probe, read_text, run, workspace_root};
use compare::{differences, Aspect, Observed};
use held::{held_to, Api};

/// Every app together takes about 25 s; past this the recorder is stopped (it stops its app).
const RECORD_SECONDS: u64 = 300;
/// How long the recorder has to stop its app after SIGTERM before it is killed.
const STOP_SECONDS: u64 = 10;
/// Longer bodies are cut in the report (the whole answer is in the fresh file).
const SHOWN_BODY_CHARACTERS: usize = 240;

/// Records the modelled frameworks afresh and compares every answer with the engine's.
/// Fails when any cell differs; frameworks without a profile are listed and pass.
pub fn check() -> Result<(), String> {
    let root = workspace_root();
    foreign::check(&root)?;
    let ids = framework_ids(&root)?;
    let (modelled, unmodelled) = partition(ids);
    if !unmodelled.is_empty() {
        println!("  not modelled yet: {}", unmodelled.join(", "));
    }
    if modelled.is_empty() {
        println!("  no framework has an engine profile yet: nothing to compare");
        return Ok(());
    }
    let fresh = root.join("target").join("conformance").join("fresh");
    let names: Vec<&str> = modelled.iter().map(|held| held.id.as_str()).collect();
    // A file left from an earlier run must not stand in for an answer not recorded now.
    for name in &names {
        let _ = fs::remove_file(fresh.join(format!("{name}.json")));
    }
    record(&root, &fresh, &names)?;

    let mut failing = Vec::new();
    for Held { id, profile, api } in &modelled {
        let path = fresh.join(format!("{id}.json"));
        let recording: Recording = serde_json::from_str(&read_text(&path)?)
            .map_err(|error| format!("{}: {error}", path.display()))?;
        let cells = compare_recording(&recording, &api.scenario(*profile, recording.clock.now)?);
        let differing: Vec<&Cell> = cells
            .iter()
            .filter(|cell| !cell.differences.is_empty())
            .collect();
        println!(
            "  {}: {} cells compared, {} equal",
            title(id, &recording.ready),
            cells.len(),
            cells.len() - differing.len()
        );
        for cell in &differing {
            print_cell(cell);
        }
        if !differing.is_empty() {
            failing.push(format!("{id} {} of {}", differing.len(), cells.len()));
        }
    }
    let later: Vec<String> = [
        probe::check(&root, &modelled),
        openapi::check(&root, &names),
        attacks::check(&root),
        snippets::check(&root),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    let probed = if later.is_empty() {
        Ok(())
    } else {
        Err(later.join("; "))
    };
    if failing.is_empty() {
        return probed;
    }
    let compared = format!(
        "the engine answers otherwise than the real framework in {} (differing cells of compared; \
         the fresh answers are in {})",
        failing.join(", "),
        fresh.display()
    );
    Err(match probed {
        Ok(()) => compared,
        Err(probed) => format!("{compared}; {probed}"),
    })
}

/// The framework as its app names itself (`fastapi 0.165.0`), with the id when the app's name
/// does not start with it.
fn title(id: &str, ready: &str) -> String {
    if ready.starts_with(id) {
        ready.to_string()
    } else {
        format!("{id} ({ready})")
    }
}

/// The framework ids `record.py` knows, in its order.
fn framework_ids(root: &Path) -> Result<Vec<String>, String> {
    let mut command = recorder(root);
    command.arg("--list");
    let listed = probe(&mut command)
        .ok_or_else(|| format!("`{}` failed: is python3 installed?", describe(&command)))?;
    Ok(listed.lines().map(str::to_string).collect())
}

/// A recorded framework the engine models: its id, the profile it is held to and the API its app
/// serves.
pub(super) struct Held {
    pub(super) id: String,
    pub(super) profile: Profile,
    pub(super) api: Api,
}

/// The ids the engine models (see `held`), and the others.
fn partition(ids: Vec<String>) -> (Vec<Held>, Vec<String>) {
    let mut modelled = Vec::new();
    let mut unmodelled = Vec::new();
    for id in ids {
        match held_to(&id) {
            Some((profile, api)) => modelled.push(Held { id, profile, api }),
            None => unmodelled.push(id),
        }
    }
    (modelled, unmodelled)
}

fn recorder(root: &Path) -> Command {
    let mut command = Command::new("python3");
    command
        .arg(root.join("conformance").join("record.py"))
        .current_dir(root);
    command
}

/// Runs `record.py --out fresh ids…` within [`RECORD_SECONDS`].
fn record(root: &Path, fresh: &Path, ids: &[&str]) -> Result<(), String> {
    let mut command = recorder(root);
    command.arg("--out").arg(fresh).args(ids);
    let shown = describe(&command);
    println!("  $ {shown}");
    let mut child = command
        .spawn()
        .map_err(|error| format!("could not start `{shown}`: {error}"))?;
    let deadline = Instant::now() + Duration::from_secs(RECORD_SECONDS);
    loop {
        if let Some(status) = child
            .try_wait()
            .map_err(|error| format!("`{shown}`: {error}"))?
        {
            return if status.success() {
                Ok(())
            } else {
                Err(format!("`{shown}` failed ({status})"))
            };
        }
        if Instant::now() >= deadline {
            stop(&mut child);
            return Err(format!(
                "`{shown}` took more than {RECORD_SECONDS} s and was stopped"
            ));
        }
        thread::sleep(Duration::from_millis(100));
    }
}

/// SIGTERM first, so that the recorder stops the app it started; SIGKILL if it lingers.
fn stop(child: &mut Child) {
    let _ = run(Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string()));
    let deadline = Instant::now() + Duration::from_secs(STOP_SECONDS);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// One recorded file of `record.py`.
#[derive(Deserialize)]
pub(super) struct Recording {
    /// What the app said it runs, e.g. `fastapi 0.165.0 starlette 1.10.0 …`.
    ready: String,
    pub(super) clock: Clock,
    pub(super) answers: Vec<Recorded>,
}

#[derive(Deserialize)]
pub(super) struct Clock {
    /// The Unix time the tokens were minted around.
    pub(super) now: u64,
}

#[derive(Deserialize)]
pub(super) struct Recorded {
    pub(super) name: String,
    pub(super) request: String,
    /// The Unix time this request was minted and sent at; older recordings have one clock
    /// for the whole run.
    #[serde(default)]
    now: Option<u64>,
    pub(super) response: RecordedResponse,
}

#[derive(Deserialize)]
pub(super) struct RecordedResponse {
    /// As the app sent it, e.g. `HTTP/1.1 401 Unauthorized`: the probe's table test lints it.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "read by the probe's table test")
    )]
    pub(super) status_line: String,
    pub(super) status: Option<u16>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: String,
}

/// One request: what the real framework and the engine answered, and where they differ.
struct Cell {
    name: String,
    real: Observed,
    engine: Observed,
    differences: Vec<Aspect>,
}

/// Each answer of `recording` beside the engine's under `scenario`, at the answer's clock.
fn compare_recording(recording: &Recording, scenario: &Scenario) -> Vec<Cell> {
    recording
        .answers
        .iter()
        .map(|answer| {
            let scenario = Scenario {
                now: answer.now.unwrap_or(recording.clock.now),
                ..scenario.clone()
            };
            let response = &answer.response;
            let real = Observed::from_recorded(response.status, &response.headers, &response.body);
            let engine = Observed::from_engine(&evaluate(&answer.request, &scenario).response);
            Cell {
                name: answer.name.clone(),
                differences: differences(&real, &engine),
                real,
                engine,
            }
        })
        .collect()
}

fn print_cell(cell: &Cell) {
    println!("    ✗ {}", cell.name);
    for aspect in Aspect::ALL {
        let real = shown(aspect, &cell.real);
        let engine = shown(aspect, &cell.engine);
        let label = aspect.name();
        if cell.differences.contains(&aspect) {
            println!("        {label:<10} ≠ real:   {real}");
            println!("        {:<10}   engine: {engine}", "");
        } else {
            println!("        {label:<10} = {real}");
        }
    }
}

fn shown(aspect: Aspect, observed: &Observed) -> String {
    match aspect {
        Aspect::Status => observed
            .status
            .map_or("none".to_string(), |status| status.to_string()),
        Aspect::Challenges if observed.challenge_fields.is_empty() => "none".to_string(),
        Aspect::Challenges => observed
            .challenge_fields
            .iter()
            .map(|field| format!("[{field}]"))
            .collect::<Vec<_>>()
            .join(" "),
        Aspect::Body if observed.body.is_empty() => "empty".to_string(),
        Aspect::Body => {
            // One line per body: line breaks written as escapes.
            let body = observed
                .body
                .replace('\r', "\\r")
                .replace('\n', "\\n")
                .replace('\t', "\\t");
            match body.char_indices().nth(SHOWN_BODY_CHARACTERS) {
                Some((cut, _)) => format!("{}… ({} bytes)", &body[..cut], observed.body.len()),
                None => body,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A recording in record.py's shape whose answers are the engine's own, one of them then
    /// changed: the plumbing (reading the file, the clock, the raw requests) finds exactly it.
    #[test]
    fn a_recording_compares_answer_by_answer() {
        let now = 1_796_159_281;
        let scenario = Scenario {
            now,
            ..Scenario::default()
        };
        let requests = [
            (
                "public",
                "GET /public HTTP/1.1\r\nHost: api.authpath.example\r\n\r\n",
            ),
            (
                "profile",
                "GET /profile HTTP/1.1\r\nHost: api.authpath.example\r\n\r\n",
            ),
            (
                "nope",
                "GET /nope HTTP/1.1\r\nHost: api.authpath.example\r\n\r\n",
            ),
        ];
        let answers: Vec<serde_json::Value> = requests
            .iter()
            .map(|(name, request)| {
                let response = evaluate(request, &scenario).response;
                let mut headers: Vec<(String, String)> = response
                    .headers
                    .iter()
                    .rev()
                    .map(|header| (header.name.to_ascii_lowercase(), header.value.clone()))
                    .collect();
                headers.push((
                    "Date".to_string(),
                    "Tue, 01 Dec 2026 21:08:01 GMT".to_string(),
                ));
                let status = if *name == "nope" {
                    403
                } else {
                    response.status.code()
                };
                serde_json::json!({
                    "name": name,
                    "request": request,
                    "response": {
                        "status_line": "ignored",
                        "status": status,
                        "headers": headers,
                        "body": format!("{}\n", response.body),
                    },
                })
            })
            .collect();
        let text = serde_json::json!({
            "framework": "rfc",
            "ready": "rfc",
            "environment": {},
            "clock": { "now": now, "utc": "ignored", "note": "ignored" },
            "answers": answers,
        })
        .to_string();
        let recording: Result<Recording, _> = serde_json::from_str(&text);
        let cells = recording
            .map(|recording| compare_recording(&recording, &scenario))
            .unwrap_or_default();
        let found: Vec<(&str, &[Aspect])> = cells
            .iter()
            .map(|cell| (cell.name.as_str(), cell.differences.as_slice()))
            .collect();
        assert_eq!(
            found,
            [
                ("public", &[][..]),
                ("profile", &[][..]),
                ("nope", &[Aspect::Status][..])
            ]
        );
    }

    #[test]
    fn titles() {
        assert_eq!(title("fastapi", "fastapi 0.165.0"), "fastapi 0.165.0");
        assert_eq!(title("drf", "Django 5.2.19"), "drf (Django 5.2.19)");
    }
}
