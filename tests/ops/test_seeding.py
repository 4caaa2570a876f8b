from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import Client, natural_sort_key
from clients.seeding import seed_clients
from contacts.models import ClientContact
from tests.factories import ClientFactory, CompanyFactory


@pytest.fixture
def company(db):
    return CompanyFactory.create()


def test_seeded_clients_have_one_to_three_contacts_and_exactly_one_primary(company):
    result = seed_clients(company=company, count=40, batch_size=15, seed=7)
    assert (result.clients, Client.objects.filter(company=company).count()) == (40, 40)
    assert result.contacts == ClientContact.objects.filter(company=company).count()
    for client in Client.objects.filter(company=company).prefetch_related("contacts"):
        contacts = list(client.contacts.all())
        assert 1 <= len(contacts) <= 3
        assert sum(contact.is_primary for contact in contacts) == 1
        assert client.name and client.country_id and client.settings["currency_id"]


def test_seeded_numbers_continue_the_counter_and_skip_taken_ones(company):
    ClientFactory.create(company=company, number="0002")
    result = seed_clients(company=company, count=5, batch_size=2)
    numbers = sorted(
        Client.objects.filter(company=company)
        .exclude(number="0002")
        .values_list("number", flat=True)
    )
    assert numbers == ["0001", "0003", "0004", "0005", "0006"]
    assert (result.first_number, result.last_number) == ("0001", "0006")
    company.refresh_from_db()
    assert company.settings["client_number_counter"] == 7
    for client in Client.objects.filter(company=company):
        assert client.number_sort == natural_sort_key(client.number)


def test_the_company_number_pattern_and_padding_apply(company):
    company.settings = {**company.settings, "counter_padding": 6}
    company.save()
    seed_clients(company=company, count=2)
    assert set(Client.objects.values_list("number", flat=True)) == {"000001", "000002"}


def test_seeding_costs_the_same_queries_per_batch(company):
    def queries(count):
        with CaptureQueriesContext(connection) as context:
            seed_clients(company=company, count=count, batch_size=10)
        return len(context.captured_queries)

    one_batch = queries(10)
    assert queries(30) == 3 * one_batch


def test_progress_is_reported_per_batch(company):
    steps: list[int] = []
    seed_clients(company=company, count=25, batch_size=10, progress=steps.append)
    assert steps == [10, 10, 5]


def test_the_same_seed_gives_the_same_clients(company):
    other = CompanyFactory.create()
    seed_clients(company=company, count=5, seed=3)
    seed_clients(company=other, count=5, seed=3)

    def names(c):
        return list(Client.objects.filter(company=c).order_by("pk").values_list("name"))

    assert names(company) == names(other)


def test_seed_demo_command_reports_what_it_made(company):
    out = StringIO()
    call_command(
        "seed_demo",
        "--company",
        company.name,
        "--clients",
        "12",
        "--batch-size",
        "5",
        "--no-progress",
        stdout=out,
    )
    assert out.getvalue().startswith("Created 12 clients with ")
    assert Client.objects.filter(company=company).count() == 12


def test_seed_demo_explains_bad_arguments(company):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_demo", "--company", company.name, "--clients", "0")
    with pytest.raises(CommandError, match="create_company"):
        call_command("seed_demo", "--company", "Nobody Inc", "--clients", "3")
