"""`POST /api/v1/clients/{id}/{mergeable_id}/merge` end to end."""

from collections.abc import Callable
from decimal import Decimal
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
from tests.gated.conftest import activity_create, document_create, snapshot
from tests.isolation import assert_foreign_id_is_not_found

pytestmark = pytest.mark.django_db

NOT_FOUND = {"message": "Client not found", "errors": {}}
SAME = {
    "message": "Attempting to merge the same client is not possible.",
    "errors": {},
}


def hashid(client: Client | str) -> str:
    return client if isinstance(client, str) else encode_id(client.pk)


def merge(
    api: APIClient,
    primary: Client | str,
    merged: Client | str,
    pw: str | None = PASSWORD,
    query: str = "",
) -> Any:
    headers: dict[str, Any] = {} if pw is None else {"HTTP_X_API_PASSWORD": pw}
    url = f"/api/v1/clients/{hashid(primary)}/{hashid(merged)}/merge{query}"
    return api.post(url, format="json", **headers)


def with_password(member: Member) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_X_API_TOKEN=member.token, HTTP_X_API_PASSWORD=PASSWORD)
    return api


def make_client(company: Any, **fields: Any) -> Client:
    return ClientFactory.create(company=company, **fields)


def test_merge_answers_the_primary_client_with_everything_moved(
    owner: Member, media: Path
) -> None:
    primary = make_client(owner.company, name="Primary Co", balance=Decimal("10"))
    ContactFactory.create(client=primary, email="boss@acme.test", is_primary=True)
    merged = make_client(
        owner.company, name="Merged Co", balance=Decimal("2.5"), paid_to_date=1
    )
    ContactFactory.create(client=merged, email="BOSS@acme.test", is_primary=True)
    ContactFactory.create(client=merged, email="new@acme.test", is_primary=False)
    ContactFactory.create(client=merged, email="", is_primary=False)
    document_create(merged)
    activity_create(merged)

    response = merge(owner.api, primary, merged)

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["id"] == encode_id(primary.pk)
    assert data["name"] == "Primary Co"
    assert data["balance"] == 12.5
    assert data["paid_to_date"] == 1
    assert [(c["email"], c["is_primary"]) for c in data["contacts"]] == [
        ("boss@acme.test", True),
        ("new@acme.test", False),
    ]
    assert [d["id"] for d in data["documents"]] == [
        encode_id(pk)
        for pk in Document.objects.order_by("pk").values_list("pk", flat=True)
    ]
    assert not Client.objects.filter(pk=merged.pk).exists()


def test_merge_response_honours_include(owner: Member) -> None:
    primary = make_client(owner.company)
    merged = make_client(owner.company, name="Merged Co", balance=Decimal("4"))

    response = merge(owner.api, primary, merged, query="?include=ledger,activities")

    assert response.status_code == 200
    data = response.json()["data"]
    assert [row["notes"] for row in data["ledger"]] == [
        "Balance update after merging Merged Co"
    ]
    assert data["ledger"][0]["adjustment"] == 4
    assert data["ledger"][0]["balance"] == 4
    assert [row["activity_type_id"] for row in data["activities"]] == [
        str(Activity.MERGE_CLIENT)
    ]


def test_an_unknown_include_is_400_and_merges_nothing(owner: Member) -> None:
    primary = make_client(owner.company)
    merged = make_client(owner.company)
    before = snapshot()

    response = merge(owner.api, primary, merged, query="?include=bogus")

    assert response.status_code == 400
    assert response.json() == {
        "message": "Relation `bogus` is not a valid include.",
        "errors": {},
    }
    assert snapshot() == before


def test_the_merged_id_answers_404_afterwards(owner: Member) -> None:
    primary = make_client(owner.company)
    merged = make_client(owner.company)
    assert merge(owner.api, primary, merged).status_code == 200

    as_primary = merge(owner.api, merged, primary)
    purge = owner.api.post(
        f"/api/v1/clients/{encode_id(merged.pk)}/purge", HTTP_X_API_PASSWORD=PASSWORD
    )

    assert (as_primary.status_code, as_primary.json()) == (404, NOT_FOUND)
    assert (purge.status_code, purge.json()) == (404, NOT_FOUND)


def test_merging_a_client_into_itself_is_400(owner: Member) -> None:
    client = make_client(owner.company)
    before = snapshot()

    response = merge(owner.api, client, client)

    assert (response.status_code, response.json()) == (400, SAME)
    assert snapshot() == before


def test_an_unknown_or_foreign_mergeable_id_is_400_client_not_found(
    owner: Member, outsider: Member
) -> None:
    primary = make_client(owner.company)
    foreign = make_client(outsider.company)
    before = snapshot()

    assert_foreign_id_is_not_found(
        with_password(owner),
        "post",
        f"/api/v1/clients/{encode_id(primary.pk)}/{{id}}/merge",
        foreign.pk,
        "Client not found",
        status=400,
    )

    assert snapshot() == before


def test_an_unknown_or_foreign_primary_id_is_404_client_not_found(
    owner: Member, outsider: Member
) -> None:
    merged = make_client(owner.company)
    foreign = make_client(outsider.company)
    before = snapshot()

    assert_foreign_id_is_not_found(
        with_password(owner),
        "post",
        f"/api/v1/clients/{{id}}/{encode_id(merged.pk)}/merge",
        foreign.pk,
        "Client not found",
    )

    assert snapshot() == before


def test_a_bad_primary_id_is_404_even_when_both_ids_are_the_same(
    owner: Member, outsider: Member
) -> None:
    foreign = make_client(outsider.company)

    for bad in ("not-a-hashid", encode_id(foreign.pk)):
        response = merge(owner.api, bad, bad)
        assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_ids_are_checked_only_after_the_admin_and_password_checks(
    owner: Member, make_member: Callable[..., Member]
) -> None:
    clerk = make_member(owner.company, is_owner=False, is_admin=False)

    not_admin = merge(clerk.api, "not-a-hashid", "not-a-hashid")
    no_password = merge(owner.api, "not-a-hashid", "not-a-hashid", pw=None)

    assert not_admin.status_code == 403
    assert not_admin.json() == {"message": "This action is unauthorized.", "errors": {}}
    assert no_password.status_code == 412
    assert no_password.json() == {"message": "Invalid Password", "errors": {}}


def test_a_non_admin_may_not_merge_even_with_every_permission(
    owner: Member, make_member: Callable[..., Member]
) -> None:
    primary = make_client(owner.company)
    merged = make_client(owner.company)
    clerk = make_member(
        owner.company,
        is_owner=False,
        is_admin=False,
        permissions=["view_all", "edit_all", "create_all"],
    )
    before = snapshot()

    response = merge(clerk.api, primary, merged)

    assert response.status_code == 403
    assert snapshot() == before


def test_a_wrong_password_merges_nothing(owner: Member) -> None:
    primary = make_client(owner.company)
    merged = make_client(owner.company)
    before = snapshot()

    response = merge(owner.api, primary, merged, pw="wrong-password")

    assert response.status_code == 412
    assert snapshot() == before


def test_a_locked_user_cannot_merge_even_with_the_right_password(
    owner: Member,
) -> None:
    primary = make_client(owner.company)
    merged = make_client(owner.company)
    for _ in range(5):
        assert merge(owner.api, primary, merged, pw="wrong").status_code == 412

    response = merge(owner.api, primary, merged)

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert Client.objects.filter(pk=merged.pk).exists()


def test_merge_works_with_a_trailing_slash_and_only_with_post(owner: Member) -> None:
    primary = make_client(owner.company)
    merged = make_client(owner.company)
    url = f"/api/v1/clients/{hashid(primary)}/{hashid(merged)}/merge/"

    for method in ("get", "put", "patch", "delete"):
        response = getattr(owner.api, method)(url, HTTP_X_API_PASSWORD=PASSWORD)
        assert response.status_code == 405, method
        assert set(response.json()) == {"message", "errors"}
    assert owner.api.post(url, HTTP_X_API_PASSWORD=PASSWORD).status_code == 200


def client_with(
    company: Any, *, contacts: int, documents: int, activities: int = 1
) -> Client:
    client = make_client(company, balance=Decimal("5"))
    ContactFactory.create(client=client, email="shared@acme.test", is_primary=True)
    ContactFactory.create_batch(contacts - 1, client=client, is_primary=False)
    for _ in range(documents):
        document_create(client)
    for _ in range(activities):
        activity_create(client)
    return client


# 22, then the tags: the merged client's move over (one UPDATE) and the cascade
# drops the ones the primary had already (one DELETE).
MERGE_QUERIES = 25  # one of them: the webhook subscriptions


def test_merge_query_count_does_not_grow_with_contacts_documents_or_activities(
    owner: Member, media: Path, django_assert_num_queries: Callable[..., Any]
) -> None:
    primary = make_client(owner.company)
    ContactFactory.create(client=primary, email="shared@acme.test", is_primary=True)
    small = client_with(owner.company, contacts=2, documents=1)
    large = client_with(owner.company, contacts=200, documents=50, activities=30)
    # Warm up: the token's last_used_at is written once a minute.
    assert merge(owner.api, "not-a-hashid", "x").status_code == 404

    for merged in (small, large):
        with django_assert_num_queries(MERGE_QUERIES):
            assert merge(owner.api, primary, merged).status_code == 200

    assert ClientContact.objects.filter(client=primary).count() == 1 + 1 + 199
    assert Document.objects.filter(owner_id=primary.pk).count() == 51
    balances = LedgerEntry.objects.filter(client=primary).order_by("pk")
    assert list(balances.values_list("balance", flat=True)) == [5, 10]


def test_merge_gives_the_primary_the_tags_it_lacks(owner: Member) -> None:
    from clients.models import ClientTag
    from clients.services.tags import client_tags_set

    primary = make_client(owner.company, name="Primary")
    merged = make_client(owner.company, name="Merged")
    client_tags_set(client=primary, names=["vip", "north"])
    client_tags_set(client=merged, names=["VIP", "south"])
    response = merge(owner.api, primary, merged)
    assert response.status_code == 200, response.content
    assert response.json()["data"]["tags"] == ["north", "south", "vip"]
    assert set(ClientTag.objects.values_list("client_id", flat=True)) == {primary.pk}
