"""Archive, restore and delete, through bulk and DELETE."""

import pytest

from clients.api.views import ClientViewSet
from clients.models import Activity, Client, ClientTag
from config.api.bulk import BulkMixin
from config.api.hashids import encode_id
from tests.clients.support import CLIENTS, client_url
from tests.factories import ClientFactory, GroupSettingFactory

BULK = f"{CLIENTS}/bulk"


def bulk(api, action, clients, **extra):
    return api.post(
        BULK,
        {"action": action, "ids": [encode_id(c.pk) for c in clients], **extra},
        format="json",
    )


def states(*clients):
    """Each client's soft state (`Client.state` is the address field)."""
    result = []
    for client in clients:
        client.refresh_from_db()
        if client.is_deleted:
            result.append("deleted")
        else:
            result.append("archived" if client.archived_at else "active")
    return result


def activity_types(client):
    return list(
        Activity.objects.filter(client=client)
        .order_by("id")
        .values_list("activity_type_id", flat=True)
    )


def test_delete_soft_deletes_and_answers_the_client(api, company):
    client = ClientFactory.create(company=company)
    response = api.delete(client_url(client.pk))
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["is_deleted"] is True
    assert data["archived_at"] > 0
    assert states(client) == ["deleted"]
    assert activity_types(client) == [3]


def test_deleting_twice_changes_nothing(api, company):
    client = ClientFactory.create(company=company)
    first = api.delete(client_url(client.pk)).json()["data"]
    second = api.delete(client_url(client.pk))
    assert second.status_code == 200
    assert second.json()["data"]["archived_at"] == first["archived_at"]
    assert activity_types(client) == [3]


def test_bulk_archive_archives_active_clients_only(api, company):
    active = ClientFactory.create(company=company)
    deleted = ClientFactory.create(company=company)
    api.delete(client_url(deleted.pk))
    response = bulk(api, "archive", [active, deleted])
    assert response.status_code == 200
    assert states(active, deleted) == ["archived", "deleted"]
    assert activity_types(active) == [2]
    assert activity_types(deleted) == [3]


def test_bulk_restore_makes_archived_and_deleted_clients_active(api, company):
    archived, deleted, active = (
        ClientFactory.create(company=company) for _ in range(3)
    )
    bulk(api, "archive", [archived])
    bulk(api, "delete", [deleted])
    response = bulk(api, "restore", [archived, deleted, active])
    assert response.status_code == 200
    assert states(archived, deleted, active) == ["active"] * 3
    assert activity_types(archived) == [2, 26]
    assert activity_types(deleted) == [3, 26]
    assert activity_types(active) == []
    archived.refresh_from_db()
    assert archived.archived_at is None


def test_bulk_delete_re_stamps_archived_at(api, company):
    client = ClientFactory.create(company=company)
    bulk(api, "archive", [client])
    client.refresh_from_db()
    archived_at = client.archived_at
    bulk(api, "delete", [client])
    client.refresh_from_db()
    assert client.is_deleted
    assert client.archived_at is not None and archived_at is not None
    assert client.archived_at > archived_at


def test_the_bulk_response_is_the_list_of_requested_clients(api, company):
    clients = [ClientFactory.create(company=company) for _ in range(3)]
    ClientFactory.create(company=company)
    body = api.post(
        f"{BULK}?per_page=2",
        {"action": "archive", "ids": [encode_id(c.pk) for c in clients]},
        format="json",
    ).json()
    assert [row["id"] for row in body["data"]] == [encode_id(c.pk) for c in clients[:2]]
    assert body["meta"]["pagination"]["total"] == 3
    assert body["meta"]["pagination"]["per_page"] == 2
    assert all(row["archived_at"] > 0 for row in body["data"])


def test_the_action_may_come_from_the_query_string(api, company):
    client = ClientFactory.create(company=company)
    response = api.post(
        f"{BULK}?action=archive", {"ids": [encode_id(client.pk)]}, format="json"
    )
    assert response.status_code == 200
    assert states(client) == ["archived"]


def test_form_encoded_ids_work(api, company):
    first, second = (
        ClientFactory.create(company=company),
        ClientFactory.create(company=company),
    )
    response = api.post(
        BULK,
        f"action=delete&ids[]={encode_id(first.pk)}&ids[]={encode_id(second.pk)}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert states(first, second) == ["deleted", "deleted"]


def test_a_foreign_id_is_a_422_and_nothing_changes(api, company, outsider):
    mine = ClientFactory.create(company=company)
    theirs = ClientFactory.create(company=outsider.company)
    response = bulk(api, "archive", [mine, theirs])
    assert response.status_code == 422
    assert response.json() == {
        "message": "The given data was invalid.",
        "errors": {"ids": ["The selected ids is invalid."]},
    }
    assert states(mine, theirs) == ["active", "active"]
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    "ids", [["not-a-hashid"], [encode_id(987_654_321)], "VolejRejNm,junk"]
)
def test_unknown_or_undecodable_ids_are_a_422(api, company, ids):
    ClientFactory.create(company=company)
    response = api.post(BULK, {"action": "archive", "ids": ids}, format="json")
    assert response.status_code == 422
    assert response.json()["errors"] == {"ids": ["The selected ids is invalid."]}


def test_missing_ids_are_a_422(api):
    response = api.post(BULK, {"action": "archive"}, format="json")
    assert response.json()["errors"] == {"ids": ["The ids field is required."]}


def test_more_than_5000_ids_are_a_422(api, company):
    client = ClientFactory.create(company=company)
    response = api.post(
        BULK, {"action": "archive", "ids": [encode_id(client.pk)] * 5001}, format="json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "ids": ["The ids may not have more than 5000 items."]
    }
    assert states(client) == ["active"]


def test_an_unknown_action_is_a_422(api, company):
    client = ClientFactory.create(company=company)
    response = bulk(api, "explode", [client])
    assert response.status_code == 422
    assert response.json()["errors"] == {"action": ["The selected action is invalid."]}


def test_deleted_clients_are_valid_ids(api, company):
    client = ClientFactory.create(company=company, is_deleted=True)
    assert bulk(api, "restore", [client]).status_code == 200
    assert states(client) == ["active"]


def test_assign_group_puts_clients_in_a_group(api, company):
    group = GroupSettingFactory.create(company=company)
    clients = [ClientFactory.create(company=company) for _ in range(2)]
    response = bulk(api, "assign_group", clients, group_settings_id=encode_id(group.pk))
    assert response.status_code == 200
    assert {row["group_settings_id"] for row in response.json()["data"]} == {
        encode_id(group.pk)
    }
    assert activity_types(clients[0]) == [61]


def test_assign_group_needs_a_group_of_the_company(api, company, outsider):
    client = ClientFactory.create(company=company)
    assert bulk(api, "assign_group", [client]).json()["errors"] == {
        "group_settings_id": ["The group settings id field is required."]
    }
    foreign = GroupSettingFactory.create(company=outsider.company)
    response = bulk(
        api, "assign_group", [client], group_settings_id=encode_id(foreign.pk)
    )
    assert response.json()["errors"] == {
        "group_settings_id": ["The selected group settings id is invalid."]
    }


@pytest.mark.parametrize(
    ("column", "new_value", "stored"),
    [
        ("public_notes", "hello", "hello"),
        ("custom_value3", None, ""),
        ("industry_id", "7", 7),
        ("size_id", "", None),
        ("country_id", "276", 276),
        ("country_id", "", 840),
    ],
)
def test_bulk_update_sets_one_column(api, company, column, new_value, stored):
    clients = [ClientFactory.create(company=company, country_id=4) for _ in range(2)]
    response = bulk(api, "bulk_update", clients, column=column, new_value=new_value)
    assert response.status_code == 200, response.content
    assert {getattr(Client.objects.get(pk=c.pk), column) for c in clients} == {stored}
    assert activity_types(clients[0]) == [61]


@pytest.mark.parametrize(
    ("column", "new_value", "key"),
    [
        ("name", "x", "column"),
        ("", "x", "column"),
        ("industry_id", "abc", "new_value"),
        ("country_id", "12345", "new_value"),
    ],
)
def test_bulk_update_validates_column_and_value(api, company, column, new_value, key):
    client = ClientFactory.create(company=company)
    response = bulk(api, "bulk_update", [client], column=column, new_value=new_value)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [key]


def test_clients_the_user_may_not_edit_are_skipped(company, make_member):
    member = make_member(
        company, is_owner=False, is_admin=False, permissions=["view_client"]
    )
    mine = ClientFactory.create(company=company, user=member.membership.user)
    assigned = ClientFactory.create(
        company=company, assigned_user=member.membership.user
    )
    other = ClientFactory.create(company=company)
    response = bulk(member.api, "archive", [mine, assigned, other])
    assert response.status_code == 200
    assert states(mine, assigned, other) == ["archived", "archived", "active"]


def _all_actions(company):
    """Each bulk action with the options it needs."""
    group = GroupSettingFactory.create(company=company)
    return {
        "archive": {},
        "restore": {},
        "delete": {},
        "assign_group": {"group_settings_id": encode_id(group.pk)},
        "bulk_update": {"column": "public_notes", "new_value": "changed"},
        "add_tags": {"tags": ["vip"]},
        "remove_tags": {"tags": ["vip"]},
    }


def test_a_foreign_id_refuses_every_action_whatever_the_states(api, company, outsider):
    # The ids are checked as the clients are locked: a foreign id refuses the
    # write when the company's clients would change, and when none would.
    active = ClientFactory.create(company=company, public_notes="kept")
    archived = ClientFactory.create(company=company, public_notes="kept")
    Client.objects.filter(pk=archived.pk).archive()
    theirs = ClientFactory.create(company=outsider.company)
    for action, options in _all_actions(company).items():
        response = bulk(api, action, [active, archived, theirs], **options)
        assert response.status_code == 422, action
        assert response.json()["errors"] == {"ids": ["The selected ids is invalid."]}
    assert states(active, archived, theirs) == ["active", "archived", "active"]
    assert set(Client.objects.values_list("public_notes", flat=True)) == {"kept", ""}
    assert not Activity.objects.exists()
    assert not ClientTag.objects.exists()


def test_a_foreign_id_and_an_unknown_action_are_one_422(api, company, outsider):
    theirs = ClientFactory.create(company=outsider.company)
    response = bulk(api, "explode", [ClientFactory.create(company=company), theirs])
    assert response.json()["errors"] == {
        "action": ["The selected action is invalid."],
        "ids": ["The selected ids is invalid."],
    }


def test_a_foreign_id_is_reported_before_a_bad_page(api, company, outsider):
    mine = ClientFactory.create(company=company)
    theirs = ClientFactory.create(company=outsider.company)
    ids = [encode_id(mine.pk), encode_id(theirs.pk)]
    response = api.post(
        f"{BULK}?after=junk", {"action": "archive", "ids": ids}, format="json"
    )
    assert response.json()["errors"] == {"ids": ["The selected ids is invalid."]}
    response = api.post(
        f"{BULK}?after=junk", {"action": "archive", "ids": ids[:1]}, format="json"
    )
    assert list(response.json()["errors"]) == ["after"]
    assert states(mine) == ["active"]


def test_a_foreign_id_refuses_a_member_who_may_edit_none(
    company, make_member, outsider
):
    member = make_member(
        company, is_owner=False, is_admin=False, permissions=["view_client"]
    )
    others = ClientFactory.create(company=company)
    theirs = ClientFactory.create(company=outsider.company)
    assert bulk(member.api, "archive", [others]).status_code == 200
    response = bulk(member.api, "archive", [others, theirs])
    assert response.status_code == 422
    assert response.json()["errors"] == {"ids": ["The selected ids is invalid."]}
    assert states(others, theirs) == ["active", "active"]


def test_a_resource_checking_ids_when_locking_must_say_what_to_check():
    with pytest.raises(TypeError, match="override bulk_rows"):
        type(
            "Unchecked",
            (ClientViewSet,),
            {"__module__": __name__, "bulk_rows": BulkMixin.bulk_rows},
        )
