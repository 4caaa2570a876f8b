"""What a subscription's create and update accept (422 keyed by the field)."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from webhooks.events import EVENTS_BY_ID
from webhooks.headers import MAX_HEADERS, HeadersRefused, checked_headers
from webhooks.targets import TargetRefused, resolve_target

INVALID_EVENT = "The selected event id is invalid."
EVENT_CHOICES = ", ".join(
    f"{event.id} ({event.name})" for event in EVENTS_BY_ID.values()
)


@extend_schema_field(OpenApiTypes.INT)
class EventIdField(serializers.Field[int, Any, int, Any]):
    """A client event's id, as a number or a numeric string (upstream's)."""

    def to_internal_value(self, data: Any) -> int:
        text = str(data).strip() if isinstance(data, int | str) else ""
        if isinstance(data, bool) or not text.isdigit() or len(text) > 6:
            raise serializers.ValidationError(INVALID_EVENT)
        if int(text) not in EVENTS_BY_ID:
            raise serializers.ValidationError(INVALID_EVENT)
        return int(text)

    def to_representation(self, value: int) -> int:
        return value


@extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
class HeadersField(serializers.Field[dict[str, str], Any, dict[str, str], Any]):
    def to_internal_value(self, data: Any) -> dict[str, str]:
        try:
            return checked_headers(data)
        except HeadersRefused as refused:
            raise serializers.ValidationError(str(refused)) from refused

    def to_representation(self, value: dict[str, str]) -> dict[str, str]:
        return value


class WebhookInputSerializer(serializers.Serializer[Any]):
    """A subscription to one client event. On update only the fields sent change."""

    target_url = serializers.CharField(
        max_length=2000,
        help_text="http(s) URL on a public address; checked again before each attempt.",
    )
    event_id = EventIdField(help_text=f"The client event: {EVENT_CHOICES}.")
    format = serializers.CharField(
        required=False, default="JSON", help_text="`JSON` (the only format)."
    )
    rest_method = serializers.CharField(
        required=False, default="post", help_text="`post` or `put`."
    )
    headers = HeadersField(
        required=False,
        default=dict,
        help_text=(
            f"Sent with each delivery: up to {MAX_HEADERS} string headers; the"
            " signature, id, Content-Type, Host and hop-by-hop headers are the"
            " sender's."
        ),
    )

    def validate_target_url(self, value: str) -> str:
        try:
            resolve_target(value.strip())
        except TargetRefused as refused:
            raise serializers.ValidationError(str(refused)) from refused
        return value.strip()

    def validate_format(self, value: str) -> str:
        if value.strip().upper() != "JSON":
            raise serializers.ValidationError("The format must be JSON.")
        return "JSON"

    def validate_rest_method(self, value: str) -> str:
        method = value.strip().lower()
        if method not in ("post", "put"):
            raise serializers.ValidationError("The rest method must be post or put.")
        return method
