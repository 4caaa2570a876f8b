"""What `OPTIONS` answers on every API route."""

from typing import TYPE_CHECKING, Any

from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request

if TYPE_CHECKING:  # DRF imports this module while it defines APIView
    from rest_framework.views import APIView


class ApiMetadata(SimpleMetadata):
    """The route's name, description and media types; the `Allow` header lists its
    methods. No `actions`: DRF would build each write's serializer for it, which
    some routes only have per action, and the OpenAPI schema documents the bodies.
    """

    def determine_metadata(self, request: Request, view: "APIView") -> dict[str, Any]:
        metadata: dict[str, Any] = super().determine_metadata(request, view)
        metadata.pop("actions", None)
        metadata["methods"] = sorted(view.allowed_methods)
        return metadata

    def determine_actions(self, request: Request, view: "APIView") -> dict[str, Any]:
        return {}
