"""The demo API every conformance app serves: the engine's defaults, written once for the
Python apps (crates/engine/src/policy.rs `Policy::default_api`, model.rs `Scenario::default`)."""

import sys

# The demo key is public: it is the engine's `Scenario::default().key`.
KEY = "authpath-demo-key"
ALGORITHM = "HS256"
ISSUER = "https://auth.authpath.example"
AUDIENCE = "https://api.authpath.example"
# RFC 7519 §4.1.4 "small" leeway, the engine's `Scenario::default().leeway`.
LEEWAY = 30
# name -> (Basic password, role), as `Scenario::default().users`.
USERS = {
    "alice": ("alice-pw", "user"),
    "bob": ("bob-pw", "user"),
    "carol": ("carol-pw", "admin"),
}
ADMIN_ROLE = "admin"
REPORTS_SCOPE = "reports:read"
# API key -> user, as the engine's demo scenario has them (sent in `X-API-Key`, or where an
# app says otherwise).
API_KEYS = {
    "ak_alice_demo": "alice",
    "ak_bob_demo": "bob",
    "ak_carol_demo": "carol",
}
API_KEY_HEADER = "X-API-Key"
# Browser sessions: the `sessionid` cookie's value -> user; the expired one is known to the
# server but past its expiry whenever it is sent.
SESSIONS = {
    "alicesession00000000000000000000": "alice",
    "bobsession0000000000000000000000": "bob",
    "carolsession00000000000000000000": "carol",
}
EXPIRED_SESSIONS = {"alicesessionexpired0000000000000": "alice"}
SESSION_COOKIE = "sessionid"
# The CSRF token a browser sends twice on an unsafe method: cookie `csrftoken` and header
# `X-CSRFToken`, equal (32 letters and digits, Django's unmasked secret length).
CSRF_TOKEN = "authpathdemocsrftoken00000000000"
CSRF_COOKIE = "csrftoken"
CSRF_HEADER = "X-CSRFToken"


def handled(method, path, user):
    """The handler's body, as the engine's `handle` writes it: who called, and which route."""
    return {"user": user, "route": f"{method} {path}"}


def port_from_arguments():
    """The port given as the one argument; the apps listen on 127.0.0.1 only."""
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        sys.exit(f"usage: {sys.argv[0]} PORT")
    return int(sys.argv[1])


def ready(framework, port):
    """The line the recorder waits for before it sends anything."""
    print(f"ready {framework} http://127.0.0.1:{port}", flush=True)
