"""Flask-HTTPAuth `HTTPTokenAuth(scheme="Bearer")`: `verify_token` decodes the demo JWT,
`get_user_roles` gives the token's role and its scopes, `login_required(role=…)` guards the
admin and reports routes. Ownership is left to the view, which answers Flask's `abort(403)`."""

from importlib.metadata import version

import jwt
from flask import Flask, abort, jsonify, request
from flask_httpauth import HTTPTokenAuth

import demo
import flask_serve

app = Flask(__name__)
auth = HTTPTokenAuth(scheme="Bearer")


@auth.verify_token
def verify_token(token):
    try:
        claims = jwt.decode(
            token,
            demo.KEY,
            algorithms=[demo.ALGORITHM],
            audience=demo.AUDIENCE,
            issuer=demo.ISSUER,
            leeway=demo.LEEWAY,
        )
    except jwt.InvalidTokenError:
        return None
    return claims


@auth.get_user_roles
def get_user_roles(claims):
    # Flask-HTTPAuth's one authorization hook is roles: the scopes are offered as roles too.
    return [claims.get("role", "")] + str(claims.get("scope", "")).split()


def caller():
    return auth.current_user().get("sub")


@app.get("/public")
def public():
    return jsonify(demo.handled("GET", request.path, None))


@app.get("/profile")
@auth.login_required
def profile():
    return jsonify(demo.handled("GET", request.path, caller()))


@app.get("/admin")
@auth.login_required(role=demo.ADMIN_ROLE)
def admin():
    return jsonify(demo.handled("GET", request.path, caller()))


@app.delete("/users/<id>")
@auth.login_required(role=demo.ADMIN_ROLE)
def delete_user(id):
    return "", 204


@app.get("/users/<id>/notes")
@auth.login_required
def notes(id):
    claims = auth.current_user()
    if claims.get("sub") != id and claims.get("role") != demo.ADMIN_ROLE:
        abort(403)
    return jsonify(demo.handled("GET", request.path, caller()))


@app.get("/reports")
@auth.login_required(role=demo.REPORTS_SCOPE)
def reports():
    return jsonify(demo.handled("GET", request.path, caller()))


if __name__ == "__main__":
    flask_serve.serve(app, f"flask-httpauth {version('flask-httpauth')}")
