//! A probe report of several identities (`authpath probe --identities --format json`) read
//! back, for the page: who was probed, each cell with its exchange and findings, and the
//! matrix's rows. Only the members the page shows are read; others are ignored.

use serde::Deserialize;

use super::stand_in::stand_in;
use super::who::Who;
use crate::model::Scenario;

/// A probe report of several identities.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ProbeReport {
    /// The base URL probed.
    pub target: String,
    /// Anonymous first, then the identities of the file.
    pub identities: Vec<Who>,
    pub exchanges: Vec<ProbeExchange>,
}

/// One cell of the report: the request as one identity sent it, and what came back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ProbeExchange {
    /// `bob · GET /users/alice/notes`.
    pub name: String,
    /// `GET /users/alice/notes`: the matrix's row.
    pub endpoint: String,
    /// The identity's name: the matrix's column.
    #[serde(default)]
    pub identity: Option<String>,
    /// The raw request, credentials masked.
    #[serde(default)]
    pub request: String,
    #[serde(default)]
    pub status: Option<u16>,
    /// The raw response.
    #[serde(default)]
    pub response: Option<String>,
    /// Why no answer came.
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub findings: Vec<ProbeFinding>,
    #[serde(default)]
    pub unjudged: Vec<String>,
    #[serde(default)]
    pub cell: Option<ProbeCell>,
}

/// A finding as the report writes it: a breach (`BOLA`, `BFLA`, `refused`) or an R rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ProbeFinding {
    pub rule: String,
    /// `error`, `warning` or `note`.
    pub severity: String,
    pub message: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub fix: String,
}

/// The cell's place in the matrix and its mark.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ProbeCell {
    pub operation: String,
    pub purpose: String,
    /// `yes`, `no` or `unknown`.
    pub may: String,
    /// `ok`, a breach or rule id, or `?`.
    pub mark: String,
}

impl ProbeReport {
    /// Reads a report; an error says why the text is not one (not JSON, or a report without
    /// identities, which `check` reads instead).
    pub fn read(text: &str) -> Result<ProbeReport, String> {
        let report: ProbeReport = serde_json::from_str(text).map_err(|error| {
            format!("not a probe report of authpath probe --identities --format json: {error}")
        })?;
        if report.identities.is_empty() {
            return Err(
                "a probe report without identities: run authpath probe with --identities"
                    .to_string(),
            );
        }
        Ok(report)
    }

    /// The matrix's rows: each endpoint once, in the order of the report.
    pub fn rows(&self) -> Vec<&str> {
        let mut rows: Vec<&str> = Vec::new();
        for exchange in &self.exchanges {
            if !rows.contains(&exchange.endpoint.as_str()) {
                rows.push(&exchange.endpoint);
            }
        }
        rows
    }

    /// The index of the exchange at `row` as `identity`; `None` where it was not asked.
    pub fn cell(&self, row: &str, identity: &str) -> Option<usize> {
        self.exchanges.iter().position(|exchange| {
            exchange.endpoint == row && exchange.identity.as_deref() == Some(identity)
        })
    }

    /// The stand-in of exchange `index` under `scenario` (see [`stand_in`]): the scenario the
    /// rfc profile answers it with and the raw request, whose evaluation is the cell's RFC
    /// answer and decision path under that scenario's policy.
    pub fn stand_in(&self, index: usize, scenario: &Scenario) -> Option<(Scenario, String)> {
        let exchange = self.exchanges.get(index)?;
        let name = exchange.identity.as_deref()?;
        let who = self.identities.iter().find(|who| who.name == name)?;
        let (method, path) = exchange.endpoint.split_once(' ')?;
        Some(stand_in(scenario, who, method, path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::evaluate;

    const REPORT: &str = r#"{
      "command": "probe", "target": "http://127.0.0.1:8080", "profile": "rfc", "scenario": true,
      "identities": [
        {"name": "anonymous", "roles": [], "scopes": []},
        {"name": "bob", "subject": "bob", "roles": ["user"], "scopes": [], "owns": ["/users/bob/notes"],
         "sends": ["Basic bob"], "kind": "basic", "csrf": false}
      ],
      "exchanges": [
        {"name": "anonymous · GET /users/alice/notes", "endpoint": "GET /users/alice/notes",
         "identity": "anonymous", "request": "GET /users/alice/notes HTTP/1.1\r\n\r\n", "status": 401,
         "findings": [], "cell": {"operation": "GET /users/{id}/notes", "purpose": "the operation", "may": "no", "mark": "ok"}},
        {"name": "bob · GET /users/alice/notes", "endpoint": "GET /users/alice/notes",
         "identity": "bob", "status": 200, "response": "HTTP/1.1 200 OK\r\n\r\n{}",
         "findings": [{"rule": "BOLA", "severity": "error", "message": "m", "source": "s", "url": "u", "fix": "f"}],
         "cell": {"operation": "GET /users/{id}/notes", "purpose": "alice's object", "may": "no", "mark": "BOLA"},
         "extra": 1},
        {"name": "bob · GET /profile", "endpoint": "GET /profile", "identity": "bob", "status": 200}
      ]
    }"#;

    #[test]
    fn a_report_is_read_and_laid_out() {
        let report = ProbeReport::read(REPORT).unwrap_or_default();
        assert_eq!(report.rows(), ["GET /users/alice/notes", "GET /profile"]);
        assert_eq!(report.cell("GET /users/alice/notes", "bob"), Some(1));
        assert_eq!(report.cell("GET /profile", "anonymous"), None);
        let marks: Vec<Option<&str>> = report
            .exchanges
            .iter()
            .map(|exchange| exchange.cell.as_ref().map(|cell| cell.mark.as_str()))
            .collect();
        assert_eq!(marks, [Some("ok"), Some("BOLA"), None]);
        // The stand-in says what the rfc profile answers bob: another's notes, 403.
        let scenario = Scenario::default();
        let codes: Vec<Option<u16>> = (0..4)
            .map(|index| {
                report
                    .stand_in(index, &scenario)
                    .map(|(stand, raw)| evaluate(&raw, &stand).response.status.code())
            })
            .collect();
        assert_eq!(codes, [Some(401), Some(403), Some(200), None]);
    }

    /// A real report, `authpath probe --identities --format json` of the conformance step's
    /// Flask app with the notes hole: its two BOLA cells, and every cell laid out.
    #[test]
    fn a_real_report_is_read() {
        let text = include_str!("../../tests/fixtures/probe-identities-report.json");
        let report = ProbeReport::read(text).unwrap_or_default();
        let names: Vec<&str> = report
            .identities
            .iter()
            .map(|who| who.name.as_str())
            .collect();
        assert_eq!(names, ["anonymous", "alice", "bob", "carol"]);
        let placed: usize = report
            .rows()
            .iter()
            .map(|row| {
                names
                    .iter()
                    .filter(|name| report.cell(row, name).is_some())
                    .count()
            })
            .sum();
        assert_eq!(placed, report.exchanges.len());
        let bola: Vec<&str> = report
            .exchanges
            .iter()
            .filter(|exchange| {
                exchange
                    .cell
                    .as_ref()
                    .is_some_and(|cell| cell.mark == "BOLA")
            })
            .map(|exchange| exchange.name.as_str())
            .collect();
        assert_eq!(
            bola,
            [
                "bob · GET /users/alice/notes",
                "alice · GET /users/bob/notes"
            ]
        );
    }

    #[test]
    fn what_is_not_a_report_says_so() {
        let cases = [
            ("", "not a probe report"),
            ("{\"log\": {\"entries\": []}}", "not a probe report"),
            (
                "{\"target\": \"x\", \"identities\": [], \"exchanges\": []}",
                "without identities",
            ),
        ];
        for (text, part) in cases {
            let error = ProbeReport::read(text).err().unwrap_or_default();
            assert!(error.contains(part), "{text:?}: {error}");
        }
    }
}
