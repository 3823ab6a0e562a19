//! The startup text of `authpath serve`.

use std::net::SocketAddr;

use authpath_engine::teach::mock::MockRequest;
use authpath_engine::{fill_pattern, parse_request, Access, Request, Scenario, Scheme};

use super::{Clock, ServeOptions, EVALUATION_PATH};
use crate::scenario::profile_name;
use crate::token::real_now;

/// The startup text: address, profile, realm, clock, and a ready-to-paste `curl` line for
/// each route, sending the request the engine's `MockRequest::passing` builds for it, with the
/// credentials the route takes (a freshly minted demo token valid for an hour on the server's
/// clock, or the demo API key on a route that takes only that).
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
    // The requests are minted on the server's clock, so every line answers as pasted.
    let scenario = Scenario {
        now,
        ..scenario.clone()
    };
    for route in &scenario.policy.routes {
        // The engine's own request for the route's rule: each line answers 2xx.
        let Ok(request) = parse_request(&MockRequest::passing(route, &scenario).to_raw(&scenario))
        else {
            continue;
        };
        let method = if request.method.eq_ignore_ascii_case("GET") {
            String::new()
        } else {
            format!("-X {} ", request.method)
        };
        text.push_str(&format!(
            "  curl -i {method}{}'{base}{}'\n",
            credentials(&request),
            request.target
        ));
    }
    // Basic credentials where a route takes them and needs no more than a user.
    let basic = scenario.policy.routes.iter().find(|route| {
        route.access == Access::Authenticated
            && (scenario.policy.schemes.is_empty()
                || scenario.policy.schemes_of(route).iter().any(
                    |(_, scheme)| matches!(scheme, Scheme::Http { scheme } if scheme == "basic"),
                ))
    });
    if let (Some(user), Some(route)) = (scenario.users.first(), basic) {
        let method = if route.method == "GET" {
            String::new()
        } else {
            format!("-X {} ", route.method)
        };
        text.push_str(&format!(
            "  curl -i {method}--anyauth -u '{}:{}' '{base}{}'\n",
            user.name,
            user.password,
            fill_pattern(&route.path, &user.name)
        ));
    }
    // The builder's default request (a valid token, no scopes) sent by the first user.
    let signed_in = scenario
        .users
        .first()
        .map_or_else(MockRequest::default, |user| MockRequest {
            subject: user.name.clone(),
            role: user.role.clone(),
            ..MockRequest::default()
        });
    let header = parse_request(&signed_in.to_raw(&scenario))
        .map(|request| credentials(&request))
        .unwrap_or_default();
    // A route that needs a role, where there is one: its answer has the most to explain.
    let asked = scenario
        .policy
        .routes
        .iter()
        .find(|route| matches!(route.access, Access::Role(_)))
        .or_else(|| {
            scenario
                .policy
                .routes
                .iter()
                .find(|route| route.access != Access::Public)
        })
        .map_or_else(|| "/".to_string(), |route| fill_pattern(&route.path, "bob"));
    text.push_str(&format!(
        "ask why (the JSON evaluation of GET {asked} with these headers):\n  \
         curl -s {header}'{base}{EVALUATION_PATH}?path={asked}'\n"
    ));
    text.push_str("Ctrl-C stops the server.\n");
    text
}

/// `-H 'Name: …' ` for each header field the request sends besides `Host`, `Accept` and the
/// like, which curl writes itself: its credentials
/// (`Authorization`, an API key header, the `Cookie` field with a session and the CSRF cookie,
/// the CSRF header), or nothing when it has none.
fn credentials(request: &Request) -> String {
    request
        .headers
        .iter()
        .filter(|header| {
            ![
                "host",
                "accept",
                "user-agent",
                "content-type",
                "content-length",
            ]
            .iter()
            .any(|name| header.name.eq_ignore_ascii_case(name))
        })
        .map(|header| format!("-H '{}: {}' ", header.name, header.value))
        .collect()
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
