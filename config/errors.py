"""Errors the services raise, free of any web framework.

Input problems are Django's `ValidationError` with a dict keyed by input name
(`{"number": ["The number has already been taken."]}`); a request refused for any
other reason is a `Refusal` carrying its message and the HTTP status the API
answers it with. The API's exception handler turns both into the one error body;
the admin and the CSV import show their messages.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

# The key of messages that belong to no input (DRF's name for it, which the
# API has always answered).
GENERAL_ERRORS_KEY = "non_field_errors"
# A bulk write naming an id that is not one of the company's rows (keyed `ids`).
INVALID_IDS = "The selected ids is invalid."


class Refusal(Exception):
    """A write or read refused with `message` (400 unless `status_code` says)."""

    status_code: int = 400

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code


class NotFound(Refusal):
    """The record asked for does not exist (404), with the resource's message."""

    status_code: int = 404

    def __init__(self, message: str = "Not found") -> None:
        super().__init__(message)


def validation_messages(error: ValidationError) -> dict[str, list[str]]:
    """The messages of a Django `ValidationError` by input name.

    Messages without a field (a plain `ValidationError("...")` or `__all__`) are
    under `non_field_errors`.
    """
    if not hasattr(error, "error_dict"):
        return {GENERAL_ERRORS_KEY: list(error.messages)}
    return {
        GENERAL_ERRORS_KEY if key == NON_FIELD_ERRORS else key: list(messages)
        for key, messages in error.message_dict.items()
        if messages
    }
