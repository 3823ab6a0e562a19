#!/usr/bin/env python3
"""Records what the real framework apps answer to a fixed list of raw requests.

For each framework: start its app (installed by conformance/setup.sh under
target/conformance) on 127.0.0.1 at a free port, wait for its ready line, send every request
over a plain socket (so the bytes sent are exactly the ones written here), stop the app, and
write each answer (status line, every header in order, body) to
conformance/recorded/<framework>.json. Tokens are minted here with the demo key around the
real current time, because the frameworks read the wall clock; the time used is in the file.

    python3 conformance/record.py                            # every framework
    python3 conformance/record.py drf fastapi                # some
    python3 conformance/record.py --out DIR fastapi          # fresh answers to DIR/<id>.json
    python3 conformance/record.py --list                     # the framework ids, one a line
    python3 conformance/record.py --serve fastapi            # start one app and keep it up
    python3 conformance/record.py --serve flask-holes        # the app with authorization holes

`--serve` prints `serving ID at http://127.0.0.1:PORT` once the app is ready and keeps it up
until its standard input closes (or SIGTERM): the conformance step probes it with `authpath
probe` that way.

`--out` is what `cargo xtask test` uses: it records afresh and compares with the engine,
leaving recorded/ alone. SIGTERM stops the app being recorded before the script ends.

Standard library only.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET = ROOT / "target" / "conformance"

# The demo API of the engine (crates/engine/src/model.rs `Scenario::default`, mock.rs).
KEY = "authpath-demo-key"
ISSUER = "https://auth.authpath.example"
AUDIENCE = "https://api.authpath.example"
HOST = "api.authpath.example"
PASSWORDS = {"alice": "alice-pw", "bob": "bob-pw", "carol": "carol-pw"}
# The demo's API keys, browser sessions and CSRF token (python/demo.py has the same).
API_KEYS = {"alice": "ak_alice_demo", "bob": "ak_bob_demo", "carol": "ak_carol_demo"}
UNKNOWN_API_KEY = "ak_nobody_demo"
SESSIONS = {
    "alice": "alicesession00000000000000000000",
    "bob": "bobsession0000000000000000000000",
    "carol": "carolsession00000000000000000000",
}
EXPIRED_SESSION = "alicesessionexpired0000000000000"
UNKNOWN_SESSION = "nobodysession0000000000000000000"
CSRF_TOKEN = "authpathdemocsrftoken00000000000"
# 32 letters and digits as Django's format check wants, but not the demo's token.
OTHER_CSRF_TOKEN = "othercsrftoken000000000000000000"

READY_SECONDS = 60
REQUEST_SECONDS = 15
STOP_SECONDS = 5


def python_app(venv, script):
    return [str(TARGET / f"venv-{venv}" / "bin" / "python"), str(HERE / "python" / script)]


def node_app(script):
    return ["node", str(HERE / "node" / script)]


# framework id -> (command without the port, extra environment)
FRAMEWORKS = {
    "fastapi": (python_app("fastapi", "fastapi_app.py"), {}),
    "fastapi-0.121": (python_app("fastapi-0.121", "fastapi_app.py"), {}),
    "fastapi-keys": (python_app("fastapi", "fastapi_keys_app.py"), {}),
    "fastapi-0.121-keys": (python_app("fastapi-0.121", "fastapi_keys_app.py"), {}),
    "drf": (python_app("drf", "drf_app.py"), {}),
    "drf-simplejwt": (python_app("drf", "drf_simplejwt_app.py"), {}),
    "drf-token": (python_app("drf", "drf_token_app.py"), {}),
    "flask-httpauth": (python_app("flask", "flask_httpauth_app.py"), {}),
    "flask-jwt-extended": (python_app("flask", "flask_jwt_extended_app.py"), {}),
    "express-jwt": (node_app("express_jwt_app.js"), {"NODE_ENV": "production"}),
    "passport-http-bearer": (node_app("passport_bearer_app.js"), {"NODE_ENV": "production"}),
}

# Apps with deliberate authorization holes, served (`--serve`) for `authpath probe
# --identities` only: they answer no recorded requests and have no engine profile.
HOLES = {
    "flask-holes": (python_app("flask", "flask_holes_app.py"), {}),
}
SERVED = {**FRAMEWORKS, **HOLES}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def compact(value):
    return json.dumps(value, separators=(",", ":"))


def mint(claims, key=KEY, header=None):
    """A compact JWS, HS256 with `key`, as the engine's `mint_token` writes it."""
    header = header or {"alg": "HS256", "typ": "JWT"}
    signing_input = f"{b64url(compact(header).encode())}.{b64url(compact(claims).encode())}"
    signature = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def unsigned(claims):
    """`alg: none` with an empty signature, as the engine's `unsigned` writes it."""
    header = compact({"alg": "none", "typ": "JWT"}).encode()
    return f"{b64url(header)}.{b64url(compact(claims).encode())}."


def claims(now, sub, role, scope=None, **changes):
    """The claims the engine's mock builder mints, in its order (sub role scope exp nbf iat iss aud)."""
    members = {"sub": sub, "role": role, "scope": scope, "exp": now + 3600, "nbf": None, "iat": now}
    members.update({"iss": ISSUER, "aud": AUDIENCE})
    members.update(changes)
    return {name: value for name, value in members.items() if value is not None}


def basic(user, password):
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def raw(method, target, *headers):
    """A request as the engine's `MockRequest::to_raw` writes it, plus `Connection: close` so
    the answer ends with the connection."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: {HOST}", "Accept: application/json"]
    lines += list(headers)
    lines.append("Connection: close")
    return "\r\n".join(lines) + "\r\n\r\n"


def requests(now, framework):
    """The fixed list for one framework: (name, raw request text). Every app but the API key
    apps answers the demo routes (`demo_cases`); some answer more (`GROUPS`)."""
    cases = [] if framework in KEYS_ONLY else demo_cases(now)
    for group in GROUPS.get(framework, ()):
        cases += group(now)
    return cases


def demo_cases(now):
    """The 57 requests every demo app is recorded with since the start."""
    user = mint(claims(now, "alice", "user"))
    admin = mint(claims(now, "carol", "admin", "reports:read"))
    routes = [
        ("GET", "/public"),
        ("GET", "/profile"),
        ("GET", "/admin"),
        ("DELETE", "/users/bob"),
        ("GET", "/users/alice/notes"),
        ("GET", "/reports"),
    ]
    cases = []
    for method, path in routes:
        route = f"{method} {path}"
        cases += [
            (f"{route} · no credentials", raw(method, path)),
            (f"{route} · bearer user", raw(method, path, f"Authorization: Bearer {user}")),
            (f"{route} · bearer admin", raw(method, path, f"Authorization: Bearer {admin}")),
            (f"{route} · basic user", raw(method, path, f"Authorization: Basic {basic('alice', 'alice-pw')}")),
            (f"{route} · basic admin", raw(method, path, f"Authorization: Basic {basic('carol', 'carol-pw')}")),
        ]
    profile = lambda name, *headers: (f"GET /profile · {name}", raw("GET", "/profile", *headers))  # noqa: E731
    alice = lambda **changes: claims(now, "alice", "user", **changes)  # noqa: E731
    cases += [
        profile("bearer without token", "Authorization: Bearer"),
        profile("unsupported scheme", 'Authorization: Digest username="alice", realm="authpath-demo"'),
        profile("lower-case scheme", f"Authorization: bearer {user}"),
        profile("expired", f"Authorization: Bearer {mint(alice(iat=now - 7200, exp=now - 3600))}"),
        profile("expired within leeway", f"Authorization: Bearer {mint(alice(iat=now - 3610, exp=now - 10))}"),
        profile("not yet valid", f"Authorization: Bearer {mint(alice(nbf=now + 3600))}"),
        profile("bad signature", f"Authorization: Bearer {mint(alice(), key='not-the-server-key')}"),
        profile("alg none", f"Authorization: Bearer {unsigned(alice())}"),
        profile("malformed token", "Authorization: Bearer not-a-jwt"),
        profile("wrong audience", f"Authorization: Bearer {mint(alice(aud='https://other.example'))}"),
        profile("wrong issuer", f"Authorization: Bearer {mint(alice(iss='https://other.example'))}"),
        profile("no exp", f"Authorization: Bearer {mint(alice(exp=None))}"),
        profile("unknown user", f"Authorization: Bearer {mint(claims(now, 'dave', 'user'))}"),
        profile("basic wrong password", f"Authorization: Basic {basic('alice', 'wrong-pw')}"),
        profile("basic unknown user", f"Authorization: Basic {basic('dave', 'dave-pw')}"),
        profile("basic malformed", "Authorization: Basic not-base64"),
        profile("two bearer headers", f"Authorization: Bearer {user}", f"Authorization: Bearer {admin}"),
        profile(
            "bearer and basic headers",
            f"Authorization: Bearer {user}",
            f"Authorization: Basic {basic('carol', 'carol-pw')}",
        ),
        ("GET /profile · query token", raw("GET", f"/profile?access_token={user}")),
        (
            "GET /profile · bearer header and query token",
            raw("GET", f"/profile?access_token={admin}", f"Authorization: Bearer {user}"),
        ),
        ("GET /users/bob/notes · bearer user", raw("GET", "/users/bob/notes", f"Authorization: Bearer {user}")),
        (
            "GET /users/bob/notes · basic user",
            raw("GET", "/users/bob/notes", f"Authorization: Basic {basic('alice', 'alice-pw')}"),
        ),
        ("GET /nope · no credentials", raw("GET", "/nope")),
        ("GET /nope · bearer user", raw("GET", "/nope", f"Authorization: Bearer {user}")),
        ("POST /profile · no credentials", raw("POST", "/profile")),
        ("POST /profile · bearer user", raw("POST", "/profile", f"Authorization: Bearer {user}")),
        ("GET /users/bob · bearer admin", raw("GET", "/users/bob", f"Authorization: Bearer {admin}")),
    ]
    return cases


def api_key(user):
    return f"X-API-Key: {API_KEYS[user]}"


def cookie(session=None, csrf=None):
    """One `Cookie` line: the session first, then the CSRF cookie."""
    pairs = ([f"sessionid={session}"] if session else []) + ([f"csrftoken={csrf}"] if csrf else [])
    return "Cookie: " + "; ".join(pairs)


def csrf_header(token=CSRF_TOKEN):
    return f"X-CSRFToken: {token}"


def metrics_cases(now):
    """`GET /metrics`, the API key route (`X-API-Key`)."""
    user = mint(claims(now, "alice", "user"))
    case = lambda name, *headers, method="GET", target="/metrics": (  # noqa: E731
        f"{method} /metrics · {name}",
        raw(method, target, *headers),
    )
    return [
        case("no credentials"),
        case("api key user", api_key("alice")),
        case("api key admin", api_key("carol")),
        case("unknown api key", f"X-API-Key: {UNKNOWN_API_KEY}"),
        case("empty api key", "X-API-Key: "),
        case("query api key", target=f"/metrics?api_key={API_KEYS['alice']}"),
        case("bearer user", f"Authorization: Bearer {user}"),
        case("basic user", f"Authorization: Basic {basic('alice', 'alice-pw')}"),
        case("session user", cookie(SESSIONS["alice"])),
        case("api key user", api_key("alice"), method="POST"),
    ]


def notes_post_cases(now):
    """`POST /users/{id}/notes` with the credentials every demo app has had (no session)."""
    user = mint(claims(now, "alice", "user"))
    admin = mint(claims(now, "carol", "admin", "reports:read"))
    case = lambda owner, name, *headers: (  # noqa: E731
        f"POST /users/{owner}/notes · {name}",
        raw("POST", f"/users/{owner}/notes", *headers),
    )
    return [
        case("alice", "no credentials"),
        case("alice", "bearer user", f"Authorization: Bearer {user}"),
        case("bob", "bearer user", f"Authorization: Bearer {user}"),
        case("bob", "bearer admin", f"Authorization: Bearer {admin}"),
        case("alice", "basic user", f"Authorization: Basic {basic('alice', 'alice-pw')}"),
        case("bob", "basic user", f"Authorization: Basic {basic('alice', 'alice-pw')}"),
    ]


def session_cases(now):
    """The browser session (`sessionid`) and, on the unsafe POST, its CSRF token pair."""
    admin = mint(claims(now, "carol", "admin", "reports:read"))
    user = mint(claims(now, "alice", "user"))
    alice, carol = SESSIONS["alice"], SESSIONS["carol"]
    get = lambda path, name, *headers: (f"GET {path} · {name}", raw("GET", path, *headers))  # noqa: E731
    post = lambda owner, name, *headers: (  # noqa: E731
        f"POST /users/{owner}/notes · {name}",
        raw("POST", f"/users/{owner}/notes", *headers),
    )
    return [
        get("/profile", "session user", cookie(alice)),
        get("/admin", "session user", cookie(alice)),
        get("/admin", "session admin", cookie(carol)),
        get("/users/alice/notes", "session user", cookie(alice)),
        get("/users/bob/notes", "session user", cookie(alice)),
        get("/profile", "unknown session", cookie(UNKNOWN_SESSION)),
        get("/profile", "expired session", cookie(EXPIRED_SESSION)),
        get("/profile", "session user and bearer admin", f"Authorization: Bearer {admin}", cookie(alice)),
        post("alice", "session user csrf", cookie(alice, CSRF_TOKEN), csrf_header()),
        post("alice", "session user no csrf header", cookie(alice, CSRF_TOKEN)),
        post("alice", "session user wrong csrf header", cookie(alice, CSRF_TOKEN), csrf_header(OTHER_CSRF_TOKEN)),
        post("alice", "session user no csrf cookie", cookie(alice), csrf_header()),
        post("alice", "session user no csrf", cookie(alice)),
        post(
            "alice",
            "session user other csrf pair",
            cookie(alice, OTHER_CSRF_TOKEN),
            csrf_header(OTHER_CSRF_TOKEN),
        ),
        post("bob", "session user csrf", cookie(alice, CSRF_TOKEN), csrf_header()),
        post("bob", "session admin csrf", cookie(carol, CSRF_TOKEN), csrf_header()),
        post("alice", "unknown session", cookie(UNKNOWN_SESSION)),
        post("alice", "expired session", cookie(EXPIRED_SESSION)),
        post("alice", "expired session csrf", cookie(EXPIRED_SESSION, CSRF_TOKEN), csrf_header()),
        post("alice", "session user and bearer user no csrf", f"Authorization: Bearer {user}", cookie(alice)),
    ]


def token_cases(now):
    """DRF's `Authorization: Token <key>` (the keys are the demo's API keys)."""
    token = lambda who: f"Authorization: Token {API_KEYS[who]}"  # noqa: E731
    routes = [
        ("GET", "/public"),
        ("GET", "/profile"),
        ("GET", "/admin"),
        ("DELETE", "/users/bob"),
        ("GET", "/users/alice/notes"),
        ("GET", "/reports"),
        ("GET", "/metrics"),
        ("POST", "/users/alice/notes"),
    ]
    cases = []
    for method, path in routes:
        cases += [
            (f"{method} {path} · token user", raw(method, path, token("alice"))),
            (f"{method} {path} · token admin", raw(method, path, token("carol"))),
        ]
    profile = lambda name, *headers: (f"GET /profile · {name}", raw("GET", "/profile", *headers))  # noqa: E731
    cases += [
        profile("unknown token", f"Authorization: Token {UNKNOWN_API_KEY}"),
        profile("token without key", "Authorization: Token"),
        profile("token with spaces", "Authorization: Token a b"),
        profile("lower-case token scheme", f"Authorization: token {API_KEYS['alice']}"),
        profile("bearer api key", f"Authorization: Bearer {API_KEYS['alice']}"),
        profile("api key header", api_key("alice")),
        ("GET /users/bob/notes · token user", raw("GET", "/users/bob/notes", token("alice"))),
        ("POST /users/bob/notes · token user", raw("POST", "/users/bob/notes", token("alice"))),
        ("POST /profile · token user", raw("POST", "/profile", token("alice"))),
    ]
    return cases


def classes_cases(now):
    """`drf`'s three DEFAULT_AUTHENTICATION_CLASSES (Session, Basic, X-API-Key) on every view,
    asked in that order: the API key off `/metrics`, and each pair of credentials whose order
    decides (the first class that finds a user, or fails, ends the search; one that finds nothing
    hands on to the next); then the `Authorization: Basic` shapes BasicAuthentication refuses with
    a message of its own."""
    admin = mint(claims(now, "carol", "admin", "reports:read"))
    alice_basic = f"Authorization: Basic {basic('alice', 'alice-pw')}"
    get = lambda path, name, *headers: (f"GET {path} · {name}", raw("GET", path, *headers))  # noqa: E731
    return [
        get("/profile", "api key user", api_key("alice")),
        get("/profile", "unknown api key", f"X-API-Key: {UNKNOWN_API_KEY}"),
        get("/admin", "api key user", api_key("alice")),
        get("/admin", "api key admin", api_key("carol")),
        get("/users/bob/notes", "api key user", api_key("alice")),
        get("/reports", "api key admin", api_key("carol")),
        ("POST /users/alice/notes · api key user", raw("POST", "/users/alice/notes", api_key("alice"))),
        get("/profile", "basic user and unknown api key", alice_basic, f"X-API-Key: {UNKNOWN_API_KEY}"),
        get(
            "/profile",
            "basic wrong password and api key user",
            f"Authorization: Basic {basic('alice', 'wrong-pw')}",
            api_key("alice"),
        ),
        get("/profile", "bearer admin and api key user", f"Authorization: Bearer {admin}", api_key("alice")),
        get("/metrics", "basic user and api key admin", alice_basic, api_key("carol")),
        get("/profile", "session user and api key admin", api_key("carol"), cookie(SESSIONS["alice"])),
        get("/profile", "unknown session and basic user", alice_basic, cookie(UNKNOWN_SESSION)),
        get("/profile", "expired session and api key user", api_key("alice"), cookie(EXPIRED_SESSION)),
        (
            "POST /users/alice/notes · session user no csrf and api key user",
            raw("POST", "/users/alice/notes", api_key("alice"), cookie(SESSIONS["alice"])),
        ),
        get("/profile", "basic without credentials", "Authorization: Basic"),
        get("/profile", "basic with spaces", "Authorization: Basic a b"),
        get("/profile", "two basic headers", alice_basic, f"Authorization: Basic {basic('carol', 'carol-pw')}"),
    ]


def key_cases(now):
    """`APIKeyQuery(name="api_key")` on `GET /query-key`, `APIKeyCookie(name="api_key")` on
    `GET /cookie-key` (the API key apps)."""
    alice, carol = API_KEYS["alice"], API_KEYS["carol"]
    user = mint(claims(now, "alice", "user"))
    query = lambda name, query="", *headers: (  # noqa: E731
        f"GET /query-key · {name}",
        raw("GET", f"/query-key{query}", *headers),
    )
    jar = lambda name, *headers, query="": (  # noqa: E731
        f"GET /cookie-key · {name}",
        raw("GET", f"/cookie-key{query}", *headers),
    )
    return [
        query("no credentials"),
        query("query key user", f"?api_key={alice}"),
        query("query key admin", f"?api_key={carol}"),
        query("unknown query key", f"?api_key={UNKNOWN_API_KEY}"),
        query("empty query key", "?api_key="),
        query("header key", "", f"X-API-Key: {alice}"),
        query("cookie key", "", f"Cookie: api_key={alice}"),
        query("bearer user", "", f"Authorization: Bearer {user}"),
        jar("no credentials"),
        jar("cookie key user", f"Cookie: api_key={alice}"),
        jar("cookie key admin", f"Cookie: api_key={carol}"),
        jar("unknown cookie key", f"Cookie: api_key={UNKNOWN_API_KEY}"),
        jar("empty cookie key", "Cookie: api_key="),
        jar("query key", query=f"?api_key={alice}"),
        jar("header key", f"X-API-Key: {alice}"),
        jar("session cookie", cookie(SESSIONS["alice"])),
        ("GET /nope · query key user", raw("GET", f"/nope?api_key={alice}")),
        ("POST /query-key · query key user", raw("POST", f"/query-key?api_key={alice}")),
    ]


# The apps recorded with the API key routes only (not the demo routes).
KEYS_ONLY = {"fastapi-keys", "fastapi-0.121-keys"}
# framework id -> the groups of requests recorded after the demo's (in this order). A framework
# not named here is recorded with the demo's 57 alone.
GROUPS = {
    "fastapi": (metrics_cases, notes_post_cases, session_cases),
    "fastapi-0.121": (metrics_cases, notes_post_cases, session_cases),
    "fastapi-keys": (key_cases,),
    "fastapi-0.121-keys": (key_cases,),
    "drf": (metrics_cases, notes_post_cases, session_cases, classes_cases),
    "drf-token": (metrics_cases, notes_post_cases, session_cases, token_cases),
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def exchange(port, request):
    """Sends the bytes, reads until the server closes, returns the bytes read."""
    chunks = []
    with socket.create_connection(("127.0.0.1", port), timeout=REQUEST_SECONDS) as connection:
        connection.sendall(request.encode())
        deadline = time.monotonic() + REQUEST_SECONDS
        while time.monotonic() < deadline:
            chunk = connection.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def dechunk(body):
    out = b""
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        body = rest[size + 2 :]
    return out


def parse(answer):
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status_line = lines[0]
    headers = [list(map(str.strip, line.split(":", 1))) for line in lines[1:] if ":" in line]
    if any(name.lower() == "transfer-encoding" and "chunked" in value.lower() for name, value in headers):
        body = dechunk(body)
    parts = status_line.split(" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    return {
        "status_line": status_line,
        "status": status,
        "headers": headers,
        "body": body.decode("utf-8", errors="replace"),
    }


def wait_ready(process, deadline):
    """The app's ready line, or None if it exits or the deadline passes first."""
    buffer = b""
    while time.monotonic() < deadline:
        readable, _, _ = select.select([process.stdout], [], [], 0.2)
        if readable:
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                return None
            buffer += chunk
            for line in buffer.decode(errors="replace").splitlines():
                if line.startswith("ready "):
                    return line
        elif process.poll() is not None:
            return None
    return None


def stop(process):
    """Ends the app this script started, and the processes it started, by their group id."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(STOP_SECONDS)


def start(framework, errors):
    """Starts the app on a free port; (process, port, ready line), stopping it on failure."""
    command, extra = SERVED[framework]
    port = free_port()
    environment = dict(os.environ, **extra)
    environment["NODE_PATH"] = str(TARGET / "node" / "node_modules")
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    process = subprocess.Popen(
        command + [str(port)],
        cwd=HERE,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=errors,
        start_new_session=True,
    )
    ready = wait_ready(process, time.monotonic() + READY_SECONDS)
    if ready is None:
        stop(process)
        errors.seek(0)
        raise RuntimeError(f"{framework} did not start:\n{errors.read().decode(errors='replace')}")
    return process, port, ready


def serve(framework):
    """Keeps one app up until stdin closes, after saying where it listens."""
    with tempfile.TemporaryFile() as errors:
        process, port, _ = start(framework, errors)
        try:
            print(f"serving {framework} at http://127.0.0.1:{port}", flush=True)
            sys.stdin.read()
        finally:
            stop(process)


def record(framework, out):
    _, extra = FRAMEWORKS[framework]
    with tempfile.TemporaryFile() as errors:
        process, port, ready = start(framework, errors)
        try:
            now = int(time.time())
            answers = []
            # Each request is minted at the second it is sent, and records that second: on a
            # slow machine a run takes tens of seconds, longer than the margins the tokens near
            # the leeway's edge have around one clock for the whole run.
            for index in range(len(requests(now, framework))):
                sent = int(time.time())
                name, request = requests(sent, framework)[index]
                answer = parse(exchange(port, request))
                answers.append({"name": name, "request": request, "now": sent, "response": answer})
        finally:
            stop(process)
    result = {
        "framework": framework,
        "ready": ready.split(" http://")[0].removeprefix("ready "),
        "environment": extra,
        "clock": {
            "now": now,
            "utc": datetime.fromtimestamp(now, timezone.utc).isoformat(),
            "note": "each answer's tokens minted at its own now, with iat = now and exp = now + 3600 unless the case says otherwise",
        },
        "answers": answers,
    }
    path = out / f"{framework}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    return path, answers


def shown(path):
    """The path relative to the repository when it is inside it, else as given."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def main():
    arguments = argparse.ArgumentParser(description="Record what the real framework apps answer.")
    arguments.add_argument("frameworks", nargs="*", metavar="ID", help="framework ids (default: all)")
    arguments.add_argument("--out", type=Path, default=HERE / "recorded", help="folder for <id>.json")
    arguments.add_argument("--list", action="store_true", help="print the framework ids and stop")
    arguments.add_argument("--serve", metavar="ID", help="start this app and keep it up until stdin closes")
    options = arguments.parse_args()
    if options.list:
        print("\n".join(FRAMEWORKS))
        return
    if options.serve:
        if options.serve not in SERVED:
            sys.exit(f"unknown framework: {options.serve}; known: {', '.join(SERVED)}")
        signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(f"stopped by signal {number}"))
        serve(options.serve)
        return
    chosen = options.frameworks or list(FRAMEWORKS)
    unknown = [name for name in chosen if name not in FRAMEWORKS]
    if unknown:
        sys.exit(f"unknown framework(s): {', '.join(unknown)}; known: {', '.join(FRAMEWORKS)}")
    out = options.out.resolve()
    # A SIGTERM (a caller's time limit) unwinds through record()'s `finally`, which stops the app.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(f"stopped by signal {number}"))
    for framework in chosen:
        started = time.monotonic()
        path, answers = record(framework, out)
        print(f"{framework}: {len(answers)} answers in {time.monotonic() - started:.1f} s -> {shown(path)}", flush=True)


if __name__ == "__main__":
    main()
