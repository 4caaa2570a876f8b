"""Password-gated client routes (purge, merge), included under /api/v1/."""

from django.urls import URLPattern, URLResolver, re_path

from clients.gated_views import merge_view, purge_view

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^clients/(?P<id>[^/]+)/purge/?$", purge_view, name="client-purge"),
    re_path(
        r"^clients/(?P<id>[^/]+)/(?P<mergeable_id>[^/]+)/merge/?$",
        merge_view,
        name="client-merge",
    ),
]
