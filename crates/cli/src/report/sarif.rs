//! SARIF 2.1.0 for code-scanning uploads: one run, the rules that have findings in
//! `tool.driver.rules` (`helpUri` = the RFC section), one result per finding (`ruleId` = the
//! rule id, `level` = its severity). A result's location is the URL the request went to (or,
//! for `check`, the file read), and its logical location the endpoint; `partialFingerprints`
//! keep the same finding on the same exchange one alert across runs.

use authpath_engine::identities::Breach;
use serde_json::{json, Value};

use super::{rule_of, severity_word, title, Report, DECLARED_RULE, STATUS_RULE};

/// The OASIS schema of SARIF 2.1.0 (errata 01), which `$schema` names.
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

pub fn render(report: &Report) -> String {
    let rules = report.rules();
    let descriptors: Vec<Value> = rules.iter().map(|id| descriptor(id)).collect();
    let mut results = Vec::new();
    for exchange in &report.exchanges {
        let location = location_of(report, exchange);
        for item in &exchange.findings {
            let index = rules.iter().position(|id| *id == item.rule).unwrap_or(0);
            results.push(json!({
                "ruleId": item.rule,
                "ruleIndex": index,
                "level": severity_word(item.severity),
                "message": {
                    "text": format!("{}: {} Fix: {}", exchange.name, item.message, item.fix)
                },
                "locations": [{
                    "physicalLocation": { "artifactLocation": { "uri": location } },
                    "logicalLocations": [{
                        "fullyQualifiedName": exchange.endpoint,
                        "kind": "resource"
                    }]
                }],
                "partialFingerprints": {
                    "authpathExchange/v1": format!("{}|{}", item.rule, exchange.name)
                },
                "properties": {
                    "status": exchange.status,
                    "expected": exchange.expected.as_ref().map(|expected| &expected.status),
                    "request": exchange.request,
                }
            }));
        }
    }
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "authpath",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": descriptors,
                }
            },
            "invocations": [{
                "executionSuccessful": true,
                "commandLine": format!("authpath {} {}", report.command, report.target),
                "toolExecutionNotifications": report.skipped.iter().map(|skipped| json!({
                    "level": "note",
                    "message": { "text": format!("skipped: {skipped}") },
                })).collect::<Vec<_>>(),
            }],
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// Where a result points: the request's URL for `probe`, the file for `check`.
fn location_of(report: &Report, exchange: &super::Exchange) -> String {
    if report.command != "probe" {
        // `-` is no URI: stdin gets a name a viewer can show.
        return match report.target.as_str() {
            "-" => "stdin".to_string(),
            path => path.to_string(),
        };
    }
    let path = exchange
        .request
        .lines()
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .unwrap_or("/");
    let origin = report
        .target
        .split_once("://")
        .map(|(scheme, rest)| {
            let host = rest.split('/').next().unwrap_or(rest);
            format!("{scheme}://{host}")
        })
        .unwrap_or_else(|| report.target.clone());
    format!("{origin}{path}")
}

fn descriptor(id: &str) -> Value {
    if let Some(breach) = Breach::from_id(id) {
        return json!({
            "id": id,
            "shortDescription": { "text": breach.title() },
            "fullDescription": { "text": breach.fix() },
            "helpUri": breach.url(),
            "help": { "text": format!("{} ({})", breach.fix(), breach.source()) },
            "defaultConfiguration": { "level": "error" },
            "properties": { "source": breach.source() }
        });
    }
    match rule_of(id) {
        Some(rule) => {
            let level = rule
                .severities()
                .iter()
                .min()
                .map_or("warning", |severity| severity_word(*severity));
            json!({
                "id": id,
                "shortDescription": { "text": rule.title() },
                "fullDescription": { "text": rule.explanation() },
                "helpUri": rule.url(),
                "help": { "text": format!("{} ({})", rule.explanation(), rule.source()) },
                "defaultConfiguration": { "level": level },
                "properties": { "source": rule.source() }
            })
        }
        None if id == DECLARED_RULE => json!({
            "id": DECLARED_RULE,
            "shortDescription": { "text": title(id) },
            "helpUri": super::DECLARED_URL,
            "defaultConfiguration": { "level": "warning" },
            "properties": { "source": super::DECLARED_SOURCE }
        }),
        None => json!({
            "id": STATUS_RULE,
            "shortDescription": { "text": title(id) },
            "helpUri": super::STATUS_URL,
            "defaultConfiguration": { "level": "error" },
            "properties": { "source": super::STATUS_SOURCE }
        }),
    }
}
