//! The run told in plain words, from the trace alone: what the server checked, in order, where
//! it stopped and why, and what it answered — the "full transcript" a screen reader reads
//! under the path.
//!
//! ```
//! use authpath_engine::teach::narrate::narrate;
//! use authpath_engine::{evaluate, Scenario};
//!
//! let evaluation = evaluate("GET /profile HTTP/1.1\r\nHost: api.example\r\n\r\n", &Scenario::default());
//! let words = narrate(&evaluation);
//! assert!(words.starts_with("The server first read the request"));
//! assert!(words.contains("so it answered 401 Unauthorized"));
//! ```

use crate::model::{Evaluation, Outcome, Step};
use crate::profile::Node;

/// One paragraph: the nodes passed, each with what it found; the deciding step with its
/// reason; the status, and for a 401 the challenges that say how to authenticate.
pub fn narrate(evaluation: &Evaluation) -> String {
    let groups = group(&evaluation.trace);
    let Some((last, before)) = groups.split_last() else {
        return String::new();
    };
    let mut text = String::new();
    for (index, steps) in before.iter().enumerate() {
        let clause = passed_clause(steps);
        match index {
            0 => text.push_str(&format!("The server first {clause}")),
            _ if index + 1 == before.len() => text.push_str(&format!(", and then {clause}")),
            _ => text.push_str(&format!(", then {clause}")),
        }
    }
    if !before.is_empty() {
        text.push_str(". ");
    }
    let status = evaluation.response.status;
    let answer = format!("{} {}", status.code(), status.reason());
    let deciding = last.last().copied();
    match deciding {
        Some(step) if step.outcome == Outcome::Failed => {
            // The checks of the deciding node that held before the one that failed.
            let held: Vec<&str> = last
                .iter()
                .filter(|step| step.outcome == Outcome::Passed)
                .map(|step| step.check.as_str())
                .collect();
            let after = if held.is_empty() {
                String::new()
            } else {
                format!(" after {} held", list(&held))
            };
            text.push_str(&format!(
                "{} stopped at {} ({}){after}: {}, so it answered {answer}",
                if before.is_empty() {
                    "The server"
                } else {
                    "It"
                },
                step.node.title().to_lowercase(),
                step.check,
                step.detail,
            ));
        }
        Some(step) => {
            text.push_str(&format!(
                "{} {} ({}) and answered {answer}",
                if before.is_empty() {
                    "The server"
                } else {
                    "Finally it"
                },
                verb(step.node),
                step.detail,
            ));
        }
        None => text.push_str(&format!("The server answered {answer}")),
    }
    let challenges: Vec<&str> = evaluation
        .response
        .headers_named("WWW-Authenticate")
        .collect();
    if !challenges.is_empty() {
        text.push_str(&format!(
            " and asked how to authenticate with {}",
            challenges.join(" or ")
        ));
    }
    text.push_str(&format!(" ({}).", status.meaning()));
    text
}

/// The trace cut where the node changes.
fn group(trace: &[Step]) -> Vec<Vec<&Step>> {
    let mut groups: Vec<Vec<&Step>> = Vec::new();
    for step in trace {
        match groups.last_mut() {
            Some(current) if current.first().is_some_and(|first| first.node == step.node) => {
                current.push(step);
            }
            _ => groups.push(vec![step]),
        }
    }
    groups
}

/// A node the request passed: the verb, then what it found (one step) or which checks held.
fn passed_clause(steps: &[&Step]) -> String {
    let Some(first) = steps.first() else {
        return String::new();
    };
    let verb = verb(first.node);
    if let [step] = steps {
        return format!("{verb} ({})", step.detail);
    }
    let held: Vec<&str> = steps
        .iter()
        .filter(|step| step.outcome == Outcome::Passed)
        .map(|step| step.check.as_str())
        .collect();
    let skipped: Vec<&str> = steps
        .iter()
        .filter(|step| step.outcome == Outcome::Skipped)
        .map(|step| step.check.as_str())
        .collect();
    let mut parts = Vec::new();
    if !held.is_empty() {
        parts.push(format!("{} held", list(&held)));
    }
    if !skipped.is_empty() {
        parts.push(format!("{} did not apply", list(&skipped)));
    }
    format!("{verb} ({})", parts.join("; "))
}

/// What the server does at a node, as a verb phrase.
fn verb(node: Node) -> &'static str {
    match node {
        Node::Parse => "read the request",
        Node::Csrf => "ran its CSRF filter",
        Node::Route => "matched the route",
        Node::Public => "asked whether the route is public",
        Node::Credentials => "looked for credentials",
        Node::Verify => "verified them",
        Node::Authorize => "checked the route's rule",
        Node::Handle => "handled the request",
    }
}

/// `a`, `a and b`, `a, b and c`.
fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::list;

    #[test]
    fn lists_read_as_sentences() {
        assert_eq!(list(&[]), "");
        assert_eq!(list(&["a"]), "a");
        assert_eq!(list(&["a", "b"]), "a and b");
        assert_eq!(list(&["a", "b", "c"]), "a, b and c");
    }
}
