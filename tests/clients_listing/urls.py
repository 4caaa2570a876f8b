"""Test-only URL conf: a bare clients list on ClientFilterSet, plus the real routes."""

from typing import Any

from django.urls import include, path
from rest_framework import mixins, serializers

from clients.api.filters import ClientFilterSet
from clients.models import Client
from config.api.hashids import encode_id
from config.api.routers import ApiRouter
from config.api.viewsets import CompanyScopedViewSet
from config.urls import urlpatterns as real_urlpatterns


class ListedClientSerializer(serializers.ModelSerializer[Client]):
    id = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = ["id", "name", "balance"]

    def get_id(self, client: Client) -> str:
        return encode_id(client.pk)


class ClientListingProbe(mixins.ListModelMixin, CompanyScopedViewSet):
    """The company's clients through the shared filter backend and envelope."""

    serializer_class = ListedClientSerializer
    filterset_class = ClientFilterSet
    permission_entity = "client"
    not_found_message = "Client not found"
    queryset = Client.objects.none()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return Client.objects.filter(company=self.company)


router = ApiRouter()
router.register("test-client-listing", ClientListingProbe, basename="test-listing")

urlpatterns = [path("api/v1/", include(router.urls)), *real_urlpatterns]

handler400 = "config.api.views.bad_request"
handler404 = "config.api.views.not_found"
handler500 = "config.api.views.server_error"
