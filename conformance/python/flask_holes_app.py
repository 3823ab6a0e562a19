"""Flask with Flask-HTTPAuth's `HTTPBasicAuth`, serving the demo users' notes four times over,
each under its own prefix: once right, and once with each of three deliberate authorization
holes, for `authpath probe --identities` (conformance/holes/). The routes are those of
conformance/holes/policy.toml:

- `/right`: every route as the policy says: `login_required(role="admin")` on `/admin` and on
  `DELETE /users/<id>`, and the notes only to their owner or an admin, 403 to anyone else
  whether the user exists or not;
- `/notes`: `GET /users/<id>/notes` answers anyone's notes to any logged-in user (BOLA);
- `/delete`: `DELETE /users/<id>` checks only that someone is logged in (BFLA);
- `/existence`: another user's notes are refused with 403, a user that does not exist with
  404, which tells who exists (R17).

Flask answers a method a route does not declare with 405 and `Allow` before any view runs.
"""

from importlib.metadata import version

from flask import Blueprint, Flask, abort, jsonify, request
from flask_httpauth import HTTPBasicAuth

import demo
import flask_serve

HOLES = ("right", "notes", "delete", "existence")
NOTES = {name: [f"{name}'s first note"] for name in demo.USERS}

auth = HTTPBasicAuth()


@auth.verify_password
def verify_password(username, password):
    user = demo.USERS.get(username)
    if user is not None and user[0] == password:
        return username
    return None


@auth.get_user_roles
def get_user_roles(username):
    return [demo.USERS[username][1]]


def is_admin():
    return demo.USERS[auth.current_user()][1] == demo.ADMIN_ROLE


def api(hole):
    """The demo's notes API under `/hole`, with that hole (none for `right`)."""
    blueprint = Blueprint(hole, __name__, url_prefix=f"/{hole}")

    @blueprint.get("/public")
    def public():
        return jsonify(demo.handled("GET", request.path, None))

    @blueprint.get("/profile")
    @auth.login_required
    def profile():
        return jsonify(demo.handled("GET", request.path, auth.current_user()))

    @blueprint.get("/admin")
    @auth.login_required(role=demo.ADMIN_ROLE)
    def admin():
        return jsonify(demo.handled("GET", request.path, auth.current_user()))

    def delete_user(id):
        if id not in NOTES:
            abort(404)
        return "", 204

    if hole == "delete":
        # The hole: any logged-in user may delete any user.
        delete_user = auth.login_required(delete_user)
    else:
        delete_user = auth.login_required(role=demo.ADMIN_ROLE)(delete_user)
    blueprint.delete("/users/<id>")(delete_user)

    @blueprint.get("/users/<id>/notes")
    @auth.login_required
    def notes(id):
        mine = auth.current_user() == id or is_admin()
        if hole == "notes":
            # The hole: the owner is never checked.
            mine = True
        if hole == "existence" and id not in NOTES:
            # The hole: a user that does not exist is told apart from another's.
            abort(404)
        if not mine:
            abort(403)
        if id not in NOTES:
            abort(404)
        return jsonify({"user": id, "notes": NOTES[id]})

    return blueprint


app = Flask(__name__)
for hole in HOLES:
    app.register_blueprint(api(hole))


if __name__ == "__main__":
    flask_serve.serve(app, f"flask-httpauth {version('flask-httpauth')} with holes")
