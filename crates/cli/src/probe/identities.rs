//! `authpath probe --identities FILE`: the identities file read, the engine's plan
//! (`authpath_engine::identities`) sent one request at a time, and each answer judged twice:
//! by the engine's verdict for the identity (BOLA, BFLA, a refusal where it may) and by the R
//! rules, with what the run saw. The judging is the engine's; this module reads the file,
//! sends, and writes the report.

use std::collections::BTreeMap;

use authpath_engine::identities::{
    self, fields, Answer as Received, Breach, Cell, Credential, Identity, May, Plan, Purpose,
};
use authpath_engine::{KeyLocation, Scheme, Severity};
use serde::Deserialize;

use super::client::{self, Answer, Outgoing};
use super::plan::Given;
use super::{declared, exchange, fits, hidden, parse_cookie, parse_header, Judged, ProbeOptions};
use crate::report::{CellReport, Expectation, Item, Report};
use crate::Failure;

/// One table of the identities file, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    token: Option<String>,
    basic: Option<String>,
    #[serde(default)]
    header: Vec<String>,
    #[serde(default)]
    cookie: Vec<String>,
    role: Option<String>,
    scopes: Option<Vec<String>>,
    #[serde(default)]
    owns: Vec<String>,
    /// With `--openapi`: a credential per scheme name of the spec, sent as the scheme says.
    #[serde(default)]
    auth: BTreeMap<String, String>,
}

/// Reads an identities file: one table per identity, named by the table, in the file's order.
/// Each sends something (`token`, `basic = "user:pass"`, `header = ["Name: value"]`,
/// `cookie = ["name=value"]`); `role`, `scopes` and `owns` (paths) are optional. An error
/// names the place (the toml reader's line and column) or the table, never a secret.
/// `schemes` are the spec's (with `--openapi`), which an `auth = { scheme = "…" }` table names.
pub fn read(
    text: &str,
    schemes: Option<&BTreeMap<String, Scheme>>,
) -> Result<Vec<Identity>, String> {
    let tables: BTreeMap<String, toml::Spanned<Table>> =
        toml::from_str(text).map_err(|error| error.to_string().trim_end().to_string())?;
    let mut tables: Vec<(String, toml::Spanned<Table>)> = tables.into_iter().collect();
    tables.sort_by_key(|(_, table)| table.span().start);
    tables
        .into_iter()
        .map(|(name, table)| identity(name, table.into_inner(), schemes))
        .collect()
}

fn identity(
    name: String,
    table: Table,
    schemes: Option<&BTreeMap<String, Scheme>>,
) -> Result<Identity, String> {
    let fail = |message: String| format!("[{name}]: {message}");
    if name == identities::ANONYMOUS {
        return Err(fail(
            "anonymous is the identity without credentials, always probed: name the table otherwise"
                .to_string(),
        ));
    }
    let mut credentials = Vec::new();
    if let Some(token) = &table.token {
        let token = token.trim();
        let token = token
            .strip_prefix("Bearer ")
            .or_else(|| token.strip_prefix("bearer "))
            .unwrap_or(token)
            .trim();
        if token.is_empty() {
            return Err(fail("token is empty".to_string()));
        }
        credentials.push(Credential::Token(token.to_string()));
    }
    if let Some(basic) = &table.basic {
        let Some((user, password)) = basic.split_once(':') else {
            return Err(fail(
                "basic needs \"USER:PASSWORD\", with a colon".to_string(),
            ));
        };
        credentials.push(Credential::Basic {
            user: user.to_string(),
            password: password.to_string(),
        });
    }
    for header in &table.header {
        let (name, value) =
            parse_header(header).map_err(|error| fail(error.replace("--header", "header")))?;
        credentials.push(Credential::Header { name, value });
    }
    for cookie in &table.cookie {
        let (name, value) =
            parse_cookie(cookie).map_err(|error| fail(error.replace("--cookie", "cookie")))?;
        credentials.push(Credential::Cookie { name, value });
    }
    for (scheme, value) in &table.auth {
        let Some(schemes) = schemes else {
            return Err(fail(format!(
                "auth names the spec's schemes ({scheme}): give --openapi FILE, or say how it is \
                 sent with token, basic, header or cookie"
            )));
        };
        let Some(defined) = schemes.get(scheme) else {
            let known: Vec<&str> = schemes.keys().map(String::as_str).collect();
            return Err(fail(format!(
                "auth: the spec has no scheme {scheme:?} (it has: {})",
                known.join(", ")
            )));
        };
        credentials.push(by_scheme(scheme, defined, value).map_err(fail)?);
    }
    if credentials.is_empty() {
        return Err(fail(
            "sends no credentials: give token, basic, header or cookie (the identity without \
             any, anonymous, is always probed)"
                .to_string(),
        ));
    }
    if let Some(object) = table.owns.iter().find(|object| !object.starts_with('/')) {
        return Err(fail(format!(
            "owns lists paths, as in \"/orders/17\", not {object:?}"
        )));
    }
    Ok(Identity {
        name,
        credentials,
        role: table.role,
        scopes: table.scopes,
        owns: table.owns,
    })
}

/// The credential `value` for the spec's scheme `name`, sent where the scheme says.
fn by_scheme(name: &str, scheme: &Scheme, value: &str) -> Result<Credential, String> {
    let value = value.trim().to_string();
    if value.is_empty() {
        return Err(format!("auth: {name} is empty"));
    }
    Ok(match scheme {
        Scheme::Http { scheme } if scheme.eq_ignore_ascii_case("basic") => {
            let Some((user, password)) = value.split_once(':') else {
                return Err(format!(
                    "auth: {name} is HTTP Basic and needs \"USER:PASSWORD\", with a colon"
                ));
            };
            Credential::Basic {
                user: user.to_string(),
                password: password.to_string(),
            }
        }
        Scheme::Http { scheme } if scheme.eq_ignore_ascii_case("bearer") => {
            Credential::Token(value)
        }
        Scheme::Http { scheme } => Credential::Header {
            name: "Authorization".to_string(),
            value: format!("{} {value}", capitalised(scheme)),
        },
        Scheme::ApiKey {
            location: KeyLocation::Header,
            name: header,
        } => Credential::Header {
            name: header.clone(),
            value,
        },
        Scheme::ApiKey {
            location: KeyLocation::Cookie,
            name: cookie,
        }
        | Scheme::Session { cookie } => Credential::Cookie {
            name: cookie.clone(),
            value,
        },
        Scheme::ApiKey {
            location: KeyLocation::Query,
            ..
        } => {
            return Err(format!(
                "auth: {name} is an API key in the query, which an identity does not send (its \
                 value would be in every URL of the report); probe it with --openapi and --auth"
            ))
        }
    })
}

/// `token` → `Token`, as an `Authorization` scheme is written.
fn capitalised(scheme: &str) -> String {
    let mut characters = scheme.chars();
    characters
        .next()
        .map(|first| first.to_uppercase().chain(characters).collect())
        .unwrap_or_default()
}

/// What the command line sends for `credentials`, for the masking and the scenario checks
/// that `probe`'s own credentials go through.
pub fn given(credentials: &[Credential]) -> Vec<Given> {
    credentials
        .iter()
        .map(|credential| match credential {
            Credential::Token(token) => Given::Token(token.clone()),
            Credential::Basic { user, password } => Given::Basic {
                user: user.clone(),
                password: password.clone(),
            },
            Credential::Header { name, value } => Given::Header {
                name: name.clone(),
                value: value.clone(),
            },
            Credential::Cookie { name, value } => Given::Cookie {
                name: name.clone(),
                value: value.clone(),
            },
        })
        .collect()
}

/// The plan for the options; an error is the usage message.
pub fn plan_of(options: &ProbeOptions) -> Result<Plan, String> {
    let engine_options = identities::Options {
        send_unsafe: options.send_unsafe,
        method: options.method.clone(),
        paths: options.paths.clone(),
    };
    identities::plan(&options.scenario, &options.identities, &engine_options)
}

/// The request of a cell: its identity's credentials on the path under `base`.
pub fn outgoing_of(base: &str, plan: &Plan, cell: &Cell) -> Outgoing {
    let credentials = plan
        .who
        .iter()
        .position(|who| who.name == cell.identity)
        .and_then(|index| plan.credentials.get(index))
        .map(|credentials| fields(credentials))
        .unwrap_or_default();
    super::plan::outgoing(base, &cell.method, &cell.path, credentials)
}

/// Every credential of every identity, for the masking of every report.
fn all_given(plan: &Plan) -> Vec<Given> {
    plan.credentials
        .iter()
        .flat_map(|credentials| given(credentials))
        .collect()
}

/// The dry run: each cell, why it is asked and what it should get, its request masked; then
/// the unsafe requests left out.
pub fn dry_run(base: &str, plan: &Plan) -> String {
    let given = all_given(plan);
    let mut text = String::new();
    for cell in &plan.cells {
        let raw = client::raw_request(&outgoing_of(base, plan, cell)).unwrap_or_else(|e| e);
        text.push_str(&format!(
            "# {} · {} · {}\n{}",
            name_of(cell),
            purpose_words(&cell.purpose),
            expected_words(cell),
            hidden(&raw, &given).replace("\r\n", "\n")
        ));
    }
    text.push_str(&format!("# {} requests, none sent\n", plan.cells.len()));
    text.push_str(&skipped_words(plan));
    text
}

/// Sends the plan, judges it and writes the report.
pub fn run(options: &ProbeOptions, base: &str, plan: &Plan) -> Result<(), Failure> {
    let every = all_given(plan);
    let agent = client::agent(options.timeout);
    let mut sent = Vec::new();
    let mut failure = None;
    for cell in &plan.cells {
        let outgoing = outgoing_of(base, plan, cell);
        let answer = client::send(&agent, &outgoing);
        if let Answer::Unreachable(reason) | Answer::Failed(reason) = &answer {
            failure.get_or_insert_with(|| reason.clone());
        }
        sent.push((outgoing, answer));
    }
    let received: Vec<Option<Received>> = sent
        .iter()
        .map(|(_, answer)| match answer {
            Answer::Response { status, raw } => Some(Received {
                status: *status,
                response: raw.clone(),
            }),
            _ => None,
        })
        .collect();
    if received.iter().all(Option::is_none) {
        return Err(Failure::Unreachable(format!(
            "{base} cannot be reached: none of the {} requests got an answer (the first: {})",
            plan.cells.len(),
            failure.unwrap_or_default()
        )));
    }
    let judgements = identities::judge(plan, &received);
    let mut exchanges = Vec::new();
    for ((cell, (outgoing, answer)), judgement) in plan.cells.iter().zip(&sent).zip(&judgements) {
        let own = plan
            .who
            .iter()
            .position(|who| who.name == cell.identity)
            .and_then(|index| plan.credentials.get(index))
            .map(|credentials| given(credentials))
            .unwrap_or_default();
        // The scenario's facts hold for this server only if it vouches for the identity's
        // credentials, as for `probe --token`.
        let scenario = fits(&own, &options.scenario).then_some(&options.scenario);
        let declared = declared(&own, &options.scenario);
        let mut exchange = exchange(
            name_of(cell),
            format!("{} {}", cell.method, cell.path),
            outgoing,
            answer,
            scenario,
            options.scenario.profile,
            &Judged {
                known: judgement.known,
                expected: None,
                given: &every,
                declared: &declared,
            },
        );
        exchange.expected = (!cell.verdict.expected.is_empty()).then(|| Expectation {
            status: statuses(&cell.verdict.expected),
            why: cell.verdict.why.clone(),
        });
        let mut items = Vec::new();
        if let Some((breach, message)) = &judgement.breach {
            items.push(breach_item(*breach, message));
        }
        items.extend(
            judgement
                .findings
                .iter()
                .map(|finding| Item::from_finding(finding, options.scenario.profile)),
        );
        items.append(&mut exchange.findings);
        exchange.findings = items;
        if let Some(note) = &judgement.note {
            exchange.unjudged.push(note.clone());
        }
        exchange.identity = Some(cell.identity.clone());
        exchange.cell = Some(CellReport {
            operation: cell.operation.clone(),
            purpose: purpose_words(&cell.purpose),
            may: match cell.verdict.may {
                May::Yes => "yes",
                May::No => "no",
                May::Unknown => "unknown",
            },
            mark: mark(&exchange.findings, cell, judgement.note.is_some()),
        });
        exchanges.push(exchange);
    }
    let report = Report {
        command: "probe",
        target: base.to_string(),
        profile: options.scenario.profile,
        scenario: true,
        identities: plan.who.clone(),
        skipped: plan.skipped.iter().map(name_of).collect(),
        exchanges,
    };
    crate::write_report(&report.render(options.format), options.output.as_deref())?;
    crate::findings_status(&report)
}

/// A cell's name in every report: `bob · GET /users/alice/notes`.
fn name_of(cell: &Cell) -> String {
    format!("{} · {} {}", cell.identity, cell.method, cell.path)
}

/// Why a cell is asked, in words.
fn purpose_words(purpose: &Purpose) -> String {
    match purpose {
        Purpose::Operation => "the operation".to_string(),
        Purpose::Object { owner } => format!("{owner}'s object"),
        Purpose::Missing { object, .. } => format!("a neighbour of {object} that does not exist"),
        Purpose::Undeclared => "a method the path does not declare".to_string(),
    }
}

fn expected_words(cell: &Cell) -> String {
    match cell.verdict.may {
        May::Unknown => format!("not judged: {}", cell.verdict.why),
        _ => format!(
            "expected {}: {}",
            statuses(&cell.verdict.expected),
            cell.verdict.why
        ),
    }
}

/// `2xx`, `401`, `403 or 404`.
fn statuses(expected: &[u16]) -> String {
    if expected
        .first()
        .is_some_and(|status| (200..300).contains(status))
    {
        return "2xx".to_string();
    }
    let words: Vec<String> = expected.iter().map(u16::to_string).collect();
    words.join(" or ")
}

/// The unsafe requests the plan holds back, in a line per request.
fn skipped_words(plan: &Plan) -> String {
    if plan.skipped.is_empty() {
        return String::new();
    }
    let mut text = format!(
        "# {} requests of unsafe methods planned, not sent (give --unsafe to send them):\n",
        plan.skipped.len()
    );
    for cell in &plan.skipped {
        text.push_str(&format!("#   {}\n", name_of(cell)));
    }
    text
}

/// A breach as a report item: its id as the rule, error level, its source (the OWASP id) and
/// fix.
fn breach_item(breach: Breach, message: &str) -> Item {
    Item {
        rule: breach.id().to_string(),
        severity: Severity::Error,
        message: format!("{}: {message}", breach.title()),
        source: breach.source().to_string(),
        url: breach.url().to_string(),
        fix: breach.fix().to_string(),
    }
}

/// The mark of a cell in the matrix: the first error's rule (a breach comes first), else `?`
/// where the access is unknown or the cell was not judged, else `ok`.
fn mark(findings: &[Item], cell: &Cell, note: bool) -> String {
    if let Some(item) = findings
        .iter()
        .find(|item| item.severity == Severity::Error)
    {
        return item.rule.clone();
    }
    if note || cell.verdict.may == May::Unknown {
        return "?".to_string();
    }
    "ok".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_read_in_its_order_and_checked() {
        let text = r#"
[zed]
token = "Bearer abc.def.ghi"
role = "admin"

[alice]
basic = "alice:alice-pw"
scopes = ["reports:read"]
owns = ["/users/alice/notes", "/orders/17"]

[keyed]
header = ["X-API-Key: ak_1"]
cookie = ["sessionid=s1", "csrftoken=c1"]
"#;
        let read = read(text, None).unwrap_or_default();
        let names: Vec<&str> = read.iter().map(|identity| identity.name.as_str()).collect();
        assert_eq!(names, ["zed", "alice", "keyed"]);
        assert_eq!(
            read[0].credentials,
            [Credential::Token("abc.def.ghi".to_string())]
        );
        assert_eq!(read[0].role.as_deref(), Some("admin"));
        assert_eq!(read[1].owns, ["/users/alice/notes", "/orders/17"]);
        assert_eq!(read[1].scopes, Some(vec!["reports:read".to_string()]));
        assert_eq!(read[2].credentials.len(), 3);

        let cases = [
            ("[a]\nrole = \"user\"\n", "sends no credentials"),
            ("[anonymous]\ntoken = \"t\"\n", "always probed"),
            ("[a]\nbasic = \"nocolon\"\n", "with a colon"),
            (
                "[a]\ntoken = \"t\"\nowns = [\"orders/17\"]\n",
                "owns lists paths",
            ),
            (
                "[a]\ntoken = \"t\"\nheader = [\"X-Key k\"]\n",
                "header needs",
            ),
            ("[a]\ntoken = \"t\"\ncookie = [\"a=b c\"]\n", "cookie a"),
            ("[a]\ntokn = \"t\"\n", "tokn"),
            (
                "[a]\ntoken = \"t\"\nauth = { bearerAuth = \"t\" }\n",
                "auth",
            ),
            ("[a]\ntoken = \n", "line 2"),
        ];
        for (text, part) in cases {
            match super::read(text, None) {
                Ok(found) => panic!("{text:?} read as {found:?}"),
                Err(error) => assert!(error.contains(part), "{text:?}: {error}"),
            }
        }
    }

    #[test]
    fn statuses_are_written_as_the_reports_write_them() {
        assert_eq!(statuses(&[200, 201, 202, 204]), "2xx");
        assert_eq!(statuses(&[403, 404]), "403 or 404");
        assert_eq!(statuses(&[401]), "401");
    }
}
