"""`GET /api/v1/statics`: the reference tables for integrators."""

import csv
from pathlib import Path

from rest_framework.test import APIClient

from clients import reference

URL = "/api/v1/statics"


def test_it_needs_a_token(db):
    response = APIClient().get(URL)
    assert response.status_code == 403
    assert response.json() == {"message": "Invalid token", "errors": {}}


def test_it_lists_every_table_at_the_top_level(api):
    body = api.get(URL).json()
    assert set(body) == {"countries", "currencies", "languages", "industries", "sizes"}
    assert len(body["countries"]) == 252
    assert len(body["currencies"]) == 141


def test_each_row_has_every_column_and_a_string_id(api):
    body = api.get(URL).json()
    for name in ("countries", "currencies", "languages", "industries", "sizes"):
        path = Path(reference.HERE / f"{name}.csv")
        with path.open(newline="", encoding="utf-8") as handle:
            columns = next(csv.reader(handle))
        for row in body[name]:
            assert list(row) == columns
            assert isinstance(row["id"], str)


def test_values_keep_their_whitespace_and_types(api):
    currencies = {row["code"]: row for row in api.get(URL).json()["currencies"]}
    assert currencies["KRW"]["symbol"] == "W "
    assert currencies["USD"] == {
        "id": "1",
        "code": "USD",
        "name": "US Dollar",
        "symbol": "$",
        "precision": 2,
        "thousand_separator": ",",
        "decimal_separator": ".",
        "swap_currency_symbol": False,
    }


def test_it_sends_an_etag_and_answers_304_when_it_matches(api):
    first = api.get(URL)
    etag = first["ETag"]
    assert etag.startswith('"')
    again = api.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert api.get(URL, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    assert api.get(URL, HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
