"""`number` and `id_number` are unique within the company."""

import pytest
from django.core.exceptions import ValidationError

from clients.models import Client
from clients.services.clients import client_create
from tests.clients.support import CLIENTS, client_url, create, errors
from tests.factories import ClientFactory


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("number", "The number has already been taken."),
        ("id_number", "The id number has already been taken."),
    ],
)
@pytest.mark.parametrize("deleted", [False, True])
def test_a_taken_value_is_rejected_deleted_clients_included(
    api, company, field, message, deleted
):
    ClientFactory.create(company=company, **{field: "A-1"}, is_deleted=deleted)
    response = api.post(CLIENTS, {"name": "x", field: "A-1"}, format="json")
    assert errors(response) == {field: [message]}
    assert Client.objects.count() == 1


def test_both_taken_values_are_reported_together(api, company):
    ClientFactory.create(company=company, number="N", id_number="I")
    response = api.post(CLIENTS, {"number": "N", "id_number": "I"}, format="json")
    assert set(errors(response)) == {"number", "id_number"}


def test_another_companys_values_do_not_count(api, outsider):
    ClientFactory.create(company=outsider.company, number="A-1", id_number="B-1")
    data = create(api, name="x", number="A-1", id_number="B-1")
    assert (data["number"], data["id_number"]) == ("A-1", "B-1")


def test_an_update_may_keep_its_own_values(api):
    data = create(api, name="x", number="A-1", id_number="B-1")
    response = api.put(
        client_url(data["id"]), {"number": "A-1", "id_number": "B-1"}, format="json"
    )
    assert response.status_code == 200


def test_an_update_may_not_take_another_clients_values(api, company):
    ClientFactory.create(company=company, number="A-1", id_number="B-1")
    data = create(api, name="x")
    response = api.put(
        client_url(data["id"]), {"number": "A-1", "id_number": "B-1"}, format="json"
    )
    assert set(errors(response)) == {"number", "id_number"}


def test_empty_id_numbers_may_repeat(api):
    create(api, name="a", id_number="")
    create(api, name="b", id_number="")
    assert Client.objects.filter(id_number="").count() == 2


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("number", "The number has already been taken."),
        ("id_number", "The id number has already been taken."),
    ],
)
def test_the_database_constraint_is_a_422_not_a_500(db, owner, company, field, message):
    """A race past the serializer's check ends in the unique constraint."""
    ClientFactory.create(company=company, **{field: "DUP"})
    with pytest.raises(ValidationError) as caught:
        client_create(company=company, user=owner.membership.user, data={field: "DUP"})
    assert caught.value.message_dict == {field: [message]}
    assert Client.objects.count() == 1
