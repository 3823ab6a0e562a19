"""The X-API-Key authentication class of the `drf` app, named by its dotted path
(`drf_api_key.ApiKeyAuthentication`) in `DEFAULT_AUTHENTICATION_CLASSES`, after Session and
Basic. DRF imports it from that string once Django is set up (`rest_framework/settings.py`
`import_from_string`), so its imports of DRF and of Django's models run then."""

from django.contrib.auth.models import User
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

import demo


class ApiKeyAuthentication(BaseAuthentication):
    """DRF has no API key class: this is the example of DRF's "Custom authentication" guide
    (docs/api-guide/authentication.md, `ExampleAuthentication`), reading the key from
    `X-API-Key` where the example reads a username from `X-USERNAME`: no header (or an empty
    one) is not this class's (`None`, the next class is asked), a key that names no user
    `AuthenticationFailed("No such user")`. Like the example it has no `authenticate_header`."""

    def authenticate(self, request):
        key = request.META.get("HTTP_X_API_KEY")
        if not key:
            return None
        try:
            user = User.objects.get(username=demo.API_KEYS[key])
        except (KeyError, User.DoesNotExist):
            raise exceptions.AuthenticationFailed("No such user")
        return (user, None)


# How the class appears in the app's OpenAPI spec: drf-spectacular knows DRF's own classes and
# asks an extension for any other (drf-spectacular 0.30.0, drf_spectacular/extensions.py
# `OpenApiAuthenticationExtension`; its docs, "Step 5: Extensions"). Without one the class is
# left out of every operation's security, with a warning.
from drf_spectacular.extensions import OpenApiAuthenticationExtension  # noqa: E402


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "drf_api_key.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": demo.API_KEY_HEADER}
