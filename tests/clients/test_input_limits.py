"""Input that once crashed or stalled the server: settings nested hundreds of
levels deep, client-number patterns that can't number clients, ids that are not
ASCII digits or too large for any column. Each is a clean 422 now."""

from typing import Any

import pytest

from clients.models import Client
from clients.services import numbering
from clients.services.number_format import MAX_PATTERN_LENGTH, pattern_problem
from clients.services.numbering import NO_FREE_NUMBER, PATTERN_UNUSABLE
from clients.services.settings import (
    MAX_SETTINGS_DEPTH,
    SettingsInvalid,
    settings_clean,
)
from config.api.hashids import encode_id
from tests.clients.support import CLIENTS, GROUPS, create, errors
from tests.factories import ClientFactory, GroupSettingFactory

pytestmark = pytest.mark.django_db


def nested(levels: int) -> Any:
    value: Any = "leaf"
    for _ in range(levels):
        value = {"k": value}
    return value


@pytest.mark.parametrize("levels", [MAX_SETTINGS_DEPTH, 330, 100_000])
def test_depth_is_measured_without_recursion(levels: int) -> None:
    settings = {"custom": nested(levels - 1)}
    if levels <= MAX_SETTINGS_DEPTH:
        assert settings_clean(settings) == settings
    else:
        with pytest.raises(SettingsInvalid):
            settings_clean(settings)


@pytest.mark.parametrize("url", [CLIENTS, GROUPS])
@pytest.mark.parametrize("levels", [MAX_SETTINGS_DEPTH, 25])
def test_deeply_nested_settings_are_422(api, url: str, levels: int) -> None:
    # Deeper than the body's own limit (32 levels) is a 400 before settings are read.
    body = {"name": "Deep", "settings": {"custom": nested(levels)}}

    response = api.post(url, body, format="json")

    assert errors(response) == {
        "settings": [
            f"The settings may not be nested more than {MAX_SETTINGS_DEPTH} levels."
        ]
    }
    assert not Client.objects.exists()


def test_deeply_nested_form_settings_are_422(api) -> None:
    key = "settings" + "[a]" * 20

    response = api.post(
        CLIENTS, data=f"{key}=1", content_type="application/x-www-form-urlencoded"
    )

    assert "settings" in errors(response)


def test_deep_lists_count_as_nesting_too(api) -> None:
    deep: Any = []
    for _ in range(20):
        deep = [deep]
    response = api.post(CLIENTS, {"settings": {"custom": deep}}, format="json")
    assert "settings" in errors(response)


def test_settings_at_the_depth_limit_are_stored(api) -> None:
    custom = nested(MAX_SETTINGS_DEPTH - 1)
    data = create(api, name="Ok", settings={"custom": custom})
    assert data["settings"]["custom"] == custom


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (
            "C" * (MAX_PATTERN_LENGTH + 1),
            "client_number_pattern may not be greater than 100 characters",
        ),
        (
            "{$date:" + "l" * 80 + "}{$counter}",
            "client_number_pattern makes numbers longer than 255 characters",
        ),
    ],
)
@pytest.mark.parametrize("url", [CLIENTS, GROUPS])
def test_patterns_that_cannot_number_clients_are_422(
    api, url: str, pattern: str, message: str
) -> None:
    body = {"name": "P", "settings": {"client_number_pattern": pattern}}
    assert errors(api.post(url, body, format="json")) == {"settings": [message]}


def test_a_pattern_at_its_limits_is_accepted() -> None:
    assert pattern_problem("C-{$year}-{$date:md}-{$counter}") is None
    assert pattern_problem("x" * (MAX_PATTERN_LENGTH - 10) + "{$counter}") is None


def test_a_stored_pattern_that_loses_the_counter_is_422_at_once(
    api, company, django_assert_max_num_queries
) -> None:
    # Settings edited outside the API (the company's JSON in admin) skip the check.
    company.settings = {**company.settings, "client_number_pattern": "C" * 300}
    company.save()

    with django_assert_max_num_queries(8):
        response = api.post(CLIENTS, {"name": "first"}, format="json")

    # Every candidate is the same 255 Cs: refused before any number is looked up.
    assert errors(response) == {"number": [PATTERN_UNUSABLE]}
    assert not Client.objects.exists()
    sent = create(api, name="numbered", number="C-1")
    assert sent["number"] == "C-1"


def test_a_huge_date_pattern_in_a_group_is_rendered_once_per_create(
    api, company
) -> None:
    group = GroupSettingFactory.create(
        company=company,
        settings={"client_number_pattern": "{$date:" + "Y" * 20_000 + "}"},
    )
    response = api.post(
        CLIENTS,
        {"name": "g", "group_settings_id": encode_id(group.pk)},
        format="json",
    )
    assert errors(response) == {"number": [PATTERN_UNUSABLE]}


def test_no_free_number_in_the_search_range_is_422(api, company, monkeypatch) -> None:
    monkeypatch.setattr(numbering, "MAX_BATCHES", 2)
    for number in range(1, 41):
        ClientFactory.create(company=company, number=f"{number:04d}")

    response = api.post(CLIENTS, {"name": "n"}, format="json")

    assert errors(response) == {"number": [NO_FREE_NUMBER]}


@pytest.mark.parametrize("value", ["٣", "\uff13", 1e308, 2**63, "9" * 30, -(2**63)])
def test_settings_ids_are_ascii_digits_a_64_bit_integer_holds(api, value) -> None:
    response = api.post(CLIENTS, {"settings": {"currency_id": value}}, format="json")
    assert errors(response) == {"settings": ["currency_id is not a valid integer"]}


@pytest.mark.parametrize("field", ["size_id", "industry_id", "country_id"])
@pytest.mark.parametrize("value", ["٣", "\uff13", "1e308", 1e308])
def test_client_ids_are_ascii_digits(api, field: str, value: Any) -> None:
    response = api.post(CLIENTS, {field: value}, format="json")
    assert list(errors(response)) == [field]
