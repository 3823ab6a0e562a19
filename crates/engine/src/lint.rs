//! The lint: judges one response against the rules R1–R18 of DESIGN.md.
//!
//! It reads the response text as a client would (it parses the challenges and the problem+json
//! body itself) and takes what only the server knows — whether the credentials verified, the
//! token's algorithm, whether a 404 conceals something — from the [`Facts`] the pipeline
//! gathered. Severity follows the word of the RFC behind each check: MUST → error,
//! SHOULD → warning, MAY or no normative word → note.

pub(crate) mod challenge;

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::facts::{Facts, Presented};
use crate::model::{Finding, Request, Response, Rule, Severity};
use challenge::Challenge;

/// The only token algorithm the demo server is configured for.
const EXPECTED_ALGORITHM: &str = "HS256";

/// RFC 7519 §4.1.4 asks for a "small" leeway, "usually no more than a few minutes".
const LARGEST_SMALL_LEEWAY: u64 = 300;

/// Lints `response` against every rule that applies to it. `request` is the parsed request,
/// when it parsed; `facts` is what the pipeline learned. Findings are sorted by rule; a
/// response that breaks nothing gets none. Never panics, whatever the response holds.
pub fn lint(request: Option<&Request>, facts: &Facts, response: &Response) -> Vec<Finding> {
    let context = Context::new(request, facts, response);
    let mut findings = Findings::default();
    for check in CHECKS {
        check(&context, &mut findings);
    }
    let mut findings = findings.0;
    findings.sort_by_key(|finding| finding.rule);
    findings
}

impl Rule {
    /// Every rule, in order.
    pub fn all() -> [Rule; 18] {
        use Rule::*;
        [
            R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13, R14, R15, R16, R17, R18,
        ]
    }

    /// The rule id as DESIGN.md writes it, e.g. `"R1"`.
    pub fn id(self) -> &'static str {
        self.info().0
    }

    /// The rule in a few words.
    pub fn title(self) -> &'static str {
        self.info().1
    }

    /// The RFC section behind the rule, e.g. `"RFC 9110 §15.5.2"`.
    pub fn source(self) -> &'static str {
        self.info().2
    }

    /// The rfc-editor.org address of that section.
    pub fn url(self) -> &'static str {
        self.info().3
    }

    /// Why the rule exists, in one plain-language line.
    pub fn explanation(self) -> &'static str {
        self.info().4
    }

    fn info(
        self,
    ) -> (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ) {
        match self {
            Rule::R1 => (
                "R1",
                "A 401 carries a WWW-Authenticate challenge",
                "RFC 9110 §15.5.2",
                "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
                "401 means *who are you?*, so it must also say how to answer: a `WWW-Authenticate` challenge.",
            ),
            Rule::R2 => (
                "R2",
                "401 is for missing or invalid credentials; too few rights get 403",
                "RFC 9110 §15.5.4",
                "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
                "401 means *who are you?*; 403 means *you are not allowed here*.",
            ),
            Rule::R3 => (
                "R3",
                "A request without credentials gets 401, never 403",
                "RFC 9110 §15.5.2",
                "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
                "Without credentials the server does not know who is asking, so it asks (401) instead of refusing (403).",
            ),
            Rule::R4 => (
                "R4",
                "No error code in the challenge when no credentials were sent",
                "RFC 6750 §3",
                "https://www.rfc-editor.org/rfc/rfc6750#section-3",
                "A client that sent no credentials made no mistake: the challenge says how to authenticate, not what went wrong.",
            ),
            Rule::R5 => (
                "R5",
                "Bearer error codes match the status",
                "RFC 6750 §3.1",
                "https://www.rfc-editor.org/rfc/rfc6750#section-3.1",
                "`invalid_request` goes with 400, `invalid_token` with 401, `insufficient_scope` with 403: code and status tell one story.",
            ),
            Rule::R6 => (
                "R6",
                "Bearer challenges are well formed",
                "RFC 6750 §3",
                "https://www.rfc-editor.org/rfc/rfc6750#section-3",
                "A Bearer challenge uses the scheme `Bearer`, quoted values and each attribute once, so every client reads it alike.",
            ),
            Rule::R7 => (
                "R7",
                "Basic challenges carry a realm; the only charset is UTF-8",
                "RFC 7617 §2",
                "https://www.rfc-editor.org/rfc/rfc7617#section-2",
                "A Basic challenge must name its realm, and `UTF-8` is the only charset it may announce.",
            ),
            Rule::R8 => (
                "R8",
                "Scheme names are case-insensitive",
                "RFC 9110 §11.1",
                "https://www.rfc-editor.org/rfc/rfc9110#section-11.1",
                "`bearer`, `Bearer` and `BEARER` name the same scheme; a server must read them alike.",
            ),
            Rule::R9 => (
                "R9",
                "A 405 lists the allowed methods in Allow",
                "RFC 9110 §15.5.6",
                "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6",
                "405 says *not with this method*; `Allow` says which methods do work.",
            ),
            Rule::R10 => (
                "R10",
                "A forbidden resource may be hidden behind 404",
                "RFC 9110 §15.5.4",
                "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
                "A server may pretend a forbidden resource does not exist (404) rather than admit it is there (403).",
            ),
            Rule::R11 => (
                "R11",
                "Error bodies are problem+json with the same status",
                "RFC 9457 §3",
                "https://www.rfc-editor.org/rfc/rfc9457#section-3",
                "A problem+json body lets a program read what went wrong; its `status` repeats the HTTP status.",
            ),
            Rule::R12 => (
                "R12",
                "Tokens with alg none or an unexpected algorithm are rejected",
                "RFC 8725 §3.1",
                "https://www.rfc-editor.org/rfc/rfc8725#section-3.1",
                "The server decides which algorithm it trusts; the token never gets to choose, least of all `none`.",
            ),
            Rule::R13 => (
                "R13",
                "exp and nbf are checked with a small, stated leeway",
                "RFC 7519 §4.1.4",
                "https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4",
                "An expired or not-yet-valid token is refused; a few seconds of leeway forgive clock drift, no more.",
            ),
            Rule::R14 => (
                "R14",
                "Tokens in the URL are flagged; one token, one way",
                "RFC 6750 §2.3",
                "https://www.rfc-editor.org/rfc/rfc6750#section-2.3",
                "A token in the URL ends up in logs and caches: flag it, keep the answer private, and refuse a token sent two ways.",
            ),
            Rule::R15 => (
                "R15",
                "Every challenge parses",
                "RFC 9110 §11.3",
                "https://www.rfc-editor.org/rfc/rfc9110#section-11.3",
                "A client must be able to read every challenge; a bare `Bearer` says nothing, and error texts avoid `\"` and `\\`.",
            ),
            Rule::R16 => (
                "R16",
                "problem+json titles and member types",
                "RFC 9457 §4.2.1",
                "https://www.rfc-editor.org/rfc/rfc9457#section-4.2.1",
                "With no `type` (or `about:blank`) the `title` is the status phrase, and every member has the JSON type the RFC gives it.",
            ),
            Rule::R17 => (
                "R17",
                "A concealing 404 is identical to a real one",
                "RFC 9110 §15.5.5",
                "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
                "If the hiding 404 differs in any byte from a real 404, the difference reveals what it hides.",
            ),
            Rule::R18 => (
                "R18",
                "Basic credentials split at the first colon",
                "RFC 7617 §2",
                "https://www.rfc-editor.org/rfc/rfc7617#section-2",
                "Basic credentials are `user-id:password`; the user-id cannot contain `:`, so credentials without a colon are invalid.",
            ),
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.id())
    }
}

/// The field value's media type, lower-cased, without parameters.
pub(crate) fn media_type(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether a `Content-Type` value is `application/problem+json`.
pub(crate) fn is_problem_json(value: &str) -> bool {
    media_type(value) == "application/problem+json"
}

/// The characters RFC 6750 §3 allows in `error` and `error_description` values:
/// `%x20-21 / %x23-5B / %x5D-7E` (printable ASCII but `"` and `\`).
pub(crate) fn is_error_text_char(character: char) -> bool {
    matches!(character, ' '..='~') && character != '"' && character != '\\'
}

/// A scope-token character (RFC 6749 §3.3): `%x21 / %x23-5B / %x5D-7E`.
fn is_scope_char(character: char) -> bool {
    is_error_text_char(character) && character != ' '
}

/// The status a Bearer error code goes with (RFC 6750 §3.1).
pub(crate) fn error_code_status(code: &str) -> Option<u16> {
    match code {
        "invalid_request" => Some(400),
        "invalid_token" => Some(401),
        "insufficient_scope" => Some(403),
        _ => None,
    }
}

/// One check: reads the context, adds findings.
type Check = fn(&Context, &mut Findings);

const CHECKS: [Check; 18] = [
    check_challenge_present,
    check_valid_credentials_not_401,
    check_no_credentials_not_403,
    check_no_error_without_credentials,
    check_error_code_status,
    check_bearer_challenges,
    check_basic_challenges,
    check_scheme_case,
    check_allow,
    check_concealing_404,
    check_problem_json,
    check_algorithm,
    check_time_claims,
    check_token_in_query,
    check_challenge_syntax,
    check_problem_members,
    check_concealment_identical,
    check_basic_credentials,
];

#[derive(Default)]
struct Findings(Vec<Finding>);

impl Findings {
    fn add(&mut self, rule: Rule, severity: Severity, message: String) {
        self.0.push(Finding {
            rule,
            severity,
            message,
        });
    }
}

/// What every check needs, read once.
struct Context<'a> {
    request: Option<&'a Request>,
    facts: &'a Facts,
    response: &'a Response,
    code: u16,
    /// Every `WWW-Authenticate` field, each parsed on its own.
    authenticate: Vec<(&'a str, challenge::Parsed)>,
    /// The body as JSON, when it is labelled problem+json and parses.
    problem: Option<Result<Map<String, Value>, &'static str>>,
    /// The request was HEAD, so the response has no content to read (RFC 9110 §9.3.2).
    head: bool,
    /// Bytes of content: the body, or for HEAD what Content-Length says GET would carry.
    content_length: usize,
}

impl<'a> Context<'a> {
    fn new(request: Option<&'a Request>, facts: &'a Facts, response: &'a Response) -> Self {
        let authenticate = response
            .headers_named("WWW-Authenticate")
            .map(|value| (value, challenge::parse(value)))
            .collect();
        let head = request.is_some_and(|request| request.method == "HEAD");
        let problem = response
            .header("Content-Type")
            .filter(|value| is_problem_json(value) && !head)
            .map(|_| match serde_json::from_str(&response.body) {
                Ok(Value::Object(members)) => Ok(members),
                Ok(_) => Err("is JSON but not an object"),
                Err(_) => Err("is not valid JSON"),
            });
        Context {
            request,
            facts,
            response,
            code: response.status.code(),
            authenticate,
            problem,
            head,
            content_length: if head {
                response
                    .header("Content-Length")
                    .and_then(|value| value.trim().parse().ok())
                    .unwrap_or(0)
            } else {
                response.body.len()
            },
        }
    }

    fn challenges(&self) -> impl Iterator<Item = &Challenge> {
        self.authenticate
            .iter()
            .flat_map(|(_, parsed)| parsed.challenges.iter())
    }

    /// The server accepted the credentials: they verified, or they were verified and the
    /// answer is a 2xx anyway. A 2xx where nothing was verified (a public route) accepts
    /// nothing: the credentials were ignored.
    fn accepted(&self) -> bool {
        match self.facts.verified {
            Some(verified) => verified || self.response.status.is_success(),
            None => false,
        }
    }

    /// The `Authorization` scheme and credentials of the request, as sent.
    fn authorization(&self) -> Option<(&'a str, &'a str)> {
        let value = self.request?.header("Authorization")?.trim();
        Some(match value.split_once([' ', '\t']) {
            Some((scheme, credentials)) => (scheme, credentials.trim()),
            None => (value, ""),
        })
    }
}

/// R1: RFC 9110 §15.5.2, "MUST send a WWW-Authenticate header field containing at least one
/// challenge".
fn check_challenge_present(context: &Context, findings: &mut Findings) {
    if context.code != 401 {
        return;
    }
    if context.authenticate.is_empty() {
        findings.add(
            Rule::R1,
            Severity::Error,
            "This 401 has no WWW-Authenticate header, so the client is not told how to authenticate."
                .to_string(),
        );
    } else if context.challenges().next().is_none() {
        findings.add(
            Rule::R1,
            Severity::Error,
            "This 401's WWW-Authenticate header holds no challenge.".to_string(),
        );
    }
}

/// R2: 401 is defined as lacking valid credentials (RFC 9110 §15.5.2); valid credentials with
/// too few rights are the 403 case (§15.5.4).
fn check_valid_credentials_not_401(context: &Context, findings: &mut Findings) {
    match (context.code, context.facts.verified) {
        (401, Some(true)) => findings.add(
            Rule::R2,
            Severity::Error,
            "The credentials verified, yet the answer is 401; valid credentials with too few rights get 403 (or a concealing 404)."
                .to_string(),
        ),
        (403, Some(false)) => findings.add(
            Rule::R2,
            Severity::Error,
            "The credentials failed verification, yet the answer is 403; invalid credentials get 401 with a challenge, so the client knows to authenticate again."
                .to_string(),
        ),
        _ => {}
    }
}

/// R3: without credentials the request "lacks valid authentication credentials" (RFC 9110
/// §15.5.2), and RFC 6750 §3 requires the challenge.
fn check_no_credentials_not_403(context: &Context, findings: &mut Findings) {
    if context.code == 403 && context.facts.presented == Presented::None {
        findings.add(
            Rule::R3,
            Severity::Error,
            "The request carried no credentials, yet the answer is 403; the server must first ask who is calling, with a 401."
                .to_string(),
        );
    }
}

/// R4: RFC 6750 §3, "the resource server SHOULD NOT include an error code or other error
/// information" when the request lacks authentication information (including an
/// unsupported scheme).
fn check_no_error_without_credentials(context: &Context, findings: &mut Findings) {
    let no_information = matches!(
        context.facts.presented,
        Presented::None | Presented::Unsupported(_)
    );
    if !no_information {
        return;
    }
    for challenge in context.challenges() {
        if let Some(error) = challenge.param("error") {
            findings.add(
                Rule::R4,
                Severity::Warning,
                format!(
                    "The request carried no usable credentials, yet the {} challenge says error=\"{}\"; a client that sent nothing made no error.",
                    challenge.scheme, error.value
                ),
            );
        }
    }
}

/// R5: RFC 6750 §3.1, each error code names the status the server "SHOULD respond with"; and
/// §3, a failed token "SHOULD" get an `error` attribute.
fn check_error_code_status(context: &Context, findings: &mut Findings) {
    let bearer = || {
        context
            .challenges()
            .filter(|challenge| challenge.is("Bearer"))
    };
    for challenge in bearer() {
        let Some(error) = challenge.param("error") else {
            continue;
        };
        let Some(expected) = error_code_status(&error.value) else {
            continue;
        };
        if expected != context.code {
            findings.add(
                Rule::R5,
                Severity::Warning,
                format!(
                    "error=\"{}\" goes with status {expected}, but this response is {}.",
                    error.value, context.code
                ),
            );
        }
    }
    let token_failed = matches!(
        context.facts.presented,
        Presented::Bearer | Presented::Query
    ) && context.facts.verified == Some(false);
    let has_bearer = bearer().next().is_some();
    if context.code == 401
        && token_failed
        && has_bearer
        && bearer().all(|challenge| challenge.param("error").is_none())
    {
        findings.add(
            Rule::R5,
            Severity::Warning,
            "The token failed verification, but the Bearer challenge names no error code (invalid_token)."
                .to_string(),
        );
    }
}

/// R6: RFC 6750 §3 ("MUST use the auth-scheme value Bearer", realm/scope/error… "MUST NOT
/// appear more than once"), RFC 9110 §11.2 ("Each parameter name MUST only occur once per
/// challenge") and §11.5 (realm: "a sender MUST only generate the quoted-string syntax").
fn check_bearer_challenges(context: &Context, findings: &mut Findings) {
    for challenge in context.challenges() {
        let mut seen: Vec<String> = Vec::new();
        for param in &challenge.params {
            let name = param.name.to_ascii_lowercase();
            if seen.contains(&name) {
                findings.add(
                    Rule::R6,
                    Severity::Error,
                    format!(
                        "The {} challenge names `{}` more than once; each parameter may appear only once.",
                        challenge.scheme, param.name
                    ),
                );
            } else {
                seen.push(name);
            }
        }
        if !challenge.is("Bearer") {
            continue;
        }
        if challenge.token68.is_some() {
            findings.add(
                Rule::R6,
                Severity::Error,
                "The Bearer challenge carries a token68 value; Bearer challenges take name=\"value\" parameters only."
                    .to_string(),
            );
        }
        for param in challenge.params.iter().filter(|param| !param.quoted) {
            let name = param.name.to_ascii_lowercase();
            let severity = match name.as_str() {
                "realm" => Severity::Error,
                "scope" | "error" | "error_description" | "error_uri" => Severity::Warning,
                _ => continue,
            };
            findings.add(
                Rule::R6,
                severity,
                format!(
                    "`{}` in the Bearer challenge is a bare token; it is written as a quoted-string.",
                    param.name
                ),
            );
        }
    }
    let bearer_sent = matches!(
        context.facts.presented,
        Presented::Bearer | Presented::Query
    );
    if context.code == 401
        && bearer_sent
        && !context.authenticate.is_empty()
        && !context.challenges().any(|challenge| challenge.is("Bearer"))
    {
        findings.add(
            Rule::R6,
            Severity::Error,
            "The request sent a Bearer token, but this 401 offers no Bearer challenge.".to_string(),
        );
    }
}

/// R7: RFC 7617 §2 ("The realm parameter is REQUIRED") and §2.1 (charset: "The only allowed
/// value is UTF-8").
fn check_basic_challenges(context: &Context, findings: &mut Findings) {
    for challenge in context
        .challenges()
        .filter(|challenge| challenge.is("Basic"))
    {
        if challenge.param("realm").is_none() {
            findings.add(
                Rule::R7,
                Severity::Error,
                "The Basic challenge has no realm.".to_string(),
            );
        }
        if let Some(charset) = challenge.param("charset") {
            if !charset.value.eq_ignore_ascii_case("UTF-8") {
                findings.add(
                    Rule::R7,
                    Severity::Error,
                    format!(
                        "The Basic challenge announces charset=\"{}\"; UTF-8 is the only value allowed.",
                        charset.value
                    ),
                );
            }
        }
    }
}

/// R8: RFC 9110 §11.1, "It uses a case-insensitive token to identify the authentication
/// scheme".
fn check_scheme_case(context: &Context, findings: &mut Findings) {
    let sent = match (&context.facts.presented, context.authorization()) {
        (_, Some((scheme, _))) => scheme.to_string(),
        (Presented::Unsupported(scheme), None) => scheme.clone(),
        _ => return,
    };
    let known = ["Bearer", "Basic"]
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
    if matches!(context.facts.presented, Presented::Unsupported(_)) {
        findings.add(
            Rule::R8,
            Severity::Error,
            format!(
                "The request's scheme `{sent}` is {known} in another case, yet the server treated it as unsupported."
            ),
        );
    } else if sent != known && context.accepted() {
        findings.add(
            Rule::R8,
            Severity::Note,
            format!(
                "The request writes the scheme as `{sent}`; scheme names are case-insensitive, so it was read as {known}."
            ),
        );
    }
}

/// R9: RFC 9110 §15.5.6, "The origin server MUST generate an Allow header field in a 405
/// response".
fn check_allow(context: &Context, findings: &mut Findings) {
    if context.code == 405 && context.response.header("Allow").is_none() {
        findings.add(
            Rule::R9,
            Severity::Error,
            "This 405 has no Allow header listing the methods the resource supports.".to_string(),
        );
    }
}

/// R10: RFC 9110 §15.5.4, a server "MAY instead respond with 404" to hide a forbidden
/// resource. A 401 for valid credentials is R2's business.
fn check_concealing_404(context: &Context, findings: &mut Findings) {
    if context.code == 404 && context.facts.concealed {
        findings.add(
            Rule::R10,
            Severity::Note,
            "This 404 stands for a resource that exists but is not for this caller; RFC 9110 lets a server hide it this way."
                .to_string(),
        );
    }
}

/// R11: RFC 9457 §3.1.2, `status` "generators MUST use the same status code in the actual
/// HTTP response"; RFC 9110 §15.5, a 4xx "SHOULD send a representation containing an
/// explanation". RFC 9457 itself is not mandatory, hence a note for other formats.
fn check_problem_json(context: &Context, findings: &mut Findings) {
    if context.code < 400 {
        return;
    }
    let labelled_problem = context
        .response
        .header("Content-Type")
        .is_some_and(is_problem_json);
    match &context.problem {
        None if context.content_length == 0 => findings.add(
            Rule::R11,
            Severity::Warning,
            format!(
                "This {} has no body explaining the error; a problem+json body would say what went wrong.",
                context.code
            ),
        ),
        // HEAD: a problem+json label, and members that are not sent to be checked.
        None if context.head && labelled_problem => {}
        None => {
            let media = context.response.header("Content-Type")
                .map(media_type)
                .unwrap_or_else(|| "unlabelled".to_string());
            findings.add(
                Rule::R11,
                Severity::Note,
                format!(
                    "This error body is {media}, not application/problem+json, so a program cannot read why the request failed."
                ),
            );
        }
        Some(Err(why)) => findings.add(
            Rule::R11,
            Severity::Error,
            format!("The body is labelled application/problem+json but {why}."),
        ),
        Some(Ok(members)) => match members.get("status") {
            Some(Value::Number(number)) if number.as_u64() != Some(u64::from(context.code)) => {
                findings.add(
                    Rule::R11,
                    Severity::Error,
                    format!(
                        "The problem+json body says status {number}, but the HTTP status is {}.",
                        context.code
                    ),
                )
            }
            None => findings.add(
                Rule::R11,
                Severity::Note,
                format!(
                    "The problem+json body has no status member; repeating {} helps clients that only see the body.",
                    context.code
                ),
            ),
            // A status of the wrong JSON type is R16's finding.
            _ => {}
        },
    }
}

/// R12: RFC 8725 §3.1, libraries "MUST NOT use any other algorithms" than the ones the caller
/// configured, and §3.2 rejects `none` unless explicitly expected.
fn check_algorithm(context: &Context, findings: &mut Findings) {
    let Some(algorithm) = &context.facts.token_alg else {
        return;
    };
    if algorithm != EXPECTED_ALGORITHM && context.accepted() {
        findings.add(
            Rule::R12,
            Severity::Error,
            format!(
                "The token's header says alg `{algorithm}`, which the server did not configure, yet the token was accepted."
            ),
        );
    }
}

/// R13: RFC 7519 §4.1.4 / §4.1.5, the token "MUST NOT be accepted" after `exp` or before
/// `nbf`; implementers "MAY provide for some small leeway".
fn check_time_claims(context: &Context, findings: &mut Findings) {
    let facts = context.facts;
    if context.accepted() {
        if facts.token_expired == Some(true) {
            findings.add(
                Rule::R13,
                Severity::Error,
                "The token expired longer ago than the leeway allows, yet it was accepted."
                    .to_string(),
            );
        }
        if facts.token_not_yet_valid == Some(true) {
            findings.add(
                Rule::R13,
                Severity::Error,
                "The token is not valid yet (its nbf lies beyond the leeway), yet it was accepted."
                    .to_string(),
            );
        }
    }
    if let Some(leeway) = facts.leeway.filter(|leeway| *leeway > LARGEST_SMALL_LEEWAY) {
        findings.add(
            Rule::R13,
            Severity::Note,
            format!(
                "The server allows {leeway} s of leeway on exp / nbf; RFC 7519 speaks of a small leeway, a few minutes at most."
            ),
        );
    }
}

/// R14: RFC 6750 §2.3, the query method "SHOULD NOT be used" and 2xx answers "SHOULD contain a
/// Cache-Control header with the private option"; §3.1, a token sent more than one way is
/// `invalid_request`, which "SHOULD" be 400.
fn check_token_in_query(context: &Context, findings: &mut Findings) {
    let in_query = context.facts.presented == Presented::Query
        || context
            .request
            .is_some_and(|request| request.query.iter().any(|(name, _)| name == "access_token"));
    if in_query {
        findings.add(
            Rule::R14,
            Severity::Warning,
            "The request sends its token in the URL query (access_token=), where logs, history and caches keep it."
                .to_string(),
        );
        let private = context
            .response
            .header("Cache-Control")
            .is_some_and(|value| {
                value.split(',').any(|directive| {
                    let name = directive.split('=').next().unwrap_or_default();
                    name.trim().eq_ignore_ascii_case("private")
                })
            });
        if context.response.status.is_success() && !private {
            findings.add(
                Rule::R14,
                Severity::Warning,
                "This 2xx answers a request with a token in the URL but lacks Cache-Control: private, so a shared cache may keep it."
                    .to_string(),
            );
        }
    }
    if context.facts.presented == Presented::Several && context.code != 400 {
        findings.add(
            Rule::R14,
            Severity::Warning,
            format!(
                "The request sends a token two ways at once, which is invalid_request (400), yet the answer is {}.",
                context.code
            ),
        );
    }
}

/// R15: RFC 9110 §11.3 (the challenge grammar); RFC 6750 §3, the Bearer scheme "MUST be
/// followed by one or more auth-param values", and `error` / `error_description` "MUST NOT
/// include characters outside the set %x20-21 / %x23-5B / %x5D-7E" (scope: RFC 6749 §3.3).
fn check_challenge_syntax(context: &Context, findings: &mut Findings) {
    for (value, parsed) in &context.authenticate {
        if let Some(error) = &parsed.error {
            findings.add(
                Rule::R15,
                Severity::Error,
                format!(
                    "WWW-Authenticate: {value} does not parse: {} (at byte {}).",
                    error.message, error.offset
                ),
            );
        }
    }
    for (_, parsed) in &context.authenticate {
        // The challenge a parse error cut short is reported by the error above.
        let complete = match parsed.error {
            Some(_) => parsed.challenges.len().saturating_sub(1),
            None => parsed.challenges.len(),
        };
        let bare = parsed.challenges.iter().take(complete).filter(|challenge| {
            challenge.is("Bearer") && challenge.params.is_empty() && challenge.token68.is_none()
        });
        for _ in bare {
            findings.add(
                Rule::R15,
                Severity::Error,
                "A bare `Bearer` challenge names neither realm nor error; Bearer must be followed by at least one parameter."
                    .to_string(),
            );
        }
    }
    for challenge in context
        .challenges()
        .filter(|challenge| challenge.is("Bearer"))
    {
        for param in &challenge.params {
            let allowed: fn(char) -> bool = match param.name.to_ascii_lowercase().as_str() {
                "error" | "error_description" => is_error_text_char,
                "scope" => |character| character == ' ' || is_scope_char(character),
                _ => continue,
            };
            if !param.value.chars().all(allowed) {
                findings.add(
                    Rule::R15,
                    Severity::Error,
                    format!(
                        "`{}` holds characters RFC 6750 does not allow there (only printable ASCII without `\"` and `\\`).",
                        param.name
                    ),
                );
            }
        }
    }
}

/// A problem+json member: its name, the test of its JSON type, and that type in words.
type Expectation = (&'static str, fn(&Value) -> bool, &'static str);

/// R16: RFC 9457 §4.2.1, with `about:blank` "the title SHOULD be the same as the recommended
/// HTTP status phrase"; §3.1 gives each member its JSON type.
fn check_problem_members(context: &Context, findings: &mut Findings) {
    let Some(Ok(members)) = &context.problem else {
        return;
    };
    let expectations: [Expectation; 5] = [
        ("type", Value::is_string, "a string (a URI reference)"),
        ("title", Value::is_string, "a string"),
        ("status", Value::is_u64, "a whole number"),
        ("detail", Value::is_string, "a string"),
        ("instance", Value::is_string, "a string (a URI reference)"),
    ];
    for (name, fits, expected) in expectations {
        if let Some(value) = members.get(name) {
            if !fits(value) {
                findings.add(
                    Rule::R16,
                    Severity::Error,
                    format!(
                        "The problem+json member `{name}` is {value}, but it must be {expected}."
                    ),
                );
            }
        }
    }
    let blank = match members.get("type") {
        None => true,
        Some(Value::String(kind)) => kind == "about:blank",
        Some(_) => false,
    };
    if !blank {
        return;
    }
    let phrase = context.response.status.reason();
    if let Some(Value::String(title)) = members.get("title") {
        if title != phrase {
            findings.add(
                Rule::R16,
                Severity::Warning,
                format!(
                    "The problem has no type of its own (about:blank), so its title should be the status phrase \"{phrase}\", not \"{title}\"."
                ),
            );
        }
    }
}

/// R17: a concealing 404 that differs from the real 404 reveals the resource RFC 9110
/// §15.5.4 lets the server hide.
fn check_concealment_identical(context: &Context, findings: &mut Findings) {
    if !context.facts.concealed {
        return;
    }
    let Some(counterpart) = &context.facts.counterpart else {
        return;
    };
    let response = context.response;
    let mut differences = Vec::new();
    if response.status != counterpart.status {
        differences.push("status".to_string());
    }
    if response.headers != counterpart.headers {
        let mut names: Vec<&str> = Vec::new();
        for header in response.headers.iter().chain(counterpart.headers.iter()) {
            let differs = !response
                .headers_named(&header.name)
                .eq(counterpart.headers_named(&header.name));
            let listed = names
                .iter()
                .any(|name| name.eq_ignore_ascii_case(&header.name));
            if differs && !listed {
                names.push(&header.name);
            }
        }
        if names.is_empty() {
            differences.push("header order".to_string());
        } else {
            differences.push(format!("headers ({})", names.join(", ")));
        }
    }
    if response.body != counterpart.body {
        differences.push("body".to_string());
    }
    if !differences.is_empty() {
        findings.add(
            Rule::R17,
            Severity::Error,
            format!(
                "This hiding 404 differs from the 404 for a path that does not exist in its {}, so it reveals that the resource exists.",
                differences.join(" and ")
            ),
        );
    }
}

/// R18: RFC 7617 §2, user-pass = user-id ":" password, and "a user-id containing a colon
/// character is invalid": credentials without a colon cannot be valid.
fn check_basic_credentials(context: &Context, findings: &mut Findings) {
    if context.facts.presented != Presented::Basic || !context.accepted() {
        return;
    }
    let Some((scheme, credentials)) = context.authorization() else {
        return;
    };
    if !scheme.eq_ignore_ascii_case("Basic") {
        return;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(credentials);
    let has_colon = decoded.as_deref().is_ok_and(|bytes| bytes.contains(&b':'));
    if !has_colon {
        findings.add(
            Rule::R18,
            Severity::Error,
            "The Basic credentials do not decode to user-id:password, yet they were accepted."
                .to_string(),
        );
    }
}
