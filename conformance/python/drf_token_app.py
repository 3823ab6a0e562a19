"""Django REST framework with TokenAuthentication only (`rest_framework.authtoken`): one token
per demo user, created at start-up with the user's demo API key as its key
(`Authorization: Token ak_alice_demo`). The routes and permissions of drf_app.py; `GET
/metrics` takes the same token as every other route."""

import drf_common

drf_common.configure(
    rest_framework={
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "rest_framework.authentication.TokenAuthentication",
        ]
    },
    apps=["rest_framework.authtoken"],
)

if __name__ == "__main__":
    drf_common.serve("drf-token")
