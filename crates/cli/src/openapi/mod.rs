//! `authpath openapi lint | export`: a spec's declared auth responses linted (rules O1–O7,
//! text, JSON, JUnit or SARIF with the line and column in the spec), and a policy written as
//! an OpenAPI 3.1 document whose operations declare what a profile answers.

pub mod export;
pub mod lint;
pub mod report;

use lexopt::Arg;

use crate::args::{text, Arguments, UsageError};
use crate::Failure;

/// `authpath openapi --help`.
pub const HELP: &str = "\
authpath openapi: read, lint and write OpenAPI specs

USAGE:
    authpath openapi lint [OPTIONS] FILE     lint what the spec declares about auth (O1–O7)
    authpath openapi export [OPTIONS]        the policy as an OpenAPI 3.1 document
    authpath openapi <command> --help        help on one of them

A spec is OpenAPI 3.0 or 3.1, JSON or YAML; `$ref`s inside it are followed. Every command
that takes --policy also takes --openapi FILE: the spec's operations and security schemes
become the policy (eval, serve, check, probe; probe also reads the responses each
operation declares). What a spec says that authpath cannot map is listed with its line.
";

/// Runs `authpath openapi …` on the arguments after `openapi`.
pub fn main(mut parser: lexopt::Parser) -> Result<(), Failure> {
    let usage = |message: String| {
        Failure::Usage(UsageError {
            message,
            command: Some("openapi"),
        })
    };
    let command = match parser.next() {
        Ok(None) => {
            return Err(usage(
                "say what to do: authpath openapi lint FILE, or authpath openapi export"
                    .to_string(),
            ))
        }
        Ok(Some(Arg::Value(command))) => text(command),
        Ok(Some(Arg::Short(short))) => format!("-{short}"),
        Ok(Some(Arg::Long(long))) => format!("--{long}"),
        Err(error) => return Err(usage(error.to_string())),
    };
    match command.as_str() {
        "lint" => lint::main(Arguments::continuing("openapi lint", parser)),
        "export" => export::main(Arguments::continuing("openapi export", parser)),
        "-h" | "--help" | "help" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(usage(format!(
            "unknown command {other:?}; `authpath openapi` has lint and export"
        ))),
    }
}
