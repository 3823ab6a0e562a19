"""Serves a Flask app on 127.0.0.1 with Werkzeug's WSGI server, threaded as `flask run` is
(which makes it answer HTTP/1.1)."""

import logging

import flask
from werkzeug.serving import make_server

import demo


def serve(app, framework):
    port = demo.port_from_arguments()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", port, app, threaded=True)
    demo.ready(f"{framework} (Flask {flask_version()})", port)
    server.serve_forever()


def flask_version():
    from importlib.metadata import version

    return version("flask")
