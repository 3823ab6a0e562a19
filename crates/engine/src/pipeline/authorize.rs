//! The authorize step: the route's rule applied to the verified caller.

use super::{Caller, Decision, Named, Run};
use crate::credentials::Verifier;
use crate::model::{Authorization, Node, Outcome};
use crate::policy::Access;
use crate::profile::{Case, Denied, Missing};
use crate::text::shorten;
use crate::token::Identity;

impl Run<'_, '_> {
    pub(super) fn authorize(&mut self) -> Result<&'static str, Decision> {
        let Some((route, params)) = self.route.clone() else {
            // Not reached: every order routes before it authorizes.
            return Err(Decision::new(
                Case::Routing(crate::profile::Routing::UnknownRoute),
                "no route to authorize",
            ));
        };
        if let (Caller::Anonymous, true) = (&self.caller, route.is_optional()) {
            self.vars.authorization = Authorization::NotRequired;
            self.pass(
                Node::Authorize,
                "anonymous",
                "the route's credentials are optional: an anonymous caller may use it",
                Outcome::Passed,
                format!(
                    "anonymous: the rule \"{}\" applies to callers who send credentials",
                    route.access.describe()
                ),
            );
            return Ok("allowed");
        }
        let Caller::Verified(identity) = &self.caller else {
            // Not reached: an anonymous caller is refused before authorization, but on a
            // route whose credentials are optional.
            let decision = Decision::new(
                Case::Missing(Missing::NoCredentials),
                "authentication is required: no credentials were sent",
            );
            return Err(self.decide(
                Node::Authorize,
                "authenticated",
                "a verified caller",
                "no verified caller".to_string(),
                decision,
            ));
        };
        let judged = judge(&route.access, &params, identity);
        self.facts.authorized = Some(judged.allowed);
        if judged.allowed {
            self.vars.authorization = Authorization::Passed;
            self.pass(
                Node::Authorize,
                judged.check,
                &judged.condition,
                Outcome::Passed,
                judged.detail,
            );
            return Ok("allowed");
        }
        self.vars.authorization = Authorization::Failed;
        let token = self
            .credential
            .presented()
            .reader()
            .is_some_and(|reader| reader.verifier == Verifier::Jwt);
        // The body speaks to the client: what the route needs, not the server's comparison.
        let decision = match &route.access {
            Access::Role(wanted) => Decision::new(
                Case::Denied(Denied::MissingRole),
                format!("this route needs the role {wanted}"),
            ),
            Access::Scope(wanted) => {
                let why = if token {
                    Denied::MissingScope
                } else {
                    Denied::MissingScopeWithPassword
                };
                Decision {
                    named: Named::Scope(wanted.clone()),
                    ..Decision::new(
                        Case::Denied(why),
                        format!("this route needs the scope {wanted}"),
                    )
                }
            }
            Access::Owner(_) => Decision::new(
                Case::Denied(Denied::NotOwner),
                "only the owner of this resource, or an admin, may use it",
            ),
            Access::Public | Access::Authenticated => {
                Decision::new(Case::Denied(Denied::MissingRole), "access denied")
            }
        };
        Err(self.decide(
            Node::Authorize,
            judged.check,
            &judged.condition,
            judged.detail,
            decision,
        ))
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
