//! authpath on the command line: `eval` a raw request, mint demo `token`s, and `serve` the
//! same pipeline over real HTTP for testing real clients.
//!
//! Architecture invariant: every answer comes from `authpath_engine::evaluate`; this crate
//! only moves text between the terminal (or a socket) and the engine, and owns the clock.

pub mod args;
pub mod eval;
pub mod scenario;
pub mod serve;
pub mod token;

use std::process::ExitCode;

use args::{Arguments, UsageError};

/// `authpath --help`.
pub const HELP: &str = "\
authpath: why an HTTP API answers 401, 403, 404 or 200

USAGE:
    authpath eval [OPTIONS] [FILE]   evaluate one raw request, print the raw response
    authpath token [OPTIONS]         mint a demo HS256 JWT
    authpath serve [OPTIONS]         answer real HTTP clients with the same pipeline
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
    }
}

fn dispatch(arguments: Vec<String>) -> Result<(), Failure> {
    let mut arguments = arguments.into_iter();
    let Some(command) = arguments.next() else {
        return Err(usage(
            "say what to do: authpath eval, authpath token or authpath serve",
        ));
    };
    match command.as_str() {
        "eval" => match eval::parse(Arguments::new("eval", arguments))? {
            Some(options) => eval::run(&options),
            None => Ok(()),
        },
        "token" => token::main(Arguments::new("token", arguments)),
        "serve" => serve::main(Arguments::new("serve", arguments)),
        "-h" | "--help" => {
            print!("{HELP}");
            Ok(())
        }
        "help" => {
            let text = match arguments.next().as_deref() {
                None => HELP,
                Some("eval") => eval::HELP,
                Some("token") => token::HELP,
                Some("serve") => serve::HELP,
                Some(other) => {
                    return Err(usage(format!(
                        "there is no command {other:?}; the commands are eval, token and serve"
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
            "unknown command {other:?}; the commands are eval, token and serve"
        ))),
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(UsageError {
        message: message.into(),
        command: None,
    })
}
