"""Client numbers come from the company's counter."""

from datetime import UTC, datetime

import pytest
from django.db import transaction

from clients.models import Client
from clients.services.number_format import format_number, php_date
from clients.services.numbering import client_number_take
from companies.models import Company
from config.api.hashids import encode_id
from tests.clients.support import client_url, create
from tests.factories import ClientFactory, GroupSettingFactory

MOMENT = datetime(2024, 3, 7, 15, 4, 5, tzinfo=UTC)


def set_company(company: Company, **settings: object) -> None:
    company.settings = {**company.settings, **settings}
    company.save()


def counter(company: Company) -> object:
    company.refresh_from_db()
    return company.settings["client_number_counter"]


def test_a_number_is_padded_from_the_counter_and_advances_it(api, company):
    assert create(api, name="a")["number"] == "0001"
    assert create(api, name="b")["number"] == "0002"
    assert counter(company) == 3


def test_the_padding_comes_from_the_settings(api, company):
    set_company(company, counter_padding=6, client_number_counter=42)
    assert create(api, name="a")["number"] == "000042"


def test_a_blank_number_is_generated_too(api, company):
    assert create(api, name="a", number="")["number"] == "0001"
    assert create(api, name="b", number=None)["number"] == "0002"


def test_a_pattern_places_counter_year_and_date(api, company):
    set_company(company, client_number_pattern="C-{$year}-{$date:m.d}-{$counter}")
    number = create(api, name="a")["number"]
    now = datetime.now(UTC)
    assert number == f"C-{now:%Y}-{now:%m.%d}-0001"


def test_taken_numbers_are_skipped_deleted_clients_included(api, company):
    ClientFactory.create(company=company, number="0001")
    ClientFactory.create(company=company, number="0002", is_deleted=True)
    assert create(api, name="a")["number"] == "0003"
    assert counter(company) == 4


def test_a_long_run_of_taken_numbers_is_skipped(api, company):
    for value in range(1, 46):
        ClientFactory.create(company=company, number=f"{value:04d}")
    assert create(api, name="a")["number"] == "0046"
    assert counter(company) == 47


def test_another_companys_numbers_are_not_in_the_way(api, company, outsider):
    ClientFactory.create(company=outsider.company, number="0001")
    assert create(api, name="a")["number"] == "0001"


def test_a_given_number_does_not_move_the_counter(api, company):
    assert create(api, name="a", number="X-1")["number"] == "X-1"
    assert counter(company) == 1
    assert create(api, name="b")["number"] == "0001"


def test_blanking_the_number_on_update_takes_the_next_one(api, company):
    data = create(api, name="a", number="X-1")
    response = api.put(client_url(data["id"]), {"number": ""}, format="json")
    assert response.json()["data"]["number"] == "0001"
    assert counter(company) == 2


def test_an_update_that_leaves_the_number_out_keeps_it(api, company):
    data = create(api, name="a")
    response = api.put(client_url(data["id"]), {"name": "b"}, format="json")
    assert response.json()["data"]["number"] == "0001"
    assert counter(company) == 2


def test_a_counter_stored_as_a_string_still_counts(api, company):
    set_company(company, client_number_counter="7")
    assert create(api, name="a")["number"] == "0007"
    assert counter(company) == 8


def test_the_group_pattern_wins_over_the_companys(api, company):
    set_company(company, client_number_pattern="CO-{$counter}")
    group = GroupSettingFactory.create(
        company=company, settings={"client_number_pattern": "GR-{$counter}"}
    )
    data = create(api, name="a", group_settings_id=encode_id(group.pk))
    assert data["number"] == "GR-0001"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("", "0012"),
        ("{$counter}", "0012"),
        ("INV-{$counter}", "INV-0012"),
        ("{$client_counter}/{$year}", "0012/2024"),
        ("{$date:Y-m-d}-{$counter}", "2024-03-07-0012"),
        ("{$date:y}{$date:n}/{$counter}", "243/0012"),
        ("PREFIX-", "PREFIX-0012"),
    ],
)
def test_format_number(pattern, expected):
    assert format_number(12, padding=4, pattern=pattern, moment=MOMENT) == expected


def test_php_date_letters_and_escapes():
    assert php_date("Y-m-d H:i:s", MOMENT) == "2024-03-07 15:04:05"
    assert php_date("D, j M y", MOMENT) == "Thu, 7 Mar 24"
    assert php_date(r"\Y Y", MOMENT) == "Y 2024"


def test_taking_a_number_inside_a_transaction(db, company):
    with transaction.atomic():
        number = client_number_take(company=company, client=Client(company=company))
    assert number == "0001"
    assert counter(company) == 2
