//! R8: scheme names are case-insensitive.

use super::{Context, Descriptor, Findings};
use crate::facts::Presented;
use crate::model::{Rule, Severity};

/// R8: RFC 9110 §11.1, "It uses a case-insensitive token to identify the authentication
/// scheme".
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R8,
    id: "R8",
    severities: &[Severity::Error, Severity::Note],
    title: "Scheme names are case-insensitive",
    source: "RFC 9110 §11.1",
    url: "https://www.rfc-editor.org/rfc/rfc9110#section-11.1",
    explanation:
        "`bearer`, `Bearer` and `BEARER` name the same scheme; a server must read them alike.",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    let sent = match (&context.facts.presented, context.authorization()) {
        (_, Some((scheme, _))) => scheme.to_string(),
        (Presented::Unsupported(scheme), None) => scheme.clone(),
        _ => return,
    };
    // Only a scheme this server reads can have been misread; one it never reads (Basic to a
    // Bearer-only server) is unsupported in any case.
    let read: Vec<&str> = if context.facts.schemes.is_empty() {
        vec!["Bearer", "Basic"]
    } else {
        context.facts.schemes.iter().map(String::as_str).collect()
    };
    let known = read
        .into_iter()
        .find(|name| name.eq_ignore_ascii_case(&sent))
        .map(str::to_string)
        .or_else(|| {
            context
                .challenges()
                .find(|challenge| challenge.is(&sent))
                .map(|challenge| challenge.scheme.clone())
        });
    let Some(known) = known else {
        return;
    };
    // A scheme refused as sent, in its own case, is one the server does not read at all
    // (Basic to a Bearer-only framework, Bearer to DRF's Basic), not a matter of case.
    if sent == known {
        return;
    }
    if matches!(context.facts.presented, Presented::Unsupported(_)) {
        findings.add(
            Severity::Error,
            format!(
                "The request's scheme `{sent}` is {known} in another case, yet the server treated it as unsupported."
            ),
        );
    } else if context.facts.verified.is_none() && context.response.status.is_success() {
        findings.unknown(context.validity_unknown());
    } else if context.accepted() {
        findings.add(
            Severity::Note,
            format!(
                "The request writes the scheme as `{sent}`; scheme names are case-insensitive, so it was read as {known}."
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints and compares the severities R8 reports with `expected`.
    fn check(expected: &[Severity], request: Option<&Request>, facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, request, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn scheme_names_are_case_insensitive() {
        let lower = request(&[], &[("Authorization", "bearer abc.def.ghi")]);
        let canonical = request(&[], &[("Authorization", "Bearer abc.def.ghi")]);
        let digest = request(&[], &[("Authorization", "Digest username=\"a\"")]);
        let unsupported = |scheme: &str| facts(Presented::Unsupported(scheme.to_string()), None);
        let challenges = [("WWW-Authenticate", BEARER), ("WWW-Authenticate", BASIC)];
        check(&[Error], Some(&lower), &unsupported("bearer"), &response(401, &challenges, ""));
        // Without the request, the scheme named in the facts is enough.
        check(&[Error], None, &unsupported("BASIC"), &response(401, &challenges, ""));
        check(&[Note], Some(&lower), &bearer(true), &response(200, &[], "{}"));
        check(&[], Some(&canonical), &bearer(true), &response(200, &[], "{}"));
        check(&[], Some(&digest), &unsupported("Digest"), &response(401, &challenges, ""));
        // A server that reads Bearer only does not support Basic, in any case.
        let bearer_only = Facts { schemes: vec!["Bearer".to_string()], ..unsupported("Basic") };
        let basic = request(&[], &[("Authorization", "Basic YTpi")]);
        check(&[], Some(&basic), &bearer_only, &response(401, &[("WWW-Authenticate", "Bearer")], ""));
        check(&[Error], Some(&lower), &Facts { schemes: vec!["Bearer".to_string()], ..unsupported("bearer") }, &response(401, &challenges, ""));
        // A server that reads no Basic at all (express-jwt, FastAPI's HTTPBearer).
        let basic = request(&[], &[("Authorization", "Basic YWxpY2U6YWxpY2UtcHc=")]);
        check(&[], Some(&basic), &unsupported("Basic"), &response(401, &[], ""));
        check(&[], Some(&canonical), &unsupported("Bearer"), &response(403, &[], "{}"));
    }
}
