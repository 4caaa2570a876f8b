"""Every `/clients/*` route, the group, statics and current company routes
(included under /api/v1/).

Purge, merge, the uploads and the logo come before the router's `clients/{id}` routes
so that `clients/{id}/purge` is never read as an action of the viewset.
"""

from django.urls import URLPattern, URLResolver, re_path

from clients.api.company import CurrentCompanyView
from clients.api.documents import ClientDocumentsViewSet
from clients.api.groups import GroupSettingViewSet
from clients.api.logos import ClientLogoViewSet
from clients.api.merge_purge import merge_view, purge_view
from clients.api.statics import StaticsView
from clients.api.views import ClientViewSet
from config.api.routers import ApiRouter

router = ApiRouter()
router.register("clients", ClientViewSet, basename="client")
router.register("group_settings", GroupSettingViewSet, basename="group-setting")

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^clients/(?P<id>[^/]+)/purge/?$", purge_view, name="client-purge"),
    re_path(
        r"^clients/(?P<id>[^/]+)/(?P<mergeable_id>[^/]+)/merge/?$",
        merge_view,
        name="client-merge",
    ),
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
    re_path(
        r"^clients/(?P<id>[^/]+)/logo/?$",
        ClientLogoViewSet.as_view(
            {"get": "download", "post": "upload", "delete": "remove"}
        ),
        name="client-logo",
    ),
    re_path(r"^statics/?$", StaticsView.as_view(), name="statics"),
    re_path(
        r"^companies/current/?$", CurrentCompanyView.as_view(), name="company-current"
    ),
    *router.urls,
]
