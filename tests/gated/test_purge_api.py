"""`POST /api/v1/clients/{id}/purge` end to end."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from clients.models import Activity, Client, LedgerEntry
from config.api.hashids import encode_id
from contacts.models import ClientContact
from documents.models import Document
from tests.conftest import Member
from tests.factories import PASSWORD, ClientFactory, ContactFactory
from tests.gated.conftest import (
    activity_create,
    document_create,
    ledger_create,
    stored_files,
)
from tests.isolation import assert_foreign_id_is_not_found

pytestmark = pytest.mark.django_db

SUCCESS = {"message": "Success", "data": {"message": "Success"}}
NOT_FOUND = {"message": "Client not found", "errors": {}}


def purge(api: APIClient, client: Client | str, pw: str | None = PASSWORD) -> Any:
    hashid = client if isinstance(client, str) else encode_id(client.pk)
    headers: dict[str, Any] = {} if pw is None else {"HTTP_X_API_PASSWORD": pw}
    return api.post(f"/api/v1/clients/{hashid}/purge", format="json", **headers)


def client_with(
    company: Any, *, contacts: int, documents: int, activities: int = 1
) -> Client:
    client: Client = ClientFactory.create(company=company)
    ContactFactory.create_batch(contacts, client=client, is_primary=False)
    for _ in range(documents):
        document_create(client)
    for _ in range(activities):
        activity_create(client)
    ledger_create(client)
    return client


def test_purge_answers_success_in_both_shapes(owner: Member, media: Path) -> None:
    client = client_with(owner.company, contacts=1, documents=1)

    response = purge(owner.api, client)

    assert response.status_code == 200
    assert response.json() == SUCCESS


def test_purge_removes_the_client_its_rows_and_after_commit_its_files(
    owner: Member,
    media: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = client_with(owner.company, contacts=2, documents=2)
    assert len(stored_files(media)) == 2

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert purge(owner.api, client).status_code == 200
        assert len(stored_files(media)) == 2, "files wait for the commit"

    assert len(callbacks) == 1
    assert stored_files(media) == []
    assert not Client.objects.filter(pk=client.pk).exists()
    assert not ClientContact.objects.filter(client_id=client.pk).exists()
    assert not Activity.objects.filter(client_id=client.pk).exists()
    assert not LedgerEntry.objects.filter(client_id=client.pk).exists()
    assert not Document.objects.filter(owner_id=client.pk).exists()


def test_a_purged_client_answers_404_afterwards(owner: Member, media: Path) -> None:
    client = client_with(owner.company, contacts=1, documents=0)
    assert purge(owner.api, client).status_code == 200

    again = purge(owner.api, client)

    assert again.status_code == 404
    assert again.json() == NOT_FOUND


def test_archived_and_deleted_clients_can_be_purged(owner: Member) -> None:
    archived = ClientFactory.create(company=owner.company)
    deleted = ClientFactory.create(company=owner.company)
    Client.objects.filter(pk=archived.pk).archive()
    Client.objects.filter(pk=deleted.pk).soft_delete()

    assert purge(owner.api, archived).status_code == 200
    assert purge(owner.api, deleted).status_code == 200
    assert not Client.objects.filter(pk__in=[archived.pk, deleted.pk]).exists()


def with_password(member: Member) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_X_API_TOKEN=member.token, HTTP_X_API_PASSWORD=PASSWORD)
    return api


def test_another_companys_client_is_not_found_and_kept(
    owner: Member, outsider: Member
) -> None:
    foreign = client_with(outsider.company, contacts=1, documents=0)

    assert_foreign_id_is_not_found(
        with_password(owner),
        "post",
        "/api/v1/clients/{id}/purge",
        foreign.pk,
        "Client not found",
    )

    assert Client.objects.filter(pk=foreign.pk).exists()
    assert ClientContact.objects.filter(client_id=foreign.pk).exists()


def test_ids_are_checked_only_after_the_admin_and_password_checks(
    owner: Member, outsider: Member, make_member: Callable[..., Member]
) -> None:
    foreign = ClientFactory.create(company=outsider.company)
    clerk = make_member(owner.company, is_owner=False, is_admin=False)

    not_admin = purge(clerk.api, encode_id(foreign.pk))
    no_password = purge(owner.api, encode_id(foreign.pk), pw=None)

    assert not_admin.status_code == 403
    assert not_admin.json() == {"message": "This action is unauthorized.", "errors": {}}
    assert no_password.status_code == 412
    assert no_password.json() == {"message": "Invalid Password", "errors": {}}


def test_a_non_admin_may_not_purge_even_with_every_permission(
    owner: Member, make_member: Callable[..., Member]
) -> None:
    client = ClientFactory.create(company=owner.company, user=None)
    clerk = make_member(
        owner.company,
        is_owner=False,
        is_admin=False,
        permissions=["view_all", "edit_all", "create_all"],
    )

    response = purge(clerk.api, client)

    assert response.status_code == 403
    assert Client.objects.filter(pk=client.pk).exists()


def test_a_wrong_password_purges_nothing(owner: Member) -> None:
    client = ClientFactory.create(company=owner.company)

    response = purge(owner.api, client, pw="wrong-password")

    assert response.status_code == 412
    assert Client.objects.filter(pk=client.pk).exists()


def test_purge_inside_the_grace_window_needs_no_password(owner: Member) -> None:
    first = ClientFactory.create(company=owner.company)
    second = ClientFactory.create(company=owner.company)
    assert purge(owner.api, first).status_code == 200

    assert purge(owner.api, second, pw=None).status_code == 200


def test_purge_works_with_a_trailing_slash_and_only_with_post(owner: Member) -> None:
    client = ClientFactory.create(company=owner.company)
    url = f"/api/v1/clients/{encode_id(client.pk)}/purge/"

    for method in ("get", "put", "patch", "delete"):
        response = getattr(owner.api, method)(url, HTTP_X_API_PASSWORD=PASSWORD)
        assert response.status_code == 405, method
        assert set(response.json()) == {"message", "errors"}
    response = owner.api.post(url, HTTP_X_API_PASSWORD=PASSWORD)
    assert response.status_code == 200


# 12, and the cascade over the clients' tags (one DELETE).
PURGE_QUERIES = 14  # one of them: the webhook subscriptions


def test_purge_query_count_does_not_grow_with_the_clients_rows(
    owner: Member, media: Path, django_assert_num_queries: Callable[..., Any]
) -> None:
    small = client_with(owner.company, contacts=2, documents=1)
    large = client_with(owner.company, contacts=200, documents=50, activities=30)
    # Warm up: the token's last_used_at is written once a minute.
    assert purge(owner.api, "not-a-hashid").status_code == 404

    for client in (small, large):
        with django_assert_num_queries(PURGE_QUERIES):
            assert purge(owner.api, client).status_code == 200
