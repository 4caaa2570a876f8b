"""Query counts, pinned: a change that adds a query per row (or at all) fails here.

Counts include the token lookup. A first request warms what is cached per process
or per minute (the token's `last_used_at`, content types), so each count is the
steady state. Savepoints count too: under the test transaction every atomic block
is one.
"""

import pytest
from django.contrib.contenttypes.models import ContentType

from clients.models import Activity, Client
from config.api.hashids import encode_id
from contacts.models import ClientContact
from documents.models import Document
from tests.clients.support import CLIENTS, GROUPS, client_url
from tests.factories import ClientFactory, GroupSettingFactory

TOKEN = 1
# The live contacts of the page's clients. Documents cost one more query, and only
# when a client shown has any (`test_documents_add_one_query_when_a_client_has_any`).
CONTACTS = 1
LIST = TOKEN + 1 + CONTACTS  # the page carries the company's total
COUNTED_LIST = TOKEN + 2 + CONTACTS  # count, page
LIST_WITH_ACTIVITIES = COUNTED_LIST + 1  # the group comes with the page (JOIN)
LIST_WITH_LEDGER = LIST_WITH_ACTIVITIES + 1
SHOW = TOKEN + 1 + CONTACTS
# The company's live webhook subscriptions to the write's event (none here).
WEBHOOKS = 1
# savepoint, lock company, number check, counter, insert client, contacts_sync
# (insert; no savepoint of its own), activity, webhooks, release; then the re-read.
CREATE = TOKEN + 8 + WEBHOOKS + 1 + CONTACTS
# client check, savepoint, lock client, update, contacts_sync (read, soft-delete,
# insert, ...; under the client's lock, no savepoint of its own), activity,
# webhooks, release; then the re-read.
UPDATE = TOKEN + 9 + WEBHOOKS + 1 + CONTACTS
# client check, savepoint, lock, update, webhooks, activity, release; the re-read.
DELETE = TOKEN + 6 + WEBHOOKS + 1 + CONTACTS
# savepoint, the ids' check and lock (one statement), update, webhooks,
# activities, release; then the page, whose total is the number of ids.
BULK = TOKEN + 5 + WEBHOOKS + 1 + CONTACTS
GROUP_LIST = TOKEN + 2  # count, page


def ok(response):
    """The JSON body of a 200."""
    assert response.status_code == 200, response.content
    return response.json()


def state_of(row):
    if row["is_deleted"]:
        return "deleted"
    return "archived" if row["archived_at"] else "active"


@pytest.fixture
def many_clients(company):
    """60 clients with two contacts each and activities, half of them grouped."""
    group = GroupSettingFactory.create(company=company)
    clients = Client.objects.bulk_create(
        Client(
            company=company,
            name=f"Client {index}",
            number=f"{index:04d}",
            group_settings=group if index % 2 else None,
        )
        for index in range(60)
    )
    ClientContact.objects.bulk_create(
        ClientContact(
            company=company,
            client=client,
            email=f"c{client.pk}-{n}@example.com",
            is_primary=n == 0,
        )
        for client in clients
        for n in range(2)
    )
    Activity.objects.bulk_create(
        Activity(company=company, client=client, activity_type_id=1)
        for client in clients
    )
    return clients


@pytest.fixture
def warm(api):
    """One request first, so per-minute and per-process caches are filled."""
    ContentType.objects.get_for_model(Client)
    assert api.get(CLIENTS).status_code == 200
    return api


@pytest.mark.parametrize("per_page", [20, 500])
def test_the_list(warm, many_clients, django_assert_num_queries, per_page):
    with django_assert_num_queries(LIST):
        response = warm.get(CLIENTS, {"per_page": per_page})
    body = ok(response)
    assert [row["id"] for row in body["data"]] == [
        encode_id(client.pk) for client in many_clients[:per_page]
    ]
    assert all(len(row["contacts"]) == 2 for row in body["data"])
    assert body["meta"]["pagination"]["total"] == 60


@pytest.mark.parametrize("per_page", [20, 500])
def test_the_list_with_filters_sort_and_includes(
    warm, many_clients, django_assert_num_queries, per_page
):
    params = {
        "per_page": per_page,
        "filter": "client",
        "status": "active,archived",
        "sort": "number|desc",
        "balance": "gte:0",
        "include": "activities,group_settings",
    }
    with django_assert_num_queries(LIST_WITH_ACTIVITIES):
        response = warm.get(CLIENTS, params)
    rows = ok(response)["data"]
    assert len(rows) == min(per_page, 60)
    assert all(len(row["activities"]) == 1 for row in rows)
    assert sum("group_settings" in row for row in rows) == len(rows) // 2


@pytest.mark.parametrize("per_page", [20, 500])
def test_the_list_with_every_include(
    warm, many_clients, django_assert_num_queries, per_page
):
    include = "activities,group_settings,ledger,system_logs"
    with django_assert_num_queries(LIST_WITH_LEDGER):
        response = warm.get(CLIENTS, {"per_page": per_page, "include": include})
    rows = ok(response)["data"]
    assert len(rows) == min(per_page, 60)
    assert all({"activities", "ledger", "system_logs"} <= set(row) for row in rows)
    assert sum("group_settings" in row for row in rows) == len(rows) // 2


@pytest.mark.parametrize("per_page", [20, 500])
def test_a_filtered_list_counts_its_rows(
    warm, many_clients, django_assert_num_queries, per_page
):
    with django_assert_num_queries(COUNTED_LIST):
        response = warm.get(CLIENTS, {"per_page": per_page, "balance": "gte:0"})
    body = ok(response)
    assert len(body["data"]) == min(per_page, 60)
    assert body["meta"]["pagination"]["total"] == 60


@pytest.mark.parametrize("per_page", [20, 500])
def test_a_where_list_costs_what_the_same_filtered_list_does(
    warm, many_clients, django_assert_num_queries, per_page
):
    email = f"c{many_clients[0].pk}-0@example.com"
    filters = {"name": "client", "balance": "gte:0", "email": email}
    expression = 'name like "%client%" and balance >= 0 and email like "%@example.com"'
    with django_assert_num_queries(COUNTED_LIST):
        by_filters = ok(warm.get(CLIENTS, {"per_page": per_page, **filters}))
    with django_assert_num_queries(COUNTED_LIST):
        by_where = ok(warm.get(CLIENTS, {"per_page": per_page, "where": expression}))
    assert len(by_where["data"]) == min(per_page, 60)
    assert by_where["meta"]["pagination"]["total"] == 60
    assert by_filters["meta"]["pagination"]["total"] == 1


def test_a_page_past_the_end_reads_the_total_alone(
    warm, many_clients, django_assert_num_queries
):
    with django_assert_num_queries(TOKEN + 2):  # the empty page, the total
        response = warm.get(CLIENTS, {"page": 9})
    body = ok(response)
    assert body["data"] == []
    assert body["meta"]["pagination"]["total"] == 60


@pytest.mark.parametrize("per_page", [20, 500])
def test_a_member_who_sees_only_their_clients_gets_a_counted_list(
    make_member, company, many_clients, django_assert_num_queries, per_page
):
    member = make_member(company, is_owner=False, is_admin=False)
    Client.objects.filter(pk__in=[c.pk for c in many_clients[:30]]).update(
        assigned_user=member.membership.user
    )
    assert member.api.get(CLIENTS).status_code == 200
    with django_assert_num_queries(COUNTED_LIST):
        response = member.api.get(CLIENTS, {"per_page": per_page})
    body = ok(response)
    assert [row["id"] for row in body["data"]] == [
        encode_id(client.pk) for client in many_clients[: min(per_page, 30)]
    ]
    assert body["meta"]["pagination"]["total"] == 30
    with django_assert_num_queries(SHOW):
        response = member.api.get(client_url(many_clients[0].pk))
    assert ok(response)["data"]["id"] == encode_id(many_clients[0].pk)


@pytest.mark.parametrize("per_page", [20, 500])
def test_documents_add_one_query_when_a_client_has_any(
    warm, company, many_clients, django_assert_num_queries, per_page
):
    owner_type = ContentType.objects.get_for_model(Client)
    for client in many_clients[::3]:
        Document.objects.create(
            company=company,
            owner_type=owner_type,
            owner_id=client.pk,
            name="a.pdf",
            type="pdf",
            hash="x" * 40 + ".pdf",
            path="k/documents/x.pdf",
        )
    with django_assert_num_queries(LIST + 1):
        response = warm.get(CLIENTS, {"per_page": per_page})
    rows = ok(response)["data"]
    assert len(rows) == min(per_page, 60)
    assert sum(len(row["documents"]) for row in rows) == len(rows[::3])
    with django_assert_num_queries(SHOW + 1):
        response = warm.get(client_url(many_clients[0].pk))
    assert len(ok(response)["data"]["documents"]) == 1


def test_show_and_edit(warm, many_clients, django_assert_num_queries):
    client = many_clients[1]
    with django_assert_num_queries(SHOW):
        shown = ok(warm.get(client_url(client.pk)))["data"]
    with django_assert_num_queries(SHOW):
        edited = ok(warm.get(client_url(client.pk, "/edit")))["data"]
    assert shown["id"] == encode_id(client.pk)
    assert len(shown["contacts"]) == 2
    assert edited == shown


@pytest.mark.parametrize("contacts", [1, 10])
def test_create(warm, django_assert_num_queries, contacts):
    body = {
        "name": "Acme",
        "contacts": [{"email": f"c{n}@example.com"} for n in range(contacts)],
    }
    with django_assert_num_queries(CREATE):
        response = warm.post(CLIENTS, body, format="json")
    data = ok(response)["data"]
    assert data["name"] == "Acme"
    assert [c["email"] for c in data["contacts"]] == [
        f"c{n}@example.com" for n in range(contacts)
    ]


@pytest.mark.parametrize("contacts", [1, 10])
def test_update(warm, company, django_assert_num_queries, contacts):
    client = ClientFactory.create(company=company)
    first = warm.put(
        client_url(client.pk),
        {"contacts": [{"email": "old@example.com"}]},
        format="json",
    )
    assert first.status_code == 200, first.content
    body = {
        "name": "Renamed",
        "contacts": [{"email": f"c{n}@example.com"} for n in range(contacts)],
    }
    with django_assert_num_queries(UPDATE):
        response = warm.put(client_url(client.pk), body, format="json")
    data = ok(response)["data"]
    assert data["name"] == "Renamed"
    assert [c["email"] for c in data["contacts"]] == [
        f"c{n}@example.com" for n in range(contacts)
    ]


def test_delete(warm, company, django_assert_num_queries):
    client = ClientFactory.create(company=company)
    with django_assert_num_queries(DELETE):
        response = warm.delete(client_url(client.pk))
    data = ok(response)["data"]
    assert (data["id"], data["is_deleted"]) == (encode_id(client.pk), True)


@pytest.mark.parametrize("count", [2, 40])
@pytest.mark.parametrize("action", ["archive", "restore", "delete"])
def test_bulk_does_not_grow_with_the_ids(
    warm, many_clients, django_assert_num_queries, count, action
):
    ids = [encode_id(client.pk) for client in many_clients[:count]]
    if action == "restore":
        Client.objects.filter(pk__in=[c.pk for c in many_clients]).soft_delete()
    with django_assert_num_queries(BULK):
        response = warm.post(
            f"{CLIENTS}/bulk", {"action": action, "ids": ids}, format="json"
        )
    body = ok(response)
    assert body["meta"]["pagination"]["total"] == count
    expected = {"archive": "archived", "restore": "active", "delete": "deleted"}
    assert [row["id"] for row in body["data"]] == ids[:20]
    assert {state_of(row) for row in body["data"]} == {expected[action]}


def test_the_group_list(warm, company, django_assert_num_queries):
    groups = [GroupSettingFactory.create(company=company) for _ in range(5)]
    with django_assert_num_queries(GROUP_LIST):
        response = warm.get(GROUPS)
    body = ok(response)
    assert [row["id"] for row in body["data"]] == [encode_id(g.pk) for g in groups]
    assert body["meta"]["pagination"]["total"] == 5


def _with_logos(clients):
    for client in clients:
        client.logo_path = f"k/documents/{client.pk}.png"
        client.logo_large_path = client.logo_medium_path = client.logo_small_path = (
            f"k/documents/{client.pk}-t.png"
        )
    Client.objects.bulk_update(
        clients,
        ["logo_path", "logo_large_path", "logo_medium_path", "logo_small_path"],
    )


@pytest.mark.parametrize("per_page", [20, 500])
def test_logos_cost_no_query(warm, many_clients, django_assert_num_queries, per_page):
    _with_logos(many_clients)
    with django_assert_num_queries(LIST):
        body = ok(warm.get(CLIENTS, {"per_page": per_page}))
    first = body["data"][0]
    logo = f"http://testserver/api/v1/clients/{first['id']}/logo"
    assert (first["logo"], first["logo_thumb_small"]) == (logo, f"{logo}?size=small")
    assert all(row["logo"] for row in body["data"])


def test_showing_a_client_with_a_logo(warm, many_clients, django_assert_num_queries):
    _with_logos(many_clients[:1])
    with django_assert_num_queries(SHOW):
        body = ok(warm.get(client_url(many_clients[0].pk)))
    assert body["data"]["logo_thumb_large"].endswith("/logo?size=large")


@pytest.mark.parametrize("per_page", [20, 500])
def test_tags_add_one_query_when_a_client_shown_has_any(
    warm, company, many_clients, django_assert_num_queries, per_page
):
    from clients.services.tags import client_tags_set

    for index, client in enumerate(many_clients[::2]):
        client_tags_set(client=client, names=["vip", f"region-{index % 3}"])
    with django_assert_num_queries(LIST + 1):
        response = warm.get(CLIENTS, {"per_page": per_page})
    rows = ok(response)["data"]
    assert len(rows) == min(per_page, 60)
    assert rows[0]["tags"] == ["region-0", "vip"]
    assert rows[1]["tags"] == []
    assert sum(bool(row["tags"]) for row in rows) == len(rows[::2])
    with django_assert_num_queries(COUNTED_LIST + 1):
        response = warm.get(CLIENTS, {"per_page": per_page, "tags": "VIP"})
    assert len(ok(response)["data"]) == min(per_page, 30)
    with django_assert_num_queries(SHOW + 1):
        response = warm.get(client_url(many_clients[0].pk))
    assert ok(response)["data"]["tags"] == ["region-0", "vip"]
    with django_assert_num_queries(SHOW):
        response = warm.get(client_url(many_clients[1].pk))
    assert ok(response)["data"]["tags"] == []
