//! `authpath check`: lint one captured exchange (raw request, blank line, raw response; a
//! `curl -v` transcript; a HAR file: every exchange in it).

use std::io::{IsTerminal, Read};

use authpath_engine::exchange::{read_exchanges, Known, Source};
use authpath_engine::Scenario;

use crate::args::{help_flag, Arguments, Command, Positionals};
use crate::lint::{keys_known, lint_exchange};
use crate::probe::{format_flag, output_flag, WithFormat};
use crate::report::{masked, rfc_answer, Exchange, Format, Item, Report};
use crate::scenario::{framework_flag, now_flag, openapi_flag, policy_flag, WithScenario};
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
command line or input that is no exchange (the message names the line and column).

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
            framework_flag(),
            policy_flag(),
            openapi_flag(),
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
    run(&options)
}

/// Runs `authpath check` with parsed options.
pub fn run(options: &CheckOptions) -> Result<(), Failure> {
    let path = options.input.as_deref().unwrap_or("-");
    let text = read_input(path)?;
    let exchanges = read_exchanges(&text).map_err(|error| {
        Failure::Input(format!(
            "{path} holds no exchange authpath can read: {error}"
        ))
    })?;
    let total = exchanges.len();
    let exchanges = exchanges
        .iter()
        .enumerate()
        .map(|(index, (source, exchange))| entry(index, total, *source, exchange, options))
        .collect();
    let report = Report {
        command: "check",
        target: path.to_string(),
        profile: options.scenario.profile,
        scenario: true,
        identities: Vec::new(),
        exchanges,
        skipped: Vec::new(),
    };
    crate::write_report(&report.render(options.format), options.output.as_deref())?;
    crate::findings_status(&report)
}

/// One exchange of the input, linted: under the scenario when the keys fit its credentials.
fn entry(
    index: usize,
    total: usize,
    source: Source,
    exchange: &authpath_engine::exchange::Exchange,
    options: &CheckOptions,
) -> Exchange {
    let scenario = &options.scenario;
    let judged = keys_known(&exchange.request, scenario);
    let checked = lint_exchange(
        &exchange.request,
        &exchange.response,
        judged.then_some(scenario),
        &Known::default(),
        &[],
    );
    let endpoint = match &checked.request {
        Ok(request) => format!(
            "{} {}",
            request.method,
            shown_target(&exchange.request, &request.target)
        ),
        Err(_) => "(no request)".to_string(),
    };
    let place = match source {
        Source::Har { index } => format!("HAR entry {}", index + 1),
        Source::Raw => "raw".to_string(),
        Source::CurlVerbose => "curl -v".to_string(),
        Source::CurlInclude => "curl -i".to_string(),
    };
    let name = if total == 1 {
        format!("{endpoint} ({place})")
    } else {
        format!("{endpoint} ({place}, exchange {} of {total})", index + 1)
    };
    let mut unjudged: Vec<String> = checked
        .unjudged
        .iter()
        .map(|unjudged| format!("{}: {}", unjudged.rule.id(), unjudged.needs))
        .collect();
    if !judged {
        unjudged.insert(
            0,
            "the credentials are not the scenario's (a token its keys do not verify, an API key it did not issue, a session it does not hold, or a scheme it cannot tell about), so their validity is unknown"
                .to_string(),
        );
    }
    let (status, response, error) = match &checked.response {
        Ok(response) => (
            Some(response.status.code()),
            Some(exchange.response.clone()),
            None,
        ),
        // `read_exchanges` refuses a response that does not read, but for the empty one of a
        // HAR entry with status 0.
        Err(_) if exchange.response.is_empty() => (
            None,
            None,
            Some(
                "the HAR entry records no response (status 0: blocked, cancelled or failed)"
                    .to_string(),
            ),
        ),
        Err(error) => (
            None,
            None,
            Some(format!("the response does not parse: {error}")),
        ),
    };
    Exchange {
        name,
        endpoint,
        request: masked(&exchange.request),
        status,
        redirect: None,
        response,
        error,
        expected: None,
        findings: checked
            .findings
            .iter()
            .map(|finding| Item::from_finding(finding, scenario.profile))
            .collect(),
        unjudged,
        rfc_answer: rfc_answer(&exchange.request, judged.then_some(scenario))
            .filter(|_| checked.request.is_ok()),
        identity: None,
        cell: None,
    }
}

/// The request's target as a report may show it: taken from the masked request, so a key or
/// token in its query is masked there too; the path alone if that cannot be read.
fn shown_target(raw_request: &str, target: &str) -> String {
    masked(raw_request)
        .lines()
        .find(|line| !line.trim().is_empty())
        .and_then(|line| line.split(' ').nth(1))
        .map_or_else(
            || target.split('?').next().unwrap_or_default().to_string(),
            str::to_string,
        )
}

/// The input as text; bytes that are not UTF-8 become U+FFFD.
fn read_input(path: &str) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    if path == "-" {
        let mut stdin = std::io::stdin().lock();
        if stdin.is_terminal() {
            eprintln!("authpath check: paste the exchange, then Ctrl-D");
        }
        stdin
            .read_to_end(&mut bytes)
            .map_err(|error| Failure::Runtime(format!("cannot read stdin: {error}")))?;
    } else {
        bytes = std::fs::read(path)
            .map_err(|error| Failure::Runtime(format!("cannot read {path}: {error}")))?;
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
