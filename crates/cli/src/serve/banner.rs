//! The startup text of `authpath serve`.

use std::net::SocketAddr;

use authpath_engine::policy::fill_pattern;
use authpath_engine::{mint_token, Access, Claims};

use super::{Clock, ServeOptions, EVALUATION_PATH};
use crate::scenario::profile_name;
use crate::token::real_now;

/// The startup text: address, profile, realm, clock, and a ready-to-paste `curl` line for
/// each route with a freshly minted demo token (valid for an hour on the server's clock).
pub fn banner(options: &ServeOptions, address: SocketAddr) -> String {
    let scenario = &options.scenario;
    let base = format!("http://{address}");
    let (now, clock) = match options.clock {
        Clock::Real => {
            let now = real_now();
            (now, format!("real time (now {now})"))
        }
        Clock::Fixed(now) => (now, format!("fixed at {now} (--clock)")),
    };
    let mut text = format!("authpath serve listening on {base}\n");
    text.push_str(&format!(
        "  profile {} · realm \"{}\" · clock {clock} · request timeout {} s\n",
        profile_name(scenario.profile),
        scenario.realm,
        options.timeout.as_secs_f64(),
    ));
    if !address.ip().is_loopback() {
        text.push_str("  warning: not loopback: anyone who can reach this address can use it\n");
    }
    let users: Vec<String> = scenario
        .users
        .iter()
        .map(|user| format!("{}/{} ({})", user.name, user.password, user.role))
        .collect();
    text.push_str(&format!(
        "  users (Basic): {}; the tokens below expire in one hour\n",
        users.join(", ")
    ));
    text.push_str("try:\n");
    let subject = scenario
        .users
        .first()
        .map_or("alice".to_string(), |user| user.name.clone());
    let other = scenario
        .users
        .get(1)
        .map_or("bob".to_string(), |user| user.name.clone());
    let mint = |subject: &str, role: Option<String>, scope: Option<String>| {
        let claims = Claims {
            sub: Some(subject.to_string()),
            role: role.or_else(|| Some(scenario.user(subject)?.role.clone())),
            scope,
            exp: Some(now.saturating_add(3600)),
            iat: Some(now),
            iss: Some(scenario.issuer.clone()),
            aud: Some(scenario.audience.clone()),
            ..Claims::default()
        };
        mint_token(&claims, &scenario.key)
    };
    for route in &scenario.policy.routes {
        let method = if route.method.eq_ignore_ascii_case("GET") {
            String::new()
        } else {
            format!("-X {} ", route.method)
        };
        // A token that passes the route's rule, so every line answers 2xx as pasted.
        let (token, parameter) = match &route.access {
            Access::Public => (None, other.clone()),
            Access::Authenticated => (Some(mint(&subject, None, None)), other.clone()),
            Access::Role(role) => {
                let holder = scenario
                    .users
                    .iter()
                    .find(|user| &user.role == role)
                    .map_or(subject.clone(), |user| user.name.clone());
                (Some(mint(&holder, Some(role.clone()), None)), other.clone())
            }
            Access::Scope(scope) => (
                Some(mint(&subject, None, Some(scope.clone()))),
                other.clone(),
            ),
            Access::Owner(_) => (Some(mint(&subject, None, None)), subject.clone()),
        };
        let path = fill_pattern(&route.path, &parameter);
        let authorization = token
            .map(|token| format!("-H 'Authorization: Bearer {token}' "))
            .unwrap_or_default();
        text.push_str(&format!(
            "  curl -i {method}{authorization}'{base}{path}'\n"
        ));
    }
    if let Some(user) = scenario.users.first() {
        text.push_str(&format!(
            "  curl -i --anyauth -u '{}:{}' '{base}/profile'\n",
            user.name, user.password
        ));
    }
    text.push_str(&format!(
        "ask why (the JSON evaluation of GET /admin with these headers):\n  \
         curl -s -H 'Authorization: Bearer {}' '{base}{EVALUATION_PATH}?path=/admin'\n",
        mint(&subject, None, None)
    ));
    text.push_str("Ctrl-C stops the server.\n");
    text
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use super::*;
    use crate::args::Arguments;
    use crate::serve::{parse, Clock};

    #[test]
    fn the_defaults_are_loopback_port_8401_and_the_real_clock() {
        let options = parse(Arguments::new("serve", Vec::new()))
            .expect("no options is a valid command line")
            .expect("not --help");
        assert!(options.addr.ip().is_loopback());
        assert_eq!(options.addr.port(), 8401);
        assert_eq!(options.clock, Clock::Real);
        assert!(!banner(&options, options.addr).contains("not loopback"));
        let everywhere = SocketAddr::from(([0, 0, 0, 0], 8401));
        assert!(banner(&options, everywhere).contains("not loopback"));
    }
}
