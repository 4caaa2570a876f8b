"""API errors with the upstream body shape `{"message": ..., "errors": {}}`."""

from rest_framework import status
from rest_framework.exceptions import APIException


class ApiError(APIException):
    """An error answered as `{"message": message, "errors": {}}` with a given status."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    default_detail = "Bad request"

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(detail=message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code


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


class InvalidToken(ApiError):
    """403 for a missing, unknown or revoked token, or a locked/inactive user."""

    status_code: int = status.HTTP_403_FORBIDDEN

    def __init__(self, message: str = "Invalid token") -> None:
        super().__init__(message)
