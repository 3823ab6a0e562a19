//! R20: an error body carries no stack trace.

use super::{Context, Descriptor, Findings};
use crate::model::{Rule, Severity};

/// R20: OWASP ASVS 4.0.3 V7.4.1, "a generic message is shown when an unexpected or security
/// sensitive error occurs"; a stack trace names files, lines and libraries to whoever asks.
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R20,
    id: "R20",
    severities: &[Severity::Warning],
    title: "An error body carries no stack trace",
    source: "OWASP ASVS 4.0.3 V7.4.1",
    url: "https://owasp.org/www-project-application-security-verification-standard/",
    explanation: "A stack trace tells a stranger which files, lines and libraries the server runs; the client needs a short generic message, the trace belongs in the server's log.",
    check,
};

/// How much of a frame the message quotes, in characters.
const QUOTED: usize = 80;

fn check(context: &Context, findings: &mut Findings) {
    if context.code < 400 || context.head {
        return;
    }
    if let Some(frame) = stack_frame(&context.response.body) {
        let quoted: String = frame.chars().take(QUOTED).collect();
        let more = if frame.chars().count() > QUOTED {
            "…"
        } else {
            ""
        };
        findings.add(
            Severity::Warning,
            format!(
                "The error body carries a stack trace (\"{quoted}{more}\"); show a generic message and keep the trace in the server's log."
            ),
        );
    }
}

/// The first line of `body` that belongs to a stack trace, trimmed. Bodies carry traces as
/// plain text, as JSON strings (`\n` escaped) and as HTML (`<br>`, `&nbsp;`), so all three
/// break lines.
fn stack_frame(body: &str) -> Option<&str> {
    body.split('\n')
        .flat_map(|line| line.split("\\n"))
        .flat_map(|line| line.split("<br>"))
        .find_map(|line| {
            let text = unindented(line);
            let indented = text.len() < line.trim_end().len();
            is_frame(text, indented).then_some(text)
        })
}

/// `line` without the spaces, tabs (also as `\t` in JSON) and `&nbsp;` around it.
fn unindented(line: &str) -> &str {
    let mut rest = line.trim();
    loop {
        let next = rest
            .trim_start_matches("&nbsp;")
            .trim_start_matches("\\t")
            .trim_start();
        if next.len() == rest.len() {
            return rest;
        }
        rest = next;
    }
}

/// Whether a trimmed line is a trace's header or frame: Python's `Traceback (most recent call
/// last):` and `File "…", line N`, an indented `at …(file:line)` (Node, Java, .NET), or Go's
/// `goroutine N [running]:`.
fn is_frame(text: &str, indented: bool) -> bool {
    if text.starts_with("Traceback (most recent call last)") {
        return true;
    }
    if let Some(rest) = text.strip_prefix("File ") {
        return rest
            .split_once(", line ")
            .is_some_and(|(_, number)| number.starts_with(|c: char| c.is_ascii_digit()));
    }
    if let Some(rest) = text.strip_prefix("at ") {
        return indented && has_file_line(rest);
    }
    text.starts_with("goroutine ") && text.contains("[running]:")
}

/// Whether `text` holds `name:digit`, as in `layer.js:95:5` or `Main.java:42`; a time of day
/// such as `12:30` has a digit before its colon and does not count.
fn has_file_line(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(3).any(|window| {
        window[1] == b':'
            && window[2].is_ascii_digit()
            && !window[0].is_ascii_digit()
            && !window[0].is_ascii_whitespace()
    })
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R20 reports with `expected`.
    fn check(expected: &[Severity], code: u16, body: &str) {
        let response = response(code, &[("Content-Type", "text/plain")], body);
        testing::check(super::RULE.rule, expected, None, &anonymous(), &response);
    }

    #[test]
    #[rustfmt::skip]
    fn error_bodies_carry_no_stack_trace() {
        // Python, as Flask's debugger or a bare traceback writes it.
        check(&[Warning], 400, "Traceback (most recent call last):\n  File \"app.py\", line 12, in view\nKeyError: 'sub'");
        check(&[Warning], 400, "  File \"/srv/app.py\", line 7, in <module>");
        // Node, as text, inside a JSON string, and as Express's HTML page.
        check(&[Warning], 400, "Error: jwt malformed\n    at Object.module.exports [as verify] (/app/node_modules/jsonwebtoken/verify.js:63:17)");
        check(&[Warning], 401, r#"{"message":"jwt malformed","stack":"JsonWebTokenError: jwt malformed\n    at /app/node_modules/jsonwebtoken/verify.js:63:17"}"#);
        check(&[Warning], 400, "<pre>Error: boom<br> &nbsp; &nbsp;at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)</pre>");
        // Java and Go.
        check(&[Warning], 400, "java.lang.IllegalStateException: boom\n\tat com.example.Auth.check(Auth.java:42)");
        check(&[Warning], 400, "panic: runtime error\n\ngoroutine 1 [running]:\nmain.main()");
        // Generic messages, and prose that only looks like a frame.
        check(&[], 422, r#"{"title":"Internal Server Error","status":500}"#);
        check(&[], 401, "Unauthorized");
        check(&[], 404, "Back at 12:30, sorry.\n  at 12:30 we restart");
        check(&[], 400, "at app.js:3 the request broke");
        check(&[], 400, "File upload failed, line too long");
        // A 2xx body is the application's content, not an error message.
        check(&[], 200, "Traceback (most recent call last):");
    }
}
