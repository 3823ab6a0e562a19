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
    if !report.identities.is_empty() {
        matrix(report, &mut text);
        return text;
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

/// `probe --identities`: who each identity is, the matrix (a row per request, a column per
/// identity, each cell the status and its mark), then each cell with a finding, in full.
fn matrix(report: &Report, text: &mut String) {
    text.push_str("\nidentities:\n");
    for who in &report.identities {
        let sends = if who.sends.is_empty() {
            "no credentials".to_string()
        } else {
            who.sends.join(", ")
        };
        let list = |values: &Option<Vec<String>>| match values {
            Some(values) if values.is_empty() => "none".to_string(),
            Some(values) => values.join(", "),
            None => "unknown".to_string(),
        };
        text.push_str(&format!(
            "  {}: {sends}; roles {}; scopes {}",
            who.name,
            list(&who.roles),
            list(&who.scopes)
        ));
        if !who.owns.is_empty() {
            text.push_str(&format!("; owns {}", who.owns.join(", ")));
        }
        text.push('\n');
    }
    let mut rows: Vec<&str> = Vec::new();
    for exchange in &report.exchanges {
        if !rows.contains(&exchange.endpoint.as_str()) {
            rows.push(&exchange.endpoint);
        }
    }
    let names: Vec<&str> = report
        .identities
        .iter()
        .map(|who| who.name.as_str())
        .collect();
    let cell = |row: &str, name: &str| -> String {
        let found = report.exchanges.iter().find(|exchange| {
            exchange.endpoint == row && exchange.identity.as_deref() == Some(name)
        });
        match found {
            None => "·".to_string(),
            Some(exchange) => {
                let mark = exchange
                    .cell
                    .as_ref()
                    .map_or("?", |cell| cell.mark.as_str());
                match exchange.status {
                    Some(status) => format!("{status} {mark}"),
                    None => "no answer".to_string(),
                }
            }
        }
    };
    let first = rows
        .iter()
        .map(|row| row.chars().count())
        .max()
        .unwrap_or(0);
    let widths: Vec<usize> = names
        .iter()
        .map(|name| {
            rows.iter()
                .map(|row| cell(row, name).chars().count())
                .chain([name.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    text.push_str(
        "\naccess matrix (status and mark: ok, a breach or rule id, ? not judged, · not asked):\n",
    );
    let pad = |value: &str, width: usize| {
        format!(
            "{value}{}",
            " ".repeat(width.saturating_sub(value.chars().count()))
        )
    };
    let mut line = format!("  {}", pad("", first));
    for (name, width) in names.iter().zip(&widths) {
        line.push_str(&format!("  {}", pad(name, *width)));
    }
    text.push_str(line.trim_end());
    text.push('\n');
    for row in &rows {
        let mut line = format!("  {}", pad(row, first));
        for (name, width) in names.iter().zip(&widths) {
            line.push_str(&format!("  {}", pad(&cell(row, name), *width)));
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    if !report.skipped.is_empty() {
        text.push_str(&format!(
            "\n{} request{} of unsafe methods planned, not sent (give --unsafe to send them):\n",
            report.skipped.len(),
            plural(report.skipped.len())
        ));
        for skipped in &report.skipped {
            text.push_str(&format!("  {skipped}\n"));
        }
    }
    // In full: the cells with an error or a warning, or without a judgement; the notes of the
    // others are in the counts above and in the other formats.
    for exchange in &report.exchanges {
        let mark = exchange.cell.as_ref().map(|cell| cell.mark.as_str());
        let worth = exchange
            .findings
            .iter()
            .any(|item| item.severity != Severity::Note);
        if !worth && mark != Some("?") && exchange.status.is_some() {
            continue;
        }
        text.push('\n');
        exchange_text(exchange, text);
    }
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
