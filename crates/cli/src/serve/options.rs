//! `authpath serve`'s options and `--help`.

use std::net::SocketAddr;
use std::time::Duration;

use authpath_engine::Scenario;

use crate::args::{help_flag, unix_seconds, Arguments, Command, Flag, Positionals};
use crate::scenario::{openapi_flag, policy_flag, profile_flag, token_flags, WithScenario};
use crate::Failure;

/// The help text before the options.
const ABOUT: &str = "\
authpath serve: answer real HTTP/1.1 clients with the authpath pipeline

USAGE:
    authpath serve [OPTIONS]

Every request is handed to the engine as raw text (request line, headers as received,
body) and the engine's raw response is written back unchanged: status line, headers in
the engine's order and spelling, body; nothing is added (no Date). Point a real client at
it to test its 401 / 403 handling. The HTTP layer has parsed the request already, so the
engine sees header names in lower case and repeated fields next to each other (HTTP
treats both alike), and an HTTP/1.0 client gets an HTTP/1.0 status line.

";

/// The help text after the options.
const AFTER: &str = "\
ASKING WHY:
    GET /.well-known/authpath/evaluation?path=<path>[&method=<method>]
    answers 200 with the JSON evaluation (trace, response, findings) of the request
    `<method> <path>` (method GET by default) sent with the same headers and body, e.g.
    curl -H \"Authorization: Bearer $(authpath token)\" \\
        'http://127.0.0.1:8401/.well-known/authpath/evaluation?path=/admin'

LIMITS:
    Requests over 64 KiB get the engine's 413, a header line over 8 KiB its 431. A header
    section over 128 KiB or more than 1000 header fields, and requests HTTP/1.1 cannot
    parse at all, are refused by the HTTP layer itself (431 or 400, empty body).

Logs one line per request on stderr: method, path, status, the step that decided.
Ctrl-C (or SIGTERM) stops accepting, lets open requests finish, then exits.
";

/// Where the server's clock comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The real clock, read for every request.
    Real,
    /// A fixed Unix time, as in `authpath eval --now`.
    Fixed(u64),
}

/// The options of `authpath serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub addr: SocketAddr,
    /// The scenario; its `now` is replaced according to `clock`.
    pub scenario: Scenario,
    pub clock: Clock,
    /// Limit for reading one request's headers and body.
    pub timeout: Duration,
    /// One log line per request on stderr.
    pub log: bool,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 8401)),
            scenario: Scenario::default(),
            clock: Clock::Real,
            timeout: Duration::from_secs(10),
            log: true,
        }
    }
}

impl WithScenario for ServeOptions {
    fn scenario_mut(&mut self) -> &mut Scenario {
        &mut self.scenario
    }
}

/// `authpath serve`'s options and help.
pub fn command() -> Command<ServeOptions> {
    Command {
        name: "serve",
        about: ABOUT,
        flags: {
            let mut flags: Vec<Flag<ServeOptions>> = vec![
                Flag::value(
                    "addr",
                    "<ip:port>",
                    "where to listen (default 127.0.0.1:8401; port 0 picks a\n\
                 free port). Anything but loopback must be asked for here.",
                    |options, value| {
                        options.addr = value.trim().parse().map_err(|_| {
                        format!(
                            "--addr needs an IP address and port such as 127.0.0.1:8401, not {value:?}"
                        )
                    })?;
                        Ok(())
                    },
                ),
                profile_flag(),
                policy_flag(),
                openapi_flag(),
                Flag::value(
                    "clock",
                    "<now|unix seconds>",
                    "the server clock: `now` follows the real clock (default,\n\
                 so tokens from `authpath token` work); a number fixes it,\n\
                 e.g. 1767225600 to answer exactly as `authpath eval` does",
                    |options, value| {
                        options.clock = if value.trim() == "now" {
                            Clock::Real
                        } else {
                            Clock::Fixed(unix_seconds("clock", value).map_err(|_| {
                            format!(
                                "--clock needs `now` or Unix seconds such as 1767225600, not {value:?}"
                            )
                        })?)
                        };
                        Ok(())
                    },
                ),
                Flag::value(
                    "timeout",
                    "<seconds>",
                    "per-request timeout for reading headers and body (default 10)",
                    |options, value| {
                        let seconds = value.trim().parse::<f64>().ok().filter(|seconds| {
                            seconds.is_finite() && *seconds > 0.0 && *seconds <= 3600.0
                        });
                        let Some(seconds) = seconds else {
                            return Err(format!(
                            "--timeout needs a number of seconds between 0 and 3600, not {value:?}"
                        ));
                        };
                        options.timeout = Duration::from_secs_f64(seconds);
                        Ok(())
                    },
                ),
                Flag::switch("quiet", "no log line per request", |options| {
                    options.log = false;
                    Ok(())
                }),
            ];
            flags.extend(token_flags());
            flags.push(help_flag());
            flags
        },
        column: 35,
        after: AFTER,
        positionals: Positionals::Suggest("addr"),
    }
}

/// `authpath serve --help`.
pub fn help() -> String {
    command().help()
}

/// Parses the options; `Ok(None)` when `--help` was asked for (and printed).
pub fn parse(mut arguments: Arguments) -> Result<Option<ServeOptions>, Failure> {
    Ok(command().parse(&mut arguments, ServeOptions::default())?)
}
