//! The judgement of a probe's answers, cell by cell, with what the whole run saw.

use serde::{Deserialize, Serialize};

use super::plan::{Cell, Plan, Purpose};
use super::stand_in::{Level, May};
use super::who::{under, ANONYMOUS};
use crate::exchange::{parse_response, Known};
use crate::model::{Finding, Response, Rule, Severity};

/// What the server answered to one cell: its status and the raw response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub response: String,
}

/// What an answer breaks in the access the policy gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Breach {
    /// A 2xx to an identity that may not have the object: Broken Object Level Authorization.
    #[serde(rename = "BOLA")]
    Bola,
    /// A 2xx to an identity that may not call the function (a role, a scope, credentials the
    /// route does not take, a method the path does not declare): Broken Function Level
    /// Authorization.
    #[serde(rename = "BFLA")]
    Bfla,
    /// A refusal where the policy lets the identity in.
    #[serde(rename = "refused")]
    Refused,
}

impl Breach {
    /// Every breach, in the order the reports list them.
    pub const ALL: [Breach; 3] = [Breach::Bola, Breach::Bfla, Breach::Refused];

    /// The breach of this id ([`Breach::id`]).
    pub fn from_id(id: &str) -> Option<Breach> {
        Breach::ALL.into_iter().find(|breach| breach.id() == id)
    }

    /// The id the reports give it: `BOLA`, `BFLA`, `refused`.
    pub fn id(self) -> &'static str {
        match self {
            Breach::Bola => "BOLA",
            Breach::Bfla => "BFLA",
            Breach::Refused => "refused",
        }
    }

    /// Its OWASP API Security Top 10 id, where it has one.
    pub fn owasp(self) -> Option<&'static str> {
        match self {
            Breach::Bola => Some("API1:2023"),
            Breach::Bfla => Some("API5:2023"),
            Breach::Refused => None,
        }
    }

    /// The breach in a few words.
    pub fn title(self) -> &'static str {
        match self {
            Breach::Bola => "Broken object level authorization: another's object answered",
            Breach::Bfla => {
                "Broken function level authorization: a function answered without the rights"
            }
            Breach::Refused => "A refusal where the policy lets the identity in",
        }
    }

    /// Where it is defined.
    pub fn source(self) -> &'static str {
        match self {
            Breach::Bola => "OWASP API Security Top 10 2023, API1:2023",
            Breach::Bfla => "OWASP API Security Top 10 2023, API5:2023",
            Breach::Refused => "the policy; RFC 9110 §15.5",
        }
    }

    /// The address of that definition.
    pub fn url(self) -> &'static str {
        match self {
            Breach::Bola => "https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/",
            Breach::Bfla => "https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/",
            Breach::Refused => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5",
        }
    }

    /// How to fix it, in one line.
    pub fn fix(self) -> &'static str {
        match self {
            Breach::Bola => "check in the handler that the caller owns the object (or may act for its owner) before reading or changing it, on every route that takes an object's id",
            Breach::Bfla => "check the caller's role or scope (and the methods the path allows) on the server, for every route and method, not only in the client",
            Breach::Refused => "let the identity in as the policy says, or correct the policy (or the identities file) where it is the policy that is wrong",
        }
    }
}

/// The judgement of one cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Judged {
    /// What the answer breaks in the access the policy gives, and why, in words.
    pub breach: Option<(Breach, String)>,
    /// Findings of the R rules that only the run can tell: R17, the answer to another's
    /// object against the answer to a neighbouring id that does not exist.
    pub findings: Vec<Finding>,
    /// What the run knows of the request, for the lint of its answer by the R rules.
    pub known: Known,
    /// Why the cell's access was not judged, where it was not.
    pub note: Option<String>,
}

/// Judges every cell of `plan` by its answer (`answers[i]` for `plan.cells[i]`, `None` where
/// none came), with what the whole run saw:
///
/// - where the identity may and the answer refuses it (401, 403, 405, or 404 for an object
///   known to exist that no earlier DELETE of the run removed): [`Breach::Refused`];
/// - where it may not and the answer is a 2xx: [`Breach::Bola`] on an object,
///   [`Breach::Bfla`] on a function (the neighbouring id, which no one is known to own, is
///   not judged so);
/// - the neighbouring id's answer against the same identity's answer to the object, both
///   refusals: a different status, or two 404s that differ in more than the id (a header
///   other than `Date` and `Content-Length`, or the body with each id in it replaced), tell
///   the object's existence: R17;
/// - for the R rules ([`Known`]): whether the route refused the anonymous request, and
///   whether the server accepted the identity's credentials elsewhere in the run (a 2xx on a
///   route that refused the anonymous request, and that takes them here too), which makes a
///   401 for missing rights an R2 breach.
pub fn judge(plan: &Plan, answers: &[Option<Answer>]) -> Vec<Judged> {
    let answer_of = |index: usize| answers.get(index).and_then(Option::as_ref);
    let find = |identity: &str, method: &str, path: &str| {
        plan.cells.iter().position(|cell| {
            cell.identity == identity && cell.method == method && cell.path == path
        })
    };
    let refused_anonymous = |cell: &Cell| {
        find(ANONYMOUS, &cell.method, &cell.path)
            .and_then(answer_of)
            .and_then(|answer| Known::protected_by(answer.status))
    };
    let accepted: Vec<&str> = plan
        .who
        .iter()
        .filter(|who| {
            plan.cells.iter().enumerate().any(|(index, cell)| {
                cell.identity == who.name
                    && !who.is_anonymous()
                    && cell.verdict.takes
                    && answer_of(index).is_some_and(|answer| (200..300).contains(&answer.status))
                    && refused_anonymous(cell) == Some(true)
            })
        })
        .map(|who| who.name.as_str())
        .collect();
    let mut deleted: Vec<&str> = Vec::new();
    let mut judged = Vec::new();
    for (index, cell) in plan.cells.iter().enumerate() {
        let anonymous = cell.identity == ANONYMOUS;
        let known = Known {
            protected: if anonymous {
                None
            } else {
                refused_anonymous(cell)
            },
            accepted: cell.verdict.takes && accepted.contains(&cell.identity.as_str()),
            ..Known::default()
        };
        let Some(answer) = answer_of(index) else {
            judged.push(Judged {
                breach: None,
                findings: Vec::new(),
                known,
                note: Some("no answer".to_string()),
            });
            continue;
        };
        let gone = deleted.iter().any(|path| under(&cell.path, path));
        let (breach, note) = if gone {
            (
                None,
                Some(format!(
                    "not judged: a DELETE earlier in this run removed {}",
                    cell.path
                )),
            )
        } else {
            (breached(cell, answer.status), None)
        };
        let findings = match &cell.purpose {
            Purpose::Missing { object, .. } => find(&cell.identity, &cell.method, object)
                .and_then(answer_of)
                .and_then(|seen| existence_told(cell, object, seen, answer))
                .into_iter()
                .collect(),
            _ => Vec::new(),
        };
        if cell.method == "DELETE" && (200..300).contains(&answer.status) {
            deleted.push(&cell.path);
        }
        judged.push(Judged {
            breach,
            findings,
            known,
            note,
        });
    }
    judged
}

/// What one answer breaks in the cell's verdict.
fn breached(cell: &Cell, status: u16) -> Option<(Breach, String)> {
    let who = if cell.identity == ANONYMOUS {
        "A request without credentials".to_string()
    } else {
        cell.identity.clone()
    };
    let request = format!("{} {}", cell.method, cell.path);
    match cell.verdict.may {
        May::Yes => {
            let refusal =
                matches!(status, 401 | 403 | 405) || (status == 404 && cell.exists == Some(true));
            refusal.then(|| {
                (
                    Breach::Refused,
                    format!(
                        "{who} may {request} ({}), yet the answer is {status}.",
                        cell.verdict.why
                    ),
                )
            })
        }
        May::No if (200..300).contains(&status) => {
            if matches!(cell.purpose, Purpose::Missing { .. }) {
                return None;
            }
            let breach = match cell.verdict.level {
                Level::Object => Breach::Bola,
                Level::Function => Breach::Bfla,
            };
            let whose = match &cell.purpose {
                Purpose::Object { owner } => format!(" ({owner}'s object)"),
                Purpose::Undeclared => " (a method the path does not declare)".to_string(),
                _ => String::new(),
            };
            Some((
                breach,
                format!(
                    "{who} may not {request}{whose}: {}; yet the answer is {status}.",
                    cell.verdict.why
                ),
            ))
        }
        May::No | May::Unknown => None,
    }
}

/// R17, live: the identity's answer to another's `object` (`seen`) against its answer to the
/// neighbouring id of the cell (`answer`), when both refuse.
fn existence_told(cell: &Cell, object: &str, seen: &Answer, answer: &Answer) -> Option<Finding> {
    let refusal = |status: u16| (400..500).contains(&status) && status != 401;
    if !matches!(seen.status, 403 | 404) || !refusal(answer.status) {
        return None;
    }
    let told = |what: String| {
        Finding {
        rule: Rule::R17,
        severity: Severity::Error,
        message: format!(
            "{}'s answer to {object}, which exists, differs from its answer to {}, which does not, in {what}: the difference tells that {object} exists. Answer both alike (a 404 for both hides it, RFC 9110 §15.5.4).",
            cell.identity, cell.path
        ),
    }
    };
    if seen.status != answer.status {
        return Some(told(format!(
            "its status ({} and {})",
            seen.status, answer.status
        )));
    }
    if seen.status != 404 {
        return None;
    }
    let (Ok(first), Ok(second)) = (
        parse_response(&seen.response),
        parse_response(&answer.response),
    ) else {
        return None;
    };
    let differences = differences(&first, object, &second, &cell.path);
    (!differences.is_empty()).then(|| told(differences.join(" and ")))
}

/// How two 404s differ beyond the ids they name: headers other than `Date` and
/// `Content-Length`, and the bodies with each path's last segment (its id) and the path itself
/// replaced by the same mark.
fn differences(
    first: &Response,
    first_path: &str,
    second: &Response,
    second_path: &str,
) -> Vec<String> {
    let kept = |response: &Response| -> Vec<(String, String)> {
        response
            .headers
            .iter()
            .filter(|header| {
                !header.name.eq_ignore_ascii_case("date")
                    && !header.name.eq_ignore_ascii_case("content-length")
            })
            .map(|header| (header.name.to_ascii_lowercase(), header.value.clone()))
            .collect()
    };
    let mut found = Vec::new();
    let (mine, theirs) = (kept(first), kept(second));
    if mine != theirs {
        let mut names: Vec<&str> = Vec::new();
        for (name, _) in mine.iter().chain(&theirs) {
            let values = |headers: &[(String, String)]| -> Vec<String> {
                headers
                    .iter()
                    .filter(|(field, _)| field == name)
                    .map(|(_, value)| value.clone())
                    .collect()
            };
            if values(&mine) != values(&theirs) && !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        found.push(if names.is_empty() {
            "its header order".to_string()
        } else {
            format!("its headers ({})", names.join(", "))
        });
    }
    if without_id(&first.body, first_path) != without_id(&second.body, second_path) {
        found.push("its body".to_string());
    }
    found
}

/// `body` with `path`, and its id (the last segment that differs from the other path's, here
/// the last non-empty one), replaced by one mark.
fn without_id(body: &str, path: &str) -> String {
    let mut text = body.replace(path, "{path}");
    let id = path.rsplit('/').find(|segment| !segment.is_empty());
    if let Some(id) = id {
        text = text.replace(id, "{id}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identities::{plan, Credential, Identity, Options};
    use crate::model::Scenario;

    fn basic(name: &str, role: &str, owns: &[&str]) -> Identity {
        Identity {
            name: name.to_string(),
            credentials: vec![Credential::Basic {
                user: name.to_string(),
                password: format!("{name}-pw"),
            }],
            role: Some(role.to_string()),
            scopes: Some(Vec::new()),
            owns: owns.iter().map(|path| path.to_string()).collect(),
        }
    }

    fn raw(status: u16, body: &str) -> Answer {
        Answer {
            status,
            response: format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nDate: Thu, 01 Jan 2026 00:00:0{} GMT\r\nContent-Length: {}\r\n\r\n{body}",
                status % 10,
                body.len()
            ),
        }
    }

    /// A server whose answers are the policy's verdicts, but for the holes given: each hole is
    /// found, nothing else.
    #[test]
    #[rustfmt::skip]
    fn each_hole_is_found_and_nothing_else() {
        let scenario = Scenario::default();
        let identities = [
            basic("alice", "user", &["/users/alice/notes"]),
            basic("bob", "user", &["/users/bob/notes"]),
            basic("carol", "admin", &[]),
        ];
        let options = Options { send_unsafe: true, ..Options::default() };
        let plan = plan(&scenario, &identities, &options).unwrap_or_default();
        // The right answers: 2xx where the identity may, else the first status expected.
        let right = |cell: &Cell| match cell.verdict.may {
            May::Yes => 200,
            _ => cell.verdict.expected.first().copied().unwrap_or(404),
        };
        type Hole = fn(&Cell) -> Option<u16>;
        type Found<'a> = &'a [(&'a str, &'a str, &'a str, &'a str)];
        let holes: [(&str, Hole, Found); 4] = [
            ("none", |_| None, &[]),
            ("anyone's notes to any logged-in user", |cell| {
                (cell.method == "GET" && cell.path.starts_with("/users/alice/notes") && cell.identity != ANONYMOUS).then_some(200)
            }, &[("bob", "GET", "/users/alice/notes", "BOLA")]),
            ("DELETE checks login only", |cell| {
                (cell.operation == "DELETE /users/{id}" && cell.identity != ANONYMOUS).then_some(204)
            }, &[("alice", "DELETE", "/users/alice", "BFLA"), ("bob", "DELETE", "/users/bob", "BFLA")]),
            ("404 for a missing object, 403 for another's", |cell| {
                matches!(cell.purpose, Purpose::Missing { .. }).then_some(404)
            }, &[("bob", "GET", "/users/alicf/notes", "R17"), ("alice", "GET", "/users/boc/notes", "R17")]),
        ];
        for (name, hole, expected) in holes {
            let answers: Vec<Option<Answer>> = plan.cells.iter().map(|cell| {
                let status = hole(cell).unwrap_or_else(|| right(cell));
                Some(raw(status, "{}"))
            }).collect();
            let judged = judge(&plan, &answers);
            let mut found: Vec<(&str, &str, &str, String)> = Vec::new();
            for (cell, judged) in plan.cells.iter().zip(&judged) {
                if let Some((breach, _)) = &judged.breach {
                    found.push((&cell.identity, &cell.method, &cell.path, breach.id().to_string()));
                }
                for finding in &judged.findings {
                    found.push((&cell.identity, &cell.method, &cell.path, finding.rule.id().to_string()));
                }
            }
            let mut expected: Vec<(&str, &str, &str, String)> = expected.iter()
                .map(|(who, method, path, id)| (*who, *method, *path, id.to_string())).collect();
            found.sort();
            expected.sort();
            assert_eq!(found, expected, "{name}");
        }
    }

    /// A refusal where the identity may is an error; a 404 only for an object known to exist,
    /// and not after a DELETE of the run removed it.
    #[test]
    fn a_refusal_where_the_identity_may_is_found() {
        let scenario = Scenario::default();
        let identities = [
            basic("alice", "user", &["/users/alice/notes"]),
            basic("carol", "admin", &[]),
        ];
        let options = Options {
            send_unsafe: true,
            ..Options::default()
        };
        let plan = plan(&scenario, &identities, &options).unwrap_or_default();
        let answers: Vec<Option<Answer>> = plan
            .cells
            .iter()
            .map(|cell| {
                let status = match (
                    cell.identity.as_str(),
                    cell.method.as_str(),
                    cell.path.as_str(),
                ) {
                    ("alice", "GET", "/profile") => 403,
                    ("carol", "GET", "/users/alice/notes") => 404,
                    ("carol", "DELETE", "/users/alice") => 204,
                    _ if cell.verdict.may == May::Yes => 200,
                    _ => cell.verdict.expected.first().copied().unwrap_or(404),
                };
                Some(raw(status, "{}"))
            })
            .collect();
        let judged = judge(&plan, &answers);
        let breaches: Vec<(&str, &str, Breach)> = plan
            .cells
            .iter()
            .zip(&judged)
            .filter_map(|(cell, judged)| {
                judged
                    .breach
                    .as_ref()
                    .map(|(breach, _)| (cell.identity.as_str(), cell.path.as_str(), *breach))
            })
            .collect();
        assert_eq!(
            breaches,
            [
                ("alice", "/profile", Breach::Refused),
                ("carol", "/users/alice/notes", Breach::Refused)
            ]
        );
        // alice's credentials were accepted on routes that refuse the anonymous request.
        let profile = plan
            .cells
            .iter()
            .position(|cell| cell.identity == "alice" && cell.path == "/profile");
        let known = profile
            .and_then(|index| judged.get(index))
            .map(|judged| judged.known);
        assert_eq!(
            known,
            Some(Known {
                protected: Some(true),
                accepted: true,
                ..Known::default()
            })
        );
    }

    /// Two 404s that differ only in the id they name tell nothing; a header or a body that
    /// differs otherwise tells.
    #[test]
    fn two_404s_differ_beyond_their_ids_or_not() {
        let cell = |path: &str| Cell {
            identity: "bob".to_string(),
            method: "GET".to_string(),
            path: path.to_string(),
            operation: "GET /orders/{id}".to_string(),
            purpose: Purpose::Missing {
                owner: "alice".to_string(),
                object: "/orders/17".to_string(),
            },
            exists: Some(false),
            verdict: crate::identities::Verdict {
                may: May::No,
                why: String::new(),
                expected: vec![403, 404],
                level: Level::Object,
                takes: true,
            },
        };
        let missing = cell("/orders/179999999");
        let answer = |status: u16, extra: &str, body: &str| Answer {
            status,
            response: format!("HTTP/1.1 {status} X\r\nDate: now\r\n{extra}\r\n{body}"),
        };
        let cases = [
            (
                answer(404, "", "order 17 not found"),
                answer(404, "", "order 179999999 not found"),
                None,
            ),
            (
                answer(404, "", "no such order"),
                answer(404, "", "no such order"),
                None,
            ),
            (answer(403, "", "{}"), answer(403, "", "{}"), None),
            (answer(403, "", "{}"), answer(404, "", "{}"), Some("status")),
            (
                answer(404, "X-Owner: alice\r\n", "{}"),
                answer(404, "", "{}"),
                Some("headers (x-owner)"),
            ),
            (
                answer(404, "", "forbidden"),
                answer(404, "", "not found"),
                Some("body"),
            ),
            (answer(200, "", "{}"), answer(404, "", "{}"), None),
        ];
        for (seen, missed, expected) in cases {
            let found = existence_told(&missing, "/orders/17", &seen, &missed);
            match (found, expected) {
                (Some(finding), Some(part)) => {
                    assert!(finding.message.contains(part), "{}", finding.message)
                }
                (None, None) => {}
                (found, expected) => panic!("{found:?}, expected {expected:?}"),
            }
        }
    }
}
