//! `authpath probe`: send a bounded set of requests to a live server, one at a time, and lint
//! every answer; where the policy and the token's claims say what the status should be, check
//! that too. Exit status 0 without error-level findings, 1 with some, 2 for a usage error, 3
//! when the server cannot be reached at all.

pub mod client;
pub mod identities;
pub mod plan;
pub mod spec;

use std::collections::HashMap;
use std::time::Duration;

use authpath_engine::exchange::Known;
use authpath_engine::identities::Identity;
use authpath_engine::openapi::Spec;
use authpath_engine::teach::attacks::forged_tokens;
use authpath_engine::{
    basic_credentials, Claims, Place, Profile, Reader, Scenario, API_KEY, CSRF_COOKIE, CSRF_HEADER,
    READERS, SESSION,
};

use crate::args::{help_flag, Arguments, Command, Flag, Positionals};
use crate::lint::{keys_known, lint_exchange, named_readers, verifies};
use crate::report::{masked, rfc_answer, Exchange, Expectation, Format, Item, Report};
use crate::scenario::{
    framework_flag, load_openapi, now_flag, policy_flag, warn_unmapped, WithScenario,
};
use crate::Failure;
use client::{Answer, Outgoing};
use plan::{Endpoint, Expected, Given, Kind, Planned};
use spec::Auth;

/// The help text before the options.
const ABOUT: &str = "\
authpath probe: send a bounded set of requests to a live API and lint every answer

USAGE:
    authpath probe [OPTIONS] BASE_URL [PATH…]
    authpath probe --openapi FILE [--auth SCHEME=VALUE…] [OPTIONS] BASE_URL

For each endpoint (each PATH, or every route of the policy) it sends, one at a time: no
credentials; `Authorization: Bearer` with nothing after it; an unsupported scheme; a token
the server cannot accept (each --token with its signature changed, or a JWT signed with a
key no server has); each credential given (each --token, --basic, and every --header and
--cookie together on one request); with --basic, a wrong password; and once, one unknown
path under BASE_URL. Every answer is linted against the RFC rules R1–R20, knowing that the
empty Bearer, the unsupported scheme, the changed token and the wrong password carry no
credential any server accepts; where the policy and a token's claims say the status (2xx,
401, 403), or the endpoint refused the request without credentials, that is checked too.
Tokens may be opaque. Redirects are reported, never followed. Reports and dry runs never
show a credential, nor any value given with --header or --cookie.
Each route is sent its own method: with valid credentials a DELETE route is a real DELETE,
so probe a test instance, or name safe PATHs.
With --openapi, every operation of the spec is probed instead (safe methods only unless
--unsafe; the others are listed as skipped), its path parameters from --param or the
spec's examples: no credentials (401 where its security needs credentials, not refused
where they are optional or none are needed), a token the server cannot accept where it
takes a Bearer token (401), and the --auth credentials of each requirement they meet (no
401); an answered status the operation does not declare is a finding too.

With --identities FILE (TOML, one table per identity: token, basic, header, cookie; role,
scopes; owns) the requests are instead: every operation as every identity and as anonymous;
each owned object as every other identity, and a neighbouring id that does not exist; each
method a path does not declare as the most privileged identity. A 2xx where the identity may
not is BOLA (OWASP API1:2023) or BFLA (API5:2023), a refusal where it may an error too; the
text report draws the matrix. POST, PUT, PATCH and DELETE are sent only with --unsafe.

";

/// The help text after the options.
const AFTER: &str = "\
Exit status: 0 when no finding is of error level; 1 when some are; 2 for a mistake in the
command line; 3 when the server cannot be reached at all.

EXAMPLES:
    authpath probe --dry-run http://127.0.0.1:8080
    authpath probe http://127.0.0.1:8080 /profile /admin --token \"$TOKEN\"
    authpath probe http://127.0.0.1:8080 /metrics --header \"X-API-Key: $KEY\"
    authpath probe http://127.0.0.1:8080 --cookie \"sessionid=$SESSION\" \\
        --cookie \"csrftoken=$CSRF\" --header \"X-CSRFToken: $CSRF\"
    authpath probe https://api.example.com --policy policy.toml --token \"$TOKEN\" \\
        --format sarif --output authpath.sarif
    authpath probe --openapi openapi.yaml --auth bearerAuth=\"$TOKEN\" \\
        --auth apiKey=\"$KEY\" --param id=42 http://127.0.0.1:8000
    authpath probe http://127.0.0.1:8080 --identities identities.toml --dry-run
";

/// The parsed options of `authpath probe`.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// `http://host:port[/prefix]`, without a trailing `/`.
    pub base: Option<String>,
    pub paths: Vec<String>,
    pub scenario: Scenario,
    pub given: Vec<Given>,
    pub method: Option<String>,
    pub format: Format,
    pub output: Option<String>,
    pub max_requests: usize,
    pub timeout: Duration,
    pub dry_run: bool,
    /// `--openapi`: the spec file and what it says; its operations are probed.
    pub spec: Option<(String, Spec)>,
    /// `--auth SCHEME=VALUE`, in the order given.
    pub auth: Vec<Auth>,
    /// `--param NAME=VALUE`, for path parameters.
    pub params: Vec<(String, String)>,
    /// `--unsafe`: the spec's operations of unsafe methods are sent too.
    pub send_unsafe: bool,
    /// `--attacks`: also send the JWT attack catalogue's forged tokens.
    pub attacks: bool,
    /// `--identities FILE`: the identities to probe as, besides anonymous.
    pub identities: Vec<Identity>,
    /// `--identities FILE` as given and its text, read into `identities` after the flags.
    pub identities_file: Option<(String, String)>,
}

impl WithScenario for ProbeOptions {
    fn scenario_mut(&mut self) -> &mut Scenario {
        &mut self.scenario
    }
}

/// The default of `--max-requests`.
pub const MAX_REQUESTS: usize = 200;
/// The default of `--timeout`, in seconds.
pub const TIMEOUT_SECONDS: u64 = 10;

/// `authpath probe`'s options and help.
pub fn command() -> Command<ProbeOptions> {
    Command {
        name: "probe",
        about: ABOUT,
        flags: vec![
            policy_flag(),
            Flag::value(
                "openapi",
                "<file.yaml|json>",
                "probe every operation of this OpenAPI 3.0/3.1 spec, with\n\
                 what its security and responses say (see above)",
                |options: &mut ProbeOptions, value| {
                    let import = load_openapi(value)?;
                    warn_unmapped(value, &import.problems);
                    options.scenario.policy = import.policy;
                    options.spec = Some((value.to_string(), import.spec));
                    Ok(())
                },
            ),
            Flag::value(
                "auth",
                "<scheme=value>",
                "with --openapi: a credential for the spec's scheme of that\n\
                 name (bearer, oauth2, openIdConnect: the token; basic:\n\
                 user:password; apiKey: the value as sent); repeatable",
                |options: &mut ProbeOptions, value| {
                    let Some((scheme, credential)) = value.split_once('=') else {
                        return Err(format!(
                            "--auth needs SCHEME=VALUE, the scheme's name in the spec, not {value:?}"
                        ));
                    };
                    let scheme = scheme.trim();
                    if scheme.is_empty() || credential.is_empty() {
                        return Err(format!(
                            "--auth needs SCHEME=VALUE, both given, not {value:?}"
                        ));
                    }
                    options.auth.retain(|given| given.scheme != scheme);
                    options.auth.push(Auth {
                        scheme: scheme.to_string(),
                        value: credential.to_string(),
                    });
                    Ok(())
                },
            ),
            Flag::value(
                "param",
                "<name=value>",
                "with --openapi: the value of a path parameter (default: the\n\
                 spec's example); repeatable",
                |options: &mut ProbeOptions, value| {
                    let Some((name, parameter)) = value.split_once('=') else {
                        return Err(format!("--param needs NAME=VALUE, not {value:?}"));
                    };
                    options.params.retain(|(known, _)| known != name.trim());
                    options
                        .params
                        .push((name.trim().to_string(), parameter.to_string()));
                    Ok(())
                },
            ),
            Flag::switch(
                "unsafe",
                "with --openapi or --identities: send the requests of unsafe methods too\n\
                 (POST, PUT, PATCH, DELETE: on a test instance only; listed, not sent, without it)",
                |options| {
                    options.send_unsafe = true;
                    Ok(())
                },
            ),
            Flag::value(
                "token",
                "<token>",
                "a Bearer token the server should accept (JWT or opaque);\nrepeat for several",
                |options: &mut ProbeOptions, value| {
                    let token = value.trim();
                    let token = token
                        .strip_prefix("Bearer ")
                        .or_else(|| token.strip_prefix("bearer "))
                        .unwrap_or(token)
                        .trim();
                    if token.is_empty() {
                        return Err("--token needs a token, not an empty text".to_string());
                    }
                    options.given.push(Given::Token(token.to_string()));
                    Ok(())
                },
            ),
            Flag::value(
                "basic",
                "<user:password>",
                "Basic credentials the server should accept",
                |options, value| {
                    let Some((user, password)) = value.split_once(':') else {
                        return Err(format!(
                            "--basic needs USER:PASSWORD, with a colon, not {value:?}"
                        ));
                    };
                    options
                        .given
                        .retain(|given| !matches!(given, Given::Basic { .. }));
                    options.given.push(Given::Basic {
                        user: user.to_string(),
                        password: password.to_string(),
                    });
                    Ok(())
                },
            ),
            Flag::value(
                "header",
                "<'NAME: VALUE'>",
                "a header field of the credentials, e.g. 'X-API-Key: …';\n\
                 repeatable; sent with every --cookie on one request",
                |options, value| {
                    let (name, value) = parse_header(value)?;
                    options.given.push(Given::Header { name, value });
                    Ok(())
                },
            ),
            Flag::value(
                "cookie",
                "<'NAME=VALUE'>",
                "a cookie of the credentials, e.g. 'sessionid=…'; repeatable;\n\
                 sent with every --header on one request",
                |options, value| {
                    let (name, value) = parse_cookie(value)?;
                    options.given.push(Given::Cookie { name, value });
                    Ok(())
                },
            ),
            Flag::value(
                "method",
                "<method>",
                "the method for each PATH (default GET); without PATH, only\n\
                 the policy's routes of this method",
                |options, value| {
                    let method = value.trim();
                    if method.is_empty() || !method.bytes().all(|byte| byte.is_ascii_alphabetic()) {
                        return Err(format!(
                            "--method needs a method such as GET, not {value:?}"
                        ));
                    }
                    options.method = Some(method.to_ascii_uppercase());
                    Ok(())
                },
            ),
            format_flag(),
            output_flag(),
            Flag::value(
                "max-requests",
                "<n>",
                "never send more than this (default 200); a larger plan is\nrefused",
                |options, value| {
                    options.max_requests = value
                        .trim()
                        .parse::<usize>()
                        .ok()
                        .filter(|count| *count > 0)
                        .ok_or_else(|| {
                            format!("--max-requests needs a number of requests such as 50, not {value:?}")
                        })?;
                    Ok(())
                },
            ),
            Flag::value(
                "timeout",
                "<seconds>",
                "give up on a request after this long (default 10)",
                |options, value| {
                    let seconds = value
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|seconds| {
                            seconds.is_finite() && *seconds > 0.0 && *seconds <= 3600.0
                        })
                        .ok_or_else(|| {
                            format!(
                                "--timeout needs a number of seconds from 0 to 3600, not {value:?}"
                            )
                        })?;
                    options.timeout = Duration::from_secs_f64(seconds);
                    Ok(())
                },
            ),
            Flag::value(
                "identities",
                "<file.toml>",
                "probe as each identity of this file (token, basic, header,\n\
                 cookie, or with --openapi auth = { SCHEME = \"…\" }; role,\n\
                 scopes, owns) and as anonymous: every\n\
                 operation as every identity, each owned object as every\n\
                 other; a matrix of BOLA, BFLA and refusals (see above)",
                |options, value| {
                    let text = std::fs::read_to_string(value).map_err(|error| {
                        format!("cannot read the identities file {value}: {error}")
                    })?;
                    // Read once every flag is known: `auth` names the schemes of --openapi.
                    options.identities_file = Some((value.to_string(), text));
                    Ok(())
                },
            ),
            Flag::switch(
                "attacks",
                "also send, to each endpoint that is not public, the forged\n\
                 tokens of the JWT attack catalogue: alg none/None/NONE/nOnE,\n\
                 an empty signature, HS256 with common weak secrets, the\n\
                 psychic ECDSA signature (CVE-2022-21449), kid traversal and\n\
                 injection, x5u and x5c; a 2xx to any is an error",
                |options| {
                    options.attacks = true;
                    Ok(())
                },
            ),
            Flag::switch(
                "dry-run",
                "print the requests it would send, send nothing",
                |options| {
                    options.dry_run = true;
                    Ok(())
                },
            ),
            framework_flag(),
            now_flag(),
            help_flag(),
        ],
        column: 36,
        after: AFTER,
        positionals: Positionals::Take(|options, value| {
            if options.base.is_none() {
                options.base = Some(base_url(&value)?);
                return Ok(());
            }
            if !value.starts_with('/') {
                return Err(format!(
                    "a PATH starts with /, as in /profile, not {value:?} (BASE_URL is {})",
                    options.base.as_deref().unwrap_or_default()
                ));
            }
            options.paths.push(value);
            Ok(())
        }),
    }
}

/// `--format`, shared with `check`.
pub fn format_flag<T: WithFormat>() -> Flag<T> {
    Flag::value(
        "format",
        "<format>",
        "text (the default), json, junit or sarif",
        |options, value| {
            *options.format_mut() = Format::parse(value)?;
            Ok(())
        },
    )
}

/// `--output`, shared with `check`.
pub fn output_flag<T: WithFormat>() -> Flag<T> {
    Flag::value(
        "output",
        "<file>",
        "write the report to this file instead of stdout",
        |options, value| {
            if value.trim().is_empty() {
                return Err("--output needs a file name".to_string());
            }
            *options.output_mut() = Some(value.to_string());
            Ok(())
        },
    )
}

/// Options that write a report.
pub trait WithFormat {
    fn format_mut(&mut self) -> &mut Format;
    fn output_mut(&mut self) -> &mut Option<String>;
}

impl WithFormat for ProbeOptions {
    fn format_mut(&mut self) -> &mut Format {
        &mut self.format
    }
    fn output_mut(&mut self) -> &mut Option<String> {
        &mut self.output
    }
}

/// `authpath probe --help`.
pub fn help() -> String {
    command().help()
}

/// The header fields the probe writes itself, which `--header` may not replace.
const OWN_HEADERS: [&str; 7] = [
    "host",
    "cookie",
    "content-length",
    "transfer-encoding",
    "connection",
    "user-agent",
    "accept",
];

/// Reads `--header 'NAME: VALUE'`: a field name (a token, RFC 9110 §5.1) other than the ones
/// the probe writes itself, and a value that is no empty text and holds no line break or
/// other control character. An error names the argument, or only the header's name where the
/// value is at fault, since the value is a secret.
pub fn parse_header(argument: &str) -> Result<(String, String), String> {
    let Some((name, value)) = argument.split_once(':') else {
        return Err(format!(
            "--header needs 'NAME: VALUE', with a colon, not {argument:?}"
        ));
    };
    let name = name.trim();
    if name.is_empty() || !name.bytes().all(is_tchar) {
        return Err(format!(
            "--header needs a header name (letters, digits and !#$%&'*+-.^_`|~) before its colon, not {name:?}"
        ));
    }
    if OWN_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
        let instead = if name.eq_ignore_ascii_case("cookie") {
            "; give cookies with --cookie 'NAME=VALUE'"
        } else {
            ""
        };
        return Err(format!(
            "--header {name}: the probe writes this field itself{instead}"
        ));
    }
    let value = value.trim_matches([' ', '\t']);
    if value.is_empty() {
        return Err(format!("--header {name}: the value is empty"));
    }
    if let Some(bad) = value
        .chars()
        .find(|character| character.is_control() && *character != '\t')
    {
        return Err(format!(
            "--header {name}: the value holds the control character {:?}, which no header field may",
            bad
        ));
    }
    Ok((name.to_string(), value.to_string()))
}

/// Reads `--cookie 'NAME=VALUE'`: a cookie name (a token) and a value of cookie octets
/// (RFC 6265 §4.1.1: no space, `"`, `,`, `;`, `\\` or control character), possibly empty.
pub fn parse_cookie(argument: &str) -> Result<(String, String), String> {
    let Some((name, value)) = argument.split_once('=') else {
        return Err(format!(
            "--cookie needs 'NAME=VALUE', with an equals sign, not {argument:?}"
        ));
    };
    let name = name.trim();
    if name.is_empty() || !name.bytes().all(is_tchar) {
        return Err(format!(
            "--cookie needs a cookie name (letters, digits and !#$%&'*+-.^_`|~) before its equals sign, not {name:?}"
        ));
    }
    let value = value.trim();
    let octet =
        |byte: u8| matches!(byte, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E);
    if let Some(bad) = value
        .chars()
        .find(|character| u8::try_from(u32::from(*character)).map_or(true, |byte| !octet(byte)))
    {
        return Err(format!(
            "--cookie {name}: the value holds {bad:?}, which a cookie value may not (RFC 6265 §4.1.1)"
        ));
    }
    Ok((name.to_string(), value.to_string()))
}

/// A byte of a token (RFC 9110 §5.6.2).
fn is_tchar(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// Checks BASE_URL: `http://` or `https://`, a host, and no query; the trailing `/` dropped.
fn base_url(value: &str) -> Result<String, String> {
    let trimmed = value.trim();
    let rest = trimmed
        .strip_prefix("http://")
        .or_else(|| trimmed.strip_prefix("https://"))
        .ok_or_else(|| {
            format!("BASE_URL starts with http:// or https://, as in http://127.0.0.1:8080, not {value:?}")
        })?;
    let trimmed = trimmed.trim_end_matches('/');
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() {
        return Err(format!("BASE_URL {value:?} has no host"));
    }
    if trimmed.contains(['?', '#']) {
        return Err(format!(
            "BASE_URL {value:?} has a query or fragment; give the paths as PATH"
        ));
    }
    if trimmed.parse::<ureq::http::Uri>().is_err() {
        return Err(format!("BASE_URL {value:?} is not a URL"));
    }
    Ok(trimmed.to_string())
}

/// Parses the options and runs the probe; `Ok(())` also after `--help`.
pub fn main(mut arguments: Arguments) -> Result<(), Failure> {
    let options = ProbeOptions {
        base: None,
        paths: Vec::new(),
        scenario: Scenario::default(),
        given: Vec::new(),
        method: None,
        format: Format::Text,
        output: None,
        max_requests: MAX_REQUESTS,
        timeout: Duration::from_secs(TIMEOUT_SECONDS),
        dry_run: false,
        spec: None,
        auth: Vec::new(),
        params: Vec::new(),
        send_unsafe: false,
        attacks: false,
        identities: Vec::new(),
        identities_file: None,
    };
    let Some(mut options) = command().parse(&mut arguments, options)? else {
        return Ok(());
    };
    if let Some((file, text)) = &options.identities_file {
        let schemes = options
            .spec
            .as_ref()
            .map(|_| &options.scenario.policy.schemes);
        options.identities = identities::read(text, schemes)
            .map_err(|error| arguments.error(format!("the identities file {file}: {error}")))?;
    }
    run(&options, &arguments)
}

fn run(options: &ProbeOptions, arguments: &Arguments) -> Result<(), Failure> {
    let Some(base) = &options.base else {
        return Err(arguments
            .error("say which server: authpath probe BASE_URL [PATH…], e.g. http://127.0.0.1:8080")
            .into());
    };
    // With --openapi the identities probe the spec's operations (its policy, mapped), and
    // their `auth` tables send each scheme's credential where the spec says.
    if !options.identities.is_empty() {
        return run_identities(options, arguments, base);
    }
    if let Some((_, spec)) = &options.spec {
        return run_spec(options, arguments, base, spec);
    }
    if !options.auth.is_empty() || !options.params.is_empty() || options.send_unsafe {
        return Err(arguments
            .error(
                "--auth and --param go with --openapi FILE, --unsafe with --openapi FILE or \
                 --identities FILE; without them each route is sent its own method",
            )
            .into());
    }
    let planned = planned(options, base);
    if planned.len() > options.max_requests {
        return Err(arguments
            .error(format!(
                "the request set has {} requests, more than --max-requests {}: name fewer PATHs, \
                 or raise --max-requests",
                planned.len(),
                options.max_requests
            ))
            .into());
    }
    if options.dry_run {
        let mut text = String::new();
        for request in &planned {
            let raw = client::raw_request(&request.outgoing).unwrap_or_else(|error| error);
            text.push_str(&format!(
                "# {}\n{}",
                request_name(request),
                hidden(&raw, &options.given).replace("\r\n", "\n")
            ));
        }
        text.push_str(&format!("# {} requests, none sent\n", planned.len()));
        return crate::write_report(&text, None);
    }
    // The scenario's facts hold for this server only if it vouches for what was given.
    let scenario = fits(&options.given, &options.scenario).then_some(&options.scenario);
    let declared = declared(&options.given, &options.scenario);
    let agent = client::agent(options.timeout);
    let mut exchanges = Vec::new();
    let mut tally = Tally::default();
    for request in &planned {
        let (answer, known, seen) = tally.send(&agent, request);
        // Where the policy does not know the route, the server's refusal of a request without
        // credentials says what the requests it cannot accept should get.
        let expected = request.expected.clone().or_else(|| {
            let refused = request.kind.refused().filter(|_| seen == Some(true))?;
            Some(Expected {
                why: format!(
                    "it refused the request without credentials, so it needs them; {}",
                    refused.why
                ),
                ..refused
            })
        });
        exchanges.push(exchange(
            request_name(request),
            request.endpoint.clone(),
            &request.outgoing,
            &answer,
            scenario,
            options.scenario.profile,
            &Judged {
                known,
                expected,
                given: &options.given,
                declared: &declared,
            },
        ));
    }
    // Not one answer: nothing to lint, and most likely the wrong address or a server down.
    let Tally {
        answered, failure, ..
    } = tally;
    if answered == 0 {
        return Err(Failure::Unreachable(format!(
            "{base} cannot be reached: none of the {} requests got an answer (the first: {})",
            planned.len(),
            failure.unwrap_or_default()
        )));
    }
    let report = Report {
        command: "probe",
        target: base.clone(),
        profile: options.scenario.profile,
        scenario: scenario.is_some(),
        identities: Vec::new(),
        exchanges,
        skipped: Vec::new(),
    };
    crate::write_report(&report.render(options.format), options.output.as_deref())?;
    crate::findings_status(&report)
}

/// `probe --identities`: the engine's plan, bounded by `--max-requests`, printed or sent.
fn run_identities(
    options: &ProbeOptions,
    arguments: &Arguments,
    base: &str,
) -> Result<(), Failure> {
    if !options.given.is_empty() {
        return Err(arguments
            .error("with --identities, give the credentials in the identities file, not as --token, --basic, --header or --cookie")
            .into());
    }
    let plan = identities::plan_of(options).map_err(|error| arguments.error(error))?;
    if plan.cells.len() > options.max_requests {
        return Err(arguments
            .error(format!(
                "the request set has {} requests, more than --max-requests {}: name fewer PATHs \
                 or identities, or raise --max-requests",
                plan.cells.len(),
                options.max_requests
            ))
            .into());
    }
    if options.dry_run {
        return crate::write_report(&identities::dry_run(base, &plan), None);
    }
    identities::run(options, base, &plan)
}

/// The request set for the options.
fn planned(options: &ProbeOptions, base: &str) -> Vec<Planned> {
    let endpoints: Vec<Endpoint> = if options.paths.is_empty() {
        plan::endpoints_of(
            &options.scenario.policy,
            &options.given,
            options.method.as_deref(),
        )
    } else {
        options
            .paths
            .iter()
            .map(|path| Endpoint {
                method: options.method.clone().unwrap_or_else(|| "GET".to_string()),
                path: path.clone(),
            })
            .collect()
    };
    let forged = if options.attacks {
        forged_tokens(&forged_claims(options))
    } else {
        Vec::new()
    };
    plan::plan(
        base,
        &endpoints,
        &options.scenario.policy,
        &options.given,
        &forged,
    )
}

/// What the forged tokens claim: an admin with every scope the policy names, for the first
/// given token's subject (or `authpath-probe`), from the scenario's issuer to its audience,
/// valid long after the probe: were a forgery accepted, nothing else would stop it.
fn forged_claims(options: &ProbeOptions) -> Claims {
    let subject = options
        .given
        .iter()
        .find_map(|given| plan::Caller::of(given).subject)
        .unwrap_or_else(|| "authpath-probe".to_string());
    let scopes = options.scenario.policy.scopes();
    Claims {
        sub: Some(subject),
        role: Some("admin".to_string()),
        scope: Some(scopes.join(" ")).filter(|scope| !scope.is_empty()),
        exp: Some(4_102_444_800),
        nbf: None,
        iat: Some(options.scenario.now),
        iss: Some(options.scenario.issuer.clone()).filter(|issuer| !issuer.is_empty()),
        aud: Some(options.scenario.audience.clone()).filter(|audience| !audience.is_empty()),
    }
}

/// How reports name a request: `GET /profile · no credentials`, `GET /admin · forged token:
/// alg-none-mixed-case`.
fn request_name(request: &Planned) -> String {
    match &request.attack {
        Some(attack) => format!("{} · {}: {attack}", request.endpoint, request.kind.label()),
        None => format!("{} · {}", request.endpoint, request.kind.label()),
    }
}

/// What a request is judged with besides its texts: what the probe knows of it, and the
/// statuses it should get, both completed by the answers that came before it; the
/// credentials given, which its report masks, and the places of the given headers and
/// cookies that no reader reads, which the probe knows carry the caller's credentials.
struct Judged<'a> {
    known: Known,
    expected: Option<Expected>,
    given: &'a [Given],
    declared: &'a [Reader],
}

/// Whether the scenario's facts hold for the server probed: every credential given is one it
/// vouches for (a token its keys verify, a Basic user with the right password; for the given
/// headers and cookies, see [`keys_known`]: an API key it issued, a session it holds), and no
/// given header or cookie is one whose meaning it cannot tell (a piece no reader reads, but
/// for the CSRF cookie and header).
pub fn fits(given: &[Given], scenario: &Scenario) -> bool {
    let tokens = given
        .iter()
        .filter(|given| !given.is_piece())
        .all(|given| verifies(&plan::authorization(given), scenario));
    let pieces: Vec<Given> = given
        .iter()
        .filter(|given| given.is_piece())
        .cloned()
        .collect();
    if pieces.is_empty() {
        return tokens;
    }
    let mut raw = "GET / HTTP/1.1\r\nHost: authpath-probe\r\n".to_string();
    for (name, value) in plan::piece_fields(&pieces) {
        raw.push_str(&format!("{name}: {value}\r\n"));
    }
    raw.push_str("\r\n");
    tokens && keys_known(&raw, scenario) && declared(given, scenario).is_empty()
}

/// The given headers and cookies that no reader reads (a default one or one the scenario's
/// policy names), but for the CSRF cookie and header: the probe knows they carry the caller's
/// credentials, where the lint would see none. A header is read as an API key is, a cookie as
/// a session.
pub fn declared(given: &[Given], scenario: &Scenario) -> Vec<Reader> {
    let named = named_readers(scenario);
    let readers: Vec<&Reader> = READERS.iter().copied().chain(named.iter()).collect();
    given
        .iter()
        .filter_map(|given| match given {
            Given::Header { name, .. }
                if !name.eq_ignore_ascii_case("authorization")
                    && !name.eq_ignore_ascii_case(CSRF_HEADER)
                    && !readers.iter().any(|reader| {
                        reader
                            .header()
                            .is_some_and(|read| read.eq_ignore_ascii_case(name))
                    }) =>
            {
                Some(Reader {
                    place: Place::Header(name.clone().into()),
                    ..API_KEY.clone()
                })
            }
            Given::Cookie { name, .. }
                if name != CSRF_COOKIE
                    && !readers.iter().any(|reader| reader.cookie() == Some(name)) =>
            {
                Some(Reader {
                    place: Place::Cookie(name.clone().into()),
                    ..SESSION.clone()
                })
            }
            _ => None,
        })
        .collect()
}

/// `raw` as a report may show it: every credential the engine's finder sees masked
/// ([`masked`]), the value of each given header masked by its name (an `Authorization` field
/// keeps its scheme, as `masked` leaves it), and any given secret of 8 characters or more
/// that still shows, wherever it is ([`without_given`]).
pub fn hidden(raw: &str, given: &[Given]) -> String {
    let names: Vec<&str> = given
        .iter()
        .filter_map(|given| match given {
            Given::Header { name, .. } if !name.eq_ignore_ascii_case("authorization") => {
                Some(name.as_str())
            }
            _ => None,
        })
        .collect();
    let masked = masked(raw);
    let mut text = String::with_capacity(masked.len());
    let mut in_head = true;
    for (index, line) in masked.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\r', '\n']);
        if content.is_empty() {
            in_head = false;
        }
        let field = content.split_once(':').filter(|(name, _)| {
            in_head
                && index > 0
                && names
                    .iter()
                    .any(|given| given.eq_ignore_ascii_case(name.trim()))
        });
        match field {
            Some((name, _)) => {
                text.push_str(&format!("{name}: ‹redacted›"));
                text.push_str(&line[content.len()..]);
            }
            None => text.push_str(line),
        }
    }
    without_given(&text, given)
}

/// `text` with every secret given on the command line of 8 characters or more replaced by
/// `‹redacted›`, for what the server sent back (an echo of a header) and anything `masked`
/// did not cut. Shorter values are masked where they are sent, by their names, only: cut
/// everywhere, a value such as `1` would cut the text apart.
pub fn without_given(text: &str, given: &[Given]) -> String {
    let mut secrets: Vec<String> = given
        .iter()
        .flat_map(Given::secrets)
        .filter(|secret| secret.chars().count() >= 8)
        .collect();
    // The longest first, so a secret inside another does not leave the rest of it.
    secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
    let mut text = text.to_string();
    for secret in secrets {
        text = text.replace(&secret, "‹redacted›");
    }
    text
}

/// What sending a request set keeps: how many requests were answered, the first failure,
/// and per endpoint whether it refused the request without credentials (sent first).
#[derive(Default)]
struct Tally<'a> {
    answered: usize,
    failure: Option<String>,
    protected: HashMap<&'a str, bool>,
}

impl<'a> Tally<'a> {
    /// Sends `request`: its answer, what the probe knows of it (the endpoint's refusal of a
    /// request without credentials, where that came earlier), and that refusal alone.
    fn send(&mut self, agent: &ureq::Agent, request: &'a Planned) -> (Answer, Known, Option<bool>) {
        let answer = client::send(agent, &request.outgoing);
        match &answer {
            Answer::Response { .. } => self.answered += 1,
            Answer::Unreachable(reason) | Answer::Failed(reason) => {
                self.failure.get_or_insert_with(|| reason.clone());
            }
        }
        let seen = self.protected.get(request.endpoint.as_str()).copied();
        if let (Kind::NoCredentials, Answer::Response { status, .. }) = (request.kind, &answer) {
            if let Some(refuses) = Known::protected_by(*status) {
                self.protected.insert(&request.endpoint, refuses);
            }
        }
        let known = Known {
            protected: seen,
            ..request.known
        };
        (answer, known, seen)
    }
}

/// One sent request and its answer, linted.
fn exchange(
    name: String,
    endpoint: String,
    outgoing: &Outgoing,
    answer: &Answer,
    scenario: Option<&Scenario>,
    profile: Profile,
    judged: &Judged,
) -> Exchange {
    let raw_request = client::raw_request(outgoing).unwrap_or_default();
    let expected = judged.expected.as_ref().map(|expected| Expectation {
        status: expected.describe(),
        why: expected.why.clone(),
    });
    let mut exchange = Exchange {
        name,
        endpoint,
        request: hidden(&raw_request, judged.given),
        status: None,
        response: None,
        error: None,
        redirect: None,
        expected,
        findings: Vec::new(),
        unjudged: Vec::new(),
        rfc_answer: rfc_answer(&raw_request, scenario),
        identity: None,
        cell: None,
    };
    let (status, raw_response) = match answer {
        Answer::Response { status, raw } => (*status, raw),
        Answer::Unreachable(error) | Answer::Failed(error) => {
            exchange.error = Some(error.clone());
            return exchange;
        }
    };
    exchange.status = Some(status);
    exchange.redirect = (300..400)
        .contains(&status)
        .then(|| header(raw_response, "location"))
        .flatten()
        .map(|location| without_given(&location, judged.given));
    let checked = lint_exchange(
        &raw_request,
        raw_response,
        scenario,
        &judged.known,
        judged.declared,
    );
    exchange.findings = checked
        .findings
        .iter()
        .map(|finding| Item::from_finding(finding, profile))
        .collect();
    exchange.unjudged = checked
        .unjudged
        .iter()
        .map(|unjudged| format!("{}: {}", unjudged.rule.id(), unjudged.needs))
        .collect();
    if let (Some(expected), Some(planned)) = (&exchange.expected, &judged.expected) {
        if !planned.allows(status) {
            exchange
                .findings
                .push(Item::unexpected_status(status, expected));
        }
    }
    exchange.response = Some(without_given(raw_response, judged.given));
    exchange
}

/// `probe --openapi`: the spec's operations, judged by what it declares.
fn run_spec(
    options: &ProbeOptions,
    arguments: &Arguments,
    base: &str,
    spec: &Spec,
) -> Result<(), Failure> {
    if !options.paths.is_empty() || !options.given.is_empty() {
        return Err(arguments
            .error(
                "--openapi probes the spec's operations: name no PATH, and give credentials with --auth SCHEME=VALUE instead of --token, --basic, --header or --cookie",
            )
            .into());
    }
    for given in &options.auth {
        spec::sending_of(spec, &given.scheme).map_err(|message| arguments.error(message))?;
    }
    let plan = spec::plan(
        base,
        spec,
        &options.auth,
        &options.params,
        options.send_unsafe,
    );
    if plan.planned.len() > options.max_requests {
        return Err(arguments
            .error(format!(
                "the request set has {} requests, more than --max-requests {}: probe a smaller \
                 spec (or a slice of it), or raise --max-requests",
                plan.planned.len(),
                options.max_requests
            ))
            .into());
    }
    let secrets = spec::secrets(&options.auth);
    let withhold = |text: &str, shortest: usize| {
        let mut text = masked(text);
        for secret in secrets.iter().filter(|secret| secret.len() >= shortest) {
            text = text.replace(secret.as_str(), "‹redacted›");
        }
        text
    };
    if options.dry_run {
        let mut text = String::new();
        for entry in &plan.planned {
            let request = &entry.planned;
            let raw = client::raw_request(&request.outgoing).unwrap_or_else(|error| error);
            let schemes = entry
                .schemes
                .as_ref()
                .map(|schemes| format!(" for {schemes}"))
                .unwrap_or_default();
            text.push_str(&format!(
                "# {} · {}{schemes}\n{}",
                request.endpoint,
                request.kind.label(),
                withhold(&raw, 1).replace("\r\n", "\n")
            ));
        }
        for skipped in &plan.skipped {
            text.push_str(&format!("# skipped: {skipped}\n"));
        }
        text.push_str(&format!("# {} requests, none sent\n", plan.planned.len()));
        return crate::write_report(&text, None);
    }
    // The scenario's facts hold only if its keys and tables know every credential given.
    let known = options.auth.iter().all(|given| {
        let scenario = &options.scenario;
        match spec.scheme(&given.scheme).map(|scheme| &scheme.kind) {
            Some(authpath_engine::openapi::SchemeKind::Http { scheme }) if scheme == "basic" => {
                given.value.split_once(':').is_some_and(|(user, password)| {
                    verifies(
                        &format!("Basic {}", basic_credentials(user, password)),
                        scenario,
                    )
                })
            }
            Some(authpath_engine::openapi::SchemeKind::ApiKey { .. }) => {
                scenario.api_keys.iter().any(|key| key.key == given.value)
                    || scenario
                        .sessions
                        .iter()
                        .any(|session| session.id == given.value)
            }
            _ => verifies(&format!("Bearer {}", given.value), scenario),
        }
    });
    let scenario = known.then_some(&options.scenario);
    let declared = named_readers(&options.scenario);
    let agent = client::agent(options.timeout);
    let mut exchanges = Vec::new();
    let mut tally = Tally::default();
    for entry in &plan.planned {
        let request = &entry.planned;
        let (answer, known, _) = tally.send(&agent, request);
        let mut exchange = exchange(
            request_name(request),
            request.endpoint.clone(),
            &request.outgoing,
            &answer,
            scenario,
            options.scenario.profile,
            &Judged {
                known,
                expected: request.expected.clone(),
                // The --auth values are withheld below; the spec's own key and cookie places
                // are where its credentials are, whether or not the scenario vouches for them.
                given: &[],
                declared: &declared,
            },
        );
        if let Some(schemes) = &entry.schemes {
            exchange.name = format!("{} for {schemes}", exchange.name);
        }
        exchange.request = withhold(&exchange.request, 1);
        exchange.response = exchange.response.map(|response| withhold(&response, 8));
        if let (Some(status), Some(operation)) =
            (exchange.status, spec.operations.get(entry.operation))
        {
            if !operation.declares(status) {
                exchange.findings.push(Item::undeclared(status, operation));
            }
        }
        exchanges.push(exchange);
    }
    let Tally {
        answered, failure, ..
    } = tally;
    if answered == 0 && !plan.planned.is_empty() {
        return Err(Failure::Unreachable(format!(
            "{base} cannot be reached: none of the {} requests got an answer (the first: {})",
            plan.planned.len(),
            failure.unwrap_or_default()
        )));
    }
    let report = Report {
        command: "probe",
        target: base.to_string(),
        profile: options.scenario.profile,
        scenario: scenario.is_some(),
        identities: Vec::new(),
        exchanges,
        skipped: plan.skipped,
    };
    crate::write_report(&report.render(options.format), options.output.as_deref())?;
    crate::findings_status(&report)
}

/// The value of a header of a raw response.
fn header(raw: &str, name: &str) -> Option<String> {
    raw.split("\r\n")
        .skip(1)
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.split_once(':'))
        .find(|(field, _)| field.trim().eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim().to_string())
}
