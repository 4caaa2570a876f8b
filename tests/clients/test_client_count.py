"""The trigger-kept client count that the unfiltered list reports as its total."""

import pytest

from clients.models import Client, ClientCount
from clients.seeding import seed_clients
from tests.factories import ClientFactory, CompanyFactory

LIST = "/api/v1/clients"


def kept_total(company):
    row = ClientCount.objects.filter(company_id=company.pk).first()
    return row.total if row else 0


def list_total(api, **params):
    return api.get(LIST, params).json()["meta"]["pagination"]["total"]


def test_the_count_follows_creates_bulk_inserts_and_hard_deletes(owner):
    company = owner.company
    for _ in range(3):
        owner.api.post(LIST, {"name": "Acme"}, format="json")
    assert kept_total(company) == 3
    seed_clients(company=company, count=25)
    assert kept_total(company) == 28
    Client.objects.filter(company=company)[:1].get().delete()
    Client.objects.filter(
        pk__in=Client.objects.filter(company=company).values("pk")[:4]
    ).delete()
    assert kept_total(company) == Client.objects.filter(company=company).count() == 23


def test_soft_states_still_count_as_the_unfiltered_list_shows_them(owner):
    clients = ClientFactory.create_batch(3, company=owner.company)
    Client.objects.filter(pk=clients[0].pk).soft_delete()
    Client.objects.filter(pk=clients[1].pk).archive()
    assert list_total(owner.api) == 3
    assert list_total(owner.api, status="active") == 1


def test_moving_a_client_to_another_company_moves_its_count(owner):
    client = ClientFactory.create(company=owner.company)
    other = CompanyFactory.create()
    Client.objects.filter(pk=client.pk).update(company=other)
    assert kept_total(owner.company) == 0
    assert kept_total(other) == 1


def test_the_list_total_is_the_kept_count_only_for_the_whole_company(
    owner, make_member
):
    ClientFactory.create_batch(4, company=owner.company)
    # Tampering with the kept count shows which total the list reports.
    ClientCount.objects.filter(company_id=owner.company.pk).update(total=99)
    assert list_total(owner.api) == 99
    assert list_total(owner.api, name="Client") == 4
    member = make_member(owner.company, is_owner=False, is_admin=False)
    ClientFactory.create(company=owner.company, user=member.membership.user)
    assert list_total(member.api) == 1


@pytest.mark.django_db(transaction=True)
def test_the_count_is_right_after_a_rolled_back_write(owner):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        ClientFactory.create(company=owner.company)
        raise RuntimeError("roll back")
    assert kept_total(owner.company) == 0


def test_a_table_rebuild_on_sqlite_gets_its_count_triggers_back_after_migrate(owner):
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection

    from clients.count_triggers import TRIGGER_NAMES

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL alters tables in place and keeps their triggers")
    company = owner.company
    ClientFactory.create_batch(2, company=company)
    # What Django's rebuild of clients_client (an AddField, say) leaves behind.
    with connection.cursor() as cursor:
        for name in TRIGGER_NAMES:
            cursor.execute(f"DROP TRIGGER {name}")
    ClientFactory.create(company=company)
    assert kept_total(company) == 2

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert kept_total(company) == 3
    ClientFactory.create(company=company)
    assert kept_total(company) == 4


def kept_version(company):
    return ClientCount.objects.get(company_id=company.pk).version


def test_every_kind_of_write_moves_the_company_version_and_only_its(owner):
    company, other = owner.company, CompanyFactory.create()
    client = ClientFactory.create(company=company)
    ClientFactory.create(company=other)
    seen = [kept_version(company)]
    Client.objects.filter(pk=client.pk).update(name="Renamed")
    seen.append(kept_version(company))
    Client.objects.filter(pk=client.pk, name="nobody").update(name="x")  # no row
    seen.append(kept_version(company))
    ClientFactory.create(company=company)
    seen.append(kept_version(company))
    Client.objects.filter(pk=client.pk).delete()
    seen.append(kept_version(company))
    other_before = kept_version(other)
    assert seen[1] > seen[0] and seen[2] == seen[1] and seen[3] > seen[2] > 0
    assert seen[4] > seen[3]
    assert kept_version(other) == other_before


def test_the_sqlite_trigger_restore_moves_versions_on(owner):
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection

    from clients.count_triggers import VERSION_TRIGGER

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL alters tables in place and keeps their triggers")
    company = owner.company
    ClientFactory.create(company=company)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {VERSION_TRIGGER}")
    before = kept_version(company)
    Client.objects.filter(company=company).update(name="Unseen")
    assert kept_version(company) == before

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    # A total cached while the trigger was missing is under an older version.
    assert kept_version(company) > before
    restored = kept_version(company)
    Client.objects.filter(company=company).update(name="Seen")
    assert kept_version(company) > restored
