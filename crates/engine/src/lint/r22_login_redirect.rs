//! R22: an API request is not refused with a redirect to a login page.

use super::{Context, Descriptor, Findings};
use crate::model::{Rule, Severity};

/// R22: RFC 9110 §15.5.2, a server that wants credentials "MUST send a WWW-Authenticate header
/// field" with a 401; a redirect to a login page (§15.4) is for a browser's navigation, and an
/// API client, which cannot fill in a form, reads it as a success or a broken answer (the
/// login redirect of session-based frameworks, Spring's `formLogin()`, Django's
/// `login_required`).
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R22,
    id: "R22",
    severities: &[Severity::Error],
    title: "An API request is refused with 401, not a redirect to a login page",
    source: "RFC 9110 §15.5.2",
    url: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
    explanation: "A browser follows a redirect to a login form; an API client needs a 401 with a challenge it can answer.",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    if !(300..400).contains(&context.code) {
        return;
    }
    let Some(location) = context.response.header("Location") else {
        return;
    };
    let path = location
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    const LOGIN: [&str; 6] = ["login", "signin", "sign-in", "sign_in", "logon", "/auth"];
    if !LOGIN.iter().any(|word| path.contains(word)) {
        return;
    }
    let Some(request) = context.request else {
        return;
    };
    // A browser's navigation asks for HTML; an API call asks for JSON, comes from a script,
    // or sends credentials of its own.
    let accepts_html = request
        .header("Accept")
        .is_some_and(|accept| accept.to_ascii_lowercase().contains("text/html"));
    let scripted = request.header("X-Requested-With").is_some()
        || request
            .header("Sec-Fetch-Mode")
            .is_some_and(|mode| !mode.eq_ignore_ascii_case("navigate"));
    let api = scripted || request.header("Authorization").is_some() || !accepts_html;
    if api {
        findings.add(
            Severity::Error,
            format!(
                "This {} sends an API request to a login page ({}): an API client cannot log in there; answer 401 with a WWW-Authenticate challenge.",
                context.code,
                crate::text::shorten(location, 80)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    fn check(expected: &[Severity], request: &Request, location: &str) {
        testing::check(
            super::RULE.rule,
            expected,
            Some(request),
            &anonymous(),
            &response(302, &[("Location", location)], ""),
        );
    }

    #[test]
    #[rustfmt::skip]
    fn api_requests_get_401_not_a_login_page() {
        let json = request(&[], &[("Accept", "application/json")]);
        let page = request(&[], &[("Accept", "text/html,application/xhtml+xml")]);
        let fetch = request(&[], &[("Accept", "text/html"), ("Sec-Fetch-Mode", "cors")]);
        check(&[Error], &json, "/accounts/login/?next=/profile");
        check(&[Error], &json, "https://idp.example/signin");
        check(&[Error], &fetch, "/login");
        // A browser's page load may be sent to the form; elsewhere is not a login page.
        check(&[], &page, "/accounts/login/?next=/profile");
        check(&[], &json, "/profile/");
    }
}
