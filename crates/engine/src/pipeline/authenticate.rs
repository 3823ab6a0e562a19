//! The verify step: every check of the credentials read, by the reader's verifier.

use super::credentials::cookie_value;
use super::credentials::Credential;
use super::{Caller, Decision, Run};
use crate::credentials::{Verifier, CSRF_COOKIE, CSRF_HEADER};
use crate::model::{Authentication, Node, Outcome};
use crate::profile::{Case, Csrf, Invalid, KeyCheck, PasswordCheck, SessionCheck, TokenCheck};
use crate::text::shorten;
use crate::token::{
    format_utc, verify_api_key, verify_basic, verify_jwt, verify_session, Identity, Verification,
};

/// GET, HEAD, OPTIONS and TRACE: the methods a CSRF check lets through (RFC 9110 §9.2.1).
pub(super) fn is_safe(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS" | "TRACE")
}

impl Run<'_, '_> {
    /// Verifies the credentials the credentials step read: the token's or the password's
    /// checks, then what the server asks beyond them (an `exp`, a known user).
    pub(super) fn verify(&mut self) -> Result<&'static str, Decision> {
        let Credential::Read { reader, value } = self.credential.clone() else {
            // Not reached: the credentials step lets only a read credential through.
            return Err(self.failed(
                Case::Invalid(Invalid::Token(TokenCheck::Unreadable)),
                "verification",
                "credentials to verify",
                "no credentials to verify".to_string(),
            ));
        };
        let mut identity = self.verify_one(reader.verifier, value)?;
        // Credentials required together are each verified in turn; the caller is the first's,
        // with the roles and scopes all of them grant.
        for (reader, value) in self.also.clone() {
            let other = self.verify_one(reader.verifier, value)?;
            if identity.subject.is_none() {
                identity.subject = other.subject;
            }
            for role in other.roles {
                if !identity.roles.contains(&role) {
                    identity.roles.push(role);
                }
            }
            for scope in other.scopes {
                if !identity.scopes.contains(&scope) {
                    identity.scopes.push(scope);
                }
            }
        }
        self.caller = Caller::Verified(identity);
        Ok("valid")
    }

    /// Every check of one credential, by its verifier, and a session's CSRF token.
    fn verify_one(&mut self, verifier: Verifier, value: &str) -> Result<Identity, Decision> {
        let verification = match verifier {
            Verifier::Jwt => {
                self.claims = Claimed::of(value);
                verify_jwt(value, self.scenario)
            }
            Verifier::Password => verify_basic(value, self.scenario),
            Verifier::ApiKey => verify_api_key(value, self.scenario),
            Verifier::Session => verify_session(value, self.scenario),
        };
        let identity = self.checks(verification, verifier)?;
        if verifier == Verifier::Session {
            self.csrf()?;
        }
        Ok(identity)
    }

    /// A session's unsafe request must carry the CSRF token (double submit: the header equals
    /// the cookie), as Django's `CsrfViewMiddleware` wants it once DRF's
    /// `SessionAuthentication` has found the user (`enforce_csrf`).
    fn csrf(&mut self) -> Result<(), Decision> {
        let Some(request) = self.request else {
            return Ok(());
        };
        let condition = format!(
            "an unsafe method carries the CSRF token: the {CSRF_HEADER} header equals the {CSRF_COOKIE} cookie"
        );
        if is_safe(&request.method) {
            self.pass(
                Node::Verify,
                "csrf",
                &condition,
                Outcome::Skipped,
                format!(
                    "{} is a safe method: no CSRF token needed",
                    shorten(&request.method, 20)
                ),
            );
            return Ok(());
        }
        let cookie = cookie_value(request, CSRF_COOKIE);
        let header = request.header(CSRF_HEADER);
        let (why, detail) = match (cookie, header) {
            (Some(cookie), Some(header)) if cookie == header && !cookie.is_empty() => {
                self.pass(
                    Node::Verify,
                    "csrf",
                    &condition,
                    Outcome::Passed,
                    format!("the {CSRF_HEADER} header matches the {CSRF_COOKIE} cookie"),
                );
                return Ok(());
            }
            (None, _) => (
                Csrf::CookieMissing,
                format!("CSRF cookie not set: no {CSRF_COOKIE} cookie"),
            ),
            (Some(_), None) => (
                Csrf::TokenMissing,
                format!(
                    "CSRF token missing: send the {CSRF_COOKIE} cookie's value in the {CSRF_HEADER} header"
                ),
            ),
            (Some(_), Some(_)) => (
                Csrf::TokenWrong,
                format!(
                    "CSRF token incorrect: the {CSRF_HEADER} header is not the {CSRF_COOKIE} cookie's value"
                ),
            ),
        };
        self.vars.authentication = Authentication::Failed;
        let decision = Decision::new(Case::Csrf(why), &detail);
        Err(self.decide(Node::Verify, "csrf", &condition, detail, decision))
    }

    fn checks(
        &mut self,
        verification: Verification,
        verifier: Verifier,
    ) -> Result<Identity, Decision> {
        let bearer = verifier == Verifier::Jwt;
        let never_expires = bearer
            && verification
                .checks
                .iter()
                .any(|check| check.check == "exp" && check.outcome == Outcome::Skipped);
        self.facts.token_alg = verification.alg.clone();
        if bearer {
            self.facts.accepted_algorithms = self
                .scenario
                .algorithms
                .iter()
                .map(|algorithm| algorithm.name().to_string())
                .collect();
        }
        self.facts.verified = Some(verification.result.is_ok());
        self.facts.token_expired = verification.expired;
        self.facts.token_not_yet_valid = verification.not_yet_valid;
        if verification.expired.is_some() || verification.not_yet_valid.is_some() {
            self.facts.leeway = Some(self.scenario.leeway);
        }
        let count = verification.checks.len();
        for (index, check) in verification.checks.into_iter().enumerate() {
            let last = index + 1 == count;
            if !last || check.outcome != Outcome::Failed {
                if last {
                    self.vars.authentication = Authentication::Passed;
                }
                self.pass(
                    Node::Verify,
                    check.check,
                    &check.condition,
                    check.outcome,
                    check.detail,
                );
                continue;
            }
            let description = match &verification.result {
                Err(description) => description.clone(),
                Ok(_) => check.detail.clone(),
            };
            let case = failed_check(
                check.check,
                verifier,
                verification.expired,
                verification.not_yet_valid,
            );
            self.vars.authentication = Authentication::Failed;
            let decision = Decision::new(case, description);
            return Err(self.decide(
                Node::Verify,
                check.check,
                &check.condition,
                check.detail,
                decision,
            ));
        }
        match verification.result {
            Ok(_) if never_expires && self.spec.token_must_expire => Err(self.without_expiry()),
            Ok(identity) if bearer && self.spec.subject_must_be_a_user => self.known_user(identity),
            Ok(identity) => Ok(identity),
            // A failed verification ends with a failed check, which decided above; this keeps
            // the step total, and recorded.
            Err(description) => Err(self.failed(
                failed_check("", verifier, None, None),
                "verification",
                "the credentials verify",
                description,
            )),
        }
    }

    /// Records a failed check and decides with its description.
    fn failed(&mut self, case: Case, check: &str, condition: &str, detail: String) -> Decision {
        self.vars.authentication = Authentication::Failed;
        self.facts.verified = Some(false);
        let decision = Decision::new(case, &detail);
        self.decide(Node::Verify, check, condition, detail, decision)
    }

    /// A server that wants every token to expire refuses one without `exp`.
    fn without_expiry(&mut self) -> Decision {
        self.failed(
            Case::Invalid(Invalid::Token(TokenCheck::WithoutExpiry)),
            "exp",
            "the token has an exp claim",
            "the token has no exp claim".to_string(),
        )
    }

    /// The frameworks' tutorials look the token's `sub` up in their user table: a verified
    /// token for nobody they know is refused like a token that does not verify.
    fn known_user(&mut self, mut identity: Identity) -> Result<Identity, Decision> {
        let condition = "sub names a user the server knows";
        let subject = identity.subject.as_deref().unwrap_or_default();
        if let Some(user) = self.scenario.user(subject) {
            let role = if self.spec.role_from_user {
                format!(", role {} from the user table", shorten(&user.role, 40))
            } else {
                String::new()
            };
            let detail = format!("sub {} is a known user{role}", shorten(subject, 40));
            if self.spec.role_from_user {
                identity.roles = vec![user.role.clone()];
                identity.demo_claims = true;
            }
            self.pass(Node::Verify, "user", condition, Outcome::Passed, detail);
            return Ok(identity);
        }
        // The signature verified, yet the credentials authenticate no one: for the lint this is
        // a failed verification, whose 401 is right (R2 is about verified callers).
        let detail = if subject.is_empty() {
            "the token has no sub".to_string()
        } else {
            format!("no user named {}", shorten(subject, 40))
        };
        Err(self.failed(
            Case::Invalid(Invalid::Token(TokenCheck::UnknownUser)),
            "user",
            condition,
            detail,
        ))
    }
}

/// The case a failed verification check makes.
fn failed_check(
    check: &str,
    verifier: Verifier,
    expired: Option<bool>,
    not_yet_valid: Option<bool>,
) -> Case {
    match verifier {
        Verifier::Password => {
            let why = if check == "base64" {
                PasswordCheck::Undecodable
            } else {
                PasswordCheck::Rejected
            };
            return Case::Invalid(Invalid::Password(why));
        }
        Verifier::ApiKey => return Case::Invalid(Invalid::ApiKey(KeyCheck::Unknown)),
        Verifier::Session => {
            let why = if check == "expiry" {
                SessionCheck::Expired
            } else {
                SessionCheck::Unknown
            };
            return Case::Invalid(Invalid::Session(why));
        }
        Verifier::Jwt => {}
    }
    let why = match check {
        // A key of the wrong type for the alg is an algorithm refused (RFC 8725 §3.1); no key
        // with the token's kid means the signature cannot be verified: both 401 invalid_token.
        "alg" | "key type" => TokenCheck::Algorithm,
        "signature" | "key" => TokenCheck::Signature,
        "iat" => TokenCheck::NotYetValid,
        "exp" if expired == Some(true) => TokenCheck::Expired,
        "nbf" if not_yet_valid == Some(true) => TokenCheck::NotYetValid,
        "iss" => TokenCheck::Issuer,
        "aud" => TokenCheck::Audience,
        _ => TokenCheck::Unreadable,
    };
    Case::Invalid(Invalid::Token(why))
}

/// What a token says of its lifetime, issuer and audience, read without verifying it, as a
/// framework's error message quotes it.
#[derive(Default)]
pub(super) struct Claimed {
    exp: Option<u64>,
    nbf: Option<u64>,
    iss: Option<String>,
    aud: Option<String>,
}

impl Claimed {
    /// The payload of a JWT, if it decodes; nothing otherwise.
    fn of(token: &str) -> Claimed {
        use base64::Engine as _;
        let payload = token
            .split('.')
            .nth(1)
            .and_then(|part| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(part)
                    .ok()
            })
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok());
        let Some(payload) = payload else {
            return Claimed::default();
        };
        let text = |value: &serde_json::Value| match value {
            serde_json::Value::String(text) => Some(text.clone()),
            serde_json::Value::Array(items) => Some(
                items
                    .iter()
                    .filter_map(serde_json::Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            _ => None,
        };
        Claimed {
            exp: payload.get("exp").and_then(serde_json::Value::as_u64),
            nbf: payload.get("nbf").and_then(serde_json::Value::as_u64),
            iss: payload.get("iss").and_then(text),
            aud: payload.get("aud").and_then(text),
        }
    }

    /// A framework's description with the token's claims filled in, in one pass, so a claim's
    /// text that looks like a placeholder stays as it is.
    pub(super) fn fill(&self, template: &str) -> String {
        let instant = |seconds: Option<u64>| seconds.map(format_utc).unwrap_or_default();
        let invariant = |seconds: Option<u64>| seconds.map(invariant_culture).unwrap_or_default();
        let text = |claim: &Option<String>| claim.clone().unwrap_or_else(|| "(null)".to_string());
        let mut filled = String::new();
        let mut rest = template;
        while let Some((before, after)) = rest.split_once('{') {
            filled.push_str(before);
            let Some((name, next)) = after.split_once('}') else {
                filled.push('{');
                rest = after;
                continue;
            };
            match name {
                "exp" => filled.push_str(&instant(self.exp)),
                "nbf" => filled.push_str(&instant(self.nbf)),
                "exp_invariant" => filled.push_str(&invariant(self.exp)),
                "nbf_invariant" => filled.push_str(&invariant(self.nbf)),
                "iss" => filled.push_str(&text(&self.iss)),
                "aud" => filled.push_str(&text(&self.aud)),
                _ => {
                    filled.push('{');
                    rest = after;
                    continue;
                }
            }
            rest = next;
        }
        filled.push_str(rest);
        filled
    }
}

/// A time as .NET's `DateTime.ToString(CultureInfo.InvariantCulture)` writes it,
/// `MM/dd/yyyy HH:mm:ss`, from the ISO 8601 form.
fn invariant_culture(seconds: u64) -> String {
    let iso = format_utc(seconds);
    let (date, time) = iso.split_once('T').unwrap_or((&iso, ""));
    let mut parts = date.splitn(3, '-');
    let (year, month, day) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    format!("{month}/{day}/{year} {}", time.trim_end_matches('Z'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The placeholders of a framework's description, each filled once from the claims; a
    /// claim whose text looks like a placeholder is written as it is.
    #[test]
    fn a_description_is_filled_in_one_pass() {
        let claims = Claimed {
            exp: Some(1_767_225_600),
            nbf: None,
            iss: Some("{aud}".to_string()),
            aud: Some("api".to_string()),
        };
        let cases = [
            (
                "Jwt expired at {exp}",
                "Jwt expired at 2026-01-01T00:00:00Z",
            ),
            (
                "The token expired at '{exp_invariant}'",
                "The token expired at '01/01/2026 00:00:00'",
            ),
            (
                "The issuer '{iss}' is invalid",
                "The issuer '{aud}' is invalid",
            ),
            (
                "The audience '{aud}' is invalid",
                "The audience 'api' is invalid",
            ),
            ("used before {nbf}", "used before "),
            ("{unknown} and {", "{unknown} and {"),
        ];
        for (template, filled) in cases {
            assert_eq!(claims.fill(template), filled, "{template}");
        }
    }
}
