"""FastAPI with `HTTPBearer` and the token check of FastAPI's security tutorial
("OAuth2 with Password (and hashing), Bearer with JWT tokens" and "OAuth2 scopes"): a token
that does not decode answers 401 "Could not validate credentials", a missing scope 401
"Not enough permissions", both with the tutorial's `WWW-Authenticate`. The tutorial has no
role or ownership check; this app answers those 403 "Not enough permissions".
`GET /metrics` takes an API key instead: `APIKeyHeader(name="X-API-Key")`, whose own answer
to a missing key differs by version (403 before 0.122, 401 `WWW-Authenticate: APIKey` after);
a key that names no user is the app's to refuse: 401 "Invalid API key" with the challenge
FastAPI itself sends for API keys from 0.122 on (FastAPI's documentation has no API key
tutorial to follow). Serves both pinned FastAPI versions (requirements-fastapi*.txt)."""

import socket

import fastapi
import jwt
import uvicorn
from fastapi import Depends, FastAPI, HTTPException, Response, Security, status
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer, SecurityScopes
from jwt.exceptions import InvalidTokenError

import demo

app = FastAPI()
bearer = HTTPBearer()
api_key_header = APIKeyHeader(name=demo.API_KEY_HEADER)


def current_user(
    security_scopes: SecurityScopes,
    credentials: HTTPAuthorizationCredentials = Depends(bearer),
) -> dict:
    # As the scopes tutorial's get_current_user, with HTTPBearer in place of OAuth2PasswordBearer.
    if security_scopes.scopes:
        authenticate_value = f'Bearer scope="{security_scopes.scope_str}"'
    else:
        authenticate_value = "Bearer"
    credentials_exception = HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Could not validate credentials",
        headers={"WWW-Authenticate": authenticate_value},
    )
    try:
        payload = jwt.decode(
            credentials.credentials,
            demo.KEY,
            algorithms=[demo.ALGORITHM],
            audience=demo.AUDIENCE,
            issuer=demo.ISSUER,
            leeway=demo.LEEWAY,
        )
    except InvalidTokenError:
        raise credentials_exception
    username = payload.get("sub")
    if username is None or username not in demo.USERS:
        raise credentials_exception
    # The engine mints `scope` as a space-separated string (RFC 8693 §4.2).
    token_scopes = str(payload.get("scope", "")).split()
    for scope in security_scopes.scopes:
        if scope not in token_scopes:
            raise HTTPException(
                status_code=status.HTTP_401_UNAUTHORIZED,
                detail="Not enough permissions",
                headers={"WWW-Authenticate": authenticate_value},
            )
    return payload


def key_user(api_key: str) -> str:
    """The user an API key belongs to; a key that names none is refused as FastAPI 0.122+
    refuses a missing one (`APIKeyBase.make_not_authenticated_error`: 401, `WWW-Authenticate:
    APIKey`), with the app's own detail."""
    user = demo.API_KEYS.get(api_key)
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Invalid API key",
            headers={"WWW-Authenticate": "APIKey"},
        )
    return user


def header_key_user(api_key: str = Security(api_key_header)) -> str:
    return key_user(api_key)


def forbidden():
    return HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Not enough permissions")


def admin_user(user: dict = Security(current_user)) -> dict:
    if user.get("role") != demo.ADMIN_ROLE:
        raise forbidden()
    return user


@app.get("/public")
def public():
    return demo.handled("GET", "/public", None)


@app.get("/profile")
def profile(user: dict = Security(current_user)):
    return demo.handled("GET", "/profile", user["sub"])


@app.get("/admin")
def admin(user: dict = Depends(admin_user)):
    return demo.handled("GET", "/admin", user["sub"])


@app.delete("/users/{id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_user(id: str, user: dict = Depends(admin_user)):
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@app.get("/users/{id}/notes")
def notes(id: str, user: dict = Security(current_user)):
    if user["sub"] != id and user.get("role") != demo.ADMIN_ROLE:
        raise forbidden()
    return demo.handled("GET", f"/users/{id}/notes", user["sub"])


@app.get("/reports")
def reports(user: dict = Security(current_user, scopes=[demo.REPORTS_SCOPE])):
    return demo.handled("GET", "/reports", user["sub"])


@app.post("/users/{id}/notes")
def add_note(id: str, user: dict = Security(current_user)):
    if user["sub"] != id and user.get("role") != demo.ADMIN_ROLE:
        raise forbidden()
    return demo.handled("POST", f"/users/{id}/notes", user["sub"])


@app.get("/metrics")
def metrics(user: str = Depends(header_key_user)):
    return demo.handled("GET", "/metrics", user)


def main():
    serve(app, f"fastapi {fastapi.__version__}")


def serve(app, name):
    port = demo.port_from_arguments()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(64)
    # Bound and listening: connections wait in the backlog until uvicorn accepts them.
    demo.ready(name, port)
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[listener])


if __name__ == "__main__":
    main()
