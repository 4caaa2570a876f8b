"""`/api/v1/group_settings` and the client → group → company chain."""

import pytest
from django.utils import timezone

from clients.models import Client, GroupSetting
from clients.services.settings import settings_resolve
from config.api.hashids import encode_id
from tests.clients.support import GROUPS, errors, group_url
from tests.factories import ClientFactory, GroupSettingFactory

FIELDS = {"id", "name", "settings", "created_at", "updated_at", "archived_at"}


def test_create_answers_200_with_the_group(api, company):
    response = api.post(
        GROUPS, {"name": "<b>VIP</b>", "settings": {"currency_id": 2}}, format="json"
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == FIELDS | {"is_deleted"}
    assert (data["name"], data["settings"]) == ("VIP", {"currency_id": "2"})
    assert GroupSetting.objects.get().company == company


def test_create_needs_a_name(api):
    assert errors(api.post(GROUPS, {"settings": {}}, format="json")) == {
        "name": ["The name field is required."]
    }
    assert errors(api.post(GROUPS, {"name": "  "}, format="json")) == {
        "name": ["The name field is required."]
    }


def test_names_are_unique_in_the_company(api, company, outsider):
    GroupSettingFactory.create(company=company, name="VIP")
    GroupSettingFactory.create(company=outsider.company, name="Other")
    assert errors(api.post(GROUPS, {"name": "VIP"}, format="json")) == {
        "name": ["The name has already been taken."]
    }
    assert api.post(GROUPS, {"name": "Other"}, format="json").status_code == 200


def test_group_settings_are_typed_like_client_settings(api):
    response = api.post(
        GROUPS,
        {"name": "G", "settings": {"currency_id": "a", "send_reminders": "maybe"}},
        format="json",
    )
    assert sorted(errors(response)["settings"]) == [
        "currency_id is not a valid integer",
        "send_reminders is not a valid bool",
    ]
    assert not GroupSetting.objects.exists()


def test_show_list_and_update(api, company):
    group = GroupSettingFactory.create(company=company, settings={"currency_id": "2"})
    assert api.get(group_url(group.pk)).json()["data"]["id"] == encode_id(group.pk)
    assert [row["id"] for row in api.get(GROUPS).json()["data"]] == [
        encode_id(group.pk)
    ]
    response = api.put(
        group_url(group.pk),
        {"name": "Renamed", "settings": {"language_id": "3"}},
        format="json",
    )
    data = response.json()["data"]
    assert data["name"] == "Renamed"
    assert data["settings"] == {"currency_id": "2", "language_id": "3"}
    response = api.patch(group_url(group.pk), {"settings": {}}, format="json")
    assert response.json()["data"]["name"] == "Renamed"


def test_an_update_may_keep_its_own_name(api, company):
    group = GroupSettingFactory.create(company=company, name="VIP")
    response = api.put(group_url(group.pk), {"name": "VIP"}, format="json")
    assert response.status_code == 200


def test_delete_soft_deletes_and_show_still_works(api, company):
    group = GroupSettingFactory.create(company=company)
    response = api.delete(group_url(group.pk))
    assert response.status_code == 200
    assert response.json()["data"]["is_deleted"] is True
    assert response.json()["data"]["archived_at"] > 0
    assert api.get(group_url(group.pk)).json()["data"]["is_deleted"] is True
    response = api.put(group_url(group.pk), {"name": "x"}, format="json")
    assert response.status_code == 400


def test_bulk_archive_restore_delete(api, company):
    first, second = (GroupSettingFactory.create(company=company) for _ in range(2))
    ids = [encode_id(first.pk), encode_id(second.pk)]
    body = api.post(
        f"{GROUPS}/bulk", {"action": "archive", "ids": ids}, format="json"
    ).json()
    assert all(row["archived_at"] > 0 for row in body["data"])
    api.post(f"{GROUPS}/bulk", {"action": "delete", "ids": ids[:1]}, format="json")
    first.refresh_from_db()
    assert first.is_deleted
    api.post(f"{GROUPS}/bulk", {"action": "restore", "ids": ids}, format="json")
    assert not GroupSetting.objects.exclude(archived_at=None).exists()
    response = api.post(f"{GROUPS}/bulk", {"action": "nope", "ids": ids}, format="json")
    assert list(errors(response)) == ["action"]


@pytest.mark.parametrize(
    ("status", "names"),
    [
        ("active", ["a"]),
        ("archived", ["b"]),
        ("deleted", ["c"]),
        ("active,deleted", ["a", "c"]),
        (None, ["a", "b", "c"]),
    ],
)
def test_the_list_filters_by_status(api, company, status, names):
    GroupSettingFactory.create(company=company, name="a")
    GroupSettingFactory.create(company=company, name="b", archived_at=timezone.now())
    GroupSettingFactory.create(
        company=company, name="c", archived_at=timezone.now(), is_deleted=True
    )
    params = {"status": status} if status else {}
    rows = api.get(GROUPS, params).json()["data"]
    assert [row["name"] for row in rows] == names


def test_the_list_filters_by_name(api, company):
    GroupSettingFactory.create(company=company, name="Very Important")
    GroupSettingFactory.create(company=company, name="Other")
    rows = api.get(GROUPS, {"name": "important"}).json()["data"]
    assert [row["name"] for row in rows] == ["Very Important"]


def test_settings_resolve_client_then_group_then_company(db, company):
    company.settings = {
        **company.settings,
        "currency_id": "1",
        "language_id": "1",
        "payment_terms": "7",
    }
    company.save()
    group = GroupSettingFactory.create(
        company=company, settings={"currency_id": "2", "language_id": "5"}
    )
    client = ClientFactory.create(
        company=company,
        group_settings=group,
        settings={"currency_id": "3", "language_id": "", "industry_id": ""},
    )
    resolved = settings_resolve(Client.objects.get(pk=client.pk))
    assert resolved["currency_id"] == "3"
    assert resolved["language_id"] == "5"
    assert resolved["payment_terms"] == "7"
    assert resolved["country_id"] == "840"


def test_settings_resolve_without_a_group(db, company):
    client = ClientFactory.create(company=company, settings={})
    assert settings_resolve(client)["currency_id"] == "1"


def test_a_state_change_that_fails_midway_changes_no_group(company, monkeypatch):
    """The archive runs in one transaction: when a step after the UPDATE fails
    (here, a database error raised once the rows are archived), every group of
    the set keeps its state."""
    from django.db import DatabaseError

    from clients.services import groups as group_services

    groups = GroupSettingFactory.create_batch(3, company=company)

    def archive_then_fail(rows):
        assert rows.archive() == 3
        raise DatabaseError("the connection dropped")

    monkeypatch.setitem(
        group_services.GROUP_STATE_CHANGES, "archive", archive_then_fail
    )
    with pytest.raises(DatabaseError):
        group_services.group_settings_change_state(
            groups_queryset=GroupSetting.objects.filter(company=company),
            action="archive",
        )
    assert GroupSetting.objects.filter(archived_at__isnull=False).count() == 0
    assert {group.pk for group in GroupSetting.objects.active()} == {
        group.pk for group in groups
    }
