"""API errors with the upstream body shape `{"message": ..., "errors": {}}`.

They are `Refusal`s (config.errors) that DRF also knows as `APIException`s, so the
exception handler answers them like the services' refusals.
"""

from rest_framework import status
from rest_framework.exceptions import APIException

from config.errors import Refusal


class ApiError(Refusal, APIException):
    """An error answered as `{"message": message, "errors": {}}` with a given status."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    default_detail = "Bad request"


class NotFoundError(ApiError):
    """404 with the resource's own message (`Client not found`...)."""

    status_code: int = status.HTTP_404_NOT_FOUND

    def __init__(self, message: str = "Not found") -> None:
        super().__init__(message)


class Unauthorized(ApiError):
    """403 for an authenticated user who may not do this."""

    status_code: int = status.HTTP_403_FORBIDDEN

    def __init__(self, message: str = "This action is unauthorized.") -> None:
        super().__init__(message)
