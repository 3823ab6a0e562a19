"""FastAPI with an API key in the query (`APIKeyQuery(name="api_key")`, `GET /query-key`) and in
a cookie (`APIKeyCookie(name="api_key")`, `GET /cookie-key`), `auto_error` left on, over the
demo's key table: the second test policy of the `fastapi` and `fastapi-0.121` profiles (record.py
ids `fastapi-keys` and `fastapi-0.121-keys`). A missing key is FastAPI's answer, a key that
names no user the app's, as `GET /metrics` in fastapi_app.py. Serves both pinned versions."""

import fastapi
from fastapi import Depends, FastAPI, Security
from fastapi.security import APIKeyCookie, APIKeyQuery

import demo
from fastapi_app import key_user, serve

app = FastAPI()
query_key = APIKeyQuery(name="api_key")
cookie_key = APIKeyCookie(name="api_key")


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


if __name__ == "__main__":
    serve(app, f"fastapi {fastapi.__version__} (API keys in the query and a cookie)")
