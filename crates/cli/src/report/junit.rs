//! JUnit XML for CI dashboards: one `<testsuite>` per endpoint, one `<testcase>` per exchange,
//! one `<failure>` per error-level finding (so `failures` counts those findings) and an
//! `<error>` for an exchange that got no answer. Warnings and notes, the request and the
//! response go to the test case's `<system-out>`.

use authpath_engine::Severity;

use super::{severity_word, Exchange, Report};

pub fn render(report: &Report) -> String {
    let mut suites: Vec<(&str, Vec<&Exchange>)> = Vec::new();
    for exchange in &report.exchanges {
        match suites
            .iter_mut()
            .find(|(name, _)| *name == exchange.endpoint)
        {
            Some((_, members)) => members.push(exchange),
            None => suites.push((&exchange.endpoint, vec![exchange])),
        }
    }
    let failures = |exchanges: &[&Exchange]| -> usize {
        exchanges.iter().map(|exchange| failures_of(exchange)).sum()
    };
    let errors = |exchanges: &[&Exchange]| -> usize {
        exchanges
            .iter()
            .filter(|exchange| exchange.status.is_none())
            .count()
    };
    let all: Vec<&Exchange> = report.exchanges.iter().collect();
    let skipped = if report.skipped.is_empty() {
        String::new()
    } else {
        format!(" skipped=\"{}\"", report.skipped.len())
    };
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\"{skipped}>\n",
        escape(&format!("authpath {} {}", report.command, report.target)),
        all.len() + report.skipped.len(),
        failures(&all),
        errors(&all),
    );
    for (name, exchanges) in &suites {
        xml.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
            escape(name),
            exchanges.len(),
            failures(exchanges),
            errors(exchanges),
        ));
        for exchange in exchanges {
            testcase(exchange, report.command, &mut xml);
        }
        xml.push_str("  </testsuite>\n");
    }
    if !report.skipped.is_empty() {
        xml.push_str(&format!(
            "  <testsuite name=\"skipped\" tests=\"{0}\" failures=\"0\" errors=\"0\" skipped=\"{0}\">\n",
            report.skipped.len()
        ));
        for skipped in &report.skipped {
            let name = skipped.split(": ").next().unwrap_or(skipped);
            xml.push_str(&format!(
                "    <testcase classname=\"authpath.{}.skipped\" name=\"{}\">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                report.command,
                escape(name),
                escape(skipped)
            ));
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

fn failures_of(exchange: &Exchange) -> usize {
    exchange
        .findings
        .iter()
        .filter(|item| item.severity == Severity::Error)
        .count()
}

fn testcase(exchange: &Exchange, command: &str, xml: &mut String) {
    xml.push_str(&format!(
        "    <testcase classname=\"authpath.{command}.{}\" name=\"{}\">\n",
        escape(&exchange.endpoint),
        escape(&exchange.name),
    ));
    if let (None, Some(error)) = (exchange.status, &exchange.error) {
        xml.push_str(&format!(
            "      <error type=\"no-answer\" message=\"{}\"/>\n",
            escape(error)
        ));
    }
    for item in &exchange.findings {
        if item.severity != Severity::Error {
            continue;
        }
        xml.push_str(&format!(
            "      <failure type=\"{}\" message=\"{}\">{} ({}, {})\nfix: {}</failure>\n",
            escape(&item.rule),
            escape(&format!("{}: {}", item.rule, item.message)),
            escape(&item.message),
            escape(&item.source),
            escape(&item.url),
            escape(&item.fix),
        ));
    }
    let mut out = String::new();
    for item in exchange
        .findings
        .iter()
        .filter(|item| item.severity != Severity::Error)
    {
        out.push_str(&format!(
            "{} {}: {} ({})\n",
            item.rule,
            severity_word(item.severity),
            item.message,
            item.source
        ));
    }
    if let Some(expected) = &exchange.expected {
        out.push_str(&format!("expected {}: {}\n", expected.status, expected.why));
    }
    out.push_str(&format!("\n{}", exchange.request));
    if let Some(response) = &exchange.response {
        out.push_str(&format!("\n\n{response}"));
    }
    // For reading in a dashboard: line feeds only.
    xml.push_str(&format!(
        "      <system-out>{}</system-out>\n    </testcase>\n",
        escape(&out.replace("\r\n", "\n"))
    ));
}

/// Text as XML character data or an attribute value: the five special characters as
/// entities, and characters XML 1.0 cannot carry at all (most control characters) as `�`.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' | '\n' => escaped.push(character),
            // A bare CR would be read back as a line feed: kept as a reference instead.
            '\r' => escaped.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => escaped.push('\u{fffd}'),
            _ => escaped.push(character),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn text_is_escaped_for_xml() {
        let cases = [
            ("a<b>&\"c'", "a&lt;b&gt;&amp;&quot;c&apos;"),
            ("line\r\nnext", "line&#13;\nnext"),
            ("bell\u{7}", "bell\u{fffd}"),
            ("plain ‹redacted›", "plain ‹redacted›"),
        ];
        for (text, expected) in cases {
            assert_eq!(escape(text), expected);
        }
    }
}
