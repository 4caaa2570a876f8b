"""`validate_contacts` and `ContactInputSerializer`: checks on a request's contacts."""

from typing import Any

import pytest
from rest_framework.exceptions import ValidationError

from config.api.exceptions import api_exception_handler
from config.api.hashids import encode_id
from contacts.validation import ContactInputSerializer, validate_contacts


def errors_of(raw: object) -> dict[str, list[str]]:
    """The `errors` of the 422 body the API answers for `raw`."""
    with pytest.raises(ValidationError) as caught:
        validate_contacts(raw)
    response = api_exception_handler(caught.value, {})
    assert response.status_code == 422
    assert response.data["message"] == "The given data was invalid."
    errors: dict[str, list[str]] = response.data["errors"]
    return errors


@pytest.mark.parametrize("raw", [{"0": {"email": "a@b.co"}}, "x", None, 5, ""])
def test_contacts_that_are_not_a_list_fail_on_the_contacts_key(raw: object) -> None:
    assert errors_of(raw) == {"contacts": ["The contacts must be an array."]}


def test_an_empty_list_is_valid_and_empty() -> None:
    assert validate_contacts([]) == []


def test_only_the_sent_keys_are_returned() -> None:
    assert validate_contacts([{"first_name": "Ada"}]) == [{"first_name": "Ada"}]


def test_unknown_keys_of_our_own_output_are_ignored() -> None:
    item = {
        "first_name": "Ada",
        "contact_key": "k" * 40,
        "link": "http://x/client/key_login/k",
        "last_login": 0,
        "created_at": 1,
    }
    assert validate_contacts([item]) == [{"first_name": "Ada"}]


def test_the_email_is_trimmed() -> None:
    assert validate_contacts([{"email": "  ada@example.com \n"}]) == [
        {"email": "ada@example.com"}
    ]


def test_a_null_email_becomes_an_empty_string() -> None:
    assert validate_contacts([{"email": None}]) == [{"email": ""}]


def test_null_strings_become_empty_strings() -> None:
    assert validate_contacts([{"first_name": None, "phone": None}]) == [
        {"first_name": "", "phone": ""}
    ]


def test_numbers_are_read_as_strings() -> None:
    assert validate_contacts([{"phone": 5551234}]) == [{"phone": "5551234"}]


def test_an_invalid_email_fails_on_its_dotted_key() -> None:
    errors = errors_of([{"email": "a@b.co"}, {"email": "not-an-email"}])
    assert errors == {
        "contacts.1.email": ["The contacts.1.email must be a valid email address."]
    }


def test_a_repeated_email_fails_on_the_repeat() -> None:
    errors = errors_of([{"email": "a@b.co"}, {"email": "b@b.co"}, {"email": "a@b.co"}])
    assert errors == {
        "contacts.2.email": ["The contacts.2.email field has a duplicate value."]
    }


def test_emails_are_compared_trimmed_and_case_insensitively() -> None:
    errors = errors_of([{"email": "Ada@Example.com"}, {"email": " ada@example.COM "}])
    assert list(errors) == ["contacts.1.email"]


def test_blank_emails_are_never_duplicates() -> None:
    raw = [{"email": ""}, {"email": None}, {"first_name": "x"}, {"email": " "}]
    assert len(validate_contacts(raw)) == 4


def test_a_contact_that_is_not_an_object_fails_on_its_index() -> None:
    assert errors_of([{"email": "a@b.co"}, "bob"]) == {
        "contacts.1": ["The contacts.1 must be an object."]
    }


def test_every_failing_item_is_reported_at_once() -> None:
    errors = errors_of(
        [{"email": "x"}, {"email": "a@b.co"}, {"first_name": "f" * 256, "email": ""}]
    )
    assert set(errors) == {"contacts.0.email", "contacts.2.first_name"}
    assert errors["contacts.2.first_name"] == [
        "The contacts.2.first_name may not be greater than 255 characters."
    ]


def test_an_object_where_a_string_belongs_fails() -> None:
    assert errors_of([{"last_name": {"a": 1}}]) == {
        "contacts.0.last_name": ["The contacts.0.last_name must be a string."]
    }


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("1", True),
        ("0", False),
        ("true", True),
        ("false", False),
        ("", False),
        (None, False),
    ],
)
def test_booleans_accept_json_and_form_spellings(sent: object, read: bool) -> None:
    item = {"is_primary": sent, "send_email": sent, "is_locked": sent}
    assert validate_contacts([item]) == [
        {"is_primary": read, "send_email": read, "is_locked": read}
    ]


def test_a_boolean_that_is_not_one_fails() -> None:
    assert errors_of([{"send_email": "maybe"}]) == {
        "contacts.0.send_email": [
            "The contacts.0.send_email field must be true or false."
        ]
    }


def test_the_id_is_decoded() -> None:
    assert validate_contacts([{"id": encode_id(42)}]) == [{"id": 42}]


@pytest.mark.parametrize("sent", ["", None, "nonsense", "VolejRejNmX", 42, ["x"]])
def test_an_id_that_does_not_decode_means_a_new_contact(sent: object) -> None:
    assert validate_contacts([{"id": sent, "first_name": "A"}]) == [
        {"id": None, "first_name": "A"}
    ]


@pytest.mark.parametrize("masked", ["**********", "*", "*****"])
def test_a_masked_password_is_removed_before_validation(masked: str) -> None:
    assert validate_contacts([{"email": "a@b.co", "password": masked}]) == [
        {"email": "a@b.co"}
    ]


def test_a_masked_password_does_not_change_the_input() -> None:
    item = {"password": "**********"}
    validate_contacts([item])
    assert item == {"password": "**********"}


@pytest.mark.parametrize("sent", ["", None])
def test_an_empty_password_means_unchanged(sent: object) -> None:
    assert validate_contacts([{"password": sent}]) == [{}]


def test_a_strong_password_is_kept_in_plain_for_the_service() -> None:
    assert validate_contacts([{"password": "Abcdef1"}]) == [{"password": "Abcdef1"}]


def test_a_password_is_not_trimmed() -> None:
    assert validate_contacts([{"password": " Abcdef1 "}]) == [{"password": " Abcdef1 "}]


@pytest.mark.parametrize(
    ("password", "messages"),
    [
        ("Abc12", ["The contacts.1.password must be at least 7 characters."]),
        (
            "abcdefg1",
            [
                "The contacts.1.password must contain a lower-case letter, "
                "an upper-case letter and a digit."
            ],
        ),
        (
            "ABCDEFG1",
            [
                "The contacts.1.password must contain a lower-case letter, "
                "an upper-case letter and a digit."
            ],
        ),
        (
            "Abcdefgh",
            [
                "The contacts.1.password must contain a lower-case letter, "
                "an upper-case letter and a digit."
            ],
        ),
        (
            "abc",
            [
                "The contacts.1.password must be at least 7 characters.",
                "The contacts.1.password must contain a lower-case letter, "
                "an upper-case letter and a digit.",
            ],
        ),
    ],
)
def test_a_weak_password_fails_on_its_dotted_key(
    password: str, messages: list[str]
) -> None:
    errors = errors_of([{"email": "a@b.co"}, {"password": password}])
    assert errors == {"contacts.1.password": messages}


def test_the_item_serializer_alone_names_bare_fields() -> None:
    serializer = ContactInputSerializer(data={"email": "nope"})
    assert not serializer.is_valid()
    assert serializer.errors == {"email": ["The email must be a valid email address."]}


def test_the_item_serializer_alone_drops_a_masked_password() -> None:
    serializer = ContactInputSerializer(data={"password": "**********"})
    assert serializer.is_valid()
    validated: dict[str, Any] = dict(serializer.validated_data)
    assert validated == {}
