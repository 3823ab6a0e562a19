//! The order of a server's checks, declared as a list of steps. The pipeline's one driver runs
//! a profile's list, and `graph()` draws the same list: each step names its exits here, so the
//! path drawn and the path run cannot disagree.

use serde::{Deserialize, Serialize};

use super::case::{Case, Missing, Routing, Unparsable, Unusable};
use super::ServerProfile;
use crate::credentials::Verifier;

/// A node of the pipeline graph the page draws; each [`Step`] runs at one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Node {
    Parse,
    /// A CSRF filter in front of the application (Spring Security's `CsrfFilter`).
    Csrf,
    Route,
    Public,
    Credentials,
    Verify,
    Authorize,
    Handle,
}

impl Node {
    /// The stable id, the same as the serde name: `"parse"`, `"route"`, ….
    pub fn id(self) -> &'static str {
        match self {
            Node::Parse => "parse",
            Node::Csrf => "csrf",
            Node::Route => "route",
            Node::Public => "public",
            Node::Credentials => "credentials",
            Node::Verify => "verify",
            Node::Authorize => "authorize",
            Node::Handle => "handle",
        }
    }

    /// The title the diagram writes in the node, e.g. `"Verify credentials"`.
    pub fn title(self) -> &'static str {
        match self {
            Node::Parse => "Parse request",
            Node::Csrf => "CSRF check",
            Node::Route => "Match route",
            Node::Public => "Public route?",
            Node::Credentials => "Extract credentials",
            Node::Verify => "Verify credentials",
            Node::Authorize => "Authorize",
            Node::Handle => "Handle",
        }
    }

    /// Every node, in the order of the `rfc` profile; the CSRF filter, which `rfc` has not,
    /// after parsing, where the filter chains that have one run it.
    pub fn all() -> [Node; 8] {
        [
            Node::Parse,
            Node::Csrf,
            Node::Route,
            Node::Public,
            Node::Credentials,
            Node::Verify,
            Node::Authorize,
            Node::Handle,
        ]
    }
}

/// One check of a server, at one node. A profile lists its steps in the order its server
/// runs them; two variants of one node are two ways that server's check behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Parse the raw request.
    Parse,
    /// A CSRF filter before anything else (Spring Security's `CsrfFilter`): an unsafe method
    /// without a Bearer token the resource server would resolve is refused, for no token can
    /// match one the server never issued.
    CsrfFilter,
    /// Match method and path: an unknown path and a known path with another method end here.
    Route,
    /// Match the path; a known path with another method goes on under its first method's rule,
    /// and the handler answers the method (DRF's `APIView.initial` runs before the handler
    /// lookup).
    RouteMethodLater,
    /// A public route goes straight to the handler; any other goes on to credentials.
    Public,
    /// As [`Step::Public`] once credentials are settled: an anonymous caller on a protected
    /// route is refused here.
    PublicRefusingAnonymous,
    /// Read the credentials: none, one the server cannot use, or one to verify.
    Credentials,
    /// As [`Step::Credentials`], but a request without any, on a route that needs a role, a
    /// scope or ownership, is refused for the rights (as many tutorials check
    /// `user?.role` before the user).
    CredentialsRightsFirst,
    /// Read the credentials before routing; none goes on as anonymous.
    CredentialsOrAnonymous,
    /// As [`Step::CredentialsOrAnonymous`], but an anonymous caller on a path no public route
    /// has is refused before routing (Spring Security's `anyRequest().authenticated()`).
    CredentialsOrAnonymousOnPublicPaths,
    /// Verify the credentials read: every check of the token or the password.
    Verify,
    /// Apply the route's rule to the verified caller.
    Authorize,
    /// The route's handler answers.
    Handle,
}

/// Route first: what RFC 9110 servers and most frameworks do.
pub(crate) const ROUTE_FIRST: &[Step] = &[
    Step::Parse,
    Step::Route,
    Step::Public,
    Step::Credentials,
    Step::Verify,
    Step::Authorize,
    Step::Handle,
];

/// Route first, rights before the caller is known.
pub(crate) const RIGHTS_FIRST: &[Step] = &[
    Step::Parse,
    Step::Route,
    Step::Public,
    Step::CredentialsRightsFirst,
    Step::Verify,
    Step::Authorize,
    Step::Handle,
];

/// Route first, the method answered by the handler once authorized.
pub(crate) const METHOD_LAST: &[Step] = &[
    Step::Parse,
    Step::RouteMethodLater,
    Step::Public,
    Step::Credentials,
    Step::Verify,
    Step::Authorize,
    Step::Handle,
];

/// Credentials first: an unknown route with bad credentials gets the credentials' answer.
pub(crate) const CREDENTIALS_FIRST: &[Step] = &[
    Step::Parse,
    Step::CredentialsOrAnonymous,
    Step::Verify,
    Step::Route,
    Step::PublicRefusingAnonymous,
    Step::Authorize,
    Step::Handle,
];

/// A filter chain: the CSRF filter, credentials, and an anonymous caller refused before
/// routing unless a public route has the path.
pub(crate) const FILTER_CHAIN: &[Step] = &[
    Step::Parse,
    Step::CsrfFilter,
    Step::CredentialsOrAnonymousOnPublicPaths,
    Step::Verify,
    Step::Route,
    Step::PublicRefusingAnonymous,
    Step::Authorize,
    Step::Handle,
];

/// One exit of a step: its stable id (the trace records it), its label, and where it goes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ExitSpec {
    pub(crate) id: &'static str,
    pub(crate) label: &'static str,
    pub(crate) to: To,
}

/// Where an exit leads.
#[derive(Clone, Copy, Debug)]
pub(crate) enum To {
    /// The next step of the order.
    Next,
    /// The step after the one at this node, which is skipped.
    After(Node),
    /// The step at this node.
    Node(Node),
    /// Out of the pipeline: the cases that leave through this exit.
    End(fn(Case) -> bool),
}

const fn go(id: &'static str, to: To) -> ExitSpec {
    ExitSpec { id, label: id, to }
}

const fn end(id: &'static str, cases: fn(Case) -> bool) -> ExitSpec {
    ExitSpec {
        id,
        label: id,
        to: To::End(cases),
    }
}

const FOUND: ExitSpec = go("found", To::Next);
const MALFORMED_OR_TWICE: ExitSpec = end("malformed / sent twice", |case| {
    matches!(
        case,
        Case::Unusable(
            Unusable::EmptyCredentials(_)
                | Unusable::MalformedCredentials(_)
                | Unusable::SeveralCredentials
        )
    )
});
const UNSUPPORTED: ExitSpec = end("unsupported scheme", |case| {
    case == Case::Unusable(Unusable::UnsupportedScheme)
});
const ANONYMOUS: ExitSpec = go("none: anonymous", To::After(Node::Verify));
/// No credentials on a route whose credentials are optional (OpenAPI's `{}`): on, anonymous.
const OPTIONAL: ExitSpec = go("none, optional", To::After(Node::Verify));

impl Step {
    /// The node this step runs at.
    pub(crate) fn node(self) -> Node {
        match self {
            Step::Parse => Node::Parse,
            Step::CsrfFilter => Node::Csrf,
            Step::Route | Step::RouteMethodLater => Node::Route,
            Step::Public | Step::PublicRefusingAnonymous => Node::Public,
            Step::Credentials
            | Step::CredentialsRightsFirst
            | Step::CredentialsOrAnonymous
            | Step::CredentialsOrAnonymousOnPublicPaths => Node::Credentials,
            Step::Verify => Node::Verify,
            Step::Authorize => Node::Authorize,
            Step::Handle => Node::Handle,
        }
    }

    /// The exits of this step in `spec`'s order, in the order the diagram draws them.
    pub(crate) fn exits(self, spec: &ServerProfile) -> Vec<ExitSpec> {
        let order = spec.steps;
        match self {
            Step::CsrfFilter => vec![
                end("refused", |case| matches!(case, Case::Csrf(_))),
                go("not needed", To::Next),
            ],
            Step::Parse => vec![
                end("malformed", |case| {
                    case == Case::Unparsable(Unparsable::Syntax)
                }),
                end("too large", |case| {
                    case == Case::Unparsable(Unparsable::TooLarge)
                }),
                go("well-formed", To::Next),
            ],
            Step::Route => vec![
                end("no match", |case| matches!(case, Case::Routing(_))),
                go("matched", To::Next),
            ],
            Step::RouteMethodLater => vec![
                end("no match", |case| {
                    case == Case::Routing(Routing::UnknownRoute)
                }),
                go("matched", To::Next),
            ],
            Step::Public => vec![
                go("public", To::Node(Node::Handle)),
                go("protected", To::Next),
            ],
            Step::PublicRefusingAnonymous => vec![
                go("public", To::Node(Node::Handle)),
                end("protected, anonymous", |case| {
                    case == Case::Missing(Missing::NoCredentials)
                }),
                go("protected", To::Next),
            ],
            Step::Credentials => vec![none_or_unsupported(), MALFORMED_OR_TWICE, OPTIONAL, FOUND],
            Step::CredentialsRightsFirst => vec![
                none_or_unsupported(),
                MALFORMED_OR_TWICE,
                end("none, rights needed", |case| {
                    case == Case::Missing(Missing::RightsFirst)
                }),
                OPTIONAL,
                FOUND,
            ],
            Step::CredentialsOrAnonymous => vec![MALFORMED_OR_TWICE, UNSUPPORTED, ANONYMOUS, FOUND],
            Step::CredentialsOrAnonymousOnPublicPaths => vec![
                MALFORMED_OR_TWICE,
                UNSUPPORTED,
                end("none, no public route", |case| {
                    case == Case::Missing(Missing::NoCredentials)
                }),
                ANONYMOUS,
                FOUND,
            ],
            Step::Verify => {
                let mut exits = vec![end("invalid", |case| matches!(case, Case::Invalid(_)))];
                // A session's unsafe request is checked for its CSRF token once the session
                // is known (DRF's `SessionAuthentication.enforce_csrf`).
                if spec
                    .readers
                    .iter()
                    .any(|reader| reader.verifier == Verifier::Session)
                {
                    exits.push(end("CSRF check failed", |case| {
                        matches!(case, Case::Csrf(_))
                    }));
                }
                exits.push(go("valid", To::Next));
                exits
            }
            Step::Authorize => vec![
                end("denied", |case| matches!(case, Case::Denied(_))),
                go("allowed", To::Next),
            ],
            Step::Handle => {
                let mut exits = vec![end("handled", |case| case == Case::Allowed)];
                if order.contains(&Step::RouteMethodLater) {
                    exits.push(end("no handler for the method", |case| {
                        case == Case::Routing(Routing::WrongMethod)
                    }));
                }
                exits
            }
        }
    }
}

fn none_or_unsupported() -> ExitSpec {
    end("none / unsupported scheme", |case| {
        matches!(
            case,
            Case::Missing(Missing::NoCredentials) | Case::Unusable(Unusable::UnsupportedScheme)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    /// Within a step, no case leaves by two exits, and ids are unique; every exit that goes
    /// on leads to a later step of the order.
    #[test]
    fn exits_are_unambiguous_and_lead_forward() {
        for profile in Profile::all() {
            let spec = profile.spec();
            let order = spec.steps;
            for (index, step) in order.iter().enumerate() {
                let exits = step.exits(spec);
                for case in Case::all() {
                    let leaving = exits
                        .iter()
                        .filter(|exit| matches!(exit.to, To::End(cases) if cases(case)))
                        .count();
                    assert!(leaving <= 1, "{step:?}: {case:?} leaves by {leaving} exits");
                }
                for (at, exit) in exits.iter().enumerate() {
                    assert!(
                        exits[at + 1..].iter().all(|other| other.id != exit.id),
                        "{step:?}: {}",
                        exit.id
                    );
                    let target = match exit.to {
                        To::Next => Some(index + 1),
                        To::After(node) => order
                            .iter()
                            .position(|step| step.node() == node)
                            .map(|at| at + 1),
                        To::Node(node) => order.iter().position(|step| step.node() == node),
                        To::End(_) => continue,
                    };
                    assert!(
                        target.is_some_and(|target| target > index && target < order.len()),
                        "{}: {step:?} leaves by {} to nowhere ahead",
                        profile.id(),
                        exit.id
                    );
                }
            }
        }
    }

    /// Every case its server can reach can end a request: some step has an exit for it.
    #[test]
    fn every_case_has_an_exit() {
        for profile in Profile::all() {
            let spec = profile.spec();
            let order = spec.steps;
            let sessions = spec
                .readers
                .iter()
                .any(|reader| reader.verifier == Verifier::Session);
            for case in Case::all() {
                let reachable = match case {
                    Case::Missing(Missing::RightsFirst) => {
                        order.contains(&Step::CredentialsRightsFirst)
                    }
                    Case::Csrf(_) => sessions || order.contains(&Step::CsrfFilter),
                    _ => true,
                };
                let exits = order.iter().flat_map(|step| step.exits(spec));
                let leaves = exits
                    .filter_map(|exit| match exit.to {
                        To::End(cases) => Some(cases),
                        _ => None,
                    })
                    .any(|cases| cases(case));
                assert_eq!(leaves, reachable, "{}: {case:?}", profile.id());
            }
        }
    }
}
