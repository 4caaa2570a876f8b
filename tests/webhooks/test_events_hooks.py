"""Every path that changes a client writes its event's deliveries, in the same
transaction: the API, bulk actions, the admin, the CSV import, merge, purge."""

from typing import Any

import pytest
from django.core.management import CommandError
from django.urls import reverse

from clients.models import Client
from clients.services.clients import client_update
from clients.services.merge import client_merge
from clients.services.purge import clients_purge
from config.api.hashids import encode_id
from tests.clients.support import CLIENTS, client_url
from tests.factories import PASSWORD, ClientFactory, ContactFactory
from tests.ops.test_client_admin import (
    change_url,
    client_form,
    contact_formset,
    contact_row,
    documents_formset,
)
from tests.ops.test_export_import import import_file, write_csv
from tests.webhooks.support import bodies, delivered, subscribe

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:clients_client_changelist")


def key(client: Client | int) -> str:
    return f"client:{client if isinstance(client, int) else client.pk}"


def test_an_api_create_delivers_the_client_as_the_show_answers_it(owner: Any) -> None:
    subscribe(owner.company)
    response = owner.api.post(
        CLIENTS, {"name": "Acme", "contacts": [{"email": "a@x.test"}]}, format="json"
    )
    assert response.status_code == 200, response.content
    pk = Client.objects.get().pk
    assert delivered() == [("client.created", key(pk))]
    [body] = bodies("client.created")
    assert (body["event"], body["event_id"]) == ("client.created", 1)
    assert body["created_at"].endswith("Z")
    shown = owner.api.get(client_url(pk)).json()["data"]
    assert body["data"] == shown


def test_an_api_update_and_delete_deliver_updated_then_deleted(owner: Any) -> None:
    subscribe(owner.company)
    client = ClientFactory.create(company=owner.company)
    assert (
        owner.api.put(
            client_url(client.pk), {"name": "Renamed"}, format="json"
        ).status_code
        == 200
    )
    assert owner.api.delete(client_url(client.pk)).status_code == 200
    assert delivered() == [
        ("client.updated", key(client)),
        ("client.deleted", key(client)),
    ]
    assert bodies("client.updated")[0]["data"]["name"] == "Renamed"
    assert bodies("client.deleted")[0]["data"]["is_deleted"] is True


def test_paymo_active_false_delivers_updated_then_archived(owner: Any) -> None:
    subscribe(owner.company)
    client = ClientFactory.create(company=owner.company)
    response = owner.api.put(
        client_url(client.pk), {"name": "N", "active": False}, format="json"
    )
    assert response.status_code == 200, response.content
    assert delivered() == [
        ("client.updated", key(client)),
        ("client.archived", key(client)),
    ]


def test_only_the_subscribed_event_and_live_subscriptions_get_deliveries(
    owner: Any,
) -> None:
    from django.utils import timezone

    subscribe(owner.company, 10)
    subscribe(owner.company, 1, archived_at=timezone.now())
    subscribe(owner.company, 1, is_deleted=True, archived_at=timezone.now())
    subscribe(owner.company, 1, disabled_at=timezone.now())
    client = ClientFactory.create(company=owner.company)
    owner.api.post(CLIENTS, {"name": "Not delivered"}, format="json")
    owner.api.put(client_url(client.pk), {"name": "Delivered"}, format="json")
    assert delivered() == [("client.updated", key(client))]


def test_another_companys_subscriptions_get_nothing(owner: Any, outsider: Any) -> None:
    subscribe(outsider.company)
    owner.api.post(CLIENTS, {"name": "Acme"}, format="json")
    assert delivered() == []


def test_a_write_that_fails_validation_delivers_nothing(owner: Any) -> None:
    subscribe(owner.company)
    client = ClientFactory.create(company=owner.company)
    bad = owner.api.put(
        client_url(client.pk), {"contacts": [{"email": "not-an-email"}]}, format="json"
    )
    assert bad.status_code == 422
    assert (
        owner.api.post(CLIENTS, {"country_id": "99999"}, format="json").status_code
        == 422
    )
    assert delivered() == []


def test_a_write_that_rolls_back_after_its_event_delivers_nothing(owner: Any) -> None:
    from django.db import transaction

    subscribe(owner.company)
    client = ClientFactory.create(company=owner.company)
    with pytest.raises(RuntimeError), transaction.atomic():
        client_update(client=client, user=None, data={"name": "Rolled back"})
        assert delivered() == [("client.updated", key(client))]
        raise RuntimeError
    assert delivered() == []


@pytest.mark.parametrize(
    ("action", "event"),
    [
        ("archive", "client.archived"),
        ("delete", "client.deleted"),
        ("add_tags", "client.updated"),
        ("bulk_update", "client.updated"),
    ],
)
def test_bulk_actions_deliver_one_event_per_changed_client(
    owner: Any, action: str, event: str
) -> None:
    subscribe(owner.company)
    clients = ClientFactory.create_batch(3, company=owner.company)
    extra = {"tags": ["vip"], "column": "public_notes", "new_value": "x"}
    response = owner.api.post(
        f"{CLIENTS}/bulk",
        {"action": action, "ids": [encode_id(c.pk) for c in clients], **extra},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert delivered() == [(event, key(c)) for c in clients]


def test_restoring_delivers_restored_and_skips_clients_already_active(
    owner: Any,
) -> None:
    subscribe(owner.company)
    archived = ClientFactory.create(company=owner.company)
    active = ClientFactory.create(company=owner.company)
    owner.api.post(
        f"{CLIENTS}/bulk",
        {"action": "archive", "ids": [encode_id(archived.pk)]},
        format="json",
    )
    owner.api.post(
        f"{CLIENTS}/bulk",
        {"action": "restore", "ids": [encode_id(archived.pk), encode_id(active.pk)]},
        format="json",
    )
    assert delivered() == [
        ("client.archived", key(archived)),
        ("client.restored", key(archived)),
    ]


def test_the_owner_status_and_tags_verbs_deliver(owner: Any) -> None:
    subscribe(owner.company)
    client = ClientFactory.create(company=owner.company)
    contact = ContactFactory.create(client=client, is_primary=False)
    url = client_url(client.pk)
    owner.api.post(f"{url}/tags", {"tags": ["a"]}, format="json")
    owner.api.post(f"{url}/owner", {"contact_id": encode_id(contact.pk)}, format="json")
    owner.api.post(f"{url}/status", {"status": "archived"}, format="json")
    assert delivered() == [
        ("client.updated", key(client)),
        ("client.updated", key(client)),
        ("client.archived", key(client)),
    ]
    assert bodies("client.updated")[0]["data"]["tags"] == ["a"]


def test_the_admin_change_form_and_actions_deliver(
    admin_client: Any, owner: Any
) -> None:
    subscribe(owner.company)
    client = ClientFactory.create(company=owner.company, name="Old")
    contact = ContactFactory.create(client=client)
    data = {
        **client_form(client, name="New"),
        **contact_formset([contact_row(contact)]),
        **documents_formset(client),
    }
    assert admin_client.post(change_url(client), data).status_code == 302
    response = admin_client.post(
        CHANGELIST, {"action": "archive_clients", "_selected_action": [client.pk]}
    )
    assert response.status_code == 302
    assert delivered() == [
        ("client.updated", key(client)),
        ("client.archived", key(client)),
    ]


def test_the_csv_import_delivers_created_and_a_bad_file_nothing(
    owner: Any, tmp_path: Any
) -> None:
    subscribe(owner.company)
    good = write_csv(tmp_path, [{"name": "One"}, {"name": "Two"}])
    import_file(owner.company, good)
    assert [event for event, _ in delivered()] == ["client.created"] * 2
    bad = write_csv(tmp_path, [{"name": "Three"}, {"name": "X", "country_id": "99999"}])
    with pytest.raises(CommandError):
        import_file(owner.company, bad)
    assert len(delivered()) == 2


def test_a_merge_delivers_merged_for_the_kept_client_naming_the_other(
    owner: Any,
) -> None:
    subscribe(owner.company)
    keep = ClientFactory.create(company=owner.company, balance=10)
    gone = ClientFactory.create(company=owner.company, balance=5)
    client_merge(primary=keep, merged=gone, user=None)
    assert delivered() == [("client.merged", key(keep))]
    [body] = bodies("client.merged")
    assert body["event_id"] == 1001
    assert body["merged_client_id"] == encode_id(gone.pk)
    assert body["data"]["balance"] == 15


def test_the_merge_api_delivers(owner: Any) -> None:
    subscribe(owner.company)
    keep, gone = ClientFactory.create_batch(2, company=owner.company)
    response = owner.api.post(
        f"{client_url(keep.pk)}/{encode_id(gone.pk)}/merge",
        format="json",
        HTTP_X_API_PASSWORD=PASSWORD,
    )
    assert response.status_code == 200, response.content
    assert delivered() == [("client.merged", key(keep))]


def test_a_purge_delivers_the_clients_last_state(owner: Any) -> None:
    subscribe(owner.company)
    client = ClientFactory.create(company=owner.company, name="Last words")
    ContactFactory.create(client=client, email="gone@x.test")
    response = owner.api.post(
        f"{client_url(client.pk)}/purge", format="json", HTTP_X_API_PASSWORD=PASSWORD
    )
    assert response.status_code == 200, response.content
    assert not Client.objects.filter(pk=client.pk).exists()
    assert delivered() == [("client.purged", key(client))]
    [body] = bodies("client.purged")
    assert body["data"]["name"] == "Last words"
    assert [c["email"] for c in body["data"]["contacts"]] == ["gone@x.test"]


def test_a_purge_of_several_companies_clients_delivers_to_each_company(
    owner: Any, outsider: Any
) -> None:
    subscribe(owner.company, 1002)
    subscribe(outsider.company, 1002)
    mine = ClientFactory.create(company=owner.company)
    theirs = ClientFactory.create(company=outsider.company)
    clients_purge(clients_queryset=Client.objects.all())
    assert delivered(owner.company) == [("client.purged", key(mine))]
    assert delivered(outsider.company) == [("client.purged", key(theirs))]


def test_every_subscription_to_the_event_gets_its_own_delivery(owner: Any) -> None:
    subscribe(owner.company, 10, 10, 10)
    client = ClientFactory.create(company=owner.company)
    owner.api.put(client_url(client.pk), {"name": "x"}, format="json")
    assert delivered() == [("client.updated", key(client))] * 3
