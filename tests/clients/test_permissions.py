"""What members without admin rights may see and do."""

import pytest

from clients.models import Client
from config.api.hashids import encode_id
from tests.clients.support import CLIENTS, GROUPS, client_url
from tests.factories import ClientFactory, GroupSettingFactory

UNAUTHORIZED = {"message": "This action is unauthorized.", "errors": {}}


@pytest.fixture
def member(company, make_member):
    """A member of company A with no permissions at all."""
    return make_member(company, is_owner=False, is_admin=False)


def test_a_member_without_permissions_sees_an_empty_list(member, company):
    ClientFactory.create(company=company)
    response = member.api.get(CLIENTS)
    assert response.status_code == 200
    assert response.json()["data"] == []


def test_a_member_without_permissions_may_not_create(member):
    response = member.api.post(CLIENTS, {"name": "x"}, format="json")
    assert response.status_code == 403
    assert response.json() == UNAUTHORIZED
    assert member.api.get(f"{CLIENTS}/create").status_code == 403
    assert not Client.objects.exists()


def test_a_member_sees_and_edits_the_clients_they_made_or_are_assigned(member, company):
    user = member.membership.user
    made = ClientFactory.create(company=company, user=user)
    assigned = ClientFactory.create(company=company, assigned_user=user)
    other = ClientFactory.create(company=company)
    rows = member.api.get(CLIENTS).json()["data"]
    assert [row["id"] for row in rows] == [encode_id(made.pk), encode_id(assigned.pk)]
    response = member.api.put(client_url(made.pk), {"city": "x"}, format="json")
    assert response.status_code == 200
    assert member.api.get(client_url(other.pk)).status_code == 404


def test_view_client_shows_every_client_but_does_not_allow_edits(company, make_member):
    member = make_member(
        company, is_owner=False, is_admin=False, permissions=["view_client"]
    )
    client = ClientFactory.create(company=company)
    assert len(member.api.get(CLIENTS).json()["data"]) == 1
    response = member.api.put(client_url(client.pk), {"city": "x"}, format="json")
    assert response.status_code == 403
    assert response.json() == UNAUTHORIZED
    assert member.api.delete(client_url(client.pk)).status_code == 403
    client.refresh_from_db()
    assert (client.city, client.is_deleted) == ("", False)


@pytest.mark.parametrize("permission", ["create_client", "create_all"])
def test_create_permissions_allow_creating(company, make_member, permission):
    member = make_member(
        company, is_owner=False, is_admin=False, permissions=[permission]
    )
    response = member.api.post(CLIENTS, {"name": "Mine"}, format="json")
    assert response.status_code == 200
    assert response.json()["data"]["user_id"] == encode_id(member.membership.user_id)


def test_edit_all_allows_editing_every_client(company, make_member):
    member = make_member(
        company, is_owner=False, is_admin=False, permissions=["view_all", "edit_all"]
    )
    client = ClientFactory.create(company=company)
    response = member.api.put(client_url(client.pk), {"city": "x"}, format="json")
    assert response.status_code == 200


def test_a_member_without_group_permissions_sees_only_their_groups(member, company):
    GroupSettingFactory.create(company=company, name="Others")
    GroupSettingFactory.create(
        company=company, name="Mine", user=member.membership.user
    )
    rows = member.api.get(GROUPS).json()["data"]
    assert [row["name"] for row in rows] == ["Mine"]
    response = member.api.post(GROUPS, {"name": "New"}, format="json")
    assert response.status_code == 403
