//! The pipeline: the profile's declared steps (`ServerProfile::steps`: parse, route, public?,
//! credentials, verify, authorize, handle, in that server's order), run by one driver. Each
//! step records what it checked in the trace and either goes on through one of its exits or
//! ends the run with a [`Decision`]. Nothing is rendered while deciding: one [`answer`] at the
//! end turns the decision into the profile's response, then the counterpart a concealing 404
//! is compared with (R17), then HEAD, then the lint.

mod answer;
mod authenticate;
mod authorize;
mod credentials;
mod graph;
mod route;

use crate::credentials::Reader;
use crate::facts::Facts;
use crate::http::{parse_request, Request, RequestError, Status};
use crate::model::{Evaluation, Node, Outcome, Response, Scenario, Step as TraceStep, Vars};
use crate::policy::{Params, Route};
use crate::profile::{Case, Csrf, ServerProfile, Step, To, Unparsable};
use crate::text::{is_token68, shorten};
use crate::token::Identity;

use authenticate::Claimed;
use credentials::Credential;

pub use graph::graph;

/// Runs the raw request through the scenario's server. Deterministic, never panics, always
/// returns a whole `Evaluation` whose trace ends with the step that decided the response.
pub fn evaluate(raw: &str, scenario: &Scenario) -> Evaluation {
    evaluate_with_facts(raw, scenario).0
}

/// [`evaluate`], with the facts the pipeline learned on the way: what the lint of a foreign
/// exchange borrows about the same request (did it verify, does the route exist).
pub(crate) fn evaluate_with_facts(raw: &str, scenario: &Scenario) -> (Evaluation, Facts) {
    let request = parse_request(raw);
    let (response, trace, facts) = respond(&request, scenario, Counterpart::Run);
    let findings = crate::lint::lint(request.as_ref().ok(), &facts, &response);
    let evaluation = Evaluation {
        request,
        trace,
        response,
        findings,
    };
    (evaluation, facts)
}

/// Whether a concealing answer also runs the request it is compared with (R17); not inside
/// that run itself.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Counterpart {
    Run,
    Skip,
}

/// Decide, then answer once: the response, the trace and the facts for the lint.
fn respond(
    request: &Result<Request, RequestError>,
    scenario: &Scenario,
    counterpart: Counterpart,
) -> (Response, Vec<TraceStep>, Facts) {
    let mut run = Run::new(scenario);
    let decision = run.drive(request);
    let answered = answer::answer(
        &decision,
        request.as_ref().ok(),
        &answer::Server {
            scenario,
            readers: &run.readers,
            spec: run.spec,
            presented: &run.facts.presented,
            claims: &run.claims,
        },
    );
    let mut response = answered.response;
    if answered.conceals {
        run.facts.concealed = true;
        if let (Counterpart::Run, Ok(request)) = (counterpart, request) {
            run.facts.counterpart = Some(Box::new(counterpart_response(request, scenario)));
        }
    }
    if let Some(last) = run.trace.last_mut() {
        last.vars.response_code = Some(response.status);
    }
    // RFC 9110 §9.3.2: HEAD is answered as GET would be, without the content; the header
    // fields stay those of GET, Content-Length included (§8.6).
    if request
        .as_ref()
        .is_ok_and(|request| request.method == "HEAD")
    {
        response.body.clear();
    }
    (response, run.trace, run.facts)
}

/// What the same server answers, for the same credentials, on a path that does not exist: the
/// answer a concealing 404 must equal byte for byte (R17).
fn counterpart_response(request: &Request, scenario: &Scenario) -> Response {
    let depth = scenario
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
    respond(&Ok(twin), scenario, Counterpart::Skip).0
}

/// How a run ends: the case, and what the answer needs to say about it. Built by the
/// constructors below, never field by field at a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decision {
    pub(crate) case: Case,
    /// What the pipeline found, in words: a problem body's `detail` and a Bearer challenge's
    /// `error_description`.
    pub(crate) detail: String,
    /// The status the pipeline decided, where the answer takes it: the parser's 400/413/431,
    /// the handler's 200/204.
    pub(crate) status: Option<Status>,
    /// What else the answer may name, by case.
    pub(crate) named: Named,
}

/// What a decision names besides its detail: only the case that has it needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Named {
    Nothing,
    /// The path's methods, for `Allow`.
    Methods(String),
    /// The scope the route needs.
    Scope(String),
    /// The route the handler answers (`GET /profile`), the user it answers for, and the
    /// route's own example body, which it answers instead where the policy gives one.
    Handler {
        route: String,
        user: Option<String>,
        example: Option<String>,
    },
}

impl Decision {
    fn new(case: Case, detail: impl Into<String>) -> Decision {
        Decision {
            case,
            detail: detail.into(),
            status: None,
            named: Named::Nothing,
        }
    }

    fn allowing(mut self, methods: String) -> Decision {
        self.named = Named::Methods(methods);
        self
    }
}

/// Who is asking, once credentials are settled.
enum Caller {
    /// Not settled yet, or none sent where the server goes on without.
    Anonymous,
    Verified(Identity),
}

/// One evaluation in progress: the trace so far, the variables, the facts for the lint, and
/// what the steps found (the route, the credential, the caller).
struct Run<'s, 'r> {
    scenario: &'s Scenario,
    /// The server's table: its steps, its readers, its answers.
    spec: &'static ServerProfile,
    trace: Vec<TraceStep>,
    vars: Vars,
    facts: Facts,
    route: Option<(&'s Route, Params)>,
    /// The request, once it parsed.
    request: Option<&'r Request>,
    /// The readers the server reads with: the route's, once it is known.
    readers: Vec<Reader>,
    credential: Credential<'r>,
    /// The credentials sent together with `credential` where the route requires several
    /// schemes at once, verified after it.
    also: Vec<(Reader, &'r str)>,
    /// A requirement of schemes sent together that the request met only in part.
    partly: Option<credentials::Partly>,
    caller: Caller,
    /// The path's methods, when the request's method has no route there and the server checks
    /// the method after authorization: the handler answers 405 instead.
    method_refused: Option<String>,
    /// The claims of the Bearer token being verified, for a description the framework writes
    /// with them (`Param::DescriptionIs`).
    claims: Claimed,
}

impl<'s, 'r> Run<'s, 'r> {
    fn new(scenario: &'s Scenario) -> Run<'s, 'r> {
        let spec = scenario.profile.spec();
        Run {
            scenario,
            spec,
            trace: Vec::new(),
            vars: Vars::default(),
            facts: Facts {
                profile: scenario.profile,
                ..Facts::default()
            },
            route: None,
            request: None,
            readers: Vec::new(),
            credential: Credential::None,
            also: Vec::new(),
            partly: None,
            caller: Caller::Anonymous,
            method_refused: None,
            claims: Claimed::default(),
        }
    }

    /// The driver: runs the profile's steps in order, following the exit each takes, until
    /// one decides. The exit taken is recorded on the last trace step of each node.
    fn drive(&mut self, request: &'r Result<Request, RequestError>) -> Decision {
        let order = self.spec.steps;
        // What the request presents is a fact whatever the order (the lint reads it even for
        // a 404); the credentials step is where the server acts on it, with the route's readers.
        self.request = request.as_ref().ok();
        self.read_for_route();
        let mut index = 0;
        while let Some(&step) = order.get(index) {
            let recorded = self.trace.len();
            let exits = step.exits(self.spec);
            let taken = match request {
                Err(error) => Err(self.parse_failed(error)),
                Ok(request) => self.step(step, request),
            };
            let mark = |run: &mut Run, id: &'static str| {
                if run.trace.len() > recorded {
                    if let Some(last) = run.trace.last_mut() {
                        last.exit = Some(id.to_string());
                    }
                }
            };
            match taken {
                Err(decision) => {
                    let exit = exits
                        .iter()
                        .find(|exit| matches!(exit.to, To::End(cases) if cases(decision.case)));
                    if let Some(exit) = exit {
                        mark(self, exit.id);
                    }
                    if self.spec.answer(decision.case).conceals {
                        if let Some(last) = self.trace.last_mut() {
                            last.detail.push_str(": concealed as not found");
                        }
                    }
                    return decision;
                }
                Ok(id) => {
                    mark(self, id);
                    let target = exits.iter().find(|exit| exit.id == id).map(|exit| exit.to);
                    let next = match target {
                        Some(To::Next) => Some(index + 1),
                        Some(To::After(node)) => position(order, node).map(|at| at + 1),
                        Some(To::Node(node)) => position(order, node),
                        Some(To::End(_)) | None => None,
                    };
                    // Exits only lead forward (a test holds every order to it).
                    match next {
                        Some(next) if next > index => index = next,
                        _ => break,
                    }
                }
            }
        }
        Decision::new(
            Case::Routing(crate::profile::Routing::UnknownRoute),
            "the server's steps ended without an answer",
        )
    }

    /// One step at the request.
    fn step(&mut self, step: Step, request: &'r Request) -> Result<&'static str, Decision> {
        match step {
            Step::Parse => {
                self.parse_passed(request);
                Ok("well-formed")
            }
            Step::CsrfFilter => self.csrf_filter(request),
            Step::Route => self.route(request),
            Step::RouteMethodLater => self.route_method_later(request),
            Step::Public => self.public(),
            Step::PublicRefusingAnonymous => self.public_refusing_anonymous(),
            Step::Credentials => self.credentials(),
            Step::CredentialsRightsFirst => {
                self.rights_first()?;
                self.credentials()
            }
            Step::CredentialsOrAnonymous => self.credentials_or_anonymous(),
            Step::CredentialsOrAnonymousOnPublicPaths => {
                self.anonymous_on_public_paths(request)?;
                self.credentials_or_anonymous()
            }
            Step::Verify => self.verify(),
            Step::Authorize => self.authorize(),
            Step::Handle => self.handle(request),
        }
    }

    /// Records a step that passed (or was skipped) and goes on.
    fn pass(&mut self, node: Node, check: &str, condition: &str, outcome: Outcome, detail: String) {
        self.trace.push(TraceStep {
            node,
            check: check.to_string(),
            condition: condition.to_string(),
            outcome,
            detail,
            vars: self.vars,
            exit: None,
        });
    }

    /// Records the deciding step and returns the decision it makes.
    fn decide(
        &mut self,
        node: Node,
        check: &str,
        condition: &str,
        detail: String,
        decision: Decision,
    ) -> Decision {
        let outcome = if decision.case == Case::Allowed {
            Outcome::Answered
        } else {
            Outcome::Failed
        };
        self.pass(node, check, condition, outcome, detail);
        decision
    }

    fn parse_failed(&mut self, error: &RequestError) -> Decision {
        let why = if error.status == Status::BadRequest {
            Unparsable::Syntax
        } else {
            Unparsable::TooLarge
        };
        let decision = Decision {
            status: Some(error.status),
            ..Decision::new(Case::Unparsable(why), error.to_string())
        };
        self.decide(
            Node::Parse,
            "syntax",
            PARSE_CONDITION,
            error.to_string(),
            decision,
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
        self.pass(
            Node::Parse,
            "syntax",
            PARSE_CONDITION,
            Outcome::Passed,
            detail,
        );
    }

    /// A CSRF filter in front of everything (Spring Security's `CsrfFilter`, CsrfFilter.java
    /// 112-132): a safe method passes; so does a request whose first `Authorization` field is
    /// a well-formed Bearer token, which the resource server exempts
    /// (OAuth2ResourceServerConfigurer.java 349-354, 575-594); any other request has no token
    /// the server issued (it keeps them in a session this request cannot have) and is refused.
    fn csrf_filter(&mut self, request: &Request) -> Result<&'static str, Decision> {
        let condition = "a safe method, or a Bearer token the resource server resolves";
        if authenticate::is_safe(&request.method) {
            self.pass(
                Node::Csrf,
                "csrf",
                condition,
                Outcome::Passed,
                format!(
                    "{} is a safe method: not checked",
                    shorten(&request.method, 20)
                ),
            );
            return Ok("not needed");
        }
        let bearer = request.header("authorization").is_some_and(|value| {
            value
                .get(..7)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("bearer "))
                && value.get(7..).is_some_and(is_token68)
        });
        if bearer {
            self.pass(
                Node::Csrf,
                "csrf",
                condition,
                Outcome::Passed,
                "a Bearer token: the resource server exempts the request".to_string(),
            );
            return Ok("not needed");
        }
        let why = if request.header("x-csrf-token").is_some() {
            Csrf::TokenWrong
        } else {
            Csrf::TokenMissing
        };
        let detail = format!(
            "{} without a Bearer token and without a CSRF token the server issued",
            shorten(&request.method, 20)
        );
        let decision = Decision::new(Case::Csrf(why), &detail);
        Err(self.decide(Node::Csrf, "csrf", condition, detail, decision))
    }

    fn handle(&mut self, request: &Request) -> Result<&'static str, Decision> {
        if let Some(allowed) = self.method_refused.take() {
            let detail = format!(
                "no handler for {}: the path answers {allowed}",
                shorten(&request.method, 20)
            );
            let decision =
                Decision::new(Case::Routing(crate::profile::Routing::WrongMethod), &detail)
                    .allowing(allowed);
            return Err(self.decide(
                Node::Handle,
                "method",
                "the view has a handler for the method",
                detail,
                decision,
            ));
        }
        // HEAD is told what GET would get: the same content, so the same Content-Length.
        let method = match request.method.as_str() {
            "HEAD" => "GET",
            method => method,
        };
        let status = if request.method == "DELETE" {
            Status::NoContent
        } else {
            Status::Ok
        };
        let user = match &self.caller {
            Caller::Verified(identity) => identity.subject.clone(),
            Caller::Anonymous => None,
        };
        let detail = format!(
            "{status} for {}",
            user.as_deref().map_or_else(
                || "an anonymous caller".to_string(),
                |user| shorten(user, 40)
            )
        );
        let decision = Decision {
            status: Some(status),
            named: Named::Handler {
                route: format!("{} {}", shorten(method, 20), shorten(&request.path, 200)),
                user,
                example: self
                    .route
                    .as_ref()
                    .and_then(|(route, _)| route.example.clone()),
            },
            ..Decision::new(Case::Allowed, "")
        };
        Err(self.decide(
            Node::Handle,
            "handler",
            "the route's handler runs",
            detail,
            decision,
        ))
    }
}

/// Where `node`'s step is in `order`.
fn position(order: &[Step], node: Node) -> Option<usize> {
    order.iter().position(|step| step.node() == node)
}

const PARSE_CONDITION: &str =
    "request line, header fields and body are well-formed HTTP/1.1, within the size limits";
