from decimal import Decimal
from urllib.parse import urlencode

import pytest

from clients.models import Client
from config.api.hashids import encode_id
from tests.clients_listing.support import at, errors, listed
from tests.factories import ClientFactory, ContactFactory, GroupSettingFactory


def names(company, **params):
    return [client.name for client in listed(company, urlencode(params))]


# name


def test_name_is_a_case_insensitive_substring(company):
    ClientFactory.create(company=company, name="Bobby Tables")
    ClientFactory.create(company=company, name="Alice")
    ClientFactory.create(company=company, name="Big BOB Inc")
    assert names(company, name="bob") == ["Bobby Tables", "Big BOB Inc"]
    assert names(company, name="nobody") == []


def test_name_wildcard_asterisks_at_the_ends_are_ignored(company):
    ClientFactory.create(company=company, name="Bobby")
    ClientFactory.create(company=company, name="Alice")
    assert names(company, name="Bob*") == ["Bobby"]
    assert names(company, name="*") == ["Bobby", "Alice"]


def test_name_matches_percent_and_underscore_literally(company):
    ClientFactory.create(company=company, name="100% Fun")
    ClientFactory.create(company=company, name="1000 Fun")
    assert names(company, name="100%") == ["100% Fun"]
    assert names(company, name="0_F") == []


# filter


@pytest.mark.parametrize(
    "field",
    [
        "name",
        "id_number",
        "number",
        "custom_value1",
        "custom_value2",
        "custom_value3",
        "custom_value4",
    ],
)
def test_filter_searches_the_client_field(company, field):
    ClientFactory.create(company=company, name="Other", number="1", id_number="")
    hit = ClientFactory.create(company=company, **{field: "xx-NEEDLE-yy"})
    assert [c.pk for c in listed(company, "filter=needle")] == [hit.pk]


@pytest.mark.parametrize("field", ["first_name", "last_name", "email", "phone"])
def test_filter_searches_the_contacts_field(company, field):
    ClientFactory.create(company=company, name="Other")
    hit = ClientFactory.create(company=company, name="Hit")
    ContactFactory.create(client=hit, **{field: "xx-NeEdLe-yy"})
    assert names(company, filter="NEEDLE") == ["Hit"]


def test_filter_ignores_deleted_contacts(company):
    client = ClientFactory.create(company=company, name="Hit")
    ContactFactory.create(client=client, first_name="Needle", is_deleted=True)
    assert names(company, filter="needle") == []


def test_filter_ignores_fields_it_does_not_search(company):
    ClientFactory.create(company=company, private_notes="needle", city="needle")
    assert names(company, filter="needle") == []


def test_filter_lists_a_client_once_however_many_contacts_match(company):
    client = ClientFactory.create(company=company, name="Needle Corp")
    for _ in range(3):
        ContactFactory.create(client=client, first_name="Needle", email="n@needle.io")
    ClientFactory.create(company=company, name="Other")
    assert names(company, filter="needle") == ["Needle Corp"]


def test_filter_does_not_reach_other_companies_contacts(company, outsider):
    foreign = ClientFactory.create(company=outsider.company)
    ContactFactory.create(client=foreign, first_name="Needle")
    ClientFactory.create(company=company, name="Mine")
    assert names(company, filter="needle") == []


# balance


@pytest.fixture
def balances(company):
    for amount in ("5", "10", "10.5", "1000", "-3"):
        ClientFactory.create(company=company, name=amount, balance=Decimal(amount))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("gt:10", ["10.5", "1000"]),
        ("gte:10", ["10", "10.5", "1000"]),
        ("lt:10", ["5", "-3"]),
        ("lte:10", ["5", "10", "-3"]),
        ("eq:10", ["10"]),
        ("eq:10.50", ["10.5"]),
        ("lt:-1", ["-3"]),
        ("gt:999.999999", ["1000"]),
    ],
)
def test_balance_takes_the_operator_first(company, balances, value, expected):
    assert names(company, balance=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10:gt", ["10.5", "1000"]),
        ("10:gte", ["10", "10.5", "1000"]),
        ("10:lt", ["5", "-3"]),
        ("10:lte", ["5", "10", "-3"]),
        ("1000:eq", ["1000"]),
    ],
)
def test_balance_takes_the_operator_last_as_upstream_does(
    company, balances, value, expected
):
    assert names(company, balance=value) == expected


def test_balance_operator_is_case_insensitive_and_spaces_are_ignored(company, balances):
    assert names(company, balance=" GT : 10 ") == ["10.5", "1000"]


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "10",
        "gt",
        "gt:",
        ":10",
        "gt:abc",
        "ne:10",
        "gt:10:20",
        "gt:1e3",
        "gt:NaN",
        "gt:Infinity",
        "gt:10,5",
        "gt:" + "9" * 41,
    ],
)
def test_a_malformed_balance_is_an_error_on_balance(company, value):
    assert list(errors(company, urlencode({"balance": value}))) == ["balance"]


def test_between_balance_is_inclusive(company, balances):
    assert names(company, between_balance="5:10.5") == ["5", "10", "10.5"]
    assert names(company, between_balance="-3:-3") == ["-3"]
    assert names(company, between_balance="1001:5000") == []


@pytest.mark.parametrize(
    "value", ["10", "a:b", "10:20:30", "10:", ":20", "lt:10", "1e2:1e3"]
)
def test_a_malformed_between_balance_is_an_error_on_it(company, value):
    assert list(errors(company, urlencode({"between_balance": value}))) == [
        "between_balance"
    ]


def test_a_between_balance_minimum_above_its_maximum_is_an_error(company):
    assert errors(company, "between_balance=100:10") == {
        "between_balance": [
            "The between balance minimum must not be greater than its maximum."
        ]
    }


# email


def test_email_matches_a_contact_exactly_ignoring_case(company):
    hit = ClientFactory.create(company=company, name="Hit")
    ContactFactory.create(client=hit, email="Ada@Example.com", is_primary=False)
    ContactFactory.create(client=hit, email="ADA@example.com")
    near = ClientFactory.create(company=company, name="Near")
    ContactFactory.create(client=near, email="ada@example.com.au")
    assert names(company, email="ada@example.COM") == ["Hit"]
    assert names(company, email="ada@example") == []


def test_email_ignores_deleted_contacts(company):
    client = ClientFactory.create(company=company)
    ContactFactory.create(client=client, email="gone@example.com", is_deleted=True)
    assert names(company, email="gone@example.com") == []


# exact columns


@pytest.mark.parametrize(
    "field",
    [
        "id_number",
        "number",
        "custom_value1",
        "custom_value2",
        "custom_value3",
        "custom_value4",
    ],
)
def test_exact_filters_match_the_whole_value_only(company, field):
    ClientFactory.create(company=company, name="Hit", **{field: "AB-12"})
    ClientFactory.create(company=company, name="Longer", **{field: "AB-123"})
    assert names(company, **{field: "AB-12"}) == ["Hit"]
    assert names(company, **{field: "AB"}) == []


# client_id and group


def test_client_id_is_a_hashid(company):
    ClientFactory.create(company=company, name="Other")
    hit = ClientFactory.create(company=company, name="Hit")
    assert names(company, client_id=encode_id(hit.pk)) == ["Hit"]


@pytest.mark.parametrize("value", ["not-a-hashid", "12", encode_id(987_654_321)])
def test_an_unknown_client_id_lists_nothing_without_an_error(company, value):
    ClientFactory.create(company=company)
    assert names(company, client_id=value) == []


def test_another_companys_client_id_lists_nothing(company, outsider):
    ClientFactory.create(company=company)
    foreign = ClientFactory.create(company=outsider.company)
    assert names(company, client_id=encode_id(foreign.pk)) == []


def test_group_is_a_hashed_group_id(company):
    group = GroupSettingFactory.create(company=company)
    ClientFactory.create(company=company, name="Grouped", group_settings=group)
    ClientFactory.create(company=company, name="Loose")
    assert names(company, group=encode_id(group.pk)) == ["Grouped"]


@pytest.mark.parametrize("value", ["garbage", encode_id(987_654_321)])
def test_an_unknown_group_lists_nothing_without_an_error(company, value):
    ClientFactory.create(company=company, group_settings=None)
    assert names(company, group=value) == []


# created_at / updated_at


@pytest.fixture
def dated(company):
    for name, moment in (
        ("2023", at(2023, 6, 1)),
        ("jan-31", at(2024, 1, 31, 12)),
        ("2025", at(2025, 1, 1)),
    ):
        client = ClientFactory.create(company=company, name=name)
        Client.objects.filter(pk=client.pk).update(created_at=moment, updated_at=moment)


@pytest.mark.parametrize("param", ["created_at", "updated_at"])
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (str(int(at(2024, 1, 31, 12).timestamp())), ["jan-31", "2025"]),
        (str(int(at(2024, 1, 31, 12).timestamp()) + 1), ["2025"]),
        ("1706702400.0", ["jan-31", "2025"]),
        ("0", ["2023", "jan-31", "2025"]),
        ("2024-01-31", ["jan-31", "2025"]),
        ("2024-02-01", ["2025"]),
        ("2024-01-31T12:00:00", ["jan-31", "2025"]),
        ("2024-01-31T12:00:01Z", ["2025"]),
        ("2024-01-31 13:00:00+01:00", ["jan-31", "2025"]),
        ("2024-01-31T11:00:00-02:00", ["2025"]),
    ],
)
def test_date_filters_take_a_timestamp_or_an_iso_date(
    company, dated, param, value, expected
):
    assert names(company, **{param: value}) == expected


@pytest.mark.parametrize("param", ["created_at", "updated_at"])
@pytest.mark.parametrize(
    "value",
    ["yesterday", "2024-13-01", "2024-02-30", "31/01/2024", "-5", "9" * 30, "1e9"],
)
def test_a_malformed_date_is_an_error_on_its_parameter(company, param, value):
    assert list(errors(company, urlencode({param: value}))) == [param]


def test_the_date_error_reads_as_plain_english(company):
    assert errors(company, "created_at=soon") == {
        "created_at": [
            "The created at must be a unix timestamp or an ISO-8601 date, "
            "e.g. 1700000000 or 2024-01-31."
        ]
    }


# is_deleted


@pytest.fixture
def deleted_and_not(company):
    ClientFactory.create(company=company, name="kept")
    ClientFactory.create(company=company, name="gone", is_deleted=True)


@pytest.mark.parametrize("value", ["true", "1", "TRUE", "True"])
def test_is_deleted_true_lists_deleted_clients(company, deleted_and_not, value):
    assert names(company, is_deleted=value) == ["gone"]


@pytest.mark.parametrize("value", ["false", "0", "False"])
def test_is_deleted_false_lists_clients_not_deleted(company, deleted_and_not, value):
    assert names(company, is_deleted=value) == ["kept"]


@pytest.mark.parametrize("value", ["yes", "2", "on", "null"])
def test_a_malformed_is_deleted_is_an_error(company, value):
    assert errors(company, f"is_deleted={value}") == {
        "is_deleted": ["The is deleted field must be true or false."]
    }


# together


def test_filters_combine_with_and(company):
    ClientFactory.create(company=company, name="Bob rich", balance=Decimal(2000))
    ClientFactory.create(company=company, name="Bob poor", balance=Decimal(1))
    ClientFactory.create(company=company, name="Ann rich", balance=Decimal(2000))
    gone = ClientFactory.create(company=company, name="Bob gone", balance=9999)
    Client.objects.filter(pk=gone.pk).soft_delete()
    assert names(company, name="bob", balance="gt:1000", status="active") == [
        "Bob rich"
    ]


def test_every_invalid_parameter_is_reported_at_once(company):
    assert set(errors(company, "balance=x&sort=nope&status=gone&is_deleted=x")) == {
        "balance",
        "sort",
        "status",
        "is_deleted",
    }


def test_empty_parameters_are_ignored(company):
    ClientFactory.create(company=company, name="A")
    params = [
        "status",
        "name",
        "filter",
        "balance",
        "between_balance",
        "email",
        "id_number",
        "number",
        "client_id",
        "group",
        "created_at",
        "updated_at",
        "is_deleted",
        "sort",
        "sort_dir",
        "custom_value1",
    ]
    query = "&".join(f"{name}=" for name in params)
    assert [c.name for c in listed(company, query)] == ["A"]
