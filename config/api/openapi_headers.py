"""The OpenAPI parameters of conditional and idempotent requests: the request
headers an operation declares, and the response headers it answers with. Declaring
If-None-Match, If-Match or Idempotency-Key adds their answers (304, 412/428,
409/422) to the operation (`config.api.schema.ApiAutoSchema`)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="Strong entity tag of the client as shown (without optional includes).",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="ETags you hold (or `*`): a match answers 304 with no body.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "The ETag the change is based on (or `*`): checked under the row lock, a "
        "mismatch is a 412 and changes nothing. Optional unless the server sets "
        "REQUIRE_IF_MATCH (then 428 without it)."
    ),
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "1 to 255 printable ASCII characters, unique per request (a UUID): a retry "
        "with the same key and body within 24 h gets the first answer with "
        "`Idempotent-Replayed: true` and does nothing again; the same key with "
        "another body is a 422, and while the first still runs a 409. Only "
        "successful answers are kept."
    ),
)
REPLAYED_HEADER = OpenApiParameter(
    "Idempotent-Replayed",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="`true` on an answer replayed for an Idempotency-Key.",
)
