"""The `/webhooks` routes (included under /api/v1/)."""

from django.urls import URLPattern, URLResolver

from config.api.routers import ApiRouter
from webhooks.api.views import WebhookViewSet

router = ApiRouter()
router.register("webhooks", WebhookViewSet, basename="webhook")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
