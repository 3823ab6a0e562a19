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
