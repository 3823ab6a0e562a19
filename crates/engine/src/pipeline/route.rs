//! The route and public? steps: which route the request is for, and whether it needs
//! credentials.

use super::{Caller, Decision, Run};
use crate::http::Request;
use crate::model::{Authentication, Authorization, Node, Outcome};
use crate::policy::{Access, Route, RouteMatch};
use crate::profile::{Case, Missing, Routing};
use crate::text::shorten;

const PUBLIC_CONDITION: &str =
    "a public route goes straight to the handler; any other needs credentials";

impl<'s> Run<'s, '_> {
    /// Route matching: an unknown path, or a known path with another method, ends here.
    pub(super) fn route(&mut self, request: &Request) -> Result<&'static str, Decision> {
        let condition = route_condition(request);
        let scenario: &'s crate::model::Scenario = self.scenario;
        match scenario.policy.resolve(&request.method, &request.path) {
            RouteMatch::Found { route, params } => {
                self.matched(&condition, route, params, "");
                Ok("matched")
            }
            RouteMatch::NotFound => Err(self.no_route(request, &condition)),
            RouteMatch::MethodNotAllowed { allow } => {
                self.facts.route_exists = Some(true);
                let allowed = allow.join(", ");
                let detail = other_methods(request, &allowed);
                let decision =
                    Decision::new(Case::Routing(Routing::WrongMethod), &detail).allowing(allowed);
                Err(self.decide(Node::Route, "route", &condition, detail, decision))
            }
        }
    }

    /// Route matching where the method is the handler's to answer: a known path with another
    /// method goes on under the rule of its first method's route.
    pub(super) fn route_method_later(
        &mut self,
        request: &Request,
    ) -> Result<&'static str, Decision> {
        let condition = route_condition(request);
        let scenario: &'s crate::model::Scenario = self.scenario;
        let RouteMatch::MethodNotAllowed { allow } =
            scenario.policy.resolve(&request.method, &request.path)
        else {
            return self.route(request);
        };
        let allowed = allow.join(", ");
        let first = allow.first().map_or("", String::as_str);
        match scenario.policy.resolve(first, &request.path) {
            RouteMatch::Found { route, params } => {
                let note = format!(
                    "{}: its rule ({}) is checked before the method; ",
                    other_methods(request, &allowed),
                    route.access.describe()
                );
                self.matched(&condition, route, params, &note);
                self.method_refused = Some(allowed);
                Ok("matched")
            }
            // A method the path lists always has its route there; this keeps the step total.
            _ => Err(self.no_route(request, &condition)),
        }
    }

    fn matched(
        &mut self,
        condition: &str,
        route: &'s Route,
        params: crate::policy::Params,
        note: &str,
    ) {
        self.facts.route_exists = Some(true);
        let values: Vec<String> = params
            .iter()
            .map(|(name, value)| format!("{name} = {}", shorten(value, 40)))
            .collect();
        let detail = format!(
            "{note}matches {} {} ({}){}",
            route.method,
            route.path,
            route.access.describe(),
            if values.is_empty() {
                String::new()
            } else {
                format!("; {}", values.join(", "))
            }
        );
        self.pass(Node::Route, "route", condition, Outcome::Passed, detail);
        self.route = Some((route, params));
    }

    fn no_route(&mut self, request: &Request, condition: &str) -> Decision {
        self.facts.route_exists = Some(false);
        let detail = format!("no route matches the path {}", shorten(&request.path, 80));
        let decision = Decision::new(Case::Routing(Routing::UnknownRoute), &detail);
        self.decide(Node::Route, "route", condition, detail, decision)
    }

    /// The "public?" node where routing comes first: a public route goes straight to the
    /// handler, any other on to the credentials.
    pub(super) fn public(&mut self) -> Result<&'static str, Decision> {
        let access = self.route_access();
        if access != Access::Public {
            self.pass(
                Node::Public,
                "public",
                PUBLIC_CONDITION,
                Outcome::Passed,
                format!("not public: {}, credentials needed", access.describe()),
            );
            return Ok("protected");
        }
        self.vars.authorization = Authorization::NotRequired;
        if self.credential.is_none() {
            self.vars.authentication = Authentication::Anonymous;
        }
        self.pass(
            Node::Public,
            "public",
            PUBLIC_CONDITION,
            Outcome::Passed,
            "public: no credentials needed, straight to the handler".to_string(),
        );
        Ok("public")
    }

    /// The "public?" node once credentials are settled: an anonymous caller on a protected
    /// route is refused here.
    pub(super) fn public_refusing_anonymous(&mut self) -> Result<&'static str, Decision> {
        let access = self.route_access();
        if access == Access::Public {
            self.vars.authorization = Authorization::NotRequired;
            self.pass(
                Node::Public,
                "public",
                PUBLIC_CONDITION,
                Outcome::Passed,
                "public: no credentials needed".to_string(),
            );
            return Ok("public");
        }
        if let (Caller::Anonymous, true) = (&self.caller, self.route_is_optional()) {
            self.pass(
                Node::Public,
                "public",
                PUBLIC_CONDITION,
                Outcome::Passed,
                format!(
                    "not public ({}), but its credentials are optional: on as anonymous",
                    access.describe()
                ),
            );
            return Ok("protected");
        }
        if let Caller::Anonymous = self.caller {
            // The challenge asks for what this route reads.
            let route = self.route.as_ref().map(|(route, _)| *route);
            self.readers = super::credentials::readers_for(self.spec, &self.scenario.policy, route);
            let detail = format!("not public ({}) and no credentials", access.describe());
            let decision = Decision::new(
                Case::Missing(Missing::NoCredentials),
                "authentication is required: no credentials were sent",
            );
            return Err(self.decide(Node::Public, "public", PUBLIC_CONDITION, detail, decision));
        }
        self.pass(
            Node::Public,
            "public",
            PUBLIC_CONDITION,
            Outcome::Passed,
            format!("not public: {}", access.describe()),
        );
        Ok("protected")
    }

    /// The rule of the route found; a step that needs one runs after the route step.
    pub(super) fn route_access(&self) -> Access {
        self.route
            .as_ref()
            .map_or(Access::Authenticated, |(route, _)| route.access.clone())
    }

    /// Whether the request's path is a public route's, for its method or, when the method has
    /// no route there, for a method the path has. A route whose credentials are optional
    /// counts: it admits anonymous callers (as `permitAll()` with optional authentication).
    pub(super) fn path_is_public(&self, request: &Request) -> bool {
        let policy = &self.scenario.policy;
        let admits = |route: &Route| route.access == Access::Public || route.is_optional();
        match policy.resolve(&request.method, &request.path) {
            RouteMatch::Found { route, .. } => admits(route),
            RouteMatch::MethodNotAllowed { allow } => allow.iter().any(|method| {
                matches!(
                    policy.resolve(method, &request.path),
                    RouteMatch::Found { route, .. } if admits(route)
                )
            }),
            RouteMatch::NotFound => false,
        }
    }
}

fn route_condition(request: &Request) -> String {
    format!(
        "a route matches {} {}",
        shorten(&request.method, 20),
        shorten(&request.path, 80)
    )
}

fn other_methods(request: &Request, allowed: &str) -> String {
    format!(
        "{} exists for {allowed}, not for {}",
        shorten(&request.path, 80),
        shorten(&request.method, 20)
    )
}
