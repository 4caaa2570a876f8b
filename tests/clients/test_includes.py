"""`include=` on list, show, edit, create and update."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from clients.models import Activity, Client, LedgerEntry
from config.api.hashids import encode_id
from tests.clients.support import CLIENTS, client_url, create
from tests.factories import ClientFactory, GroupSettingFactory

UNKNOWN = {"message": "Relation `first_load` is not a valid include.", "errors": {}}


def add_activities(client, count):
    start = timezone.now() - timedelta(days=1)
    Activity.objects.bulk_create(
        Activity(
            company=client.company,
            client=client,
            activity_type_id=61,
            notes=str(index),
            created_at=start + timedelta(seconds=index),
        )
        for index in range(count)
    )


def test_without_include_the_optional_relations_are_absent(api, company):
    client = ClientFactory.create(company=company)
    data = api.get(client_url(client.pk)).json()["data"]
    assert not {"activities", "group_settings", "ledger", "system_logs"} & set(data)


def test_activities_are_the_50_newest_newest_first(api, company):
    client = ClientFactory.create(company=company)
    add_activities(client, 60)
    activities = api.get(client_url(client.pk), {"include": "activities"}).json()[
        "data"
    ]["activities"]
    assert [a["notes"] for a in activities] == [str(i) for i in range(59, 9, -1)]
    assert set(activities[0]) == {
        "id",
        "activity_type_id",
        "client_id",
        "user_id",
        "notes",
        "created_at",
        "updated_at",
    }
    assert activities[0]["client_id"] == encode_id(client.pk)


def test_activities_are_limited_per_client_on_the_list(api, company):
    first, second = (
        ClientFactory.create(company=company),
        ClientFactory.create(company=company),
    )
    add_activities(first, 55)
    add_activities(second, 3)
    rows = api.get(CLIENTS, {"include": "activities"}).json()["data"]
    assert [len(row["activities"]) for row in rows] == [50, 3]


def test_group_settings_is_the_group_object_or_absent(api, company):
    group = GroupSettingFactory.create(company=company, settings={"currency_id": "2"})
    ClientFactory.create(company=company, group_settings=group)
    ClientFactory.create(company=company)
    rows = api.get(CLIENTS, {"include": "group_settings"}).json()["data"]
    assert rows[0]["group_settings"] == {
        "id": encode_id(group.pk),
        "name": group.name,
        "settings": {"currency_id": "2"},
        "created_at": int(group.created_at.timestamp()),
        "updated_at": int(group.updated_at.timestamp()),
        "archived_at": 0,
        "is_deleted": False,
    }
    assert "group_settings" not in rows[1]


def test_the_ledger_is_newest_first(api, company):
    client = ClientFactory.create(company=company)
    now = timezone.now()
    for days, amount in ((2, "1"), (1, "2")):
        entry = LedgerEntry.objects.create(
            company=company,
            client=client,
            notes=f"n{amount}",
            adjustment=Decimal(amount),
            balance=Decimal(amount),
        )
        LedgerEntry.objects.filter(pk=entry.pk).update(
            created_at=now - timedelta(days=days)
        )
    ledger = api.get(client_url(client.pk), {"include": "ledger"}).json()["data"][
        "ledger"
    ]
    assert [row["notes"] for row in ledger] == ["n2", "n1"]
    assert set(ledger[0]) == {
        "id",
        "notes",
        "adjustment",
        "balance",
        "created_at",
        "updated_at",
    }
    assert ledger[0]["adjustment"] == 2.0


def test_system_logs_are_an_empty_list(api, company):
    client = ClientFactory.create(company=company)
    data = api.get(
        client_url(client.pk), {"include": "activities,ledger,system_logs"}
    ).json()["data"]
    assert data["system_logs"] == []
    assert data["ledger"] == []


def test_always_included_relations_may_be_named(api, company):
    client = ClientFactory.create(company=company)
    response = api.get(
        client_url(client.pk), {"include": "contacts,documents,gateway_tokens,,"}
    )
    assert response.status_code == 200


def test_create_and_update_responses_honour_include(api):
    response = api.post(
        f"{CLIENTS}?include=activities", {"name": "Acme"}, format="json"
    )
    data = response.json()["data"]
    assert [a["activity_type_id"] for a in data["activities"]] == ["1"]
    response = api.put(
        client_url(data["id"], "?include=activities"), {"name": "B"}, format="json"
    )
    assert [a["activity_type_id"] for a in response.json()["data"]["activities"]] == [
        "61",
        "1",
    ]


@pytest.mark.parametrize("suffix", ["", "/{id}", "/{id}/edit", "/create"])
def test_an_unknown_include_is_a_400_on_reads(api, company, suffix):
    client = ClientFactory.create(company=company)
    url = CLIENTS + suffix.format(id=encode_id(client.pk))
    response = api.get(url, {"include": "activities,first_load"})
    assert response.status_code == 400
    assert response.json() == UNKNOWN


def test_an_unknown_include_on_create_writes_nothing(api):
    response = api.post(
        f"{CLIENTS}?include=first_load", {"name": "Acme"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == UNKNOWN
    assert not Client.objects.exists()


def test_an_unknown_include_on_update_writes_nothing(api):
    data = create(api, name="Acme")
    response = api.put(
        client_url(data["id"], "?include=first_load"), {"name": "B"}, format="json"
    )
    assert response.status_code == 400
    assert Client.objects.get().name == "Acme"
