//! The `authpath` binary: see `authpath --help`.

use std::process::ExitCode;

fn main() -> ExitCode {
    // Arguments that are not UTF-8 are read lossily, so they reach the usage message intact
    // enough to be recognised instead of aborting the program.
    let arguments = std::env::args_os()
        .skip(1)
        .map(|argument| argument.to_string_lossy().into_owned())
        .collect();
    authpath_cli::run(arguments)
}
