//! `authpath openapi lint FILE`: the rules O1–O7 over what a spec declares, each finding with
//! its line and column in the spec; what the reader did not understand listed beside them.

use std::io::{IsTerminal, Read};

use authpath_engine::openapi::{lint, Spec};

use super::report::{Format, SpecReport};
use crate::args::{help_flag, Arguments, Command, Flag, Positionals};
use crate::Failure;

const ABOUT: &str = "\
authpath openapi lint: lint what an OpenAPI spec declares about authentication

USAGE:
    authpath openapi lint [OPTIONS] FILE

Reads FILE (or stdin for `-`), OpenAPI 3.0 or 3.1, JSON or YAML, and checks what its
operations declare: a 401 where credentials are needed, with its WWW-Authenticate header;
a 403 where scopes, roles or ownership are; no 401 where none are; schemes that exist;
no credentials in the query; scopes the flows declare (rules O1–O7, each with its source).
Every finding names its place in the spec: file, line, column and JSON pointer.

";

const AFTER: &str = "\
Exit status: 0 when no finding is of error level; 1 when some are; 2 for a mistake in the
command line or a FILE that is no JSON or YAML spec (the message names the line and column).

EXAMPLES:
    authpath openapi lint openapi.yaml
    authpath openapi lint --format sarif --output openapi.sarif openapi.json
";

/// The parsed options of `authpath openapi lint`.
#[derive(Debug, Clone)]
pub struct LintOptions {
    pub input: Option<String>,
    pub format: Format,
    pub output: Option<String>,
}

pub fn command() -> Command<LintOptions> {
    Command {
        name: "openapi lint",
        about: ABOUT,
        flags: vec![
            Flag::value(
                "format",
                "<format>",
                "text (the default), json, junit or sarif",
                |options: &mut LintOptions, value| {
                    options.format = Format::parse(value)?;
                    Ok(())
                },
            ),
            Flag::value(
                "output",
                "<file>",
                "write the report to this file instead of stdout",
                |options, value| {
                    if value.trim().is_empty() {
                        return Err("--output needs a file name".to_string());
                    }
                    options.output = Some(value.to_string());
                    Ok(())
                },
            ),
            help_flag(),
        ],
        column: 24,
        after: AFTER,
        positionals: Positionals::Take(|options, path| {
            if let Some(first) = &options.input {
                return Err(format!(
                    "openapi lint reads one file, but two were given ({first} and {path})"
                ));
            }
            options.input = Some(path);
            Ok(())
        }),
    }
}

pub fn help() -> String {
    command().help()
}

pub fn main(mut arguments: Arguments) -> Result<(), Failure> {
    let options = LintOptions {
        input: None,
        format: Format::Text,
        output: None,
    };
    let Some(options) = command().parse(&mut arguments, options)? else {
        return Ok(());
    };
    let Some(path) = options.input.clone() else {
        return Err(arguments
            .error("say which spec: authpath openapi lint FILE (or - for stdin)")
            .into());
    };
    run(&options, &path)
}

fn run(options: &LintOptions, path: &str) -> Result<(), Failure> {
    let text = read_input(path)?;
    let (spec, problems) = Spec::read(&text).map_err(|problem| {
        Failure::Input(format!(
            "{path}:{}:{}: not an OpenAPI spec authpath can read: {}",
            problem.line, problem.column, problem.message
        ))
    })?;
    let (_, mapped) = spec.to_policy();
    let mut unread = problems;
    unread.extend(mapped);
    let report = SpecReport {
        file: if path == "-" {
            "stdin".to_string()
        } else {
            path.to_string()
        },
        version: spec.version,
        syntax: spec.syntax,
        findings: lint(&spec),
        problems: unread,
    };
    crate::write_report(&report.render(options.format), options.output.as_deref())?;
    match report.errors() {
        0 => Ok(()),
        count => Err(Failure::Findings(count)),
    }
}

/// The input as text; bytes that are not UTF-8 become U+FFFD.
fn read_input(path: &str) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    if path == "-" {
        let mut stdin = std::io::stdin().lock();
        if stdin.is_terminal() {
            eprintln!("authpath openapi lint: paste the spec, then Ctrl-D");
        }
        stdin
            .read_to_end(&mut bytes)
            .map_err(|error| Failure::Runtime(format!("cannot read stdin: {error}")))?;
    } else {
        bytes = std::fs::read(path)
            .map_err(|error| Failure::Input(format!("cannot read {path}: {error}")))?;
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
