"""FastAPI with `HTTPBearer` and the token check of FastAPI's security tutorial
("OAuth2 with Password (and hashing), Bearer with JWT tokens" and "OAuth2 scopes"): a token
that does not decode answers 401 "Could not validate credentials", a missing scope 401
"Not enough permissions", both with the tutorial's `WWW-Authenticate`. The tutorial has no
role or ownership check; this app answers those 403 "Not enough permissions".
Serves both pinned FastAPI versions (requirements-fastapi*.txt)."""

import socket

import fastapi
import jwt
import uvicorn
from fastapi import Depends, FastAPI, HTTPException, Response, Security, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, SecurityScopes
from jwt.exceptions import InvalidTokenError

import demo

app = FastAPI()
bearer = HTTPBearer()


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


def main():
    port = demo.port_from_arguments()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(64)
    # Bound and listening: connections wait in the backlog until uvicorn accepts them.
    demo.ready(f"fastapi {fastapi.__version__}", port)
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[listener])


if __name__ == "__main__":
    main()
