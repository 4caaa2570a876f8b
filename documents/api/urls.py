"""The `/documents` routes (included under /api/v1/); a client's uploads are
routed by `clients.api.urls`."""

from django.urls import URLPattern, URLResolver

from config.api.routers import ApiRouter
from documents.api.views import DocumentViewSet

router = ApiRouter()
router.register("documents", DocumentViewSet, basename="document")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
