"""FastAPI with an API key in the query (`APIKeyQuery(name="api_key")`, `GET /query-key`) and in
a cookie (`APIKeyCookie(name="api_key")`, `GET /cookie-key`), `auto_error` left on, over the
demo's key table: the second test policy of the `fastapi` and `fastapi-0.121` profiles (record.py
ids `fastapi-keys` and `fastapi-0.121-keys`). A missing key is FastAPI's answer, a key that
names no user the app's, as `GET /metrics` in fastapi_app.py. Serves both pinned versions.

For the OpenAPI conformance (the app's own `/openapi.json`, read by authpath), two more routes
that no recording asks: `GET /basic` behind `HTTPBasic` (the demo users' passwords, the check
of FastAPI's "HTTP Basic Auth" tutorial: 401 "Incorrect username or password" with
`WWW-Authenticate: Basic`), and `GET /oauth-reports` behind `OAuth2PasswordBearer` with the
scope `reports:read` (FastAPI's "OAuth2 scopes" tutorial: a token without the scope gets 401
"Not enough permissions"), whose spec then declares an `oauth2` password flow and the scope."""

import secrets

import fastapi
import jwt
from fastapi import Depends, FastAPI, HTTPException, Security, status
from fastapi.security import (
    APIKeyCookie,
    APIKeyQuery,
    HTTPBasic,
    HTTPBasicCredentials,
    OAuth2PasswordBearer,
    SecurityScopes,
)
from jwt.exceptions import InvalidTokenError

import demo
from fastapi_app import key_user, serve

app = FastAPI()
query_key = APIKeyQuery(name="api_key")
cookie_key = APIKeyCookie(name="api_key")
basic = HTTPBasic()
oauth2 = OAuth2PasswordBearer(
    tokenUrl="token", scopes={demo.REPORTS_SCOPE: "Read the reports."}
)


def query_key_user(api_key: str = Security(query_key)) -> str:
    return key_user(api_key)


def cookie_key_user(api_key: str = Security(cookie_key)) -> str:
    return key_user(api_key)


@app.get("/query-key")
def query_key_route(user: str = Depends(query_key_user)):
    return demo.handled("GET", "/query-key", user)


@app.get("/cookie-key")
def cookie_key_route(user: str = Depends(cookie_key_user)):
    return demo.handled("GET", "/cookie-key", user)


def basic_user(credentials: HTTPBasicCredentials = Depends(basic)) -> str:
    # As the tutorial's get_current_username: compare in constant time, 401 with the challenge.
    known = demo.USERS.get(credentials.username)
    password = known[0] if known else ""
    if known is None or not secrets.compare_digest(
        credentials.password.encode(), password.encode()
    ):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": "Basic"},
        )
    return credentials.username


def oauth2_user(security_scopes: SecurityScopes, token: str = Depends(oauth2)) -> str:
    # As the scopes tutorial's get_current_user, over the demo's tokens.
    authenticate_value = f'Bearer scope="{security_scopes.scope_str}"'
    refused = HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Could not validate credentials",
        headers={"WWW-Authenticate": authenticate_value},
    )
    try:
        payload = jwt.decode(
            token,
            demo.KEY,
            algorithms=[demo.ALGORITHM],
            audience=demo.AUDIENCE,
            issuer=demo.ISSUER,
            leeway=demo.LEEWAY,
        )
    except InvalidTokenError:
        raise refused
    if payload.get("sub") not in demo.USERS:
        raise refused
    token_scopes = str(payload.get("scope", "")).split()
    for scope in security_scopes.scopes:
        if scope not in token_scopes:
            raise HTTPException(
                status_code=status.HTTP_401_UNAUTHORIZED,
                detail="Not enough permissions",
                headers={"WWW-Authenticate": authenticate_value},
            )
    return payload["sub"]


@app.get("/basic")
def basic_route(user: str = Depends(basic_user)):
    return demo.handled("GET", "/basic", user)


@app.get("/oauth-reports")
def oauth_reports_route(user: str = Security(oauth2_user, scopes=[demo.REPORTS_SCOPE])):
    return demo.handled("GET", "/oauth-reports", user)


if __name__ == "__main__":
    serve(app, f"fastapi {fastapi.__version__} (API keys in the query and a cookie)")
