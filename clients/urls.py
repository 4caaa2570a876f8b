"""API routes of this app (included under /api/v1/)."""

from django.urls import URLPattern, URLResolver, re_path

from clients.views import ClientViewSet, GroupSettingViewSet, StaticsView
from config.api.routers import ApiRouter

router = ApiRouter()
router.register("clients", ClientViewSet, basename="client")
router.register("group_settings", GroupSettingViewSet, basename="group-setting")

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^statics/?$", StaticsView.as_view(), name="statics"),
    *router.urls,
]
