"""Another company's clients and groups answer exactly like unknown ids."""

import pytest
from rest_framework.test import APIClient

from clients.models import Client, GroupSetting
from config.api.hashids import encode_id
from tests.clients.support import CLIENTS, GROUPS
from tests.factories import ClientFactory, GroupSettingFactory
from tests.isolation import assert_foreign_id_is_not_found

CLIENT_CALLS = [
    ("GET", CLIENTS + "/{id}"),
    ("GET", CLIENTS + "/{id}/edit"),
    ("PUT", CLIENTS + "/{id}"),
    ("PATCH", CLIENTS + "/{id}"),
    ("DELETE", CLIENTS + "/{id}"),
]
GROUP_CALLS = [
    ("GET", GROUPS + "/{id}"),
    ("PUT", GROUPS + "/{id}"),
    ("PATCH", GROUPS + "/{id}"),
    ("DELETE", GROUPS + "/{id}"),
]


@pytest.mark.parametrize(("method", "url"), CLIENT_CALLS)
def test_another_companys_client_is_not_found(api, outsider, method, url):
    theirs = ClientFactory.create(company=outsider.company, name="Theirs")
    assert_foreign_id_is_not_found(
        api, method, url, theirs.pk, "Client not found", data={"name": "Mine"}
    )
    theirs.refresh_from_db()
    assert (theirs.name, theirs.is_deleted) == ("Theirs", False)


@pytest.mark.parametrize(("method", "url"), GROUP_CALLS)
def test_another_companys_group_is_not_found(api, outsider, method, url):
    theirs = GroupSettingFactory.create(company=outsider.company, name="Theirs")
    assert_foreign_id_is_not_found(
        api, method, url, theirs.pk, "Group not found", data={"name": "Mine"}
    )
    theirs.refresh_from_db()
    assert (theirs.name, theirs.is_deleted) == ("Theirs", False)


def test_the_list_shows_only_the_companys_clients(api, company, outsider):
    mine = ClientFactory.create(company=company)
    ClientFactory.create(company=outsider.company)
    rows = api.get(CLIENTS).json()["data"]
    assert [row["number"] for row in rows] == [mine.number]


def test_the_group_list_shows_only_the_companys_groups(api, company, outsider):
    GroupSettingFactory.create(company=company, name="Mine")
    GroupSettingFactory.create(company=outsider.company, name="Theirs")
    assert [row["name"] for row in api.get(GROUPS).json()["data"]] == ["Mine"]


def test_bulk_on_another_companys_groups_changes_nothing(api, outsider):
    theirs = GroupSettingFactory.create(company=outsider.company)
    response = api.post(
        f"{GROUPS}/bulk",
        {"action": "delete", "ids": [encode_id(theirs.pk)]},
        format="json",
    )
    assert response.status_code == 422
    assert not GroupSetting.objects.filter(is_deleted=True).exists()


def test_no_endpoint_works_without_a_token(db):
    anonymous = APIClient()
    for response in (
        anonymous.get(CLIENTS),
        anonymous.post(CLIENTS, {"name": "x"}, format="json"),
        anonymous.get(GROUPS),
        anonymous.post(f"{CLIENTS}/bulk", {}, format="json"),
    ):
        assert response.status_code == 403
    assert not Client.objects.exists()
