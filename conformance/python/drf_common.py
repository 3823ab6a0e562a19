"""The Django REST framework app behind drf_app.py and drf_simplejwt_app.py: one Django
project in one file, the demo users in an in-memory SQLite database, Django's own
development WSGI server (HTTP/1.1, one thread, so the in-memory database is shared)."""

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


def configure(rest_framework, simple_jwt=None):
    """Django settings for the demo API; `rest_framework` is the REST_FRAMEWORK setting
    (empty: DRF's defaults)."""
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
        ],
        MIDDLEWARE=MIDDLEWARE,
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        USE_TZ=True,
        REST_FRAMEWORK=rest_framework,
        **extra,
    )
    django.setup()


def create_users():
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for name, (password, role) in demo.USERS.items():
        # IsAdminUser reads is_staff: the demo admin is staff.
        User.objects.create_user(name, password=password, is_staff=role == demo.ADMIN_ROLE)


def views():
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

    return public, profile, admin, delete_user, notes, reports


urlpatterns = []


def serve(framework):
    from django.core.servers.basehttp import WSGIServer
    from django.core.wsgi import get_wsgi_application
    from django.urls import path

    import rest_framework

    create_users()
    public, profile, admin, delete_user, notes, reports = views()
    urlpatterns.extend(
        [
            path("public", public),
            path("profile", profile),
            path("admin", admin),
            path("users/<str:id>", delete_user),
            path("users/<str:id>/notes", notes),
            path("reports", reports),
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
