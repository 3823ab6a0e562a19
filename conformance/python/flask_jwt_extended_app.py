"""Flask-JWT-Extended `@jwt_required()` with its defaults (token in the `Authorization:
Bearer` header, no error loaders overridden), set to the demo key, issuer, audience and
leeway. Role, scope and owner checks follow the project's "custom decorators" example:
`verify_jwt_in_request()`, then `jsonify(msg=…), 403`."""

from functools import wraps
from importlib.metadata import version

from flask import Flask, jsonify, request
from flask_jwt_extended import JWTManager, get_jwt, get_jwt_identity, jwt_required, verify_jwt_in_request

import demo
import flask_serve

app = Flask(__name__)
app.config.update(
    JWT_SECRET_KEY=demo.KEY,
    JWT_ALGORITHM=demo.ALGORITHM,
    JWT_DECODE_ALGORITHMS=[demo.ALGORITHM],
    JWT_DECODE_AUDIENCE=demo.AUDIENCE,
    JWT_DECODE_ISSUER=demo.ISSUER,
    JWT_DECODE_LEEWAY=demo.LEEWAY,
)
JWTManager(app)


def claim_required(check, message):
    def wrapper(view):
        @wraps(view)
        def decorator(*args, **kwargs):
            verify_jwt_in_request()
            if check(get_jwt(), kwargs):
                return view(*args, **kwargs)
            return jsonify(msg=message), 403

        return decorator

    return wrapper


admin_required = claim_required(lambda claims, _: claims.get("role") == demo.ADMIN_ROLE, "Admins only!")
scope_required = claim_required(
    lambda claims, _: demo.REPORTS_SCOPE in str(claims.get("scope", "")).split(),
    f"Missing scope {demo.REPORTS_SCOPE}",
)
owner_required = claim_required(
    lambda claims, kwargs: claims.get("sub") == kwargs.get("id") or claims.get("role") == demo.ADMIN_ROLE,
    "Owner or admin only!",
)


@app.get("/public")
def public():
    return jsonify(demo.handled("GET", request.path, None))


@app.get("/profile")
@jwt_required()
def profile():
    return jsonify(demo.handled("GET", request.path, get_jwt_identity()))


@app.get("/admin")
@admin_required
def admin():
    return jsonify(demo.handled("GET", request.path, get_jwt_identity()))


@app.delete("/users/<id>")
@admin_required
def delete_user(id):
    return "", 204


@app.get("/users/<id>/notes")
@owner_required
def notes(id):
    return jsonify(demo.handled("GET", request.path, get_jwt_identity()))


@app.get("/reports")
@scope_required
def reports():
    return jsonify(demo.handled("GET", request.path, get_jwt_identity()))


if __name__ == "__main__":
    flask_serve.serve(app, f"flask-jwt-extended {version('flask-jwt-extended')}")
