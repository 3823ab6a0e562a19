//! authpath on the command line: `eval` a raw request, mint demo `token`s, and `serve` the
//! same pipeline over real HTTP for testing real clients.
//!
//! Architecture invariant: every answer comes from `authpath_engine::evaluate`; this crate
//! only moves text between the terminal (or a socket) and the engine, and owns the clock.

pub mod args;
pub mod check;
pub mod eval;
pub mod lint;
pub mod openapi;
pub mod probe;
pub mod profiles;
pub mod report;
pub mod scenario;
pub mod serve;
pub mod token;

use std::process::ExitCode;

use args::{Arguments, UsageError};
use lexopt::Arg;

/// `authpath --help`.
pub const HELP: &str = "\
authpath: why an HTTP API answers 401, 403, 404 or 200

USAGE:
    authpath eval [OPTIONS] [FILE]   evaluate one raw request, print the raw response
    authpath token [OPTIONS]         mint a demo HS256 JWT
    authpath serve [OPTIONS]         answer real HTTP clients with the same pipeline
    authpath profiles [OPTIONS]      the servers --profile answers as (rfc, fastapi, …)
    authpath check [OPTIONS] [FILE]  lint a captured exchange (raw, curl -v, HAR)
    authpath probe [OPTIONS] URL     send a bounded request set to a live API, lint it
    authpath openapi lint | export   lint an OpenAPI spec; write the policy as OpenAPI 3.1
    authpath help <command>          help on one command (or: authpath <command> --help)

OPTIONS:
    -h, --help      print this help
    -V, --version   print the version
";

/// Why a command did not complete.
#[derive(Debug)]
pub enum Failure {
    /// The command line is wrong: exit status 2, with the message and a `--help` hint.
    Usage(UsageError),
    /// Something outside the command line failed (a file, the socket): exit status 1.
    Runtime(String),
    /// `check` or `probe` found this many error-level findings: exit status 1.
    Findings(usize),
    /// `probe` reached no server at all: exit status 3.
    Unreachable(String),
    /// `check`'s input is no exchange it can read: exit status 2, with the place and reason.
    Input(String),
}

impl From<UsageError> for Failure {
    fn from(error: UsageError) -> Failure {
        Failure::Usage(error)
    }
}

/// Runs the command line (without the program name) and gives the process exit status.
pub fn run(arguments: Vec<String>) -> ExitCode {
    match dispatch(arguments) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(error)) => {
            eprintln!("authpath: {error}");
            match error.command {
                Some(command) => eprintln!("(see `authpath {command} --help`)"),
                None => eprintln!("(see `authpath --help`)"),
            }
            ExitCode::from(2)
        }
        Err(Failure::Runtime(message)) => {
            eprintln!("authpath: {message}");
            ExitCode::from(1)
        }
        Err(Failure::Findings(count)) => {
            let plural = if count == 1 { "" } else { "s" };
            eprintln!("authpath: {count} error-level finding{plural}");
            ExitCode::from(1)
        }
        Err(Failure::Input(message)) => {
            eprintln!("authpath: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Unreachable(message)) => {
            eprintln!("authpath: {message}");
            ExitCode::from(3)
        }
    }
}

/// Writes a report to `path`, or to stdout when `None`.
pub fn write_report(text: &str, path: Option<&str>) -> Result<(), Failure> {
    use std::io::Write;
    match path {
        Some(path) => std::fs::write(path, text)
            .map_err(|error| Failure::Runtime(format!("cannot write {path}: {error}"))),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|error| Failure::Runtime(format!("cannot write the output: {error}")))
        }
    }
}

/// Exit status 1 when the report has error-level findings.
pub fn findings_status(report: &report::Report) -> Result<(), Failure> {
    match report.errors() {
        0 => Ok(()),
        count => Err(Failure::Findings(count)),
    }
}

fn dispatch(arguments: Vec<String>) -> Result<(), Failure> {
    let mut parser = lexopt::Parser::from_args(arguments);
    let command =
        match parser.next() {
            Ok(None) => return Err(usage(
                "say what to do: authpath eval, token, serve, profiles, check, probe or openapi",
            )),
            Ok(Some(Arg::Value(command))) => args::text(command),
            Ok(Some(Arg::Short(short))) => format!("-{short}"),
            Ok(Some(Arg::Long(long))) => format!("--{long}"),
            Err(error) => return Err(usage(error.to_string())),
        };
    // `--help=x` is no way to ask for help: it stays an unknown command, written as given.
    let command = match parser.optional_value() {
        Some(value) => format!("{command}={}", args::text(value)),
        None => command,
    };
    match command.as_str() {
        "eval" => match eval::parse(Arguments::continuing("eval", parser))? {
            Some(options) => eval::run(&options),
            None => Ok(()),
        },
        "token" => token::main(Arguments::continuing("token", parser)),
        "serve" => serve::main(Arguments::continuing("serve", parser)),
        "profiles" => profiles::main(Arguments::continuing("profiles", parser)),
        "check" => check::main(Arguments::continuing("check", parser)),
        "probe" => probe::main(Arguments::continuing("probe", parser)),
        "openapi" => openapi::main(parser),
        "-h" | "--help" => {
            print!("{HELP}");
            Ok(())
        }
        "help" => {
            let topic = match parser.next() {
                Ok(None) => None,
                Ok(Some(Arg::Value(topic))) => Some(args::text(topic)),
                Ok(Some(Arg::Short(short))) => Some(format!("-{short}")),
                Ok(Some(Arg::Long(long))) => Some(format!("--{long}")),
                Err(error) => Some(error.to_string()),
            };
            let text = match topic.as_deref() {
                None => HELP.to_string(),
                Some("eval") => eval::help(),
                Some("token") => token::help(),
                Some("serve") => serve::help(),
                Some("profiles") => profiles::help(),
                Some("check") => check::help(),
                Some("probe") => probe::help(),
                Some("openapi") => openapi::HELP.to_string(),
                Some(other) => {
                    return Err(usage(format!(
                        "there is no command {other:?}; the commands are eval, token, serve, profiles, check, probe and openapi"
                    )))
                }
            };
            print!("{text}");
            Ok(())
        }
        "-V" | "--version" => {
            println!("authpath {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        other => Err(usage(format!(
            "unknown command {other:?}; the commands are eval, token, serve, profiles, check, probe and openapi"
        ))),
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(UsageError {
        message: message.into(),
        command: None,
    })
}
