"""API routes of this app (included under /api/v1/)."""

from django.urls import URLPattern, URLResolver, re_path

from config.api.routers import ApiRouter
from documents.views import ClientDocumentsViewSet, DocumentViewSet

router = ApiRouter()
router.register("documents", DocumentViewSet, basename="document")

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(
        r"^clients/(?P<id>[^/]+)/upload/?$",
        ClientDocumentsViewSet.as_view({"put": "upload", "post": "upload"}),
        name="client-upload",
    ),
    re_path(
        r"^clients/(?P<id>[^/]+)/documents/?$",
        ClientDocumentsViewSet.as_view({"post": "documents"}),
        name="client-documents",
    ),
    *router.urls,
]
