"""A 5,000-id bulk action: the contract's maximum, in a fixed number of queries."""

from django.contrib.contenttypes.models import ContentType

from clients.models import Activity, Client
from clients.seeding import seed_clients
from config.api.hashids import encode_id

BULK = "/api/v1/clients/bulk"


def test_archiving_5000_clients_takes_the_same_queries_as_archiving_two(
    owner, django_assert_max_num_queries, django_assert_num_queries
):
    seed_clients(company=owner.company, count=5002)
    pks = list(Client.objects.order_by("id").values_list("pk", flat=True))
    owner.api.get("/api/v1/ping")  # the token's first use of the minute writes once
    ContentType.objects.get_for_model(Client)  # cached per process

    def archive(ids):
        return owner.api.post(
            BULK,
            {"action": "archive", "ids": [encode_id(pk) for pk in ids]},
            format="json",
        )

    with django_assert_max_num_queries(10) as small:
        assert archive(pks[:2]).status_code == 200
    # Nothing grows with the ids: the activities are one INSERT … SELECT on both
    # databases, and the answer's page is read by its own ids.
    with django_assert_num_queries(len(small.captured_queries)):
        response = archive(pks[2:])
    assert response.status_code == 200
    assert response.json()["meta"]["pagination"]["total"] == 5000
    assert Client.objects.filter(archived_at__isnull=False).count() == 5002
    assert (
        Activity.objects.filter(activity_type_id=Activity.ARCHIVE_CLIENT).count()
        == 5002
    )


def test_bulk_services_lock_a_distinct_queryset_too(owner):
    from clients.services.bulk import clients_change_state
    from tests.factories import ContactFactory

    seed_clients(company=owner.company, count=1)
    client = Client.objects.get()
    ContactFactory.create(client=client, email="x@example.com")
    ContactFactory.create(client=client, email="y@example.com", is_primary=False)
    searched = Client.objects.filter(
        contacts__email__contains="@example.com"
    ).distinct()
    assert (
        clients_change_state(clients_queryset=searched, user=None, action="archive")
        == 1
    )
    client.refresh_from_db()
    assert client.archived_at is not None


def test_a_bulk_answer_pages_through_the_given_ids_by_id(owner):
    seed_clients(company=owner.company, count=30)
    pks = list(Client.objects.order_by("id").values_list("pk", flat=True))
    ids = [encode_id(pk) for pk in reversed(pks)]
    second = owner.api.post(
        f"{BULK}?per_page=20&page=2",
        {"action": "archive", "ids": ids},
        format="json",
    ).json()
    assert [row["id"] for row in second["data"]] == [encode_id(pk) for pk in pks[20:]]
    assert second["meta"]["pagination"]["total"] == 30
    beyond = owner.api.post(
        f"{BULK}?per_page=20&page=3",
        {"action": "restore", "ids": ids},
        format="json",
    ).json()
    assert beyond["data"] == []
    assert beyond["meta"]["pagination"]["total"] == 30
