"""The Django REST framework app behind drf_app.py, drf_simplejwt_app.py and drf_token_app.py:
one Django project in one file, the demo users in an in-memory SQLite database, Django's own
development WSGI server (HTTP/1.1, one thread, so the in-memory database is shared).

At start-up the demo's browser sessions are stored in Django's database session store (the
default `SESSION_ENGINE`) under their exact keys, as `django.contrib.auth.login` would have
written them (`_auth_user_id`, `_auth_user_backend`, `_auth_user_hash`), the expired one with
its expiry in the past; and, when `rest_framework.authtoken` is installed, one DRF token per
user whose key is the user's demo API key. CSRF is Django's own, unchanged: a plain-HTTP
request without `Origin` is checked by its cookie and `X-CSRFToken` header only."""

import django
from django.conf import settings

import demo

# startproject's middleware: SessionAuthentication reads the user AuthenticationMiddleware sets.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


def configure(rest_framework, simple_jwt=None, apps=()):
    """Django settings for the demo API; `rest_framework` is the REST_FRAMEWORK setting
    (empty: DRF's defaults); `apps` are added to INSTALLED_APPS."""
    extra = {"SIMPLE_JWT": simple_jwt} if simple_jwt is not None else {}
    settings.configure(
        DEBUG=False,
        SECRET_KEY="authpath-conformance-django-secret",
        ALLOWED_HOSTS=["api.authpath.example", "127.0.0.1", "localhost"],
        ROOT_URLCONF="drf_common",
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "rest_framework",
            # drf-spectacular writes the app's OpenAPI spec at /schema (its SpectacularAPIView).
            "drf_spectacular",
            *apps,
        ],
        MIDDLEWARE=MIDDLEWARE,
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        USE_TZ=True,
        REST_FRAMEWORK={
            "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
            **rest_framework,
        },
        **extra,
    )
    django.setup()


def create_users():
    from django.apps import apps
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    users = {}
    for name, (password, role) in demo.USERS.items():
        # IsAdminUser reads is_staff: the demo admin is staff.
        users[name] = User.objects.create_user(name, password=password, is_staff=role == demo.ADMIN_ROLE)
    for key, name in demo.SESSIONS.items():
        create_session(key, users[name], expired=False)
    for key, name in demo.EXPIRED_SESSIONS.items():
        create_session(key, users[name], expired=True)
    if apps.is_installed("rest_framework.authtoken"):
        from rest_framework.authtoken.models import Token

        for key, name in demo.API_KEYS.items():
            Token.objects.create(key=key, user=users[name])


def create_session(key, user, expired):
    """A row of the database session store under `key`, holding what `login()` stores
    (django/contrib/auth/__init__.py `login`: the user's pk, the backend's path, the session
    auth hash). Written as a row because `SessionStore(key)` would load the unknown key, drop
    it and save under a new random one (backends/db.py `_get_session_from_db`)."""
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    data = {
        SESSION_KEY: user._meta.pk.value_to_string(user),
        BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
        HASH_SESSION_KEY: user.get_session_auth_hash(),
    }
    # Expired a day ago: the store only finds rows with `expire_date > now`.
    age = timedelta(days=-1) if expired else timedelta(seconds=settings.SESSION_COOKIE_AGE)
    Session.objects.create(
        session_key=key,
        session_data=SessionStore().encode(data),
        expire_date=timezone.now() + age,
    )


def views():
    """The views. Every one authenticates with `DEFAULT_AUTHENTICATION_CLASSES` (no view sets
    its own `authentication_classes`), `GET /metrics` too."""
    from django.views.decorators.csrf import csrf_exempt
    from rest_framework.decorators import api_view, permission_classes
    from rest_framework.permissions import AllowAny, BasePermission, IsAdminUser, IsAuthenticated
    from rest_framework.response import Response

    class IsOwnerOrAdmin(BasePermission):
        """The `{id}` of the path is the caller, or the caller is staff."""

        def has_permission(self, request, view):
            return request.user.is_staff or request.user.get_username() == view.kwargs.get("id")

    class HasReportsScope(BasePermission):
        """The token grants `reports:read`; Session and Basic callers carry no scope."""

        def has_permission(self, request, view):
            claims = request.auth
            granted = str(claims.get("scope", "")).split() if hasattr(claims, "get") else []
            return demo.REPORTS_SCOPE in granted

    def who(request):
        return request.user.get_username() or None

    @api_view(["GET"])
    @permission_classes([AllowAny])
    def public(request):
        return Response(demo.handled("GET", request.path, None))

    @api_view(["GET"])
    @permission_classes([IsAuthenticated])
    def profile(request):
        return Response(demo.handled("GET", request.path, who(request)))

    @api_view(["GET"])
    @permission_classes([IsAdminUser])
    def admin(request):
        return Response(demo.handled("GET", request.path, who(request)))

    @api_view(["DELETE"])
    @permission_classes([IsAdminUser])
    def delete_user(request, id):
        return Response(status=204)

    @api_view(["GET"])
    @permission_classes([IsAuthenticated, IsOwnerOrAdmin])
    def notes(request, id):
        return Response(demo.handled("GET", request.path, who(request)))

    @api_view(["GET"])
    @permission_classes([IsAuthenticated, HasReportsScope])
    def reports(request):
        return Response(demo.handled("GET", request.path, who(request)))

    @api_view(["POST"])
    @permission_classes([IsAuthenticated, IsOwnerOrAdmin])
    def add_note(request, id):
        return Response(demo.handled("POST", request.path, who(request)))

    # One URL, two DRF views by method, so that the GET view (and its `Allow: OPTIONS, GET`)
    # stays as recorded before POST existed. csrf_exempt as DRF's own `APIView.as_view`
    # (rest_framework/views.py:149): CSRF is SessionAuthentication's to enforce.
    @csrf_exempt
    def notes_by_method(request, id):
        return (add_note if request.method == "POST" else notes)(request, id=id)

    @api_view(["GET"])
    @permission_classes([IsAuthenticated])
    def metrics(request):
        return Response(demo.handled("GET", request.path, who(request)))

    return public, profile, admin, delete_user, notes_by_method, reports, metrics


urlpatterns = []


def serve(framework):
    from django.core.servers.basehttp import WSGIServer
    from django.core.wsgi import get_wsgi_application
    from django.urls import path

    import rest_framework

    from drf_spectacular.views import SpectacularAPIView

    create_users()
    public, profile, admin, delete_user, notes, reports, metrics = views()
    urlpatterns.extend(
        [
            path("schema", SpectacularAPIView.as_view()),
            path("public", public),
            path("profile", profile),
            path("admin", admin),
            path("users/<str:id>", delete_user),
            path("users/<str:id>/notes", notes),
            path("reports", reports),
            path("metrics", metrics),
        ]
    )
    port = demo.port_from_arguments()
    server = WSGIServer(("127.0.0.1", port), _quiet_handler())
    server.set_app(get_wsgi_application())
    demo.ready(f"{framework} (Django {django.get_version()}, DRF {rest_framework.VERSION})", port)
    server.serve_forever()


def _quiet_handler():
    from django.core.servers.basehttp import WSGIRequestHandler

    class Quiet(WSGIRequestHandler):
        def log_message(self, format, *args):
            pass

    return Quiet
