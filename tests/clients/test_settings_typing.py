"""Client and group settings are typed key by key and merged."""

import pytest

from clients.models import Client
from clients.services.settings import SettingsInvalid, settings_clean
from tests.clients.support import CLIENTS, client_url, create, errors

VALID = {
    "currency_id": "1",
    "language_id": "1",
    "payment_terms": "1",
    "valid_until": "1",
    "default_task_rate": 10,
    "send_reminders": True,
}


def test_upstream_valid_settings_are_accepted(api):
    data = create(api, name="Coolio", settings=VALID)
    assert data["settings"]["payment_terms"] == "1"
    assert data["settings"]["default_task_rate"] == 10.0
    assert data["settings"]["send_reminders"] is True


def test_a_non_integer_currency_id_is_rejected(api):
    response = api.post(
        CLIENTS, {"name": "x", "settings": {**VALID, "currency_id": "a"}}, format="json"
    )
    assert errors(response) == {"settings": ["currency_id is not a valid integer"]}
    assert not Client.objects.exists()


def test_a_non_numeric_default_task_rate_is_accepted_and_coerced(api):
    data = create(api, name="x", settings={**VALID, "default_task_rate": "a"})
    assert data["settings"]["default_task_rate"] == 0.0


def test_a_misspelled_boolean_is_rejected(api):
    response = api.post(
        CLIENTS,
        {"name": "x", "settings": {**VALID, "send_reminders": "faaalse"}},
        format="json",
    )
    assert errors(response) == {"settings": ["send_reminders is not a valid bool"]}


@pytest.mark.parametrize("key", ["language_id", "payment_terms", "valid_until"])
def test_other_integer_keys_reject_letters(api, key):
    response = api.post(
        CLIENTS, {"name": "x", "settings": {**VALID, key: "a"}}, format="json"
    )
    assert errors(response) == {"settings": [f"{key} is not a valid integer"]}


def test_every_bad_key_gets_its_own_message(api):
    response = api.post(
        CLIENTS,
        {"settings": {"currency_id": "x", "send_reminders": "maybe", "name": 5}},
        format="json",
    )
    assert sorted(errors(response)["settings"]) == [
        "currency_id is not a valid integer",
        "name is not a valid string",
        "send_reminders is not a valid bool",
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        ("false", False),
        ("1", True),
        ("0", False),
        (1, True),
        (0, False),
        ("TRUE", True),
    ],
)
def test_booleans_accept_json_and_form_spellings(raw, expected):
    assert settings_clean({"send_reminders": raw}) == {"send_reminders": expected}


@pytest.mark.parametrize("raw", [2, "2", "002", 2.0, " 2 "])
def test_integer_keys_are_stored_as_strings(raw):
    assert settings_clean({"currency_id": raw}) == {"currency_id": "2"}


@pytest.mark.parametrize("raw", ["2.5", 2.5, True, [], {"a": 1}, "1e3", "two"])
def test_integer_keys_reject_what_is_not_integer_like(raw):
    with pytest.raises(SettingsInvalid) as caught:
        settings_clean({"currency_id": raw})
    assert caught.value.messages == ["currency_id is not a valid integer"]


def test_number_typed_keys_stay_numbers():
    assert settings_clean({"counter_padding": "6", "font_size": 9}) == {
        "counter_padding": 6,
        "font_size": 9,
    }


@pytest.mark.parametrize(
    ("raw", "expected"), [("12.5", 12.5), (3, 3.0), ("7abc", 7.0), ("", None)]
)
def test_float_keys_are_coerced(raw, expected):
    cleaned = settings_clean({"default_task_rate": raw})
    assert cleaned.get("default_task_rate") == expected


def test_null_and_empty_values_and_translations_are_dropped():
    raw: dict[str, object] = {
        "currency_id": None,
        "language_id": "",
        "translations": {"a": "b"},
        "pdf_variables": {"x": []},
        "invoice_terms": "Net 7",
    }
    assert settings_clean(raw) == {"invoice_terms": "Net 7"}


def test_unknown_keys_pass_through_unchanged():
    value = {"nested": [1, {"a": None}], "flag": False}
    assert settings_clean({"my_own_key": value}) == {"my_own_key": value}


def test_a_php_empty_array_is_an_empty_object(api):
    data = create(api, name="x", settings=[])
    assert data["settings"]["entity"] == "App\\Models\\Client"


def test_settings_must_be_an_object(api):
    response = api.post(CLIENTS, {"name": "x", "settings": "abc"}, format="json")
    assert errors(response) == {"settings": ["The settings must be an object."]}


def test_null_characters_are_rejected():
    with pytest.raises(SettingsInvalid):
        settings_clean({"custom": {"a\x00": 1}})


def test_new_clients_start_from_upstream_defaults_and_the_company_currency(
    api, company
):
    company.settings = {**company.settings, "currency_id": "3"}
    company.save()
    data = create(api, name="x")
    assert data["settings"] == {
        "entity": "App\\Models\\Client",
        "industry_id": "",
        "size_id": "",
        "currency_id": "3",
    }


def test_an_update_merges_settings_key_by_key(api):
    data = create(api, name="x", settings={"currency_id": "2", "invoice_terms": "A"})
    response = api.put(
        client_url(data["id"]),
        {"settings": {"invoice_terms": "B", "language_id": 4}},
        format="json",
    )
    settings = response.json()["data"]["settings"]
    assert settings["currency_id"] == "2"
    assert settings["invoice_terms"] == "B"
    assert settings["language_id"] == "4"


def test_an_update_without_settings_leaves_the_currency_alone(api):
    data = create(api, name="x", settings={"currency_id": "2"})
    response = api.put(client_url(data["id"]), {"name": "y"}, format="json")
    assert response.json()["data"]["settings"]["currency_id"] == "2"


def test_an_update_with_empty_settings_changes_nothing(api):
    data = create(api, name="x", settings={"currency_id": "2"})
    response = api.put(client_url(data["id"]), {"settings": {}}, format="json")
    assert response.json()["data"]["settings"] == data["settings"]


def test_form_encoded_settings_are_typed(api):
    response = api.post(
        CLIENTS,
        "name=x&settings[currency_id]=2&settings[send_reminders]=0"
        "&settings[default_task_rate]=1.5",
        content_type="application/x-www-form-urlencoded",
    )
    settings = response.json()["data"]["settings"]
    assert settings["currency_id"] == "2"
    assert settings["send_reminders"] is False
    assert settings["default_task_rate"] == 1.5


def test_a_huge_float_setting_reads_back_on_every_database(api):
    # PostgreSQL's jsonb stores 1e20 as the integer 100000000000000000000.
    data = create(api, name="x", settings={"default_task_rate": 1e20})
    response = api.get(client_url(data["id"]))
    assert response.status_code == 200
    assert response.json()["data"]["settings"]["default_task_rate"] == 1e20
