"""The services' errors (Django's `ValidationError`, `config.errors.Refusal`) get the
API's one error body, exactly as DRF's errors do."""

from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError as DrfValidationError

from config.api.errors import ApiError, NotFoundError
from config.api.exceptions import api_exception_handler
from config.errors import NotFound, Refusal, validation_messages


def answer(exc: Exception) -> tuple[int, Any]:
    response = api_exception_handler(exc, {})
    return response.status_code, response.data


@pytest.mark.parametrize(
    "detail",
    [
        {"number": ["The number has already been taken."]},
        {"documents.0": ["The documents.0 must not be empty."], "name": ["a", "b"]},
        ["A message about no input in particular."],
    ],
)
def test_a_django_validation_error_is_the_same_422_as_drfs(detail: Any) -> None:
    assert answer(DjangoValidationError(detail)) == answer(DrfValidationError(detail))
    status, body = answer(DjangoValidationError(detail))
    assert status == 422
    assert body["message"] == "The given data was invalid."


def test_messages_of_no_input_are_under_non_field_errors() -> None:
    error = DjangoValidationError({NON_FIELD_ERRORS: ["Both at once."]})
    assert validation_messages(error) == {"non_field_errors": ["Both at once."]}
    assert validation_messages(DjangoValidationError("Alone.")) == {
        "non_field_errors": ["Alone."]
    }


DELETED = "Record is deleted and cannot be edited. Restore the record to enable editing"


@pytest.mark.parametrize(
    ("refusal", "status", "message"),
    [
        (Refusal(DELETED, 400), 400, DELETED),
        (
            Refusal("Attempting to merge the same client is not possible."),
            400,
            "Attempting to merge the same client is not possible.",
        ),
        (NotFound("Client not found"), 404, "Client not found"),
    ],
)
def test_a_refusal_answers_its_status_and_message(
    refusal: Refusal, status: int, message: str
) -> None:
    assert answer(refusal) == (status, {"message": message, "errors": {}})


def test_the_api_layers_errors_are_refusals_too() -> None:
    assert isinstance(ApiError("x"), Refusal)
    assert answer(NotFoundError("Group not found")) == answer(
        NotFound("Group not found")
    )
    assert answer(ApiError("Teapot", 418)) == (
        418,
        {"message": "Teapot", "errors": {}},
    )
