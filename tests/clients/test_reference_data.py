"""The reference tables are upstream's, byte for byte, and read without stripping."""

from pathlib import Path

import pytest

from clients import reference

SHARED = Path("/work/shared/data")
TABLES = ("countries", "currencies", "languages", "industries", "sizes")


@pytest.mark.parametrize("name", [*TABLES, "settings_casts"])
def test_the_tables_are_copies_of_the_shared_data(name):
    shared = SHARED / f"{name}.csv"
    if not shared.exists():
        pytest.skip("the shared data folder is not on this machine")
    assert (reference.HERE / f"{name}.csv").read_bytes() == shared.read_bytes()


def test_the_row_counts_are_upstreams():
    assert len(reference.COUNTRIES) == 252
    assert len(reference.CURRENCIES) == 141
    assert len(reference.LANGUAGES) == 42
    assert len(reference.INDUSTRIES) == 33
    assert len(reference.SIZES) == 6
    assert len(reference.SETTINGS_CASTS) == 252


def test_whitespace_is_part_of_the_values():
    by_code = {row["code"]: row for row in reference.CURRENCIES}
    assert by_code["KRW"]["symbol"] == "W "
    assert by_code["BGN"]["thousand_separator"] == " "


@pytest.mark.parametrize(
    ("code", "expected"),
    [("US", 840), ("usa", 840), ("AF", 4), ("GB", 826), ("ESP", 724), ("ZZ", None)],
)
def test_country_codes(code, expected):
    assert reference.country_id_for_code(code) == expected


@pytest.mark.parametrize(
    ("code", "expected"), [("USD", 1), ("gbp", 2), ("EUR", 3), ("JPY", 45), ("X", None)]
)
def test_currency_codes(code, expected):
    assert reference.currency_id_for_code(code) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", 1), ("it", 2), ("en_GB", 20), ("en-gb", 20), ("vi", 42), ("xx", None)],
)
def test_language_locales(locale, expected):
    assert reference.language_id_for_locale(locale) == expected


def test_the_spanish_regions_are_known_countries():
    assert all(reference.is_country_id(pk) for pk in (1000, 1001, 1002))
