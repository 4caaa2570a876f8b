"""OpenAPI (drf-spectacular) pieces: the token scheme, error bodies, envelopes.

`ApiAutoSchema` is the project's `DEFAULT_SCHEMA_CLASS`: on top of what a view
declares it documents the errors every token-authenticated operation can answer
(403, 404 for paths with an id, 422 for writes and filtered lists, 429) and the
rate-limit headers, so each view only describes its own success body. Examples
(`config/api/examples.py`) are whole answers, list envelopes included.
"""

from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
)
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.plumbing import build_mock_request as spectacular_mock_request
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer

from companies.models import Company, Membership
from config.api.authentication import ApiTokenAuthentication

TOKEN_HEADER_NAME = "X-API-TOKEN"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes `X-API-TOKEN` (named as in upstream's OpenAPI document)."""

    target_class = "config.api.authentication.ApiTokenAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": TOKEN_HEADER_NAME,
            "description": "A company API token (made with `create_token`).",
        }


def _error_schema(errors_description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["message", "errors"],
        "properties": {
            "message": {"type": "string"},
            "errors": {
                "type": "object",
                "description": errors_description,
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
    }


ERROR_COMPONENTS = {
    "Error": _error_schema("Always empty for this kind of error."),
    "ValidationError": _error_schema(
        'Messages by dotted input key, e.g. "contacts.0.email"; the message is '
        '"The given data was invalid."'
    ),
}

# Status code → (component, description) of the errors every operation may answer.
ERROR_RESPONSES: dict[str, tuple[str, str]] = {
    "403": (
        "Error",
        "Invalid token, user inactive or locked, or the action is not allowed.",
    ),
    "400": (
        "Error",
        "The body could not be read (not JSON, not an object, form keys nested too "
        "deeply), an unknown `include`, or the record is deleted.",
    ),
    "404": (
        "Error",
        "The id does not decode, does not exist or is another company's "
        '(e.g. "Client not found").',
    ),
    "413": ("Error", "The request body is too large."),
    "415": (
        "Error",
        "The body is not JSON, form-encoded or multipart (or has no Content-Type).",
    ),
    "422": ("ValidationError", "Invalid input."),
    "429": ("Error", 'Rate limit reached: "Too many requests"; see Retry-After.'),
    "409": (
        "Error",
        "A request with this Idempotency-Key is still running; retry once it has "
        "finished to get its answer.",
    ),
    "412": (
        "Error",
        "If-Match does not name the current ETag (the message names it); nothing "
        "changed.",
    ),
    "428": (
        "Error",
        "The server requires If-Match on this write (REQUIRE_IF_MATCH) and none "
        "was sent.",
    ),
}


def error_response(description: str) -> OpenApiResponse:
    """A declared error answer whose body is the shared `Error` component (which
    every token-authenticated operation registers for its 403)."""
    return OpenApiResponse(
        {"$ref": "#/components/schemas/Error"}, description=description
    )


RATE_LIMIT_HEADERS = [
    OpenApiParameter(
        "X-RateLimit-Limit",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        response=True,
        description="Requests allowed per token and period (API_RATE_LIMIT).",
    ),
    OpenApiParameter(
        "X-RateLimit-Remaining",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        response=True,
        description="Requests left in the current period.",
    ),
    OpenApiParameter(
        "Retry-After",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        response=["429"],
        description="Seconds until the next period starts.",
    ),
]


def data_envelope(serializer: Any, name: str) -> Any:
    """A `{"data": <serializer>}` response body, named `name` in the components."""
    return inline_serializer(name=name, fields={"data": serializer})


class ApiAutoSchema(AutoSchema):
    """AutoSchema that adds the shared error responses and rate-limit headers."""

    # Set while the examples of a body are gathered (`_get_examples`).
    _examples_as_given = False

    def _uses_api_token(self) -> bool:
        return any(
            isinstance(authenticator, ApiTokenAuthentication)
            for authenticator in self.view.get_authenticators()
        )

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self._uses_api_token():
            declared = {
                parameter.name
                for parameter in parameters
                if isinstance(parameter, OpenApiParameter)
            }
            parameters += [p for p in RATE_LIMIT_HEADERS if p.name not in declared]
        return parameters

    def _error_codes(self) -> list[str]:
        codes = ["403", "429"]
        if "{" in self.path:
            codes.append("404")
        writes = self.method in ("POST", "PUT", "PATCH")
        if writes or self._is_list_view():
            codes.append("422")
        if writes:
            codes += ["413", "415"]
        if writes or self._has_parameter("include"):
            codes.append("400")
        if self._has_parameter("Idempotency-Key"):
            codes += ["409", "422"]
        if self._has_parameter("If-Match"):
            codes += ["412", "428"]
        return sorted(set(codes))

    def _has_parameter(self, name: str) -> bool:
        return any(
            isinstance(parameter, OpenApiParameter) and parameter.name == name
            for parameter in self.get_override_parameters()
        )

    def _is_create_operation(self) -> bool:
        # Creates answer 200, as upstream does, not 201.
        return False

    def _enveloped(self) -> bool:
        from config.api.viewsets import CompanyScopedViewSet

        return isinstance(self.view, CompanyScopedViewSet)

    def _is_list_view(self, serializer: Any = None) -> bool:
        if self._examples_as_given:
            return False
        return bool(super()._is_list_view(serializer))

    def _get_examples(self, *args: Any, **kwargs: Any) -> Any:
        """The declared examples, as written.

        Examples of list views are whole answers (`data` and `meta`, captured
        from the API); spectacular would wrap them in a list again, and warn that
        the pagination schema has no example values to build an envelope from.
        """
        self._examples_as_given = True
        try:
            return super()._get_examples(*args, **kwargs)
        finally:
            self._examples_as_given = False

    def _get_response_for_code(
        self,
        serializer: Any,
        status_code: Any,
        media_types: Any = None,
        direction: Any = "response",
    ) -> dict[str, Any]:
        """Single rows of the company's resources come as `{"data": <row>}`.

        Lists are enveloped by the paginator, and a serializer that already has a
        `data` field (merge, purge) is the whole body.
        """
        response: dict[str, Any] = super()._get_response_for_code(
            serializer, status_code, media_types, direction
        )
        body = getattr(serializer, "response", serializer)
        body = body() if isinstance(body, type) else body
        fields = getattr(body, "fields", None)
        if (
            not self._enveloped()
            or not str(status_code).startswith("2")
            or fields is None
            or "data" in fields
            or getattr(body, "many", False)
            or self._is_list_view(body)
        ):
            return response
        for content in response.get("content", {}).values():
            if "schema" in content:
                content["schema"] = {
                    "type": "object",
                    "required": ["data"],
                    "properties": {"data": content["schema"]},
                }
        return response

    def _map_basic_serializer(self, serializer: Any, direction: Any) -> Any:
        """Read-only fields declared `required=False` (present only with an
        `include`) are optional in the schema."""
        schema = super()._map_basic_serializer(serializer, direction)
        optional = {
            name
            for name, field in serializer.fields.items()
            if getattr(field, "_kwargs", {}).get("required") is False
        }
        if optional and "required" in schema:
            schema["required"] = [n for n in schema["required"] if n not in optional]
            if not schema["required"]:
                del schema["required"]
        return schema

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response" or not self._uses_api_token():
            return responses
        if self.method == "DELETE" and "204" in responses:
            # Deletes answer 200 with the deleted row, never 204.
            del responses["204"]
            responses["200"] = self._get_response_for_code(
                self.get_response_serializers(), "200", direction=direction
            )
        for code, response in responses.items():
            # Bodiless answers (a default 204) skip spectacular's header lookup.
            if "headers" not in response:
                headers = self._get_response_headers_for_code(code, direction)
                if headers:
                    response["headers"] = headers
        if self._has_parameter("If-None-Match"):
            responses["304"] = {
                "description": "Not Modified: If-None-Match names the current ETag."
            }
        for code in self._error_codes():
            if code not in responses:
                name, description = ERROR_RESPONSES[code]
                response = self._get_response_for_code(
                    self._error_component(name).ref, code, direction=direction
                )
                responses[code] = {**response, "description": description}
        return responses

    def _error_component(self, name: str) -> ResolvedComponent:
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            object=f"config.api.schema.{name}",
            schema=ERROR_COMPONENTS[name],
        )
        self.registry.register_on_missing(component)
        return component


def strip_trailing_slashes(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Postprocessing hook: list `/api/v1/clients`, as upstream documents it.

    Every route answers with and without the slash; the `/?` of the route regex
    would otherwise come out as a trailing slash.
    """
    result["paths"] = {
        (path.rstrip("/") or "/"): item for path, item in result["paths"].items()
    }
    return result


# Hashids use letters and digits only. An empty id would address the collection
# (`DELETE /clients/` is a 405), so the document says ids are never empty.
HASHID_SCHEMA = {"type": "string", "minLength": 1, "pattern": "^[0-9A-Za-z]+$"}


def constrain_path_ids(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Postprocessing hook: every path parameter is a hashid (`HASHID_SCHEMA`)."""
    for item in result["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path":
                    parameter["schema"] = dict(HASHID_SCHEMA)
    return result


def build_mock_request(
    method: str, path: str, view: Any, original_request: Any, **kwargs: Any
) -> Any:
    """The request views get while the schema is generated (`GET_MOCK_REQUEST`).

    It carries an unsaved stand-in company, owner membership and user, so a
    `get_queryset()` scoped to `request.company` can name its model without a
    token and without touching the database.
    """
    request = spectacular_mock_request(method, path, view, original_request, **kwargs)
    user = User(pk=0, username="schema")
    company = Company(pk=0, name="schema")
    request.user = user
    request.company = company
    request.membership = Membership(
        pk=0, company=company, user=user, is_owner=True, is_admin=True
    )
    return request
