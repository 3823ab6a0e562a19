"""Django REST framework with djangorestframework-simplejwt's JWTAuthentication first, then
the default Session and Basic classes, set to accept the demo API's tokens: HS256 with the
demo key, its issuer and audience, the engine's 30 s leeway, the user named by `sub`
(matched against the username), no token-type or `jti` claim required."""

from importlib.metadata import version

import demo
import drf_common

drf_common.configure(
    rest_framework={
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "rest_framework_simplejwt.authentication.JWTAuthentication",
            "rest_framework.authentication.SessionAuthentication",
            "rest_framework.authentication.BasicAuthentication",
        ]
    },
    simple_jwt={
        "ALGORITHM": demo.ALGORITHM,
        "SIGNING_KEY": demo.KEY,
        "AUDIENCE": demo.AUDIENCE,
        "ISSUER": demo.ISSUER,
        "LEEWAY": demo.LEEWAY,
        "USER_ID_FIELD": "username",
        "USER_ID_CLAIM": "sub",
        "TOKEN_TYPE_CLAIM": None,
        "JTI_CLAIM": None,
    },
)

if __name__ == "__main__":
    drf_common.serve(f"drf-simplejwt {version('djangorestframework-simplejwt')}")
