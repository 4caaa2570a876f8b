"""One exception handler, so every API error has the body `{"message", "errors"}`.

Services raise Django's `ValidationError` (422) and `config.errors.Refusal` (its
own status); the API layer raises DRF's exceptions. All get the same shape.
"""

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from config.errors import Refusal, validation_messages

logger = logging.getLogger("config.api")

VALIDATION_MESSAGE = "The given data was invalid."


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested errors into upstream's dotted keys (`contacts.0.email`)."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = str(key) if not prefix else f"{prefix}.{key}"
            if key == "non_field_errors" and prefix:
                name = prefix
            for sub_key, messages in flatten_errors(value, name).items():
                flat.setdefault(sub_key, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            flat[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                name = f"{prefix}.{index}" if prefix else str(index)
                for sub_key, messages in flatten_errors(item, name).items():
                    flat.setdefault(sub_key, []).extend(messages)
    else:
        flat[prefix or "non_field_errors"] = [str(detail)]
    return {key: messages for key, messages in flat.items() if messages}


def error_response(
    message: str,
    status_code: int,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The one error body shape of the API."""
    return Response(
        {"message": message, "errors": errors or {}},
        status=status_code,
        headers=headers,
    )


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """Map any exception raised in an API view to an upstream-shaped JSON error."""
    if isinstance(exc, exceptions.ValidationError):
        return error_response(
            VALIDATION_MESSAGE,
            status.HTTP_422_UNPROCESSABLE_ENTITY,
            flatten_errors(exc.detail),
        )
    if isinstance(exc, DjangoValidationError):
        return error_response(
            VALIDATION_MESSAGE,
            status.HTTP_422_UNPROCESSABLE_ENTITY,
            validation_messages(exc),
        )
    if isinstance(exc, Refusal):
        return error_response(exc.message, exc.status_code)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        message = "Invalid token"
        if isinstance(exc, exceptions.AuthenticationFailed):
            message = str(exc.detail)
        return error_response(message, status.HTTP_403_FORBIDDEN)
    if isinstance(exc, exceptions.PermissionDenied | DjangoPermissionDenied):
        return error_response("This action is unauthorized.", status.HTTP_403_FORBIDDEN)
    if isinstance(exc, exceptions.NotFound | Http404):
        return error_response("Not found", status.HTTP_404_NOT_FOUND)
    if isinstance(exc, exceptions.Throttled):
        wait = int(getattr(exc, "wait", None) or 1)
        return error_response(
            "Too many requests",
            status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(max(wait, 1))},
        )
    if isinstance(exc, TooManyFieldsSent):
        return error_response(
            f"The request has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} "
            "form fields.",
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, RequestDataTooBig | TooManyFilesSent):
        return error_response(
            "The request body is too large.", status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        )
    if isinstance(exc, exceptions.APIException):
        return error_response(str(exc.detail), exc.status_code)
    request = context.get("request")
    logger.error(
        "Unhandled error on %s %s",
        getattr(request, "method", "?"),
        getattr(request, "path", "?"),
        exc_info=exc,
    )
    return error_response("Server error", status.HTTP_500_INTERNAL_SERVER_ERROR)
