//! The pipeline: parse → route → public? → credentials → verify → authorize → handle (the
//! `conceal` profile checks credentials before routing). Every step lands in the trace; the
//! last one decides the response.

use serde::Serialize;

use crate::facts::{Facts, Presented};
use crate::http::{parse_request, Header, Request, RequestError, Status};
use crate::model::{
    Authentication, Authorization, Evaluation, Exit, GraphNode, Node, Outcome, Profile, Response,
    Scenario, Step, Vars,
};
use crate::policy::{Access, Params, Route, RouteMatch};
use crate::profile::{
    AuthorizationSyntax, Body, Case, Code, Param, Reads, ServerProfile, TOKEN_FAILURES,
};
use crate::text::{is_token68, is_token_byte, shorten};
use crate::token::{format_utc, verify_basic, verify_jwt, Identity, Verification};

/// Runs the raw request through the scenario's server. Deterministic, never panics, always
/// returns a whole `Evaluation` whose trace ends with the step that decided the response.
pub fn evaluate(raw: &str, scenario: &Scenario) -> Evaluation {
    evaluate_with_facts(raw, scenario).0
}

/// [`evaluate`], with the facts the pipeline learned on the way: what the lint of a foreign
/// exchange borrows about the same request (did it verify, does the route exist).
pub(crate) fn evaluate_with_facts(raw: &str, scenario: &Scenario) -> (Evaluation, Facts) {
    let request = parse_request(raw);
    let mut run = Run::new(scenario);
    let response = match &request {
        Err(error) => run.parse_failed(error),
        Ok(request) => {
            run.parse_passed(request);
            run.serve(request)
        }
    };
    let findings = crate::lint::lint(request.as_ref().ok(), &run.facts, &response);
    let evaluation = Evaluation {
        request,
        trace: run.trace,
        response,
        findings,
    };
    (evaluation, run.facts)
}

/// The node graph of a profile: nodes in the order that profile visits them, each exit
/// labelled with the statuses its table answers when the request ends there.
pub fn graph(profile: Profile) -> Vec<GraphNode> {
    let spec = profile.spec();
    let go = |label: &str, to: Node| Exit {
        label: label.to_string(),
        to: Some(to),
        status: Vec::new(),
    };
    let end = |label: &str, cases: &[Case]| {
        let concealed = cases.iter().any(|case| spec.answer(*case).conceals);
        Exit {
            label: if concealed {
                format!("{label} (concealed)")
            } else {
                label.to_string()
            },
            to: None,
            status: statuses(spec, cases),
        }
    };
    let node = |node: Node, exits: Vec<Exit>| GraphNode {
        node,
        title: node.title().to_string(),
        exits,
    };
    let parse = |next: Node| {
        let mut malformed = end("malformed", &[Case::Malformed]);
        let mut too_large = end("too large", &[Case::Malformed]);
        // The parser decides among its own statuses; a table may also fix one.
        if spec.answer(Case::Malformed).status == Code::Decided {
            malformed.status = vec![Status::BadRequest];
            too_large.status = vec![Status::ContentTooLarge, Status::HeaderFieldsTooLarge];
        }
        node(
            Node::Parse,
            vec![malformed, too_large, go("well-formed", next)],
        )
    };
    let mut handled = vec![end("handled", &[Case::Allowed])];
    let mut no_match = vec![Case::UnknownRoute, Case::WrongMethod];
    if spec.order.method_after_authorization {
        handled.push(end("no handler for the method", &[Case::WrongMethod]));
        no_match.pop();
    }
    let handle = node(Node::Handle, handled);
    let refused = [
        Case::MissingRole,
        Case::MissingScope,
        Case::MissingScopeWithPassword,
        Case::NotOwner,
    ];
    let malformed = [
        Case::EmptyCredentials,
        Case::MalformedCredentials,
        Case::SeveralCredentials,
    ];
    // The password's failures too, after the token's.
    let mut invalid = TOKEN_FAILURES.to_vec();
    invalid.extend([Case::PasswordRejected, Case::PasswordUnreadable]);
    let verify = |next: Node| {
        node(
            Node::Verify,
            vec![end("invalid", &invalid), go("valid", next)],
        )
    };
    if !spec.order.credentials_first {
        let mut credentials = vec![
            end(
                "none / unsupported scheme",
                &[Case::NoCredentials, Case::UnsupportedScheme],
            ),
            end("malformed / sent twice", &malformed),
        ];
        if spec.order.rights_before_credentials {
            credentials.push(end(
                "none, rights needed",
                &[Case::RightsWithoutCredentials],
            ));
        }
        credentials.push(go("found", Node::Verify));
        return vec![
            parse(Node::Route),
            node(
                Node::Route,
                vec![end("no match", &no_match), go("matched", Node::Public)],
            ),
            node(
                Node::Public,
                vec![
                    go("public", Node::Handle),
                    go("protected", Node::Credentials),
                ],
            ),
            node(Node::Credentials, credentials),
            verify(Node::Authorize),
            node(
                Node::Authorize,
                vec![end("denied", &refused), go("allowed", Node::Handle)],
            ),
            handle,
        ];
    }
    let mut credentials = vec![
        end("malformed / sent twice", &malformed),
        end("unsupported scheme", &[Case::UnsupportedScheme]),
    ];
    if spec.order.anonymous_refused_before_routing {
        credentials.push(end("none, no public route", &[Case::NoCredentials]));
    }
    credentials.extend([
        go("none: anonymous", Node::Route),
        go("found", Node::Verify),
    ]);
    vec![
        parse(Node::Credentials),
        node(Node::Credentials, credentials),
        verify(Node::Route),
        node(
            Node::Route,
            vec![
                end("no match", &[Case::UnknownRoute, Case::WrongMethod]),
                go("matched", Node::Public),
            ],
        ),
        node(
            Node::Public,
            vec![
                go("public", Node::Handle),
                end("protected, anonymous", &[Case::NoCredentials]),
                go("protected", Node::Authorize),
            ],
        ),
        node(
            Node::Authorize,
            vec![end("denied", &refused), go("allowed", Node::Handle)],
        ),
        handle,
    ]
}

/// The statuses a table answers these cases with, each once, in the order first met; the
/// handler's "decided" status is 200 or 204.
fn statuses(spec: &ServerProfile, cases: &[Case]) -> Vec<Status> {
    let mut found = Vec::new();
    for case in cases {
        let answered = match spec.answer(*case).status {
            Code::Is(status) => vec![status],
            Code::Decided => vec![Status::Ok, Status::NoContent],
        };
        for status in answered {
            if !found.contains(&status) {
                found.push(status);
            }
        }
    }
    found
}

/// How a request presents credentials, before verification.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Credential<'a> {
    None,
    Bearer {
        token: &'a str,
        in_query: bool,
    },
    Basic(&'a str),
    Unsupported(&'a str),
    /// A scheme with nothing after it, such as `Authorization: Bearer`.
    Empty(String),
    Malformed(String),
    Several(String),
}

impl Credential<'_> {
    fn presented(&self) -> Presented {
        match self {
            Credential::None => Presented::None,
            Credential::Bearer { in_query: true, .. } => Presented::Query,
            Credential::Bearer { .. } => Presented::Bearer,
            Credential::Basic(_) => Presented::Basic,
            Credential::Unsupported(scheme) => Presented::Unsupported(shorten(scheme, 40)),
            Credential::Empty(_) => Presented::Empty,
            Credential::Malformed(_) => Presented::Malformed,
            Credential::Several(_) => Presented::Several,
        }
    }
}

/// Reads the credentials of a request: one `Authorization` header or one `access_token`
/// query parameter (RFC 6750 §2), never both; only what the server reads at all.
fn extract<'r>(request: &'r Request, spec: &ServerProfile) -> Credential<'r> {
    let reads = spec.reads;
    let mut headers: Vec<&str> = request.headers_named("authorization").collect();
    if reads.first_authorization_only {
        headers.truncate(1);
    }
    if spec.syntax == AuthorizationSyntax::BearerFromList {
        match bearer_from_list(&headers) {
            Ok(bearer) => headers = bearer,
            Err(credential) => return credential,
        }
    }
    let query: Vec<&str> = request
        .query
        .iter()
        .filter(|(key, _)| key == "access_token" && reads.query)
        .map(|(_, value)| value.as_str())
        .collect();
    match (headers.as_slice(), query.as_slice()) {
        ([], []) => Credential::None,
        ([], [token]) => {
            if is_token68(token) {
                Credential::Bearer {
                    token,
                    in_query: true,
                }
            } else {
                Credential::Malformed(
                    "the access_token parameter is not a token (b64token, RFC 6750 §2.1)"
                        .to_string(),
                )
            }
        }
        // A server that compares the scheme byte for byte does not read `bearer`.
        ([value], [])
            if spec.syntax == AuthorizationSyntax::BearerExact
                && scheme_of(value).eq_ignore_ascii_case("bearer")
                && scheme_of(value) != "Bearer" =>
        {
            Credential::Unsupported(scheme_of(value))
        }
        ([value], []) => {
            let credential = if spec.syntax == AuthorizationSyntax::TwoParts {
                split_in_two(value)
            } else {
                parse_authorization(value)
            };
            match credential {
                // A scheme the server does not read is, to it, one it does not support.
                Credential::Bearer { .. } if !reads.bearer => {
                    Credential::Unsupported(scheme_of(value))
                }
                Credential::Basic(_) if !reads.basic => Credential::Unsupported(scheme_of(value)),
                credential => credential,
            }
        }
        ([_], [_]) => Credential::Several(
            "a token in the Authorization header and another in the access_token parameter"
                .to_string(),
        ),
        ([], _) => Credential::Several(format!("{} access_token parameters", query.len())),
        _ => Credential::Several(format!(
            "{} Authorization headers{}",
            headers.len(),
            if query.is_empty() {
                ""
            } else {
                " and an access_token parameter"
            }
        )),
    }
}

/// `value.split(' ')` with exactly two parts, as passport-http-bearer and express-jwt read the
/// header: the second part is the Bearer token whatever its characters (the token check
/// refuses what is not a token); another scheme is one the server does not support.
fn split_in_two(value: &str) -> Credential<'_> {
    let mut parts = value.split(' ');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(scheme), Some(credentials), None) if scheme.eq_ignore_ascii_case("bearer") => {
            if credentials.is_empty() {
                Credential::Empty(format!("{scheme} without credentials"))
            } else {
                Credential::Bearer {
                    token: credentials,
                    in_query: false,
                }
            }
        }
        (Some(scheme), Some(_), None) => Credential::Unsupported(scheme),
        _ => Credential::Malformed(
            "the Authorization header is not two parts separated by one space".to_string(),
        ),
    }
}

/// The `Authorization` fields as one comma-separated list, as Werkzeug joins them: its one
/// element whose scheme is exactly `Bearer` (none when the list is empty), or why not.
fn bearer_from_list<'a>(headers: &[&'a str]) -> Result<Vec<&'a str>, Credential<'a>> {
    let elements: Vec<&str> = headers
        .iter()
        .flat_map(|value| value.split(','))
        .map(|element| element.trim_matches(' '))
        .filter(|element| !element.is_empty())
        .collect();
    let bearer: Vec<&str> = elements
        .iter()
        .copied()
        .filter(|element| element.split_whitespace().next() == Some("Bearer"))
        .collect();
    match (elements.first(), bearer.len()) {
        (None, _) | (_, 1) => Ok(bearer),
        (Some(first), 0) => Err(Credential::Unsupported(scheme_of(first))),
        (_, count) => Err(Credential::Several(format!(
            "{count} Bearer credentials in the Authorization field(s)"
        ))),
    }
}

fn scheme_of(value: &str) -> &str {
    value.split_once(' ').map_or(value, |(scheme, _)| scheme)
}

fn parse_authorization(value: &str) -> Credential<'_> {
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if scheme.is_empty() {
        return Credential::Malformed("the Authorization header has no scheme".to_string());
    }
    if !scheme.bytes().all(is_token_byte) {
        return Credential::Malformed(format!(
            "the scheme {:?} is not a token",
            shorten(scheme, 40)
        ));
    }
    let credentials = rest.trim_start_matches(' ');
    let bearer = scheme.eq_ignore_ascii_case("bearer");
    let basic = scheme.eq_ignore_ascii_case("basic");
    if !bearer && !basic {
        return Credential::Unsupported(scheme);
    }
    if credentials.is_empty() {
        return Credential::Empty(format!("{scheme} without credentials"));
    }
    if !is_token68(credentials) {
        return Credential::Malformed(format!(
            "the {scheme} credentials are not a single token68 (RFC 9110 §11.2)"
        ));
    }
    if bearer {
        Credential::Bearer {
            token: credentials,
            in_query: false,
        }
    } else {
        Credential::Basic(credentials)
    }
}

/// One access rule applied to one caller: the step the authorize node records.
struct Judgement {
    check: &'static str,
    condition: String,
    allowed: bool,
    detail: String,
}

/// Applies a route's access rule to the verified caller.
fn judge(access: &Access, params: &[(String, String)], identity: &Identity) -> Judgement {
    match access {
        Access::Public | Access::Authenticated => Judgement {
            check: "authenticated",
            condition: "any authenticated caller".to_string(),
            allowed: true,
            detail: format!(
                "authenticated as {}",
                shorten(identity.subject.as_deref().unwrap_or("(no sub)"), 40)
            ),
        },
        Access::Role(wanted) => judge_role(wanted, identity),
        Access::Scope(wanted) => judge_scope(wanted, identity),
        Access::Owner(parameter) => judge_owner(parameter, params, identity),
    }
}

fn judge_role(wanted: &str, identity: &Identity) -> Judgement {
    let allowed = identity.roles.iter().any(|role| role == wanted);
    let sign = if allowed { "=" } else { "≠" };
    let detail = match (identity.demo_claims, identity.roles.as_slice()) {
        (true, [] | [_]) => {
            let role = identity.roles.first().map_or("(none)", String::as_str);
            format!("role {} {sign} {wanted}", shorten(role, 40))
        }
        _ => {
            let verb = if allowed { "include" } else { "lack" };
            format!(
                "{} {verb} {wanted}",
                claim_values(identity.role_claim.as_deref(), "roles", &identity.roles)
            )
        }
    };
    Judgement {
        check: "role",
        condition: format!("role = {wanted}"),
        allowed,
        detail,
    }
}

/// `claim values` as the authorize step shows them: the claim the values were read from (or
/// `fallback` when none held any), then the values, or `(none)`.
fn claim_values(claim: Option<&str>, fallback: &str, values: &[String]) -> String {
    let values = if values.is_empty() {
        "(none)".to_string()
    } else {
        shorten(&values.join(" "), 80)
    };
    format!("{} {values}", shorten(claim.unwrap_or(fallback), 40))
}

fn judge_scope(wanted: &str, identity: &Identity) -> Judgement {
    let allowed = identity.scopes.iter().any(|scope| scope == wanted);
    let verb = if allowed { "include" } else { "lack" };
    let detail = if identity.demo_claims {
        let scopes = if identity.scopes.is_empty() {
            "(none)".to_string()
        } else {
            shorten(&identity.scopes.join(" "), 80)
        };
        format!("scopes {scopes} {verb} {wanted}")
    } else {
        format!(
            "{} {verb} {wanted}",
            claim_values(identity.scope_claim.as_deref(), "scopes", &identity.scopes)
        )
    };
    Judgement {
        check: "scope",
        condition: format!("scopes include {wanted}"),
        allowed,
        detail,
    }
}

/// `/users/{id}/…`: the caller named by `sub`, or an admin acting for anyone.
fn judge_owner(parameter: &str, params: &[(String, String)], identity: &Identity) -> Judgement {
    let subject = shorten(identity.subject.as_deref().unwrap_or("(no sub)"), 40);
    let role = if identity.roles.is_empty() {
        "(none)".to_string()
    } else {
        identity.roles.join(" ")
    };
    let value = params
        .iter()
        .find(|(name, _)| name == parameter)
        .map_or("", |(_, value)| value.as_str());
    let owner = identity.subject.as_deref() == Some(value);
    let admin = identity.roles.iter().any(|role| role == "admin");
    let value = shorten(value, 40);
    let detail = if owner {
        format!("sub {subject} = {parameter} {value}")
    } else if admin {
        format!("sub {subject} ≠ {parameter} {value}, but role admin may act for anyone")
    } else {
        format!(
            "sub {subject} ≠ {parameter} {value}, and role {} is not admin",
            shorten(&role, 40)
        )
    };
    Judgement {
        check: "owner",
        condition: format!("sub = {{{parameter}}}, or role = admin"),
        allowed: owner || admin,
        detail,
    }
}

/// One evaluation in progress: the trace so far, the variables, the facts for the lint.
struct Run<'s> {
    scenario: &'s Scenario,
    /// The server's table: how it answers each case, and its order of checks.
    spec: &'static ServerProfile,
    trace: Vec<Step>,
    vars: Vars,
    facts: Facts,
    /// Whether a concealing 404 also runs its counterpart (off inside the counterpart).
    with_counterpart: bool,
    /// The path's methods, when the request's method has no route there and the profile
    /// checks the method after authorization: the handler answers 405 instead.
    method_refused: Option<String>,
    /// The claims of the Bearer token being verified, for a description the framework writes
    /// with them (`Param::DescriptionIs`).
    claims: Claimed,
}

/// What a token says of its lifetime, issuer and audience, read without verifying it, as a
/// framework's error message quotes it.
#[derive(Default)]
struct Claimed {
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
    fn fill(&self, template: &str) -> String {
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

/// Who is asking, once credentials are settled.
enum Caller {
    Anonymous,
    Verified(Identity),
}

impl<'s> Run<'s> {
    fn new(scenario: &'s Scenario) -> Run<'s> {
        Run {
            scenario,
            spec: scenario.profile.spec(),
            trace: Vec::new(),
            vars: Vars::default(),
            facts: Facts {
                profile: scenario.profile,
                schemes: read_schemes(scenario.profile.spec().reads),
                ..Facts::default()
            },
            with_counterpart: true,
            method_refused: None,
            claims: Claimed::default(),
        }
    }

    fn step(&mut self, node: Node, check: &str, condition: &str, outcome: Outcome, detail: String) {
        self.trace.push(Step {
            node,
            check: check.to_string(),
            condition: condition.to_string(),
            outcome,
            detail,
            vars: self.vars,
        });
    }

    /// Records the deciding step and returns its response.
    fn decide(
        &mut self,
        node: Node,
        check: &str,
        condition: &str,
        detail: String,
        response: Response,
    ) -> Response {
        self.vars.response_code = Some(response.status);
        let outcome = if response.status.is_success() {
            Outcome::Answered
        } else {
            Outcome::Failed
        };
        self.step(node, check, condition, outcome, detail);
        response
    }

    fn parse_failed(&mut self, error: &RequestError) -> Response {
        let detail = error.to_string();
        let response = self.render(
            Case::Malformed,
            Said {
                decided: Some(error.status),
                ..Said::new(&detail)
            },
            None,
        );
        self.decide(
            Node::Parse,
            "syntax",
            PARSE_CONDITION,
            error.to_string(),
            response,
        )
    }

    fn parse_passed(&mut self, request: &Request) {
        let detail = format!(
            "{} {} {}, {} header(s), body {} byte(s)",
            shorten(&request.method, 20),
            shorten(&request.target, 80),
            request.version,
            request.headers.len(),
            request.body.len()
        );
        self.step(
            Node::Parse,
            "syntax",
            PARSE_CONDITION,
            Outcome::Passed,
            detail,
        );
    }

    /// RFC 9110 §9.3.2: HEAD is answered as GET would be, without the content; the header
    /// fields stay those of GET, Content-Length included (§8.6).
    fn serve(&mut self, request: &Request) -> Response {
        let mut response = self.answer(request);
        if request.method == "HEAD" {
            response.body.clear();
        }
        response
    }

    /// Everything after parsing, in the profile's order.
    fn answer(&mut self, request: &Request) -> Response {
        let credential = extract(request, self.spec);
        self.facts.presented = credential.presented();
        if self.spec.order.credentials_first {
            let caller = match self.authenticate_if_sent(&credential) {
                Ok(caller) => caller,
                Err(response) => return response,
            };
            return self.conceal_rest(request, caller);
        }

        let (route, params) = match self.route(request) {
            Ok(found) => found,
            Err(response) => return response,
        };
        if self.public(route, &credential) {
            return self.handle(request, None);
        }
        if let Some(response) = self.rights_without_credentials(route, &credential) {
            return response;
        }
        let identity = match self.authenticate(&credential) {
            Ok(identity) => identity,
            Err(response) => return response,
        };
        if let Err(response) = self.authorize(request, route, &params, &identity, &credential) {
            return response;
        }
        self.handle(request, identity.subject.as_deref())
    }

    /// The `conceal` profile after authentication: every refusal is the same 404.
    fn conceal_rest(&mut self, request: &Request, caller: Caller) -> Response {
        if self.spec.order.anonymous_refused_before_routing
            && matches!(caller, Caller::Anonymous)
            && !self.path_is_public(request)
        {
            let response = self.render(
                Case::NoCredentials,
                Said::new("authentication is required: no credentials were sent"),
                Some(request),
            );
            let detail = format!(
                "no public route has {} {}: refused for the missing credentials before routing",
                shorten(&request.method, 20),
                shorten(&request.path, 80)
            );
            return self.decide(
                Node::Credentials,
                "credentials",
                &credentials_condition(self.spec.reads),
                detail,
                response,
            );
        }
        let (route, params) = match self.conceal_route(request) {
            Ok(found) => found,
            Err(response) => return response,
        };
        let identity = match (route.access == Access::Public, caller) {
            (true, caller) => {
                self.vars.authorization = Authorization::NotRequired;
                self.step(
                    Node::Public,
                    "public",
                    PUBLIC_CONDITION,
                    Outcome::Passed,
                    "public: no credentials needed".to_string(),
                );
                let user = match caller {
                    Caller::Verified(identity) => identity.subject,
                    Caller::Anonymous => None,
                };
                return self.handle(request, user.as_deref());
            }
            (false, Caller::Anonymous) => {
                let response = self.render(
                    Case::NoCredentials,
                    Said::new("authentication is required: no credentials were sent"),
                    Some(request),
                );
                let answered = if self.facts.concealed {
                    "concealed as not found"
                } else {
                    "answered as the profile says"
                };
                let detail = format!(
                    "not public ({}) and no credentials: {answered}",
                    route.access.describe()
                );
                return self.decide(Node::Public, "public", PUBLIC_CONDITION, detail, response);
            }
            (false, Caller::Verified(identity)) => identity,
        };
        self.step(
            Node::Public,
            "public",
            PUBLIC_CONDITION,
            Outcome::Passed,
            format!("not public: {}", route.access.describe()),
        );
        let credential = extract(request, self.spec);
        if let Err(response) = self.authorize(request, route, &params, &identity, &credential) {
            return response;
        }
        self.handle(request, identity.subject.as_deref())
    }

    /// Whether the request's path is a public route's, for its method or, when the method has
    /// no route there, for a method the path has.
    fn path_is_public(&self, request: &Request) -> bool {
        let policy = &self.scenario.policy;
        match policy.resolve(&request.method, &request.path) {
            RouteMatch::Found { route, .. } => route.access == Access::Public,
            RouteMatch::MethodNotAllowed { allow } => allow.iter().any(|method| {
                matches!(
                    policy.resolve(method, &request.path),
                    RouteMatch::Found { route, .. } if route.access == Access::Public
                )
            }),
            RouteMatch::NotFound => false,
        }
    }

    /// Route matching under `conceal`: an unknown path and a known path with another method
    /// both answer the concealing 404, never 405.
    fn conceal_route(&mut self, request: &Request) -> Result<(&'s Route, Params), Response> {
        let condition = route_condition(request);
        let scenario: &'s Scenario = self.scenario;
        let (detail, response) = match scenario.policy.resolve(&request.method, &request.path) {
            RouteMatch::Found { route, params } => {
                self.facts.route_exists = Some(true);
                self.step(
                    Node::Route,
                    "route",
                    &condition,
                    Outcome::Passed,
                    format!(
                        "matches {} {} ({})",
                        route.method,
                        route.path,
                        route.access.describe()
                    ),
                );
                return Ok((route, params));
            }
            RouteMatch::NotFound => {
                self.facts.route_exists = Some(false);
                let path = shorten(&request.path, 80);
                let response = self.render(
                    Case::UnknownRoute,
                    Said::new(&format!("no route matches the path {path}")),
                    Some(request),
                );
                (
                    format!("no route for {path}: answered as not found"),
                    response,
                )
            }
            RouteMatch::MethodNotAllowed { allow } => {
                self.facts.route_exists = Some(true);
                let allowed = allow.join(", ");
                let detail = format!(
                    "{} exists for {allowed}, not for {}",
                    shorten(&request.path, 80),
                    shorten(&request.method, 20)
                );
                let response = self.render(
                    Case::WrongMethod,
                    Said {
                        allow: Some(&allowed),
                        ..Said::new(&detail)
                    },
                    Some(request),
                );
                let detail = if self.facts.concealed {
                    format!("the path exists for {allowed} only: concealed as not found, no 405")
                } else {
                    detail
                };
                (detail, response)
            }
        };
        Err(self.decide(Node::Route, "route", &condition, detail, response))
    }

    /// The lint's counterpart of a concealing 404: the same request on a path that does not
    /// exist, run through the same server (R17).
    fn counterpart(&mut self, request: &Request) {
        if !self.with_counterpart {
            return;
        }
        let depth = self
            .scenario
            .policy
            .routes
            .iter()
            .map(|route| route.path.split('/').count())
            .max()
            .unwrap_or(1);
        // One segment more than any route has, so no pattern can match it.
        let path = "/not-found".repeat(depth);
        let mut twin = request.clone();
        twin.target = twin.target.replacen(&request.path, &path, 1);
        twin.path = path;
        let mut run = Run::new(self.scenario);
        run.with_counterpart = false;
        let response = run.serve(&twin);
        self.facts.counterpart = Some(Box::new(response));
    }

    /// Route matching when the route comes first: an unknown path, or a known path with
    /// another method, is answered before credentials are read.
    fn route(&mut self, request: &Request) -> Result<(&'s Route, Params), Response> {
        let condition = route_condition(request);
        let scenario: &'s Scenario = self.scenario;
        match scenario.policy.resolve(&request.method, &request.path) {
            RouteMatch::Found { route, params } => {
                self.facts.route_exists = Some(true);
                let values: Vec<String> = params
                    .iter()
                    .map(|(name, value)| format!("{name} = {}", shorten(value, 40)))
                    .collect();
                let detail = format!(
                    "matches {} {} ({}){}",
                    route.method,
                    route.path,
                    route.access.describe(),
                    if values.is_empty() {
                        String::new()
                    } else {
                        format!("; {}", values.join(", "))
                    }
                );
                self.step(Node::Route, "route", &condition, Outcome::Passed, detail);
                Ok((route, params))
            }
            RouteMatch::NotFound => {
                self.facts.route_exists = Some(false);
                let detail = format!("no route matches the path {}", shorten(&request.path, 80));
                let response = self.render(Case::UnknownRoute, Said::new(&detail), Some(request));
                Err(self.decide(Node::Route, "route", &condition, detail, response))
            }
            RouteMatch::MethodNotAllowed { allow } => {
                self.facts.route_exists = Some(true);
                let allowed = allow.join(", ");
                let detail = format!(
                    "{} exists for {allowed}, not for {}",
                    shorten(&request.path, 80),
                    shorten(&request.method, 20)
                );
                if self.spec.order.method_after_authorization {
                    // The path's rules still apply: those of its first method's route.
                    let first = allow.first().map_or("", String::as_str);
                    if let RouteMatch::Found { route, params } =
                        scenario.policy.resolve(first, &request.path)
                    {
                        self.step(
                            Node::Route,
                            "route",
                            &condition,
                            Outcome::Passed,
                            format!(
                                "{detail}: its rule ({}) is checked before the method",
                                route.access.describe()
                            ),
                        );
                        self.method_refused = Some(allowed);
                        return Ok((route, params));
                    }
                }
                let response = self.render(
                    Case::WrongMethod,
                    Said {
                        allow: Some(&allowed),
                        method: &request.method,
                        ..Said::new(&detail)
                    },
                    Some(request),
                );
                Err(self.decide(Node::Route, "route", &condition, detail, response))
            }
        }
    }

    /// The "public?" node (rfc, naive). True when the route needs no credentials.
    fn public(&mut self, route: &Route, credential: &Credential<'_>) -> bool {
        if route.access != Access::Public {
            self.step(
                Node::Public,
                "public",
                PUBLIC_CONDITION,
                Outcome::Passed,
                format!(
                    "not public: {}, credentials needed",
                    route.access.describe()
                ),
            );
            return false;
        }
        self.vars.authorization = Authorization::NotRequired;
        if *credential == Credential::None {
            self.vars.authentication = Authentication::Anonymous;
        }
        self.step(
            Node::Public,
            "public",
            PUBLIC_CONDITION,
            Outcome::Passed,
            "public: no credentials needed, straight to the handler".to_string(),
        );
        true
    }

    /// The credentials and verify nodes where a request without credentials goes on as
    /// anonymous (`conceal`, which authenticates before it knows the route).
    fn authenticate_if_sent(&mut self, credential: &Credential<'_>) -> Result<Caller, Response> {
        if *credential != Credential::None {
            return self.authenticate(credential).map(Caller::Verified);
        }
        self.vars.authentication = Authentication::Anonymous;
        self.step(
            Node::Credentials,
            "credentials",
            &credentials_condition(self.spec.reads),
            Outcome::Passed,
            "none sent: going on as anonymous".to_string(),
        );
        Ok(Caller::Anonymous)
    }

    /// The credentials and verify nodes where credentials are required: none is a 401.
    fn authenticate(&mut self, credential: &Credential<'_>) -> Result<Identity, Response> {
        let condition = &credentials_condition(self.spec.reads);
        let (verification, bearer) = match credential {
            Credential::None => {
                self.vars.authentication = Authentication::Failed;
                let response = self.render(
                    Case::NoCredentials,
                    Said::new("authentication is required: no credentials were sent"),
                    None,
                );
                return Err(self.decide(
                    Node::Credentials,
                    "credentials",
                    condition,
                    "none sent: no Authorization header, no access_token parameter".to_string(),
                    response,
                ));
            }
            Credential::Unsupported(scheme) => {
                self.vars.authentication = Authentication::Failed;
                let detail = format!(
                    "the scheme {} is not supported; {}",
                    shorten(scheme, 40),
                    accepted_schemes(&self.facts.schemes)
                );
                let response = self.render(Case::UnsupportedScheme, Said::new(&detail), None);
                return Err(self.decide(
                    Node::Credentials,
                    "credentials",
                    condition,
                    detail,
                    response,
                ));
            }
            Credential::Empty(why) | Credential::Malformed(why) | Credential::Several(why) => {
                self.vars.authentication = Authentication::Failed;
                let (case, detail) = match credential {
                    Credential::Several(_) => (
                        Case::SeveralCredentials,
                        format!("credentials sent two ways at once: {why}"),
                    ),
                    Credential::Empty(_) => (
                        Case::EmptyCredentials,
                        format!("malformed credentials: {why}"),
                    ),
                    _ => (
                        Case::MalformedCredentials,
                        format!("malformed credentials: {why}"),
                    ),
                };
                let response = self.render(case, Said::new(&detail), None);
                return Err(self.decide(
                    Node::Credentials,
                    "credentials",
                    condition,
                    detail,
                    response,
                ));
            }
            Credential::Bearer { token, in_query } => {
                let place = if *in_query {
                    "in the access_token query parameter (discouraged, RFC 6750 §2.3)"
                } else {
                    "in the Authorization header"
                };
                self.step(
                    Node::Credentials,
                    "credentials",
                    condition,
                    Outcome::Passed,
                    format!("a Bearer token {place}"),
                );
                self.claims = Claimed::of(token);
                (verify_jwt(token, self.scenario), true)
            }
            Credential::Basic(token68) => {
                self.step(
                    Node::Credentials,
                    "credentials",
                    condition,
                    Outcome::Passed,
                    "Basic credentials in the Authorization header".to_string(),
                );
                (verify_basic(token68, self.scenario), false)
            }
        };
        self.verify(verification, bearer)
    }

    fn verify(&mut self, verification: Verification, bearer: bool) -> Result<Identity, Response> {
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
            if !last || check.outcome != crate::model::Outcome::Failed {
                if last {
                    self.vars.authentication = Authentication::Passed;
                }
                self.step(
                    Node::Verify,
                    check.check,
                    &check.condition,
                    check.outcome,
                    check.detail,
                );
                continue;
            }
            self.vars.authentication = Authentication::Failed;
            let description = match &verification.result {
                Err(description) => description.clone(),
                Ok(_) => check.detail.clone(),
            };
            let case = failed_check(
                check.check,
                bearer,
                verification.expired,
                verification.not_yet_valid,
            );
            let response = self.render(case, Said::new(&description), None);
            return Err(self.decide(
                Node::Verify,
                check.check,
                &check.condition,
                check.detail,
                response,
            ));
        }
        match verification.result {
            Ok(_) if never_expires && self.spec.token_must_expire => Err(self.without_expiry()),
            Ok(identity) if bearer && self.spec.subject_must_be_a_user => self.known_user(identity),
            Ok(identity) => Ok(identity),
            // A failed verification always ends with a failed check; this keeps it total.
            Err(description) => {
                let case = failed_check("", bearer, None, None);
                Err(self.render(case, Said::new(&description), None))
            }
        }
    }

    /// A server that wants every token to expire refuses one without `exp`.
    fn without_expiry(&mut self) -> Response {
        self.vars.authentication = Authentication::Failed;
        self.facts.verified = Some(false);
        let detail = "the token has no exp claim".to_string();
        let response = self.render(Case::TokenWithoutExpiry, Said::new(&detail), None);
        self.decide(
            Node::Verify,
            "exp",
            "the token has an exp claim",
            detail,
            response,
        )
    }

    /// The frameworks' tutorials look the token's `sub` up in their user table: a verified
    /// token for nobody they know is refused like a token that does not verify.
    fn known_user(&mut self, mut identity: Identity) -> Result<Identity, Response> {
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
            self.step(Node::Verify, "user", condition, Outcome::Passed, detail);
            return Ok(identity);
        }
        self.vars.authentication = Authentication::Failed;
        // The signature verified, yet the credentials authenticate no one: for the lint this is
        // a failed verification, whose 401 is right (R2 is about verified callers).
        self.facts.verified = Some(false);
        let detail = if subject.is_empty() {
            "the token has no sub".to_string()
        } else {
            format!("no user named {}", shorten(subject, 40))
        };
        let response = self.render(Case::TokenUnknownUser, Said::new(&detail), None);
        Err(self.decide(Node::Verify, "user", condition, detail, response))
    }

    fn authorize(
        &mut self,
        request: &Request,
        route: &Route,
        params: &[(String, String)],
        identity: &Identity,
        credential: &Credential<'_>,
    ) -> Result<(), Response> {
        let judged = judge(&route.access, params, identity);
        self.facts.authorized = Some(judged.allowed);
        if judged.allowed {
            self.vars.authorization = Authorization::Passed;
            self.step(
                Node::Authorize,
                judged.check,
                &judged.condition,
                Outcome::Passed,
                judged.detail,
            );
            return Ok(());
        }
        self.vars.authorization = Authorization::Failed;
        let response = self.forbidden(request, &route.access, credential);
        let detail = if self.facts.concealed {
            format!("{}: concealed as not found", judged.detail)
        } else {
            judged.detail
        };
        Err(self.decide(
            Node::Authorize,
            judged.check,
            &judged.condition,
            detail,
            response,
        ))
    }

    /// The refusal of a caller whose credentials verified but whose rights fall short.
    fn forbidden(
        &mut self,
        request: &Request,
        access: &Access,
        credential: &Credential<'_>,
    ) -> Response {
        let bearer = matches!(credential, Credential::Bearer { .. });
        // The body speaks to the client: what the route needs, not the server's comparison.
        let (case, needs, scope) = match access {
            Access::Role(wanted) => (
                Case::MissingRole,
                format!("this route needs the role {wanted}"),
                None,
            ),
            Access::Scope(wanted) => (
                if bearer {
                    Case::MissingScope
                } else {
                    Case::MissingScopeWithPassword
                },
                format!("this route needs the scope {wanted}"),
                Some(wanted.as_str()),
            ),
            Access::Owner(_) => (
                Case::NotOwner,
                "only the owner of this resource, or an admin, may use it".to_string(),
                None,
            ),
            Access::Public | Access::Authenticated => {
                (Case::MissingRole, "access denied".to_string(), None)
            }
        };
        self.render(
            case,
            Said {
                scope,
                ..Said::new(&needs)
            },
            Some(request),
        )
    }

    fn handle(&mut self, request: &Request, user: Option<&str>) -> Response {
        if let Some(allowed) = self.method_refused.take() {
            let detail = format!(
                "no handler for {}: the path answers {allowed}",
                shorten(&request.method, 20)
            );
            let response = self.render(
                Case::WrongMethod,
                Said {
                    allow: Some(&allowed),
                    method: &request.method,
                    ..Said::new(&detail)
                },
                Some(request),
            );
            return self.decide(
                Node::Handle,
                "method",
                "the view has a handler for the method",
                detail,
                response,
            );
        }
        let condition = "the route's handler runs";
        // HEAD is told what GET would get: the same content, so the same Content-Length.
        let method = match request.method.as_str() {
            "HEAD" => "GET",
            method => method,
        };
        let route = format!("{} {}", shorten(method, 20), shorten(&request.path, 200));
        let status = if request.method == "DELETE" {
            Status::NoContent
        } else {
            Status::Ok
        };
        let response = self.render(
            Case::Allowed,
            Said {
                decided: Some(status),
                route: &route,
                user,
                ..Said::new("")
            },
            Some(request),
        );
        let detail = format!(
            "{} for {}",
            response.status,
            user.map_or_else(
                || "an anonymous caller".to_string(),
                |user| shorten(user, 40)
            )
        );
        self.decide(Node::Handle, "handler", condition, detail, response)
    }

    /// A server that checks rights before it checks for a user, as many tutorials do
    /// (`if user?.role != "admin" return 403`), refuses a request without credentials to a
    /// route that needs a role, a scope or ownership for the rights: the mistake R3 names.
    fn rights_without_credentials(
        &mut self,
        route: &Route,
        credential: &Credential<'_>,
    ) -> Option<Response> {
        let needs_rights = matches!(
            route.access,
            Access::Role(_) | Access::Scope(_) | Access::Owner(_)
        );
        if !self.spec.order.rights_before_credentials
            || !needs_rights
            || !matches!(credential, Credential::None)
        {
            return None;
        }
        self.vars.authentication = Authentication::Failed;
        self.vars.authorization = Authorization::Failed;
        let response = self.render(
            Case::RightsWithoutCredentials,
            Said::new("you do not have the rights for this route"),
            None,
        );
        let detail = format!(
            "none sent, yet the rule \"{}\" is checked as if a user had failed it: {}",
            route.access.describe(),
            response.status.code()
        );
        Some(self.decide(
            Node::Credentials,
            "credentials",
            &credentials_condition(self.spec.reads),
            detail,
            response,
        ))
    }

    /// The profile's answer to `case`, filled in with what the pipeline found. A concealing
    /// answer also runs its counterpart for the lint, when the request is at hand.
    fn render(&mut self, case: Case, said: Said<'_>, request: Option<&Request>) -> Response {
        let answer = self.spec.answer(case);
        let status = match answer.status {
            Code::Is(status) => status,
            Code::Decided => said.decided.unwrap_or(Status::BadRequest),
        };
        if answer.conceals {
            self.facts.concealed = true;
            if let Some(request) = request {
                self.counterpart(request);
            }
        }
        let mut draft = Draft::new(status);
        match answer.body {
            Body::Problem => draft.problem(said.detail),
            Body::ProblemSaying(detail) => draft.problem(detail),
            Body::ReasonAndDetail => {
                draft.content_type = Some("text/plain; charset=utf-8".to_string());
                draft.body = format!("{}: {}", status.reason(), said.detail);
            }
            Body::Fixed { content_type, text } => {
                draft.content_type = Some(content_type.to_string());
                draft.body = text.to_string();
            }
            Body::Untyped(text) => draft.body = text.to_string(),
            Body::HtmlNaming(template) => {
                let (method, path) =
                    request.map_or(("", ""), |request| (&request.method, &request.path));
                draft.content_type = Some("text/html; charset=utf-8".to_string());
                draft.body = template
                    .replace("{method}", &html_escape(method))
                    .replace("{path}", &html_escape(&url_encode(path)));
            }
            Body::FixedNamingMethod { content_type, text } => {
                draft.content_type = Some(content_type.to_string());
                draft.body = text.replace("{method}", said.method);
            }
            Body::Handler if status == Status::NoContent => {}
            Body::Handler => {
                draft.content_type = Some("application/json".to_string());
                draft.body = serde_json::to_string(&Success {
                    user: said.user,
                    route: said.route,
                })
                .unwrap_or_default();
            }
        }
        let description = sanitize(said.detail);
        let scope = sanitize(said.scope.unwrap_or_default());
        for challenge in answer.challenges {
            // A framework's own description, filled with the token's claims, is written as
            // it writes it, only the characters RFC 6750 §3 forbids replaced.
            let written: Vec<String> = challenge
                .params
                .iter()
                .map(|param| match param {
                    Param::DescriptionIs(template) => sanitize(&self.claims.fill(template)),
                    _ => String::new(),
                })
                .collect();
            let params: Vec<(&str, &str)> = challenge
                .params
                .iter()
                .zip(&written)
                .map(|(param, written)| match param {
                    Param::Realm => ("realm", self.scenario.realm.as_str()),
                    Param::RealmIs(realm) => ("realm", *realm),
                    Param::Charset => ("charset", "UTF-8"),
                    Param::Error(code) => ("error", *code),
                    Param::Description => ("error_description", description.as_str()),
                    Param::Scope => ("scope", scope.as_str()),
                    Param::DescriptionIs(_) => ("error_description", written.as_str()),
                    Param::ErrorUri(uri) => ("error_uri", *uri),
                })
                .collect();
            draft
                .challenges
                .push(challenge_text(challenge.scheme, &params));
        }
        if answer.allow {
            draft.allow = said.allow.map(str::to_string);
        }
        // RFC 6750 §5.3: a response to a token in the URL must not be cached for others.
        if status.is_success()
            && self.facts.presented == Presented::Query
            && self.spec.private_cache_for_query_tokens
        {
            draft.cache_control = Some("private");
        }
        draft.build()
    }
}

/// What the pipeline says about a case, for the profile's answer to use.
struct Said<'a> {
    /// The body's detail (and a Bearer challenge's `error_description`).
    detail: &'a str,
    /// The status the pipeline decided, for answers that take it (parser, handler).
    decided: Option<Status>,
    /// The route's methods, for `Allow`.
    allow: Option<&'a str>,
    /// The request's method, for a body that names it.
    method: &'a str,
    /// The scope the route needs.
    scope: Option<&'a str>,
    /// The route the handler answers, `GET /profile`.
    route: &'a str,
    /// The user the handler answers for.
    user: Option<&'a str>,
}

impl<'a> Said<'a> {
    fn new(detail: &'a str) -> Said<'a> {
        Said {
            detail,
            decided: None,
            allow: None,
            method: "",
            scope: None,
            route: "",
            user: None,
        }
    }
}

/// The schemes a server reads, as the lint names them.
fn read_schemes(reads: Reads) -> Vec<String> {
    [("Bearer", reads.bearer), ("Basic", reads.basic)]
        .into_iter()
        .filter(|(_, read)| *read)
        .map(|(scheme, _)| scheme.to_string())
        .collect()
}

/// What the trace says a server accepts, from the schemes it reads: "this server accepts
/// Bearer and Basic".
fn accepted_schemes(schemes: &[String]) -> String {
    match schemes {
        [] => "this server reads no Authorization scheme".to_string(),
        [one] => format!("this server accepts {one} only"),
        [rest @ .., last] => format!("this server accepts {} and {last}", rest.join(", ")),
    }
}

/// The case a failed verification check makes.
fn failed_check(
    check: &str,
    bearer: bool,
    expired: Option<bool>,
    not_yet_valid: Option<bool>,
) -> Case {
    if !bearer {
        return if check == "base64" {
            Case::PasswordUnreadable
        } else {
            Case::PasswordRejected
        };
    }
    match check {
        // A key of the wrong type for the alg is an algorithm refused (RFC 8725 §3.1); no key
        // with the token's kid means the signature cannot be verified: both 401 invalid_token.
        "alg" | "key type" => Case::TokenAlgorithm,
        "signature" | "key" => Case::TokenSignature,
        "iat" => Case::TokenNotYetValid,
        "exp" if expired == Some(true) => Case::TokenExpired,
        "nbf" if not_yet_valid == Some(true) => Case::TokenNotYetValid,
        "iss" => Case::TokenIssuer,
        "aud" => Case::TokenAudience,
        _ => Case::TokenUnreadable,
    }
}

const PARSE_CONDITION: &str =
    "request line, header fields and body are well-formed HTTP/1.1, within the size limits";
const PUBLIC_CONDITION: &str =
    "a public route goes straight to the handler; any other needs credentials";

/// The credentials step's condition, from what the server reads: under the reference
/// profiles "exactly one Authorization header (Bearer or Basic) or one access_token parameter".
fn credentials_condition(reads: Reads) -> String {
    let schemes = read_schemes(reads).join(" or ");
    let header = match (schemes.is_empty(), reads.first_authorization_only) {
        (true, _) => String::new(),
        (false, true) => format!("the first Authorization header ({schemes})"),
        (false, false) => format!("exactly one Authorization header ({schemes})"),
    };
    match (header.is_empty(), reads.query) {
        (true, true) => "one access_token parameter".to_string(),
        (true, false) => "no credentials: this server reads none".to_string(),
        (false, true) => format!("{header} or one access_token parameter"),
        (false, false) => header,
    }
}

fn route_condition(request: &Request) -> String {
    format!(
        "a route matches {} {}",
        shorten(&request.method, 20),
        shorten(&request.path, 80)
    )
}

/// A response being put together; `build` fixes the header order.
struct Draft {
    status: Status,
    content_type: Option<String>,
    challenges: Vec<String>,
    allow: Option<String>,
    cache_control: Option<&'static str>,
    body: String,
}

impl Draft {
    /// A problem+json body (RFC 9457) with this detail.
    fn problem(&mut self, detail: &str) {
        self.content_type = Some("application/problem+json".to_string());
        self.body = serde_json::to_string(&Problem {
            kind: "about:blank",
            title: self.status.reason(),
            status: self.status.code(),
            detail,
        })
        .unwrap_or_default();
    }

    fn new(status: Status) -> Draft {
        Draft {
            status,
            content_type: None,
            challenges: Vec::new(),
            allow: None,
            cache_control: None,
            body: String::new(),
        }
    }

    /// Headers in a stable order: Content-Type, WWW-Authenticate…, Allow, Cache-Control,
    /// Content-Length last. No Date header, so the same input gives the same bytes.
    fn build(self) -> Response {
        let mut headers = Vec::new();
        if let Some(content_type) = self.content_type {
            headers.push(Header::new("Content-Type", content_type));
        }
        for challenge in self.challenges {
            headers.push(Header::new("WWW-Authenticate", challenge));
        }
        if let Some(allow) = self.allow {
            headers.push(Header::new("Allow", allow));
        }
        if let Some(cache_control) = self.cache_control {
            headers.push(Header::new("Cache-Control", cache_control));
        }
        // RFC 9110 §8.6: a 204 carries no Content-Length.
        if self.status != Status::NoContent {
            headers.push(Header::new("Content-Length", self.body.len().to_string()));
        }
        Response {
            status: self.status,
            headers,
            body: self.body,
        }
    }
}

/// A problem+json body (RFC 9457 §3.1); members are written in this order.
#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    title: &'a str,
    status: u16,
    detail: &'a str,
}

/// The demo handler's 200 body; members are written in this order.
#[derive(Serialize)]
struct Success<'a> {
    user: Option<&'a str>,
    route: &'a str,
}

/// `scheme name="value", …` with every value a quoted-string; the bare scheme without any.
fn challenge_text(scheme: &str, params: &[(&str, &str)]) -> String {
    let params: Vec<String> = params
        .iter()
        .map(|(name, value)| format!("{name}={}", quoted(value)))
        .collect();
    if params.is_empty() {
        scheme.to_string()
    } else {
        format!("{scheme} {}", params.join(", "))
    }
}

/// A quoted-string (RFC 9110 §5.6.4); control characters, which would break the header
/// line, become spaces.
fn quoted(value: &str) -> String {
    let mut text = String::with_capacity(value.len() + 2);
    text.push('"');
    for character in value.chars() {
        match character {
            '"' | '\\' => {
                text.push('\\');
                text.push(character);
            }
            character if character.is_control() => text.push(' '),
            character => text.push(character),
        }
    }
    text.push('"');
    text
}

/// A path as a URL writes it: the parser lets through only visible ASCII with valid
/// percent-escapes, and of those a URL may not hold `"`, `<`, `>`, `` ` ``, `{` and `}`.
fn url_encode(path: &str) -> String {
    let mut text = String::with_capacity(path.len());
    for character in path.chars() {
        match character {
            '"' | '<' | '>' | '`' | '{' | '}' => {
                text.push_str(&format!("%{:02X}", u32::from(character)));
            }
            character => text.push(character),
        }
    }
    text
}

/// Text inside HTML: the five characters that could end an element or an attribute.
fn html_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            character => escaped.push(character),
        }
    }
    escaped
}

/// The characters RFC 6750 §3 allows in `error_description` and `scope`: printable ASCII
/// without `"` and `\`. Anything else is replaced, and the text is kept short.
fn sanitize(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|character| match character {
            '"' => '\'',
            '\\' => '/',
            ' '..='~' => character,
            _ => '?',
        })
        .collect();
    shorten(&cleaned, 200)
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
