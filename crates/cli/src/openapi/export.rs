//! `authpath openapi export`: the policy (the demo API, `--policy` or `--openapi`) as an
//! OpenAPI 3.1 document whose operations declare what `--profile` answers.

use authpath_engine::openapi::{export, to_yaml};
use authpath_engine::Scenario;

use crate::args::{help_flag, Arguments, Command, Flag, Positionals};
use crate::scenario::{now_flag, openapi_flag, policy_flag, profile_flag, WithScenario};
use crate::Failure;

const ABOUT: &str = "\
authpath openapi export: the policy as an OpenAPI 3.1 document

USAGE:
    authpath openapi export [OPTIONS]

Writes the policy's routes as operations and its schemes as security schemes. Each
operation declares the answers the chosen server profile gives, found by evaluating
requests on it (none, a token that does not verify, a malformed one, valid credentials
without the rights, with them): the statuses, the WWW-Authenticate challenges and the
problem+json bodies as examples. Roles are 3.1 role lists, scopes and owners x-authpath.

";

const AFTER: &str = "\
EXAMPLES:
    authpath openapi export --format yaml > openapi.yaml
    authpath openapi export --policy policy.toml --profile conceal --output openapi.json
";

/// The formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Json,
    Yaml,
}

/// The parsed options of `authpath openapi export`.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub scenario: Scenario,
    pub format: Written,
    pub output: Option<String>,
}

impl WithScenario for ExportOptions {
    fn scenario_mut(&mut self) -> &mut Scenario {
        &mut self.scenario
    }
}

pub fn command() -> Command<ExportOptions> {
    Command {
        name: "openapi export",
        about: ABOUT,
        flags: vec![
            policy_flag(),
            openapi_flag(),
            profile_flag(),
            now_flag(),
            Flag::value(
                "format",
                "<json|yaml>",
                "json (the default) or yaml",
                |options: &mut ExportOptions, value| {
                    options.format = match value.trim().to_ascii_lowercase().as_str() {
                        "json" => Written::Json,
                        "yaml" | "yml" => Written::Yaml,
                        _ => return Err(format!("--format must be json or yaml, not {value:?}")),
                    };
                    Ok(())
                },
            ),
            Flag::value(
                "output",
                "<file>",
                "write the document to this file instead of stdout",
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
        column: 36,
        after: AFTER,
        positionals: Positionals::Suggest("output"),
    }
}

pub fn help() -> String {
    command().help()
}

pub fn main(mut arguments: Arguments) -> Result<(), Failure> {
    let options = ExportOptions {
        scenario: Scenario::default(),
        format: Written::Json,
        output: None,
    };
    let Some(options) = command().parse(&mut arguments, options)? else {
        return Ok(());
    };
    let document = export(&options.scenario);
    let text = match options.format {
        Written::Json => document.to_json(),
        Written::Yaml => to_yaml(&document),
    };
    crate::write_report(&text, options.output.as_deref())
}
