from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from clients.models import Activity, Client, LedgerEntry
from clients.services.purge import clients_purge
from contacts.models import ClientContact
from documents.models import Document
from tests.factories import ClientFactory, CompanyFactory, ContactFactory


def deleted_client(company, days_ago, with_document=False):
    client = ClientFactory.create(
        company=company,
        is_deleted=True,
        archived_at=timezone.now() - timedelta(days=days_ago),
    )
    ContactFactory.create(client=client)
    Activity.objects.create(company=company, client=client, activity_type_id=3)
    LedgerEntry.objects.create(
        company=company, client=client, adjustment=Decimal(1), balance=Decimal(1)
    )
    if with_document:
        path = default_storage.save(
            f"{company.company_key}/documents/{client.pk:040d}.txt", ContentFile(b"x")
        )
        Document.objects.create(
            company=company,
            owner_type=ContentType.objects.get_for_model(Client),
            owner_id=client.pk,
            name="x.txt",
            type="txt",
            hash=path.rsplit("/", 1)[1],
            path=path,
            size=1,
        )
    return client


def run(*args):
    out = StringIO()
    call_command("purge_deleted_clients", *args, "--no-progress", stdout=out)
    return out.getvalue()


@pytest.fixture
def company(db):
    return CompanyFactory.create()


def test_a_dry_run_counts_but_deletes_nothing(company):
    deleted_client(company, days_ago=40)
    output = run("--older-than", "30", "--dry-run")
    assert "would purge 1 client deleted before" in output
    assert "with 1 contact and 0 documents" in output
    assert Client.objects.count() == 1


def test_only_clients_deleted_longer_ago_than_the_cutoff_are_purged(company):
    old = deleted_client(company, days_ago=40)
    recent = deleted_client(company, days_ago=5)
    archived = ClientFactory.create(
        company=company, archived_at=timezone.now() - timedelta(days=400)
    )
    active = ClientFactory.create(company=company)
    output = run("--older-than", "30")
    assert "Purged 1 client with 1 contact" in output
    remaining = set(Client.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, archived.pk, active.pk}
    assert not ClientContact.objects.filter(client_id=old.pk).exists()
    assert not Activity.objects.filter(client_id=old.pk).exists()
    assert not LedgerEntry.objects.filter(client_id=old.pk).exists()


def test_the_company_option_limits_the_purge(company):
    other = CompanyFactory.create()
    deleted_client(company, days_ago=40)
    theirs = deleted_client(other, days_ago=40)
    run("--older-than", "30", "--company", company.company_key)
    assert list(Client.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_documents_and_their_files_go_after_commit(
    company, media, django_capture_on_commit_callbacks
):
    client = deleted_client(company, days_ago=40, with_document=True)
    path = Document.objects.get(owner_id=client.pk).path
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        output = run("--older-than", "30", "--batch-size", "1")
    assert "and 1 document." in output
    assert callbacks
    assert not Document.objects.exists()
    assert not default_storage.exists(path)


def test_many_clients_are_purged_in_batches(company):
    for _ in range(7):
        deleted_client(company, days_ago=40)
    output = run("--older-than", "30", "--batch-size", "3")
    assert "Purged 7 clients" in output
    assert not Client.objects.exists()


def test_a_purge_batch_costs_the_same_queries_for_few_or_many_clients(
    company, django_assert_max_num_queries
):
    few = [deleted_client(company, days_ago=40) for _ in range(2)]
    with django_assert_max_num_queries(12) as context:
        clients_purge(
            clients_queryset=Client.objects.filter(pk__in=[c.pk for c in few])
        )
    baseline = len(context.captured_queries)
    assert not Client.objects.filter(pk__in=[c.pk for c in few]).exists()
    many = [deleted_client(company, days_ago=40) for _ in range(20)]
    with django_assert_max_num_queries(baseline):
        clients_purge(
            clients_queryset=Client.objects.filter(pk__in=[c.pk for c in many])
        )
    assert not Client.objects.exists()


def test_nothing_to_purge_is_said_plainly(company):
    assert run("--older-than", "30").startswith("Nothing to purge")


def test_bad_arguments_are_explained(company):
    with pytest.raises(CommandError, match="0 or more"):
        run("--older-than", "-1")
    with pytest.raises(CommandError, match="No company"):
        run("--older-than", "1", "--company", "nope")
