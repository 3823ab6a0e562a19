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
