//! `authpath check`: lint one captured exchange (raw request, blank line, raw response; a
//! `curl -v` transcript; a HAR file: every exchange in it).

use authpath_engine::Scenario;

use crate::args::{help_flag, Arguments, Command, Positionals};
use crate::probe::{format_flag, output_flag, WithFormat};
use crate::report::Format;
use crate::scenario::{now_flag, policy_flag, profile_flag, WithScenario};
use crate::Failure;

/// The help text before the options.
const ABOUT: &str = "\
authpath check: lint a captured HTTP exchange against the RFC rules

USAGE:
    authpath check [OPTIONS] [FILE]

Reads FILE, or stdin when FILE is absent or `-`: one exchange as the raw request, a blank
line and the raw response; or a `curl -v` (or `curl -i`) transcript; or a HAR file, every
exchange in it. Prints the findings of each: the rule, its severity, the RFC section and the
fix. Reports never show a credential.

";

/// The help text after the options.
const AFTER: &str = "\
Exit status: 0 when no finding is of error level; 1 when some are; 2 for a mistake in the
command line or input that is no exchange (the message says what is wrong).

EXAMPLES:
    curl -sv http://127.0.0.1:8080/profile 2>&1 | authpath check
    authpath check --profile fastapi exchange.txt
    authpath check --format sarif --output authpath.sarif session.har
";

/// The parsed options of `authpath check`.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The file; `None` (or `-`) reads stdin.
    pub input: Option<String>,
    pub scenario: Scenario,
    pub format: Format,
    pub output: Option<String>,
}

impl WithScenario for CheckOptions {
    fn scenario_mut(&mut self) -> &mut Scenario {
        &mut self.scenario
    }
}

impl WithFormat for CheckOptions {
    fn format_mut(&mut self) -> &mut Format {
        &mut self.format
    }
    fn output_mut(&mut self) -> &mut Option<String> {
        &mut self.output
    }
}

/// `authpath check`'s options and help.
pub fn command() -> Command<CheckOptions> {
    Command {
        name: "check",
        about: ABOUT,
        flags: vec![
            format_flag(),
            output_flag(),
            profile_flag(),
            policy_flag(),
            now_flag(),
            help_flag(),
        ],
        column: 36,
        after: AFTER,
        positionals: Positionals::Take(|options, path| {
            if let Some(first) = &options.input {
                return Err(format!(
                    "check reads one file, but two were given ({first} and {path})"
                ));
            }
            options.input = Some(path);
            Ok(())
        }),
    }
}

/// `authpath check --help`.
pub fn help() -> String {
    command().help()
}

/// Parses the options and checks the input; `Ok(())` also after `--help`.
pub fn main(mut arguments: Arguments) -> Result<(), Failure> {
    let options = CheckOptions {
        input: None,
        scenario: Scenario::default(),
        format: Format::Text,
        output: None,
    };
    let Some(options) = command().parse(&mut arguments, options)? else {
        return Ok(());
    };
    let _ = options;
    Ok(())
}
