//! The quiz: questions about random requests, answered by the pipeline itself. A seed makes a
//! quiz reproducible, so a link can share it. Every right answer is read from an `Evaluation`;
//! the distractors are the answers people confuse it with (401 vs 403 vs 404), never the answer.

use serde::Serialize;

use super::mock::{CredentialKind, MockRequest, Validity};
use crate::http::Status;
use crate::model::{Evaluation, Node, Profile, Response, Scenario};
use crate::pipeline::evaluate;
use crate::policy::{fill_pattern, Access};

/// What a question asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// What status does this request get?
    Status,
    /// What does the client do next?
    NextAction,
    /// Which header must this response carry?
    Header,
    /// Which step stops (or answers) this request?
    Step,
}

/// What a client should do after a response: the practical side of a status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAction {
    /// 2xx: use the response.
    UseResponse,
    /// 400 (413, 431): fix the request; the same bytes will fail again.
    FixRequest,
    /// 401: log in or refresh the token, then retry.
    Authenticate,
    /// 403 `insufficient_scope`: get a token with the scope the challenge names.
    RequestScope,
    /// 403: do not retry with the same credentials; show "access denied" or ask for access.
    DoNotRetry,
    /// 404: check the address; there is nothing here that this caller may see.
    CheckAddress,
    /// 405: use a method the `Allow` header lists.
    ChangeMethod,
}

/// One option of a question.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Status(Status),
    Action(ClientAction),
    /// A response header name.
    Header(&'static str),
    Node(Node),
}

/// One question: a request, what is asked about it, the options and which one is right.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Question {
    pub kind: QuestionKind,
    /// The question, e.g. "What status does this request get?".
    pub prompt: String,
    /// The request in words, e.g. "GET /admin with an expired Bearer token for alice (role user)".
    pub summary: String,
    /// The builder toggles, so the page can open the request in the simulator.
    pub request: MockRequest,
    /// The raw request text the pipeline evaluated.
    pub raw: String,
    /// Three or four options, all different; `choices[answer]` is the right one.
    pub choices: Vec<Choice>,
    pub answer: usize,
    /// Why the right answer is right, from the evaluation, with the RFC section.
    pub explanation: String,
    /// The pipeline's whole answer: trace, response, findings.
    pub evaluation: Evaluation,
}

/// A quiz: the seed it came from and its questions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quiz {
    pub seed: u64,
    pub questions: Vec<Question>,
}

/// The headers a header question offers: the ones a response must carry, and the ones people
/// confuse them with (`Authorization` is the request's side).
const HEADERS: [&str; 7] = [
    "WWW-Authenticate",
    "Allow",
    "Authorization",
    "Proxy-Authenticate",
    "Location",
    "Retry-After",
    "Set-Cookie",
];

/// How many random requests one question may try before it settles for a status question.
const ATTEMPTS: usize = 40;

/// `count` questions about random requests on `scenario.policy`, the same for the same seed.
/// The questions ask what a correct server answers, so they are evaluated under the `rfc`
/// profile whatever `scenario.profile` is.
pub fn generate_quiz(scenario: &Scenario, seed: u64, count: usize) -> Quiz {
    let mut scenario = scenario.clone();
    scenario.profile = Profile::Rfc;
    let mut random = Random::new(seed);
    // Every kind in turn, in an order of the seed's choosing, so a quiz mixes them evenly.
    let mut kinds = [
        QuestionKind::Status,
        QuestionKind::NextAction,
        QuestionKind::Header,
        QuestionKind::Step,
    ];
    random.shuffle(&mut kinds);
    let mut questions: Vec<Question> = Vec::with_capacity(count);
    for index in 0..count {
        let wanted = kinds
            .get(index % kinds.len())
            .copied()
            .unwrap_or(QuestionKind::Status);
        let mut question = None;
        for attempt in 0..ATTEMPTS {
            // A kind that does not fit the requests drawn gives way to a status question, and
            // "what next?" / "which step?" about a success is only asked when nothing else came.
            let last = attempt + 1 == ATTEMPTS;
            let kind = if last { QuestionKind::Status } else { wanted };
            let request = random_request(&scenario, &mut random);
            let raw = request.to_raw(&scenario);
            let repeated = questions
                .iter()
                .any(|question| question.kind == kind && question.raw == raw);
            if repeated && !last {
                continue;
            }
            let evaluation = evaluate(&raw, &scenario);
            let success = evaluation.response.status.is_success();
            let easy = success && matches!(kind, QuestionKind::NextAction | QuestionKind::Step);
            if easy && attempt < ATTEMPTS / 2 {
                continue;
            }
            if let Some(built) = build_question(kind, request, raw, evaluation, &mut random) {
                question = Some(built);
                break;
            }
        }
        questions.extend(question);
    }
    Quiz { seed, questions }
}

/// A common belief about 401 and 403, put as a status question about a request that tests it:
/// the answer is the pipeline's, so a page that shows it shows what a correct server does.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Myth {
    /// The belief, e.g. "An expired token is forbidden: 403".
    pub myth: &'static str,
    /// The status the belief expects; the pipeline answers another one.
    pub believed: Status,
    /// The profile the request is evaluated under (`conceal` for hiding, else `rfc`).
    pub profile: Profile,
    /// The status question about the request, answered by the pipeline.
    pub question: Question,
}

/// The myths, each a status question about the request that tests it, evaluated in `scenario`
/// under the myth's profile. The options are always shown in the same order.
pub fn myths(scenario: &Scenario) -> Vec<Myth> {
    let alice = |method: &str, path: &str, role: &str| MockRequest {
        method: method.to_string(),
        path: path.to_string(),
        subject: "alice".to_string(),
        role: role.to_string(),
        ..MockRequest::default()
    };
    let cases = [
        (
            "403 means “log in first”",
            Status::Forbidden,
            Profile::Rfc,
            "GET /admin with no credentials at all: what does a correct server answer?",
            MockRequest {
                token: false,
                ..alice("GET", "/admin", "user")
            },
        ),
        (
            "An expired token is forbidden: 403",
            Status::Forbidden,
            Profile::Rfc,
            "alice's token expired an hour ago: what does GET /profile get?",
            MockRequest {
                validity: Validity::Expired,
                ..alice("GET", "/profile", "user")
            },
        ),
        (
            "A logged-in user who is refused gets 401",
            Status::Unauthorized,
            Profile::Rfc,
            "alice's valid token lacks the scope reports:read: what does GET /reports get?",
            alice("GET", "/reports", "user"),
        ),
        (
            "A forged admin token is caught at the role check: 403",
            Status::Forbidden,
            Profile::Rfc,
            "alice sends a token that says role admin, signed with alg None, to GET /admin: what does she get?",
            MockRequest {
                validity: Validity::Forged(super::attacks::Attack::AlgNoneCapitalised),
                ..alice("GET", "/admin", "admin")
            },
        ),
        (
            "A server that hides its admin pages answers 403",
            Status::Forbidden,
            Profile::Conceal,
            "alice (role user) asks for GET /admin from a server that conceals what she may not see: what does she get?",
            alice("GET", "/admin", "user"),
        ),
    ];
    let mut myths = Vec::new();
    for (myth, believed, profile, prompt, request) in cases {
        let scenario = Scenario {
            profile,
            ..scenario.clone()
        };
        let raw = request.to_raw(&scenario);
        let evaluation = evaluate(&raw, &scenario);
        // A fixed order of the options: a myth is read, not played against a seed.
        let mut random = Random::new(0);
        let Some(mut question) =
            build_question(QuestionKind::Status, request, raw, evaluation, &mut random)
        else {
            continue;
        };
        question.prompt = prompt.to_string();
        myths.push(Myth {
            myth,
            believed,
            profile,
            question,
        });
    }
    myths
}

/// What the client should do after `response`.
pub fn client_action(response: &Response) -> ClientAction {
    match response.status {
        Status::Ok | Status::NoContent => ClientAction::UseResponse,
        Status::Unauthorized => ClientAction::Authenticate,
        Status::Forbidden if insufficient_scope(response) => ClientAction::RequestScope,
        Status::Forbidden => ClientAction::DoNotRetry,
        Status::NotFound => ClientAction::CheckAddress,
        Status::MethodNotAllowed => ClientAction::ChangeMethod,
        Status::BadRequest
        | Status::ContentTooLarge
        | Status::UnprocessableContent
        | Status::HeaderFieldsTooLarge => ClientAction::FixRequest,
        // The quiz asks only about the pipeline's answers; a foreign 4xx is the client's to fix.
        Status::Other(code) if (200..300).contains(&code) => ClientAction::UseResponse,
        Status::Other(_) => ClientAction::FixRequest,
    }
}

/// The header the RFCs require this response to carry, with the section that says so:
/// 401 → `WWW-Authenticate` (RFC 9110 §15.5.2), 403 `insufficient_scope` → `WWW-Authenticate`
/// (RFC 6750 §3), 405 → `Allow` (RFC 9110 §15.5.6). `None` when no header is required.
pub fn required_header(response: &Response) -> Option<(&'static str, &'static str)> {
    match response.status {
        Status::Unauthorized => Some(("WWW-Authenticate", "RFC 9110 §15.5.2")),
        Status::Forbidden if insufficient_scope(response) => {
            Some(("WWW-Authenticate", "RFC 6750 §3"))
        }
        Status::MethodNotAllowed => Some(("Allow", "RFC 9110 §15.5.6")),
        _ => None,
    }
}

/// The request in words, e.g. "GET /admin with an expired Bearer token for alice (role user)".
pub fn describe_request(request: &MockRequest) -> String {
    let target = format!("{} {}", request.method, request.path);
    if !request.token {
        return format!("{target} without credentials");
    }
    let kind = match request.kind {
        CredentialKind::Bearer => "Bearer token",
        CredentialKind::Basic => "Basic user and password",
        CredentialKind::Query => "token in the query (access_token)",
        CredentialKind::ApiKey => "API key (X-API-Key)",
        CredentialKind::ApiKeyQuery => "API key in the query (api_key)",
        CredentialKind::ApiKeyCookie => "API key in a cookie",
        CredentialKind::Session => "session cookie",
    };
    let quality = match request.validity {
        Validity::Valid => "a valid",
        Validity::Expired => "an expired",
        Validity::NotYetValid => "a not-yet-valid",
        Validity::BadSignature => "a wrongly signed",
        Validity::WrongAudience => "a wrong-audience",
        Validity::AlgNone => "an unsigned (alg none)",
        Validity::Malformed => "a malformed",
        Validity::WrongPassword => "a wrong-password",
        Validity::AlgConfusion => "an algorithm-confusion (HS256 with the RSA key)",
        Validity::UnknownKid => "an unknown-kid",
        Validity::ForeignJku => "a foreign-jku",
        Validity::EmbeddedJwk => "an embedded-jwk",
        Validity::JustExpired => "a just-expired (31 s)",
        Validity::Unknown => "an unknown",
        Validity::Forged(attack) => attack.phrase(),
    };
    if request.validity == Validity::Malformed {
        // A malformed credential names nobody.
        return format!("{target} with a malformed {kind}");
    }
    let mut who = format!("{} (role {})", request.subject, request.role);
    if request.kind != CredentialKind::Bearer && request.kind != CredentialKind::Query {
        // A password, a key or a session names a user; the user table gives the role.
        who = request.subject.clone();
    } else if !request.scopes.is_empty() {
        who = format!("{who} with scope {}", request.scopes.join(" "));
    }
    format!("{target} with {quality} {kind} for {who}")
}

impl ClientAction {
    /// Every action, in the order of the statuses they follow.
    pub fn all() -> [ClientAction; 7] {
        [
            ClientAction::UseResponse,
            ClientAction::FixRequest,
            ClientAction::Authenticate,
            ClientAction::RequestScope,
            ClientAction::DoNotRetry,
            ClientAction::CheckAddress,
            ClientAction::ChangeMethod,
        ]
    }

    /// The action as an option's text.
    pub fn text(self) -> &'static str {
        match self {
            ClientAction::UseResponse => "Use the response: the request succeeded",
            ClientAction::FixRequest => {
                "Fix the request itself: sent again unchanged it fails again"
            }
            ClientAction::Authenticate => "Log in or refresh the token, then retry",
            ClientAction::RequestScope => {
                "Ask for a token with the scope the challenge names, then retry"
            }
            ClientAction::DoNotRetry => {
                "Don't retry with the same credentials: show \"access denied\" or ask for access"
            }
            ClientAction::CheckAddress => {
                "Check the address: there is nothing here this caller may see"
            }
            ClientAction::ChangeMethod => "Use one of the methods the Allow header lists",
        }
    }

    /// The actions this one is most often confused with, most plausible first.
    fn confusions(self) -> [ClientAction; 4] {
        use ClientAction::*;
        match self {
            UseResponse => [Authenticate, DoNotRetry, FixRequest, CheckAddress],
            FixRequest => [Authenticate, DoNotRetry, CheckAddress, ChangeMethod],
            Authenticate => [DoNotRetry, FixRequest, RequestScope, CheckAddress],
            RequestScope => [DoNotRetry, Authenticate, FixRequest, CheckAddress],
            DoNotRetry => [Authenticate, CheckAddress, FixRequest, UseResponse],
            CheckAddress => [DoNotRetry, Authenticate, ChangeMethod, FixRequest],
            ChangeMethod => [CheckAddress, FixRequest, DoNotRetry, Authenticate],
        }
    }
}

impl Choice {
    /// The option's text as the page shows it.
    pub fn label(&self) -> String {
        match self {
            Choice::Status(status) => status.to_string(),
            Choice::Action(action) => action.text().to_string(),
            Choice::Header(name) => (*name).to_string(),
            Choice::Node(node) => node.title().to_string(),
        }
    }
}

impl Question {
    /// The right option.
    pub fn correct(&self) -> Option<&Choice> {
        self.choices.get(self.answer)
    }
}

/// The question of `kind` about this evaluation, or `None` when the kind does not apply
/// (no header is required of a 200).
fn build_question(
    kind: QuestionKind,
    request: MockRequest,
    raw: String,
    evaluation: Evaluation,
    random: &mut Random,
) -> Option<Question> {
    let response = &evaluation.response;
    let status = response.status;
    let decided = evaluation.decided()?;
    let because = format!(
        "The pipeline decided at “{}” ({}): {}.",
        decided.node.title(),
        decided.check,
        decided.detail
    );
    let (prompt, correct, distractors, explanation) = match kind {
        QuestionKind::Status => (
            "What status does this request get?".to_string(),
            Choice::Status(status),
            status_confusions(status)
                .into_iter()
                .map(Choice::Status)
                .collect::<Vec<_>>(),
            format!(
                "{status}: “{}”. {because} {}",
                status.meaning(),
                status_source(status)
            ),
        ),
        QuestionKind::NextAction => {
            let action = client_action(response);
            (
                format!("The server answers {status}. What does the client do next?"),
                Choice::Action(action),
                action
                    .confusions()
                    .into_iter()
                    .map(Choice::Action)
                    .collect(),
                format!(
                    "{status} means “{}”, so: {}. {because} {}",
                    status.meaning(),
                    lowercase_first(action.text()),
                    status_source(status)
                ),
            )
        }
        QuestionKind::Header => {
            let (name, source) = required_header(response)?;
            // A distractor the response also carries would be a second right answer.
            let distractors = HEADERS
                .into_iter()
                .filter(|header| *header != name && response.header(header).is_none())
                .map(Choice::Header)
                .collect();
            let value = response.header(name).unwrap_or_default();
            (
                format!("The server answers {status}. Which header must this response carry?"),
                Choice::Header(name),
                distractors,
                format!(
                    "A {} must carry {name} ({source}). Here it reads: {name}: {value}. {because}",
                    status.code()
                ),
            )
        }
        QuestionKind::Step => {
            let prompt = if status.is_success() {
                "Which step answers this request?"
            } else {
                "Which step stops this request?"
            };
            (
                prompt.to_string(),
                Choice::Node(decided.node),
                node_confusions(decided.node)
                    .into_iter()
                    .map(Choice::Node)
                    .collect(),
                format!("{because} The response: {status}."),
            )
        }
    };
    let mut choices = vec![correct.clone()];
    for choice in distractors {
        if choices.len() == 4 {
            break;
        }
        if !choices.contains(&choice) {
            choices.push(choice);
        }
    }
    random.shuffle(&mut choices);
    let answer = choices.iter().position(|choice| *choice == correct)?;
    Some(Question {
        kind,
        prompt,
        summary: describe_request(&request),
        request,
        raw,
        choices,
        answer,
        explanation,
        evaluation,
    })
}

/// The statuses people confuse `status` with, most plausible first.
fn status_confusions(status: Status) -> [Status; 3] {
    match status {
        Status::Ok => [Status::Unauthorized, Status::Forbidden, Status::NoContent],
        Status::NoContent => [Status::Ok, Status::Forbidden, Status::Unauthorized],
        Status::BadRequest => [Status::Unauthorized, Status::Forbidden, Status::NotFound],
        Status::Unauthorized => [Status::Forbidden, Status::NotFound, Status::BadRequest],
        Status::Forbidden => [Status::Unauthorized, Status::NotFound, Status::Ok],
        Status::NotFound => [
            Status::Forbidden,
            Status::Unauthorized,
            Status::MethodNotAllowed,
        ],
        Status::MethodNotAllowed => [Status::NotFound, Status::Forbidden, Status::BadRequest],
        Status::ContentTooLarge | Status::HeaderFieldsTooLarge => {
            [Status::BadRequest, Status::Unauthorized, Status::Forbidden]
        }
        Status::UnprocessableContent | Status::Other(_) => {
            [Status::Unauthorized, Status::BadRequest, Status::Forbidden]
        }
    }
}

/// The steps nearest to `node` on the path, nearest first.
fn node_confusions(node: Node) -> Vec<Node> {
    let order = Node::all();
    let at = order.iter().position(|candidate| *candidate == node);
    let mut others: Vec<(usize, Node)> = order
        .iter()
        .enumerate()
        .filter(|(_, candidate)| **candidate != node)
        .map(|(index, candidate)| (at.map_or(index, |at| at.abs_diff(index)), *candidate))
        .collect();
    others.sort_by_key(|(distance, _)| *distance);
    others.into_iter().map(|(_, node)| node).collect()
}

fn status_source(status: Status) -> &'static str {
    match status {
        Status::Ok | Status::NoContent => "(RFC 9110 §15.3)",
        Status::BadRequest => "(RFC 9110 §15.5.1; RFC 6750 §3.1 invalid_request)",
        Status::Unauthorized => "(RFC 9110 §15.5.2: no valid credentials; retry with them)",
        Status::Forbidden => "(RFC 9110 §15.5.4: understood, but refused; new credentials will not help the same caller)",
        Status::NotFound => "(RFC 9110 §15.5.5)",
        Status::MethodNotAllowed => "(RFC 9110 §15.5.6)",
        Status::ContentTooLarge => "(RFC 9110 §15.5.14)",
        Status::UnprocessableContent => "(RFC 9110 §15.5.21)",
        Status::HeaderFieldsTooLarge => "(RFC 6585 §5)",
        Status::Other(_) => "(RFC 9110 §15)",
    }
}

fn insufficient_scope(response: &Response) -> bool {
    response
        .headers_named("WWW-Authenticate")
        .any(|value| value.contains("error=\"insufficient_scope\""))
}

fn lowercase_first(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_lowercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// A random request on the policy: mostly its routes, sometimes an unknown path or a wrong
/// method; mostly with credentials, of every kind and validity.
fn random_request(scenario: &Scenario, random: &mut Random) -> MockRequest {
    let users = &scenario.users;
    let user = users.get(random.below(users.len().max(1)));
    let subject = user.map_or_else(|| "alice".to_string(), |user| user.name.clone());
    let role = user.map_or_else(|| "user".to_string(), |user| user.role.clone());
    let owner = users
        .get(random.below(users.len().max(1)))
        .map_or_else(|| subject.clone(), |user| user.name.clone());

    let routes = &scenario.policy.routes;
    let (method, path) = match (
        random.below(10),
        routes.get(random.below(routes.len().max(1))),
    ) {
        (0, _) | (_, None) => ("GET".to_string(), "/nothing-here".to_string()),
        (1, Some(route)) => {
            let method = if route.method == "POST" {
                "PUT"
            } else {
                "POST"
            };
            (method.to_string(), fill_pattern(&route.path, &owner))
        }
        (_, Some(route)) => (route.method.clone(), fill_pattern(&route.path, &owner)),
    };

    let kind = match random.below(20) {
        0..=14 => CredentialKind::Bearer,
        15..=17 => CredentialKind::Basic,
        _ => CredentialKind::Query,
    };
    let invalid: Vec<Validity> = Validity::for_kind(kind)
        .iter()
        .copied()
        // The plain mistakes: the attack catalogue has presets of its own.
        .filter(|validity| *validity != Validity::Valid && !matches!(validity, Validity::Forged(_)))
        .collect();
    let validity = if random.below(2) == 0 {
        Validity::Valid
    } else {
        invalid
            .get(random.below(invalid.len()))
            .copied()
            .unwrap_or_default()
    };
    let scopes = routes
        .iter()
        .filter_map(|route| match &route.access {
            Access::Scope(scope) if random.below(2) == 0 => Some(scope.clone()),
            _ => None,
        })
        .collect();
    MockRequest {
        method,
        path,
        token: random.below(7) != 0,
        kind,
        validity,
        subject,
        role,
        scopes,
        csrf: Default::default(),
    }
}

/// SplitMix64: small, fast, and the same sequence on every platform for the same seed.
struct Random(u64);

impl Random {
    fn new(seed: u64) -> Random {
        Random(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut mixed = self.0;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        mixed ^ (mixed >> 31)
    }

    /// A number in `0..bound`; 0 when `bound` is 0.
    fn below(&mut self, bound: usize) -> usize {
        if bound == 0 {
            return 0;
        }
        (self.next() % bound as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for index in (1..items.len()).rev() {
            let other = self.below(index + 1);
            items.swap(index, other);
        }
    }
}
