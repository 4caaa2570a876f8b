"""`client_merge`: balances, ledger, contacts, documents, activities."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from clients.models import Activity, Client, LedgerEntry
from clients.services.merge import client_display_name, client_merge
from companies.models import Company
from config.errors import Refusal
from contacts.models import ClientContact
from documents.models import Document
from tests.conftest import Member
from tests.factories import ClientFactory, ContactFactory
from tests.gated.conftest import (
    activity_create,
    document_create,
    ledger_create,
    snapshot,
    stored_files,
)

pytestmark = pytest.mark.django_db


def make_client(company: Company, **fields: object) -> Client:
    return ClientFactory.create(company=company, **fields)


def contact(client: Client, email: str, **fields: object) -> ClientContact:
    fields.setdefault("is_primary", False)
    return ContactFactory.create(client=client, email=email, **fields)


def live_contacts(client: Client) -> list[tuple[str, bool]]:
    return list(
        ClientContact.objects.filter(client=client, is_deleted=False)
        .order_by("-is_primary", "id")
        .values_list("email", "is_primary")
    )


def user_of(member: Member) -> User:
    return member.membership.user


def test_balances_add_up_and_a_ledger_row_records_the_merge(owner: Member) -> None:
    primary = make_client(
        owner.company, balance=Decimal("100.25"), paid_to_date=Decimal("10")
    )
    merged = make_client(
        owner.company,
        name="Acme Ltd",
        balance=Decimal("50.5"),
        paid_to_date=Decimal("5.125"),
    )

    result = client_merge(primary=primary, merged=merged, user=user_of(owner))

    primary.refresh_from_db()
    assert (primary.balance, primary.paid_to_date) == (
        Decimal("150.75"),
        Decimal("15.125"),
    )
    assert (result.balance, result.paid_to_date) == (
        primary.balance,
        primary.paid_to_date,
    )
    entry = LedgerEntry.objects.get(client=primary)
    assert entry.company_id == owner.company.pk
    assert entry.adjustment == Decimal("50.5")
    assert entry.balance == Decimal("150.75")
    assert entry.notes == "Balance update after merging Acme Ltd"


def test_the_merged_client_is_gone_with_its_ledger(owner: Member) -> None:
    primary = make_client(owner.company)
    merged = make_client(owner.company)
    ledger_create(merged)

    client_merge(primary=primary, merged=merged, user=user_of(owner))

    assert not Client.objects.filter(pk=merged.pk).exists()
    assert not LedgerEntry.objects.filter(client_id=merged.pk).exists()


def test_contacts_move_unless_blank_or_already_used_by_the_primary(
    owner: Member,
) -> None:
    primary = make_client(owner.company)
    contact(primary, "boss@acme.test", is_primary=True)
    contact(primary, "Billing@Acme.test")
    contact(primary, "old@acme.test", is_deleted=True)
    merged = make_client(owner.company)
    duplicate = contact(merged, " billing@ACME.test ", is_primary=True)
    blank = contact(merged, "")
    spaces = contact(merged, "   ")
    contact(merged, "new@acme.test")
    contact(merged, "old@acme.test")
    deleted = contact(merged, "deleted@acme.test", is_deleted=True)

    client_merge(primary=primary, merged=merged, user=user_of(owner))

    assert live_contacts(primary) == [
        ("boss@acme.test", True),
        ("Billing@Acme.test", False),
        ("new@acme.test", False),
        ("old@acme.test", False),
    ]
    dropped = [duplicate.pk, blank.pk, spaces.pk, deleted.pk]
    assert not ClientContact.objects.filter(pk__in=dropped).exists()


def test_the_primary_clients_primary_contact_stays_the_only_primary(
    owner: Member,
) -> None:
    primary = make_client(owner.company)
    boss = contact(primary, "boss@acme.test", is_primary=True)
    merged = make_client(owner.company)
    contact(merged, "first@acme.test", is_primary=True)
    contact(merged, "second@acme.test", is_primary=True)

    client_merge(primary=primary, merged=merged, user=user_of(owner))

    primaries = ClientContact.objects.filter(
        client=primary, is_deleted=False, is_primary=True
    )
    assert list(primaries.values_list("pk", flat=True)) == [boss.pk]
    assert ClientContact.objects.filter(client=primary, is_deleted=False).count() == 3


def test_a_primary_client_without_a_primary_contact_gets_exactly_one(
    owner: Member,
) -> None:
    primary = make_client(owner.company)
    merged = make_client(owner.company)
    first = contact(merged, "first@acme.test", is_primary=True)
    contact(merged, "second@acme.test")

    client_merge(primary=primary, merged=merged, user=user_of(owner))

    primaries = ClientContact.objects.filter(
        client=primary, is_deleted=False, is_primary=True
    )
    assert list(primaries.values_list("pk", flat=True)) == [first.pk]


def test_documents_and_their_files_move_to_the_primary(
    owner: Member, media: Path
) -> None:
    primary = make_client(owner.company)
    merged = make_client(owner.company)
    kept = document_create(primary)
    moved = [document_create(merged), document_create(merged, preview=True)]
    files_before = stored_files(media)

    client_merge(primary=primary, merged=merged, user=user_of(owner))

    owners = dict(Document.objects.values_list("pk", "owner_id"))
    assert owners == {
        kept.pk: primary.pk,
        moved[0].pk: primary.pk,
        moved[1].pk: primary.pk,
    }
    assert stored_files(media) == files_before


def test_activities_move_and_one_notes_the_merge(owner: Member) -> None:
    primary = make_client(owner.company)
    merged = make_client(owner.company, name="Acme Ltd")
    old = [activity_create(merged, "one"), activity_create(merged, "two")]

    client_merge(primary=primary, merged=merged, user=user_of(owner))

    for activity in old:
        activity.refresh_from_db()
        assert activity.client_id == primary.pk
    merge = Activity.objects.get(activity_type_id=Activity.MERGE_CLIENT)
    assert merge.client_id == primary.pk
    assert merge.company_id == owner.company.pk
    assert merge.user_id == owner.membership.user_id
    assert merge.notes == "Merged Acme Ltd"


def test_merging_a_client_into_itself_is_refused_and_changes_nothing(
    owner: Member,
) -> None:
    client = make_client(owner.company, balance=Decimal("3"))
    before = snapshot()

    with pytest.raises(Refusal) as refused:
        client_merge(primary=client, merged=client, user=user_of(owner))

    assert refused.value.status_code == 400
    assert refused.value.message == (
        "Attempting to merge the same client is not possible."
    )
    assert snapshot() == before


def test_another_companys_client_is_not_found_and_nothing_changes(
    owner: Member, outsider: Member
) -> None:
    primary = make_client(owner.company)
    foreign = make_client(outsider.company, balance=Decimal("9"))
    contact(foreign, "x@foreign.test")
    before = snapshot()

    with pytest.raises(Refusal) as refused:
        client_merge(primary=primary, merged=foreign, user=user_of(owner))

    assert (refused.value.status_code, refused.value.message) == (
        400,
        "Client not found",
    )
    assert snapshot() == before


def test_other_clients_are_left_alone(owner: Member, outsider: Member) -> None:
    primary = make_client(owner.company)
    merged = make_client(owner.company)
    bystander = make_client(owner.company, balance=Decimal("7"))
    contact(bystander, "boss@acme.test", is_primary=True)
    activity_create(bystander)
    foreign = make_client(outsider.company)
    contact(foreign, "boss@acme.test", is_primary=True)
    contact(merged, "boss@acme.test", is_primary=True)

    client_merge(primary=primary, merged=merged, user=user_of(owner))

    assert live_contacts(primary) == [("boss@acme.test", True)]
    assert live_contacts(bystander) == [("boss@acme.test", True)]
    assert live_contacts(foreign) == [("boss@acme.test", True)]
    bystander.refresh_from_db()
    assert bystander.balance == Decimal("7")
    assert Activity.objects.filter(client=bystander).count() == 1


@pytest.mark.parametrize(
    ("name", "contacts", "expected"),
    [
        ("Acme Ltd", [("Ada", "Lovelace", "ada@x.test", True)], "Acme Ltd"),
        ("A", [("Ada", "Lovelace", "ada@x.test", True)], "Ada Lovelace"),
        ("", [("", "Lovelace", "ada@x.test", True)], "Lovelace"),
        ("", [("", "", "ada@x.test", True)], "ada@x.test"),
        ("", [("", "", "", True), ("Bo", "", "bo@x.test", False)], "No Contact Set"),
        ("", [("Bo", "", "", False), ("", "", "p@x.test", True)], "p@x.test"),
        ("", [], "No Contact Set"),
    ],
)
def test_the_display_name_follows_the_client_object_rules(
    owner: Member,
    name: str,
    contacts: list[tuple[str, str, str, bool]],
    expected: str,
) -> None:
    client = make_client(owner.company, name=name)
    for first, last, email, is_primary in contacts:
        contact(client, email, first_name=first, last_name=last, is_primary=is_primary)

    assert client_display_name(client) == expected
