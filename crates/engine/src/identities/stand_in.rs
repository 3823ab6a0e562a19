//! Whether an identity may make a request: its stand-in evaluated under the policy.

use serde::{Deserialize, Serialize};

use super::who::Who;
use crate::model::{ApiKey, Authentication, Evaluation, Outcome, Scenario, Session, User};
use crate::pipeline::evaluate;
use crate::policy::{Access, RouteMatch};
use crate::profile::{Node, Profile};
use crate::teach::mock::{CredentialKind, CsrfToken, MockRequest};

/// Whether an identity may make a request, as the policy and the identity say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum May {
    Yes,
    No,
    /// The policy's rule needs what the identity does not say (a role of an opaque token), or
    /// the path is neither the policy's nor an owned object.
    Unknown,
}

/// What a 2xx where the identity may not breaks: authorization of an object (BOLA, OWASP
/// API1:2023) or of a function (BFLA, API5:2023).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Object,
    Function,
}

/// The verdict on one identity's request, before it is sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub may: May,
    /// Why, in words: the deciding check of the stand-in and what it compared.
    pub why: String,
    /// The statuses right for it: `200…204` where it may, `401` where the route does not take
    /// its credentials (or it has none), `403` or `404` where it lacks the rights, `405` for a
    /// method the path does not declare; empty when unknown.
    pub expected: Vec<u16>,
    pub level: Level,
    /// Whether the route takes the identity's credentials: its stand-in authenticated.
    pub takes: bool,
}

/// The statuses a success may have.
pub(super) const SUCCESS: [u16; 4] = [200, 201, 202, 204];

/// The stand-in of `who` for `method path`: the scenario authpath's rfc profile answers with
/// (the policy of `scenario`, the demo keys and clock, and as its only user, API key and
/// session the stand-in's subject with `who`'s role), and the raw request a person with
/// `who`'s subject, roles and scopes would send there, with the kind of credential `who`
/// sends (the route's first scheme where nothing reads `who`'s own). On an object `who` owns
/// the stand-in's subject is the owner the route's rule names, so the owner rule reads the
/// `owns` of the identities file. What the page shows as the cell's RFC answer and decision
/// path is `evaluate` of these two.
pub fn stand_in(scenario: &Scenario, who: &Who, method: &str, path: &str) -> (Scenario, String) {
    let found = match scenario.policy.resolve(method, path) {
        RouteMatch::Found { route, params } => Some((route, params)),
        _ => None,
    };
    let subject = found
        .as_ref()
        .and_then(|(route, params)| match &route.access {
            Access::Owner(parameter) if who.owns(path) => params
                .iter()
                .find(|(name, _)| name == parameter)
                .map(|(_, value)| value.clone()),
            _ => None,
        })
        .or_else(|| who.subject.clone())
        .unwrap_or_else(|| who.name.clone());
    let roles = who.roles.clone().unwrap_or_default();
    let role = found
        .as_ref()
        .and_then(|(route, _)| match &route.access {
            Access::Role(wanted) if roles.contains(wanted) => Some(wanted.clone()),
            _ => None,
        })
        .or_else(|| roles.first().cloned())
        .unwrap_or_default();
    let kind = who.kind.unwrap_or_else(|| {
        found
            .as_ref()
            .and_then(|(route, _)| {
                scenario
                    .policy
                    .schemes_of(route)
                    .first()
                    .map(|(_, scheme)| CredentialKind::sending(scheme))
            })
            .unwrap_or_default()
    });
    let base = Scenario::default();
    let stand = Scenario {
        policy: scenario.policy.clone(),
        profile: Profile::Rfc,
        users: vec![User {
            name: subject.clone(),
            password: "stand-in-pw".to_string(),
            role: role.clone(),
        }],
        api_keys: vec![ApiKey {
            key: "ak_stand_in".to_string(),
            user: subject.clone(),
        }],
        sessions: vec![Session {
            id: "standinsession000000000000000000".to_string(),
            user: subject.clone(),
            expired: false,
        }],
        ..base
    };
    let request = MockRequest {
        method: method.to_string(),
        path: path.to_string(),
        token: !who.is_anonymous(),
        kind,
        subject,
        role,
        scopes: who.scopes.clone().unwrap_or_default(),
        csrf: if who.csrf {
            CsrfToken::Sent
        } else {
            CsrfToken::Missing
        },
        ..MockRequest::default()
    };
    let raw = request.to_raw(&stand);
    (stand, raw)
}

/// Whether `who` may make `method path` under `scenario`'s policy. A route of the policy: as
/// its stand-in is answered by the rfc profile, except where the deciding check needs what
/// `who` does not say (a role, scopes, or, for another's object, whether it is an admin): then
/// unknown. A method the path does not declare: no (405). A path the policy lacks: by the
/// objects the identities own (`owner`: whose object it is): the owner may, an admin may act
/// for anyone (as the policy's owner rule lets), no one else may; a path no one owns is
/// unknown.
pub fn verdict(
    scenario: &Scenario,
    who: &Who,
    owner: Option<&Who>,
    method: &str,
    path: &str,
) -> Verdict {
    let (stand, raw) = stand_in(scenario, who, method, path);
    let evaluation = evaluate(&raw, &stand);
    let takes = !who.is_anonymous()
        && evaluation
            .trace
            .iter()
            .any(|step| step.vars.authentication == Authentication::Passed);
    let found = scenario.policy.resolve(method, path);
    match found {
        RouteMatch::Found { route, .. } => {
            let level = match route.access {
                Access::Owner(_) => Level::Object,
                _ => Level::Function,
            };
            let owned_elsewhere = owner.is_some_and(|owner| owner.name != who.name);
            let level = if owned_elsewhere {
                Level::Object
            } else {
                level
            };
            judged(&evaluation, who, level, takes)
        }
        RouteMatch::MethodNotAllowed { allow } => Verdict {
            may: May::No,
            why: format!(
                "the path does not declare {method}; it allows {}",
                allow.join(", ")
            ),
            expected: vec![405],
            level: Level::Function,
            takes,
        },
        RouteMatch::NotFound => unlisted(who, owner, path),
    }
}

/// The verdict from the stand-in's answer.
fn judged(evaluation: &Evaluation, who: &Who, level: Level, takes: bool) -> Verdict {
    let status = evaluation.response.status.code();
    let failed = evaluation
        .trace
        .iter()
        .find(|step| step.outcome == Outcome::Failed);
    let step = failed.or_else(|| {
        evaluation
            .trace
            .iter()
            .rev()
            .find(|step| step.node == Node::Authorize)
    });
    let why = step.map_or_else(
        || format!("the rfc profile answers {status}"),
        |step| format!("{}: {}", step.check, step.detail),
    );
    let verdict = |may: May, expected: &[u16]| Verdict {
        may,
        why: why.clone(),
        expected: expected.to_vec(),
        level,
        takes,
    };
    if (200..300).contains(&status) {
        return verdict(May::Yes, &SUCCESS);
    }
    match status {
        401 => verdict(May::No, &[401]),
        403 | 404 => {
            let unknown = failed.is_some_and(|step| {
                step.node == Node::Authorize
                    && match step.check.as_str() {
                        "role" => who.roles.is_none(),
                        "scope" => who.scopes.is_none(),
                        // Another's object: only an admin may, and its role is unknown.
                        "owner" => who.roles.is_none(),
                        _ => false,
                    }
            });
            if unknown {
                Verdict {
                    why: format!("{why}; the identity's role or scopes are unknown: give role or scopes in the identities file"),
                    ..verdict(May::Unknown, &[])
                }
            } else {
                verdict(May::No, &[403, 404])
            }
        }
        405 => verdict(May::No, &[405]),
        _ => verdict(May::Unknown, &[]),
    }
}

/// The verdict on a path the policy lacks, by who owns it.
fn unlisted(who: &Who, owner: Option<&Who>, path: &str) -> Verdict {
    let verdict = |may: May, why: String, expected: &[u16]| Verdict {
        may,
        why,
        expected: expected.to_vec(),
        level: Level::Object,
        takes: !who.is_anonymous(),
    };
    if who.owns(path) {
        return verdict(May::Yes, format!("{} owns {path}", who.name), &SUCCESS);
    }
    let Some(owner) = owner else {
        return Verdict {
            level: Level::Function,
            ..verdict(
                May::Unknown,
                format!("the policy has no route for {path}, and no identity owns it"),
                &[],
            )
        };
    };
    if who.is_anonymous() {
        return verdict(
            May::No,
            format!(
                "{path} is {}'s, and the request carries no credentials",
                owner.name
            ),
            &[401],
        );
    }
    match &who.roles {
        Some(roles) if roles.iter().any(|role| role == "admin") => verdict(
            May::Yes,
            format!(
                "{path} is {}'s, and role admin may act for anyone",
                owner.name
            ),
            &SUCCESS,
        ),
        Some(_) => verdict(
            May::No,
            format!("{path} is {}'s, not {}'s", owner.name, who.name),
            &[403, 404],
        ),
        None => verdict(
            May::Unknown,
            format!(
                "{path} is {}'s; whether {} is an admin is unknown: give its role",
                owner.name, who.name
            ),
            &[],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    fn who(name: &str, role: Option<&str>, kind: Option<CredentialKind>, owns: &[&str]) -> Who {
        Who {
            name: name.to_string(),
            subject: Some(name.to_string()),
            roles: role.map(|role| vec![role.to_string()]),
            scopes: Some(Vec::new()),
            owns: owns.iter().map(|path| path.to_string()).collect(),
            sends: vec!["credentials".to_string()],
            kind,
            csrf: false,
        }
    }

    /// The demo policy's verdicts, each a line a reader can check against the route's rule.
    #[test]
    #[rustfmt::skip]
    fn the_stand_in_decides_as_the_policy_says() {
        let scenario = Scenario { policy: Policy::default_api(), ..Scenario::default() };
        let bearer = Some(CredentialKind::Bearer);
        let basic = Some(CredentialKind::Basic);
        let key = Some(CredentialKind::ApiKey);
        let alice = who("alice", Some("user"), bearer, &["/users/alice/notes"]);
        let carol = who("carol", Some("admin"), bearer, &[]);
        let opaque = Who { roles: None, scopes: None, subject: None, ..who("x", None, bearer, &[]) };
        let keyed = who("k", Some("user"), key, &[]);
        let basic_user = who("bob", Some("user"), basic, &[]);
        let anonymous = Who::anonymous();
        type Case<'a> = (&'a Who, &'a str, &'a str, May, &'a [u16], Level);
        let cases: &[Case] = &[
            (&anonymous, "GET", "/public", May::Yes, &SUCCESS, Level::Function),
            (&anonymous, "GET", "/profile", May::No, &[401], Level::Function),
            (&alice, "GET", "/profile", May::Yes, &SUCCESS, Level::Function),
            (&alice, "GET", "/admin", May::No, &[403, 404], Level::Function),
            (&carol, "GET", "/admin", May::Yes, &SUCCESS, Level::Function),
            (&opaque, "GET", "/admin", May::Unknown, &[], Level::Function),
            (&opaque, "GET", "/profile", May::Yes, &SUCCESS, Level::Function),
            (&alice, "GET", "/users/alice/notes", May::Yes, &SUCCESS, Level::Object),
            (&alice, "GET", "/users/bob/notes", May::No, &[403, 404], Level::Object),
            (&carol, "GET", "/users/bob/notes", May::Yes, &SUCCESS, Level::Object),
            (&opaque, "GET", "/users/bob/notes", May::Unknown, &[], Level::Object),
            (&alice, "DELETE", "/users/bob", May::No, &[403, 404], Level::Function),
            (&alice, "PUT", "/users/bob", May::No, &[405], Level::Function),
            (&keyed, "GET", "/metrics", May::Yes, &SUCCESS, Level::Function),
            (&alice, "GET", "/metrics", May::No, &[401], Level::Function),
            // Basic users have no scopes in the demo: the scope rule refuses them.
            (&basic_user, "GET", "/reports", May::No, &[403, 404], Level::Function),
            (&alice, "GET", "/nowhere", May::Unknown, &[], Level::Function),
        ];
        for (who, method, path, may, expected, level) in cases {
            let found = verdict(&scenario, who, None, method, path);
            assert_eq!((found.may, found.expected.as_slice(), found.level), (*may, *expected, *level),
                "{} {method} {path}: {}", who.name, found.why);
        }
        assert!(verdict(&scenario, &alice, None, "GET", "/profile").takes);
        assert!(!verdict(&scenario, &alice, None, "GET", "/metrics").takes);
    }

    /// An object the policy has no route for belongs to whoever owns it; an admin may act for
    /// anyone, an identity whose role is unknown is not judged.
    #[test]
    fn an_object_the_policy_lacks_is_its_owners() {
        let scenario = Scenario::default();
        let bearer = Some(CredentialKind::Bearer);
        let alice = who("alice", Some("user"), bearer, &["/orders/17"]);
        let bob = who("bob", Some("user"), bearer, &[]);
        let carol = who("carol", Some("admin"), bearer, &[]);
        let unknown = Who {
            roles: None,
            ..who("u", None, bearer, &[])
        };
        let cases: [(&Who, &str, May); 6] = [
            (&alice, "/orders/17", May::Yes),
            (&alice, "/orders/17/items", May::Yes),
            (&bob, "/orders/17", May::No),
            (&carol, "/orders/17", May::Yes),
            (&unknown, "/orders/17", May::Unknown),
            (&Who::anonymous(), "/orders/17", May::No),
        ];
        for (who, path, may) in cases {
            let found = verdict(&scenario, who, Some(&alice), "GET", path);
            assert_eq!(found.may, may, "{} {path}: {}", who.name, found.why);
        }
        assert_eq!(
            verdict(&scenario, &bob, None, "GET", "/orders/17").may,
            May::Unknown
        );
    }

    /// An object an identity owns is its own under the owner rule, whatever its id: the
    /// stand-in's subject is the owner the route names.
    #[test]
    fn an_owned_object_is_the_stand_ins_own() {
        let mut policy = Policy::default_api();
        policy.routes.push(crate::policy::Route {
            method: "GET".to_string(),
            path: "/orders/{order}".to_string(),
            access: Access::Owner("order".to_string()),
            security: None,
            example: None,
        });
        let scenario = Scenario {
            policy,
            ..Scenario::default()
        };
        let alice = who(
            "alice",
            Some("user"),
            Some(CredentialKind::Bearer),
            &["/orders/17"],
        );
        assert_eq!(
            verdict(&scenario, &alice, None, "GET", "/orders/17").may,
            May::Yes
        );
        assert_eq!(
            verdict(&scenario, &alice, None, "GET", "/orders/18").may,
            May::No
        );
        let (stand, raw) = stand_in(&scenario, &alice, "GET", "/orders/17");
        assert_eq!(evaluate(&raw, &stand).response.status.code(), 200);
    }
}
