"""Django REST framework with its default authentication classes (SessionAuthentication,
BasicAuthentication), then the app's X-API-Key class (drf_api_key.py, DRF's "Custom
authentication" example): every view, `/metrics` included, runs the three in that order."""

import drf_common

drf_common.configure(
    rest_framework={
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "rest_framework.authentication.SessionAuthentication",
            "rest_framework.authentication.BasicAuthentication",
            "drf_api_key.ApiKeyAuthentication",
        ]
    }
)

if __name__ == "__main__":
    drf_common.serve("drf")
