//! The readable report: per exchange the endpoint, the request, the status (and what it
//! should have been), each finding with its rule and source, and the fix.

use authpath_engine::Severity;

use super::{severity_word, Exchange, Report};

pub fn render(report: &Report) -> String {
    let count = |severity: Severity| {
        report
            .exchanges
            .iter()
            .flat_map(|exchange| &exchange.findings)
            .filter(|item| item.severity == severity)
            .count()
    };
    let mut text = format!(
        "authpath {} {} (fixes for profile {}): {} exchange{}, {} error{}, {} warning{}, {} note{}\n",
        report.command,
        report.target,
        report.profile.id(),
        report.exchanges.len(),
        plural(report.exchanges.len()),
        count(Severity::Error),
        plural(count(Severity::Error)),
        count(Severity::Warning),
        plural(count(Severity::Warning)),
        count(Severity::Note),
        plural(count(Severity::Note)),
    );
    if !report.scenario {
        text.push_str(
            "judged without the scenario: the credentials do not verify under its keys, so their \
             validity is unknown and the rules that need it say so\n",
        );
    }
    for exchange in &report.exchanges {
        text.push('\n');
        exchange_text(exchange, &mut text);
    }
    if !report.skipped.is_empty() {
        text.push('\n');
        for skipped in &report.skipped {
            text.push_str(&format!("skipped: {skipped}\n"));
        }
    }
    text
}

fn exchange_text(exchange: &Exchange, text: &mut String) {
    text.push_str(&format!("{}\n", exchange.name));
    for line in exchange
        .request
        .lines()
        .take_while(|line| !line.trim().is_empty())
    {
        let first = line.starts_with(|character: char| character.is_ascii_uppercase())
            && line.contains(" HTTP/");
        // The credentials: the Authorization field, and every field whose value was masked
        // (an API key header, the cookies, a header given to `probe --header`).
        let credential =
            line.to_ascii_lowercase().starts_with("authorization:") || line.contains("‹redacted›");
        if first || credential {
            text.push_str(&format!("  > {line}\n"));
        }
    }
    match (&exchange.status, &exchange.error) {
        (Some(_), _) => {
            let status_line = exchange
                .response
                .as_deref()
                .and_then(|response| response.lines().next())
                .unwrap_or_default();
            text.push_str(&format!("  < {status_line}\n"));
        }
        (None, Some(error)) => text.push_str(&format!("  no answer: {error}\n")),
        (None, None) => {}
    }
    if let Some(location) = &exchange.redirect {
        text.push_str(&format!("  redirect to {location} (not followed)\n"));
    }
    if let Some(expected) = &exchange.expected {
        text.push_str(&format!(
            "  expected {}: {}\n",
            expected.status, expected.why
        ));
    }
    if let (Some(answer), false) = (&exchange.rfc_answer, exchange.findings.is_empty()) {
        text.push_str(&format!("  the RFC answer here: {answer}\n"));
    }
    if exchange.findings.is_empty() && exchange.status.is_some() {
        text.push_str("  no findings\n");
    }
    for unjudged in &exchange.unjudged {
        text.push_str(&format!("  not judged: {unjudged}\n"));
    }
    for item in &exchange.findings {
        text.push_str(&format!(
            "  {} {}: {} ({}, {})\n      fix: {}\n",
            item.rule,
            severity_word(item.severity),
            item.message,
            item.source,
            item.url,
            item.fix
        ));
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}
