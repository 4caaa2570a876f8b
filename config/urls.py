"""URL configuration: the API under /api/v1/, its docs, Django admin and /health."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

from config.api.views import PingView, SchemaView, home
from config.health import health

api_v1: list[URLPattern | URLResolver] = [
    re_path(r"^ping/?$", PingView.as_view(), name="ping"),
    re_path(r"^schema/?$", SchemaView.as_view(), name="schema"),
    path("", include("clients.api.urls")),
    path("", include("documents.api.urls")),
    path("", include("webhooks.api.urls")),
]

urlpatterns = [
    path("", home, name="home"),
    re_path(r"^health/?$", health, name="health"),
    # APPEND_SLASH is off (see settings); the admin's own address is worth a redirect.
    path("admin", RedirectView.as_view(pattern_name="admin:index", permanent=True)),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    re_path(
        r"^api/docs/?$", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"
    ),
    re_path(
        r"^api/redoc/?$", SpectacularRedocView.as_view(url_name="schema"), name="redoc"
    ),
]

handler400 = "config.api.views.bad_request"
handler404 = "config.api.views.not_found"
handler500 = "config.api.views.server_error"
