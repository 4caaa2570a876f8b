"""`country_code`, `shipping_country_code`, `currency_code`, `language_code`."""

import pytest

from tests.clients.support import client_url, create


@pytest.mark.parametrize("code", ["DE", "DEU", "de", "deu"])
def test_a_country_code_sets_the_country(api, code):
    assert create(api, name="x", country_code=code)["country_id"] == "276"


def test_an_unknown_country_code_gives_the_company_country(api, company):
    company.settings = {**company.settings, "country_id": "826"}
    company.save()
    assert create(api, name="x", country_code="ZZ")["country_id"] == "826"


def test_a_country_code_wins_over_a_country_id(api):
    assert (
        create(api, name="x", country_id="840", country_code="FR")["country_id"]
        == "250"
    )


def test_a_shipping_country_code_sets_the_shipping_country(api):
    data = create(api, name="x", shipping_country_code="AU")
    assert data["shipping_country_id"] == "36"
    assert data["country_id"] == "840"


def test_an_unknown_shipping_country_code_gives_the_company_country(api):
    assert (
        create(api, name="x", shipping_country_code="??")["shipping_country_id"]
        == "840"
    )


def test_a_currency_code_sets_the_currency(api):
    assert create(api, name="x", currency_code="eur")["settings"]["currency_id"] == "3"


def test_a_currency_code_wins_over_settings(api):
    data = create(api, name="x", currency_code="GBP", settings={"currency_id": "1"})
    assert data["settings"]["currency_id"] == "2"


def test_an_unknown_currency_code_gives_the_company_currency(api, company):
    company.settings = {**company.settings, "currency_id": "12"}
    company.save()
    assert create(api, name="x", currency_code="XXX")["settings"]["currency_id"] == (
        "12"
    )


@pytest.mark.parametrize(("code", "expected"), [("de", "3"), ("en_GB", "20")])
def test_a_language_code_sets_the_language(api, code, expected):
    assert create(api, name="x", language_code=code)["settings"]["language_id"] == (
        expected
    )


def test_an_unknown_language_code_leaves_the_key_out(api):
    assert "language_id" not in create(api, name="x", language_code="xx")["settings"]


def test_the_codes_work_on_update_too(api):
    data = create(api, name="x")
    response = api.put(
        client_url(data["id"]),
        {"country_code": "GB", "currency_code": "EUR", "language_code": "fr"},
        format="json",
    )
    updated = response.json()["data"]
    assert updated["country_id"] == "826"
    assert updated["settings"]["currency_id"] == "3"
    assert updated["settings"]["language_id"] == "4"


def test_blank_codes_are_ignored(api):
    data = create(api, name="x", country_id="250", country_code="", currency_code="")
    assert data["country_id"] == "250"
    assert data["settings"]["currency_id"] == "1"
