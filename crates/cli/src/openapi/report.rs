//! The spec lint's report: readable text (`file:line:column: O2 error: …`, the form editors
//! jump to), JSON, JUnit XML (one test case per operation) and SARIF 2.1.0, whose results
//! point at the spec file, line and column, so code scanning marks the line. What the reader
//! did not understand is listed too: in SARIF as tool notifications at their place.

use authpath_engine::openapi::{Problem, SpecFinding, SpecRule, Syntax, Version};
use authpath_engine::Severity;
use serde::Serialize;
use serde_json::{json, Value};

use crate::report::junit::escape;
use crate::report::severity_word;
pub use crate::report::Format;

/// One run of the spec lint.
#[derive(Debug, Clone, Serialize)]
pub struct SpecReport {
    /// The file as named on the command line (`stdin` for `-`).
    pub file: String,
    pub version: Version,
    pub syntax: Syntax,
    pub findings: Vec<SpecFinding>,
    /// What was not understood, or not mapped onto a policy.
    pub problems: Vec<Problem>,
}

impl SpecReport {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|finding| finding.severity == Severity::Error)
            .count()
    }

    fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|finding| finding.severity == severity)
            .count()
    }

    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => self.text(),
            Format::Json => {
                let mut text = serde_json::to_string_pretty(&self.json()).unwrap_or_default();
                text.push('\n');
                text
            }
            Format::Junit => self.junit(),
            Format::Sarif => self.sarif(),
        }
    }

    fn text(&self) -> String {
        let plural = |count: usize| if count == 1 { "" } else { "s" };
        let (errors, warnings) = (self.count(Severity::Error), self.count(Severity::Warning));
        let mut text = format!(
            "authpath openapi lint {} ({}, {}): {errors} error{}, {warnings} warning{}, {} not understood\n",
            self.file,
            version_name(self.version),
            syntax_name(self.syntax),
            plural(errors),
            plural(warnings),
            self.problems.len(),
        );
        for finding in &self.findings {
            let rule = finding.rule;
            text.push_str(&format!(
                "{}:{}:{}: {} {}: {} ({}, {})\n    fix: {}\n",
                self.file,
                finding.place.line,
                finding.place.column,
                rule.id(),
                severity_word(finding.severity),
                finding.message,
                rule.source(),
                rule.url(),
                rule.explanation(),
            ));
        }
        for problem in &self.problems {
            text.push_str(&format!(
                "{}:{}:{}: not understood: {}\n",
                self.file, problem.line, problem.column, problem.message
            ));
        }
        if self.findings.is_empty() && self.problems.is_empty() {
            text.push_str("no findings\n");
        }
        text
    }

    fn json(&self) -> Value {
        json!({
            "command": "openapi lint",
            "file": self.file,
            "openapi": version_name(self.version),
            "syntax": syntax_name(self.syntax),
            "findings": self.findings.iter().map(|finding| json!({
                "rule": finding.rule.id(),
                "severity": severity_word(finding.severity),
                "message": finding.message,
                "operation": finding.operation,
                "line": finding.place.line,
                "column": finding.place.column,
                "pointer": finding.place.pointer,
                "source": finding.rule.source(),
                "url": finding.rule.url(),
                "fix": finding.rule.explanation(),
            })).collect::<Vec<_>>(),
            "not_understood": self.problems,
        })
    }

    /// One test case per operation (and one for the spec as a whole), a failure per
    /// error-level finding; warnings go to the case's output.
    fn junit(&self) -> String {
        let mut cases: Vec<(String, Vec<&SpecFinding>)> = vec![("spec".to_string(), Vec::new())];
        for finding in &self.findings {
            let name = finding
                .operation
                .clone()
                .unwrap_or_else(|| "spec".to_string());
            match cases.iter_mut().find(|(known, _)| *known == name) {
                Some((_, found)) => found.push(finding),
                None => cases.push((name, vec![finding])),
            }
        }
        let failures = self.errors();
        let mut xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <testsuites name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n  \
             <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n",
            escape(&format!("authpath openapi lint {}", self.file)),
            cases.len(),
            escape(&self.file),
            cases.len(),
        );
        for (name, findings) in &cases {
            xml.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\">\n",
                escape(&self.file),
                escape(name)
            ));
            let mut output = String::new();
            for finding in findings {
                let line = format!(
                    "{}:{}:{}: {} {}: {}",
                    self.file,
                    finding.place.line,
                    finding.place.column,
                    finding.rule.id(),
                    severity_word(finding.severity),
                    finding.message
                );
                if finding.severity == Severity::Error {
                    xml.push_str(&format!(
                        "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                        finding.rule.id(),
                        escape(&finding.message),
                        escape(&line)
                    ));
                } else {
                    output.push_str(&line);
                    output.push('\n');
                }
            }
            if !output.is_empty() {
                xml.push_str(&format!(
                    "      <system-out>{}</system-out>\n",
                    escape(&output)
                ));
            }
            xml.push_str("    </testcase>\n");
        }
        xml.push_str("  </testsuite>\n</testsuites>\n");
        xml
    }

    fn sarif(&self) -> String {
        let rules: Vec<SpecRule> = SpecRule::all()
            .into_iter()
            .filter(|rule| self.findings.iter().any(|finding| finding.rule == *rule))
            .collect();
        let descriptors: Vec<Value> = rules
            .iter()
            .map(|rule| {
                json!({
                    "id": rule.id(),
                    "shortDescription": { "text": rule.title() },
                    "fullDescription": { "text": rule.explanation() },
                    "helpUri": rule.url(),
                    "help": { "text": format!("{} ({})", rule.explanation(), rule.source()) },
                    "defaultConfiguration": { "level": severity_word(rule.severity()) },
                    "properties": { "source": rule.source() },
                })
            })
            .collect();
        let uri = self.file.replace('\\', "/");
        let location = |line: usize, column: usize, pointer: &str| {
            json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": uri },
                    "region": { "startLine": line, "startColumn": column },
                },
                "logicalLocations": [{
                    "fullyQualifiedName": if pointer.is_empty() { "/" } else { pointer },
                    "kind": "object",
                }],
            })
        };
        let results: Vec<Value> = self
            .findings
            .iter()
            .map(|finding| {
                json!({
                    "ruleId": finding.rule.id(),
                    "ruleIndex": rules.iter().position(|rule| *rule == finding.rule).unwrap_or(0),
                    "level": severity_word(finding.severity),
                    "message": { "text": format!("{} Fix: {}", finding.message, finding.rule.explanation()) },
                    "locations": [location(finding.place.line, finding.place.column, &finding.place.pointer)],
                    "partialFingerprints": {
                        "authpathSpec/v1": format!("{}|{}", finding.rule.id(), finding.place.pointer),
                    },
                })
            })
            .collect();
        let notifications: Vec<Value> = self
            .problems
            .iter()
            .map(|problem| {
                json!({
                    "level": "warning",
                    "message": { "text": format!("not understood: {}", problem.message) },
                    "locations": [location(problem.line, problem.column, &problem.pointer)],
                })
            })
            .collect();
        let log = json!({
            "$schema": crate::report::SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "authpath",
                        "version": env!("CARGO_PKG_VERSION"),
                        "informationUri": "https://spec.openapis.org/oas/v3.1.0",
                        "rules": descriptors,
                    }
                },
                "invocations": [{
                    "executionSuccessful": true,
                    "commandLine": format!("authpath openapi lint {}", self.file),
                    "toolExecutionNotifications": notifications,
                }],
                "artifacts": [{ "location": { "uri": uri } }],
                "results": results,
            }]
        });
        let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
        text.push('\n');
        text
    }
}

fn version_name(version: Version) -> &'static str {
    match version {
        Version::V3_0 => "OpenAPI 3.0",
        Version::V3_1 => "OpenAPI 3.1",
    }
}

fn syntax_name(syntax: Syntax) -> &'static str {
    match syntax {
        Syntax::Json => "JSON",
        Syntax::Yaml => "YAML",
    }
}
