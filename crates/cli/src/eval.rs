//! `authpath eval`: one raw request in, the engine's raw response (or the whole evaluation)
//! out.

use std::io::{IsTerminal, Read, Write};

use authpath_engine::teach::alternatives::{alternatives, Alternative};
use authpath_engine::teach::class::{same_exit, Class};
use authpath_engine::teach::code::{snippet, Endpoint, Framework};
use authpath_engine::teach::narrate::narrate;
use authpath_engine::{evaluate, Evaluation, Scenario, Severity, Vars};
use serde::Serialize;

use crate::args::{help_flag, Arguments, Command, Flag, Positionals};
use crate::scenario::{
    now_flag, openapi_flag, policy_flag, profile_flag, token_flags, WithScenario,
};
use crate::Failure;

/// The help text before the options.
const ABOUT: &str = "\
authpath eval: evaluate one raw HTTP request and print the server's raw response

USAGE:
    authpath eval [OPTIONS] [FILE]

Reads the raw request (request line, headers, blank line, body) from FILE, or from stdin
when FILE is absent or `-`. CRLF or LF line endings. Prints exactly the raw HTTP/1.1
response the pipeline answers with; with --code, a one-file app that gives that response.

";

/// The help text after the options.
const AFTER: &str = "\
Exit status: 0 whenever a response was produced, 4xx answers included; 2 for a mistake in
the command line (the message says what to fix); 1 when the input cannot be read (or,
with --code, is no request: a snippet needs a method and a path to answer at).

EXAMPLES:
    printf 'GET /profile HTTP/1.1\\r\\nHost: api.authpath.example\\r\\n\\r\\n' | authpath eval
    authpath eval --explain request.txt
    authpath eval --profile naive --json request.txt
    authpath eval --code flask request.txt > app.py && PORT=8000 python app.py

A policy file lists routes; access is public, authenticated, or one of role, scope, owner:
    [[routes]]
    method = \"GET\"
    path = \"/users/{id}/notes\"
    access = { owner = \"id\" }
";

const CHOOSE_ONE: &str = "--json, --explain and --code print different things: choose one";

/// What `eval` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// The raw response text, exactly.
    Raw,
    /// The whole `Evaluation` as pretty JSON.
    Json,
    /// The trace and findings as readable text.
    Explain,
    /// A one-file app in this framework that answers the request's route with the response.
    Code(Framework),
}

/// The parsed options of `authpath eval`.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// The request file; `None` (or `-`) reads stdin.
    pub input: Option<String>,
    pub scenario: Scenario,
    pub output: Output,
}

impl WithScenario for EvalOptions {
    fn scenario_mut(&mut self) -> &mut Scenario {
        &mut self.scenario
    }
}

/// `authpath eval`'s options and help.
pub fn command() -> Command<EvalOptions> {
    Command {
        name: "eval",
        about: ABOUT,
        flags: {
            let mut flags: Vec<Flag<EvalOptions>> =
                vec![profile_flag(), now_flag(), policy_flag(), openapi_flag()];
            flags.extend(token_flags());
            flags.extend([
                Flag::switch(
                    "json",
                    "print the whole evaluation (request, trace, response,\n\
                 findings), the run in words, the alternatives (each change,\n\
                 status and raw request) and, per exit taken, other requests\n\
                 that take it (same_exit) as JSON instead",
                    |options| choose(options, Output::Json),
                ),
                Flag::switch(
                    "explain",
                    "print the decision path, one step a line, the run in words,\n\
                 what would change the answer (one change a line, with its\n\
                 status), then the lint findings with rule ids and severities",
                    |options| choose(options, Output::Explain),
                ),
                Flag::value(
                    "code",
                    "<lang>",
                    "print a one-file app that answers the request's route with\n\
                 exactly this response, in flask, fastapi, drf, express,\n\
                 spring, aspnetcore or go; it listens on 127.0.0.1:$PORT",
                    |options, id| match Framework::from_id(id) {
                        Some(framework) => choose(options, Output::Code(framework)),
                        None => Err(unknown_framework(id)),
                    },
                ),
                help_flag(),
            ]);
            flags
        },
        column: 35,
        after: AFTER,
        positionals: Positionals::Take(|options, path| {
            if let Some(first) = &options.input {
                return Err(format!(
                    "eval reads one request, but two files were given ({first} and {path})"
                ));
            }
            options.input = Some(path);
            Ok(())
        }),
    }
}

/// `--json`, `--explain` or `--code`, which exclude each other.
fn choose(options: &mut EvalOptions, output: Output) -> Result<(), String> {
    if options.output != Output::Raw && options.output != output {
        return Err(CHOOSE_ONE.to_string());
    }
    options.output = output;
    Ok(())
}

/// The message for a `--code` value that names no framework.
fn unknown_framework(id: &str) -> String {
    let ids: Vec<&str> = Framework::ALL
        .iter()
        .map(|framework| framework.id())
        .collect();
    format!("--code takes one of {}, not {id:?}", ids.join(", "))
}

/// `authpath eval --help`.
pub fn help() -> String {
    command().help()
}

/// Parses the options; `Ok(None)` when `--help` was asked for (and printed).
pub fn parse(mut arguments: Arguments) -> Result<Option<EvalOptions>, Failure> {
    let options = EvalOptions {
        input: None,
        scenario: Scenario::default(),
        output: Output::Raw,
    };
    Ok(command().parse(&mut arguments, options)?)
}

/// Runs `authpath eval` with parsed options.
pub fn run(options: &EvalOptions) -> Result<(), Failure> {
    let raw = read_request(options.input.as_deref())?;
    let evaluation = evaluate(&raw, &options.scenario);
    let text = match options.output {
        Output::Raw => {
            let mut text = evaluation.response.to_string();
            // On a terminal the prompt would otherwise follow the body on the same line; in a
            // pipe the bytes stay exactly the response.
            if std::io::stdout().is_terminal() && !text.ends_with('\n') {
                text.push('\n');
            }
            text
        }
        Output::Json => {
            let printed = Printed {
                evaluation: &evaluation,
                narration: narrate(&evaluation),
                alternatives: alternatives(&raw, &options.scenario),
                same_exit: same_exit(&evaluation, &raw, &options.scenario, SAME_EXIT_EXAMPLES),
            };
            let mut text = serde_json::to_string_pretty(&printed)
                .map_err(|error| Failure::Runtime(format!("cannot write JSON: {error}")))?;
            text.push('\n');
            text
        }
        Output::Explain => explain(&evaluation, &alternatives(&raw, &options.scenario)),
        Output::Code(framework) => {
            let endpoint =
                Endpoint::of(&evaluation, &options.scenario.policy).ok_or_else(|| {
                    let reason = match &evaluation.request {
                        Err(error) => error.to_string(),
                        Ok(_) => String::new(),
                    };
                    Failure::Runtime(format!(
                        "--code needs a request to answer, and this one does not parse ({reason})"
                    ))
                })?;
            snippet(framework, &endpoint, &evaluation.response)
        }
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|error| Failure::Runtime(format!("cannot write the output: {error}")))
}

/// Reads the raw request from `path`, or stdin for `None` / `-`. Bytes that are not UTF-8
/// become U+FFFD, so the engine still answers (with a 400 where they matter).
fn read_request(path: Option<&str>) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    match path {
        None | Some("-") => {
            let mut stdin = std::io::stdin().lock();
            if stdin.is_terminal() {
                eprintln!("authpath eval: type the request, then an empty line and Ctrl-D");
            }
            stdin
                .read_to_end(&mut bytes)
                .map_err(|error| Failure::Runtime(format!("cannot read stdin: {error}")))?;
        }
        Some(path) => {
            bytes = std::fs::read(path).map_err(|error| {
                Failure::Runtime(format!("cannot read the request file {path}: {error}"))
            })?;
        }
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
    })
}

/// What `--json` prints: the whole evaluation, the run in words and what would change it.
#[derive(Serialize)]
struct Printed<'a> {
    #[serde(flatten)]
    evaluation: &'a Evaluation,
    narration: String,
    alternatives: Vec<Alternative>,
    same_exit: Vec<Class>,
}

/// How many other requests `--json` lists per exit taken.
const SAME_EXIT_EXAMPLES: usize = 3;

/// The trace as text, one step a line (node, check, outcome, what was seen, the condition
/// tested, and `⇒` the variables that step changed), the run in words, the status, what would
/// change it (`→ STATUS REASON-PHRASE: the change`, one a line) and the lint findings.
pub fn explain(evaluation: &Evaluation, alternatives: &[Alternative]) -> String {
    let mut text = String::from("decision path:\n");
    let mut previous = Vars::default();
    for (index, step) in evaluation.trace.iter().enumerate() {
        let mut changes = Vec::new();
        if step.vars.authentication != previous.authentication {
            changes.push(format!(
                "authentication {}",
                name(&step.vars.authentication)
            ));
        }
        if step.vars.authorization != previous.authorization {
            changes.push(format!("authorization {}", name(&step.vars.authorization)));
        }
        if step.vars.response_code != previous.response_code {
            if let Some(status) = step.vars.response_code {
                changes.push(format!("response {}", status.code()));
            }
        }
        previous = step.vars;
        let changes = if changes.is_empty() {
            String::new()
        } else {
            format!("  ⇒ {}", changes.join(", "))
        };
        text.push_str(&format!(
            "{number:>3}. {node:<11} {check:<11} {outcome:<7} {detail}  [{condition}]{changes}\n",
            number = index + 1,
            node = step.node.id(),
            check = step.check,
            outcome = name(&step.outcome),
            detail = step.detail,
            condition = step.condition,
        ));
    }
    text.push_str(&format!("\nin words: {}\n", narrate(evaluation)));
    let status = evaluation.response.status;
    text.push_str(&format!(
        "\nresponse: {} {} ({})\n",
        status.code(),
        status.reason(),
        status.meaning()
    ));
    if !alternatives.is_empty() {
        text.push_str("\nwhat would change the answer:\n");
        for alternative in alternatives {
            text.push_str(&alternative.line());
            text.push('\n');
        }
    }
    if evaluation.findings.is_empty() {
        text.push_str("\nfindings: none\n");
        return text;
    }
    text.push_str("\nfindings:\n");
    for finding in &evaluation.findings {
        text.push_str(&format!(
            "  {id:<4} {severity:<8} {message} ({source})\n",
            id = finding.rule.id(),
            severity = severity_name(finding.severity),
            message = finding.message,
            source = finding.rule.source(),
        ));
    }
    text
}

/// The severity as the RFCs' words map onto it.
fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// An enum's serde name, in words (`not_checked` → `not checked`).
fn name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text.replace('_', " "),
        _ => "?".to_string(),
    }
}
