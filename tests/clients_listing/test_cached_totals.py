"""A filtered list's total is counted once per company write version, and every way
of writing a client moves the version: the next total is the new exact one."""

import io
from collections.abc import Callable
from typing import Any

import pytest
import redis
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from clients.csv import clients_import_csv
from clients.models import Client
from clients.services.merge import client_merge
from clients.services.purge import clients_purge
from config.api.hashids import encode_id
from tests.clients.support import CLIENTS, client_url
from tests.conftest import Member
from tests.factories import ClientFactory, ContactFactory, GroupSettingFactory
from tests.redis_server import redis_cache, redis_url  # noqa: F401

TOKEN, PAGE, CONTACTS, COUNT = 1, 1, 1, 1
ACTIVE = {"status": "active", "sort": "balance|desc"}


@pytest.fixture
def listed(api: Any, django_capture_on_commit_callbacks: Any) -> Callable[..., int]:
    """GET the clients list with `params` as a request outside the test's
    transaction would (a counted total is kept on commit); its total."""

    def total(params: dict[str, str]) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            response = api.get(CLIENTS, params)
        assert response.status_code == 200, response.content
        return int(response.json()["meta"]["pagination"]["total"])

    return total


@pytest.fixture
def clients(company: Any) -> list[Client]:
    made: list[Client] = ClientFactory.create_batch(3, company=company)
    return made


def test_a_repeated_filtered_list_is_not_counted_again(
    clients, listed, django_assert_num_queries
):
    assert listed(ACTIVE) == 3
    with django_assert_num_queries(TOKEN + PAGE + CONTACTS):
        assert listed(ACTIVE) == 3


def test_a_filter_on_contacts_is_counted_every_time(
    clients, listed, django_assert_num_queries
):
    ContactFactory.create(client=clients[0], company=clients[0].company, email="a@x.t")
    assert listed({"email": "a@x.t"}) == 1
    with django_assert_num_queries(TOKEN + COUNT + PAGE + CONTACTS):
        assert listed({"email": "a@x.t"}) == 1


class RolledBack(Exception):
    pass


def test_a_total_counted_in_a_rolled_back_transaction_is_not_kept(
    clients, company, api, listed, django_capture_on_commit_callbacks
):
    assert listed(ACTIVE) == 3
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                Client.objects.filter(pk=clients[0].pk).update(
                    archived_at=timezone.now()
                )
                response = api.get(CLIENTS, ACTIVE)
                assert response.json()["meta"]["pagination"]["total"] == 2
                raise RolledBack
        except RolledBack:
            pass
    # The next write brings the version where the rolled-back one had taken it.
    ClientFactory.create(company=company)
    assert listed(ACTIVE) == 4


def test_another_companys_writes_do_not_reach_the_total(
    clients, listed, outsider: Member
):
    assert listed(ACTIVE) == 3
    ClientFactory.create(company=outsider.company)
    assert listed(ACTIVE) == 3
    assert outsider.api.get(CLIENTS, ACTIVE).json()["meta"]["pagination"]["total"] == 1


def test_a_member_who_sees_only_their_clients_gets_their_own_total(
    clients, listed, make_member, company
):
    member = make_member(company, is_owner=False, is_admin=False)
    ClientFactory.create(company=company, user=member.membership.user)
    assert listed(ACTIVE) == 4
    own = member.api.get(CLIENTS, ACTIVE)
    assert own.json()["meta"]["pagination"]["total"] == 1


def _api_create(api, admin_client, clients):
    assert api.post(CLIENTS, {"name": "New"}, format="json").status_code == 200


def _api_update(api, admin_client, clients):
    body = {"name": "Renamed"}
    assert api.put(client_url(clients[0].pk), body, format="json").status_code == 200


def _api_delete(api, admin_client, clients):
    assert api.delete(client_url(clients[0].pk)).status_code == 200


def _bulk_archive(api, admin_client, clients):
    body = {"action": "archive", "ids": [encode_id(clients[0].pk)]}
    assert api.post(f"{CLIENTS}/bulk", body, format="json").status_code == 200


def _admin_archive(api, admin_client, clients):
    response = admin_client.post(
        reverse("admin:clients_client_changelist"),
        {"action": "archive_clients", "_selected_action": [clients[0].pk]},
    )
    assert response.status_code == 302


def _csv_import(api, admin_client, clients):
    company = clients[0].company
    clients_import_csv(company=company, stream=io.StringIO("name\nImported\n"))


def _merge(api, admin_client, clients):
    client_merge(primary=clients[1], merged=clients[0], user=None)


def _purge(api, admin_client, clients):
    clients_purge(clients_queryset=Client.objects.filter(pk=clients[0].pk))


def _orm_update(api, admin_client, clients):
    Client.objects.filter(pk=clients[0].pk).update(archived_at=timezone.now())


def _raw_sql(api, admin_client, clients):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE clients_client SET is_deleted = %s WHERE id = %s",
            [True, clients[0].pk],
        )


@pytest.mark.parametrize(
    ("write", "params", "change"),
    [
        (_api_create, ACTIVE, +1),
        (_api_update, {"name": "renamed"}, +1),
        (_api_delete, ACTIVE, -1),
        (_bulk_archive, ACTIVE, -1),
        (_admin_archive, ACTIVE, -1),
        (_csv_import, ACTIVE, +1),
        (_merge, ACTIVE, -1),
        (_purge, ACTIVE, -1),
        (_orm_update, ACTIVE, -1),
        (_raw_sql, ACTIVE, -1),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_every_write_changes_the_next_filtered_total(
    clients, api, admin_client, listed, write, params, change
):
    before = listed(params)
    assert listed(params) == before  # now from the cache
    write(api, admin_client, clients)
    after = listed(params)
    assert after == before + change
    scope = Client.objects.filter(company=clients[0].company)
    expected = (
        scope.filter(name__icontains="renamed")
        if "name" in params
        else scope.filter(is_deleted=False, archived_at__isnull=True)
    )
    assert after == expected.count()


def test_with_redis_every_process_reads_the_kept_total_and_a_write_replaces_it(
    clients,
    listed,
    redis_cache,  # noqa: F811
    django_assert_num_queries,
):
    assert listed(ACTIVE) == 3
    shared = redis.Redis.from_url(redis_cache)
    try:
        kept: list[bytes] = list(shared.keys("*clients:filtered-total:*"))  # type: ignore[arg-type]
    finally:
        shared.close()
    totals = [key for key in kept if not key.endswith(b":mostly")]
    assert len(totals) == 1  # where any other worker finds it
    with django_assert_num_queries(TOKEN + PAGE + CONTACTS):
        assert listed(ACTIVE) == 3
    Client.objects.filter(pk=clients[0].pk).update(archived_at=timezone.now())
    assert listed(ACTIVE) == 2


def test_a_filter_no_client_can_match_answers_an_empty_page(clients, listed):
    # `group = ""` compiles to no SQL at all (Django's EmptyResultSet).
    assert listed({"where": 'group = ""'}) == 0
    assert listed({"where": 'group = ""', "status": "active"}) == 0


def _counts(captured: Any) -> list[str]:
    return [query["sql"] for query in captured if "COUNT(*)" in query["sql"]]


def test_a_list_of_most_clients_is_counted_from_the_clients_outside_it(
    company, listed, django_assert_num_queries
):
    for balance in (500, 400, 300, 200, 5):
        ClientFactory.create(company=company, balance=balance)
    over_100 = {"balance": "gt:100", "sort": "balance|desc"}
    assert listed({}) == 5  # the token's first use of the minute, noted aside
    with django_assert_num_queries(TOKEN + PAGE + COUNT + CONTACTS) as first:
        assert listed(over_100) == 4
    assert " NOT " not in _counts(first.captured_queries)[0]
    ClientFactory.create(company=company, balance=1000)
    with django_assert_num_queries(TOKEN + PAGE + COUNT + CONTACTS) as second:
        assert listed(over_100) == 5
    # The company's kept total (6) less the one client at 100 or below.
    assert " NOT " in _counts(second.captured_queries)[0]
    Client.objects.filter(company=company, balance=500).update(balance=0)
    assert listed(over_100) == 4
    Client.objects.filter(company=company, balance=400).update(
        archived_at=timezone.now()
    )
    assert listed({**over_100, "status": "active"}) == 3
    assert listed({**over_100, "status": "active"}) == 3
    ClientFactory.create(company=company, balance=101)
    assert listed({**over_100, "status": "active"}) == 4
    assert listed(over_100) == 5


def test_a_list_of_few_clients_is_counted_itself(
    company, listed, django_assert_num_queries
):
    for balance in (500, 5, 6, 7):
        ClientFactory.create(company=company, balance=balance)
    assert listed({}) == 4
    assert listed({"balance": "gt:100"}) == 1
    ClientFactory.create(company=company, balance=8)
    with django_assert_num_queries(TOKEN + PAGE + COUNT + CONTACTS) as counted:
        assert listed({"balance": "gt:100"}) == 1
    assert " NOT " not in _counts(counted.captured_queries)[0]


def test_a_filter_on_a_column_that_can_be_null_is_never_counted_from_outside(
    company, listed, django_assert_num_queries
):
    # NOT (group = g) is unknown for a client without a group: such a client would
    # be in neither count, and the total one too high.
    group = GroupSettingFactory.create(company=company)
    ClientFactory.create_batch(3, company=company, group_settings=group)
    ClientFactory.create(company=company, group_settings=None)
    in_group = {"group": encode_id(group.pk)}
    assert listed(in_group) == 3
    ClientFactory.create(company=company, group_settings=None)
    with django_assert_num_queries(TOKEN + PAGE + COUNT + CONTACTS) as counted:
        assert listed(in_group) == 3
    assert " NOT " not in _counts(counted.captured_queries)[0]


def test_a_restricted_members_list_is_never_counted_from_outside(
    company, listed, make_member
):
    member = make_member(company, is_owner=False, is_admin=False)
    user = member.membership.user
    ClientFactory.create_batch(3, company=company, user=user)
    ClientFactory.create(company=company)  # someone else's, assigned to no one

    def own_total() -> int:
        response = member.api.get(CLIENTS, ACTIVE)
        return int(response.json()["meta"]["pagination"]["total"])

    assert own_total() == 3
    ClientFactory.create(company=company, user=user)
    assert own_total() == 4
    assert listed(ACTIVE) == 5
