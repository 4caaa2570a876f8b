"""`where=` expressions over the clients list: meaning, errors, bounds, queries."""

from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from clients.api.where import MAX_CONDITIONS, MAX_LENGTH, MAX_LISTED_VALUES
from config.api.hashids import encode_id
from tests.clients_listing.support import at, errors, filterset, listed
from tests.factories import ClientFactory, ContactFactory, GroupSettingFactory

URL = "/api/v1/clients"


def where(company, expression, **params):
    return [
        client.name
        for client in listed(company, urlencode({"where": expression, **params}))
    ]


def where_errors(company, expression):
    return errors(company, urlencode({"where": expression}))


@pytest.fixture
def clients(company):
    group = GroupSettingFactory.create(company=company)
    acme = ClientFactory.create(
        company=company,
        name="Acme Inc",
        number="0001",
        balance=Decimal("250.50"),
        paid_to_date=Decimal(10),
        custom_value1="gold",
        country_id=276,
        group_settings=group,
    )
    ContactFactory.create(client=acme, email="Billing@Acme.test")
    beta = ClientFactory.create(
        company=company,
        name="Beta Incorporated",
        number="0002",
        balance=Decimal(100),
        custom_value1="silver",
        country_id=840,
    )
    ContactFactory.create(client=beta, email="beta@beta.test")
    gamma = ClientFactory.create(
        company=company,
        name="Gamma Ltd",
        number="0003",
        balance=Decimal(-5),
        country_id=840,
        archived_at=timezone.now(),
    )
    deleted = ContactFactory.create(client=gamma, email="old@gamma.test")
    deleted.is_deleted = True
    deleted.save()
    ClientFactory.create(
        company=company, name="Delta_Co", number="0004", country_id=36, is_deleted=True
    )
    return group


def test_the_issues_example_lists_what_it_says(company, clients):
    assert where(company, 'name like "%Inc%" and balance>100 and active=true') == [
        "Acme Inc"
    ]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('name = "Acme Inc"', ["Acme Inc"]),
        ('name != "Acme Inc"', ["Beta Incorporated", "Gamma Ltd", "Delta_Co"]),
        ('name like "acme%"', ["Acme Inc"]),
        ('name like "%ltd"', ["Gamma Ltd"]),
        ('name like "%inc%"', ["Acme Inc", "Beta Incorporated"]),
        ('name like "B%a%d"', ["Beta Incorporated"]),
        ('name like "g_mma ltd"', ["Gamma Ltd"]),
        ('name like "delta_co"', ["Delta_Co"]),
        ('name not like "%inc%"', ["Gamma Ltd", "Delta_Co"]),
        ('name like "%(%"', []),
        ('name like "%"', ["Acme Inc", "Beta Incorporated", "Gamma Ltd", "Delta_Co"]),
        ('number in ("0001", "0003")', ["Acme Inc", "Gamma Ltd"]),
        ("number not in ('0001', '0003')", ["Beta Incorporated", "Delta_Co"]),
        ("balance >= 100", ["Acme Inc", "Beta Incorporated"]),
        ("balance < 0", ["Gamma Ltd"]),
        ("balance <= -5", ["Gamma Ltd"]),
        ("balance = 250.5", ["Acme Inc"]),
        ("balance in (100, -5)", ["Beta Incorporated", "Gamma Ltd"]),
        ("paid_to_date > 0", ["Acme Inc"]),
        ("country_id = 840", ["Beta Incorporated", "Gamma Ltd"]),
        ('country_id in ("276", 4)', ["Acme Inc"]),
        ('custom_value1 = "gold"', ["Acme Inc"]),
        ('custom_value1 != "gold"', ["Beta Incorporated", "Gamma Ltd", "Delta_Co"]),
        ('email = "BILLING@acme.test"', ["Acme Inc"]),
        ('email in ("beta@BETA.test", "x@y.z")', ["Beta Incorporated"]),
        ('email like "%.test"', ["Acme Inc", "Beta Incorporated"]),
        ('email = "old@gamma.test"', []),
        (
            'email != "billing@acme.test"',
            ["Beta Incorporated", "Gamma Ltd", "Delta_Co"],
        ),
        ("active = true", ["Acme Inc", "Beta Incorporated"]),
        ("active = false", ["Gamma Ltd", "Delta_Co"]),
        ("active != true", ["Gamma Ltd", "Delta_Co"]),
        ("is_deleted = TRUE", ["Delta_Co"]),
        ("is_deleted = false and active = false", ["Gamma Ltd"]),
        ('NAME LIKE "%INC%" AND Balance > 200', ["Acme Inc"]),
    ],
)
def test_each_operator_and_field_lists_the_matching_clients(
    company, clients, expression, expected
):
    assert where(company, expression) == expected


def test_group_by_hashed_id_and_an_unknown_id_matches_nothing(company, clients):
    assert where(company, f'group = "{encode_id(clients.pk)}"') == ["Acme Inc"]
    assert where(company, 'group = "nope"') == []
    assert where(company, f'group in ("nope", "{encode_id(clients.pk)}")') == [
        "Acme Inc"
    ]
    assert len(where(company, f'group != "{encode_id(clients.pk)}"')) == 3


def test_dates_take_a_timestamp_or_an_iso_date(company):
    ClientFactory.create(company=company, name="Old").__class__.objects.filter(
        name="Old"
    ).update(created_at=at(2020, 1, 1), updated_at=at(2020, 1, 1))
    ClientFactory.create(company=company, name="New")
    assert where(company, 'created_at < "2021-01-01"') == ["Old"]
    assert where(company, f"created_at >= {int(at(2021, 1, 1).timestamp())}") == ["New"]
    assert where(company, 'updated_at > "2021-01-01T00:00:00Z"') == ["New"]


def test_text_with_newlines_and_quotes_matches_like_patterns(company):
    ClientFactory.create(company=company, name='Say "hi"\nthere')
    assert where(company, r'name like "say \"hi\"%there"') == ['Say "hi"\nthere']
    assert where(company, 'name like "say%"') == ['Say "hi"\nthere']


def test_like_wildcards_backslashes_and_the_cap_on_percent_signs(company):
    ClientFactory.create(company=company, name="a\\b 100%")
    ClientFactory.create(company=company, name="axb 1000")
    assert where(company, r'name like "a\\b%"') == ["a\\b 100%"]
    assert where(company, 'name like "a_b 100%"') == ["a\\b 100%", "axb 1000"]
    assert where(company, 'name like "%%%b%%1%%"') == ["a\\b 100%", "axb 1000"]
    assert where(company, 'name like "%0%"') == ["a\\b 100%", "axb 1000"]
    assert where_errors(company, 'name like "%a%b%c%"') == {
        "where": [
            "The where like pattern of name may have at most 3 % (at character 11)."
        ]
    }


def test_a_null_character_is_refused_not_sent_to_the_database(company):
    assert where_errors(company, 'name = "a\x00"') == {
        "where": ["The where may not contain a null character (at character 10)."]
    }


def test_where_combines_with_the_other_parameters(company, clients):
    expression = 'name like "%inc%"'
    assert where(company, expression, balance="lt:200") == ["Beta Incorporated"]
    assert where(company, expression, sort="name|desc") == [
        "Beta Incorporated",
        "Acme Inc",
    ]
    assert where(company, expression, status="archived") == []


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (
            "name = ",
            "The where ends too soon: a condition is `field operator value` "
            "(at character 7).",
        ),
        ('name ~ "a"', "The where has an unexpected character `~` (at character 6)."),
        (
            'name = "a" or balance > 1',
            "The where has an unexpected `or` (at character 12).",
        ),
        (
            'name = "unclosed',
            'The where has an unexpected character `"` (at character 8).',
        ),
        (
            'nmae = "x"',
            "The where field `nmae` is unknown; use one of name, number, id_number, "
            "custom_value1, custom_value2, custom_value3, custom_value4, email, "
            "balance, paid_to_date, created_at, updated_at, country_id, group, "
            "active, is_deleted, tags (at character 1).",
        ),
        (
            'balance = "a lot"',
            "The where value of balance must be a number, not string `a lot` "
            "(at character 11).",
        ),
        (
            "active = 1",
            "The where value of active must be true or false, not number `1` "
            "(at character 10).",
        ),
        (
            'created_at > "soon"',
            "The where value of created_at must be a unix timestamp or a quoted "
            "ISO-8601 date, not string `soon` (at character 14).",
        ),
        (
            "name = true",
            "The where value of name must be a quoted string, not boolean `True` "
            "(at character 8).",
        ),
        (
            "country_id = 1.5",
            "The where value of country_id must be a country id (a number), not "
            "number `1.5` (at character 14).",
        ),
        (
            'name > "a"',
            "The where operator `>` does not apply to name; use =, !=, in, not in, "
            "like, not like (at character 6).",
        ),
        (
            "balance like 5",
            "The where operator `like` does not apply to balance; use =, !=, in, "
            "not in, <, <=, >, >= (at character 9).",
        ),
        (
            'name in "a"',
            "The where name in takes a list of values in parentheses (at character 9).",
        ),
        ('name = ("a")', "The where name = takes one value (at character 9)."),
        (
            "balance > 1" + "0" * 40,
            "The where number may not be longer than 40 characters (at character 11).",
        ),
    ],
)
def test_a_bad_expression_is_one_message_naming_the_character(
    company, expression, message
):
    assert where_errors(company, expression) == {"where": [message]}


def test_the_bounds_are_enforced(company):
    too_long = 'name = "' + "a" * MAX_LENGTH + '"'
    assert where_errors(company, too_long) == {
        "where": [f"The where may not be longer than {MAX_LENGTH} characters."]
    }
    many = " and ".join(["balance > 1"] * (MAX_CONDITIONS + 1))
    assert where_errors(company, many)["where"][0].startswith(
        f"The where may have at most {MAX_CONDITIONS} conditions"
    )
    assert (
        listed(
            company,
            urlencode({"where": " and ".join(["balance > 1"] * MAX_CONDITIONS)}),
        )
        == []
    )
    values = ", ".join(["1"] * (MAX_LISTED_VALUES + 1))
    assert where_errors(company, f"balance in ({values})")["where"][0].startswith(
        f"The where in list may have at most {MAX_LISTED_VALUES} values"
    )


def test_an_empty_where_is_no_filter(company, clients):
    assert len(where(company, "")) == 4
    assert len(where(company, "   ")) == 4


def test_over_http_a_bad_where_is_a_422_keyed_where(api, company):
    response = api.get(URL, {"where": "balance >"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["where"]
    assert "at character 10" in response.json()["errors"]["where"][0]


def test_over_http_where_lists_and_counts(api, company, clients):
    response = api.get(URL, {"where": 'name like "%inc%"', "per_page": 1})
    assert response.status_code == 200, response.content
    assert [row["name"] for row in response.json()["data"]] == ["Acme Inc"]
    assert response.json()["meta"]["pagination"]["total"] == 2


def test_where_never_reaches_another_companys_clients(api, company, outsider):
    theirs = ClientFactory.create(company=outsider.company, name="Theirs Inc")
    ContactFactory.create(client=theirs, email="them@theirs.test")
    ClientFactory.create(company=company, name="Ours")
    for expression in (
        'name like "%"',
        'email = "them@theirs.test"',
        "is_deleted = false",
        "active = true and balance >= 0",
        'name = "Theirs Inc"',
    ):
        response = api.get(URL, {"where": expression})
        assert response.status_code == 200
        assert "Theirs Inc" not in [row["name"] for row in response.json()["data"]]


def test_a_like_is_the_sql_of_the_name_filter_and_email_the_email_filter(company):
    def sql(query):
        return str(filterset(company, query).qs.query)

    assert sql(urlencode({"where": 'name like "%Inc%"'})) == sql("name=Inc")
    assert sql(urlencode({"where": 'email = "a@b.c"'})) == sql("email=a@b.c")


def test_where_tags_compiles_onto_the_tags_filter(owner):
    from clients.services.tags import client_tags_set
    from tests.factories import ClientFactory

    gold, silver, plain = (
        ClientFactory.create(company=owner.company, name=name)
        for name in ("Gold", "Silver", "Plain")
    )
    client_tags_set(client=gold, names=["VIP", "gold"])
    client_tags_set(client=silver, names=["vip"])

    def names(expression):
        answer = owner.api.get("/api/v1/clients", {"where": expression, "sort": "name"})
        assert answer.status_code == 200, answer.content
        return [row["name"] for row in answer.json()["data"]]

    assert names('tags = "vip"') == ["Gold", "Silver"]
    assert names('tags = "GOLD"') == ["Gold"]
    assert names('tags in ("gold", "nope")') == ["Gold"]
    assert names('tags != "vip"') == ["Plain"]
    assert names('tags not in ("gold") and tags = "vip"') == ["Silver"]
    assert plain.pk
    bad = owner.api.get("/api/v1/clients", {"where": 'tags like "%v%"'})
    assert bad.status_code == 422 and "where" in bad.json()["errors"]
