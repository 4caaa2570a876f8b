import pytest

from clients.models import Client
from tests.clients_listing.support import errors, filterset, listed
from tests.factories import ClientFactory


@pytest.fixture
def states(company):
    active = ClientFactory.create(company=company, name="active")
    archived = ClientFactory.create(company=company, name="archived")
    deleted = ClientFactory.create(company=company, name="deleted")
    Client.objects.filter(pk=archived.pk).archive()
    Client.objects.filter(pk=deleted.pk).soft_delete()
    return active, archived, deleted


def names(company, query):
    return [client.name for client in listed(company, query)]


def test_without_status_clients_in_every_state_are_listed(company, states):
    assert names(company, "") == ["active", "archived", "deleted"]


@pytest.mark.parametrize("state", ["active", "archived", "deleted"])
def test_one_status_lists_only_clients_in_that_state(company, states, state):
    assert names(company, f"status={state}") == [state]


def test_several_statuses_are_or_ed(company, states):
    assert names(company, "status=active,deleted") == ["active", "deleted"]
    assert names(company, "status=archived,deleted,active") == [
        "active",
        "archived",
        "deleted",
    ]


def test_status_is_case_insensitive(company, states):
    assert names(company, "status=ARCHIVED,Deleted") == ["archived", "deleted"]


def test_empty_status_items_and_spaces_are_ignored(company, states):
    assert names(company, "status=,active,,%20archived%20,") == ["active", "archived"]


@pytest.mark.parametrize("query", ["status=", "status=,", "status=,,%20"])
def test_a_status_without_items_lists_every_state(company, states, query):
    assert names(company, query) == ["active", "archived", "deleted"]


@pytest.mark.parametrize("value", ["bogus", "active,bogus", "all", "active;archived"])
def test_an_unknown_status_is_an_error_on_status(company, states, value):
    assert list(errors(company, f"status={value}")) == ["status"]


def test_the_status_error_names_the_unknown_word(company):
    assert errors(company, "status=active,trashed") == {
        "status": [
            "The selected status `trashed` is invalid; use active, archived or deleted."
        ]
    }


def test_it_only_filters_the_queryset_it_is_given(company, outsider, states):
    ClientFactory.create(company=outsider.company, name="active")
    mine = Client.objects.filter(company=company, pk__in=[states[0].pk, states[2].pk])
    assert [c.name for c in listed(company, "status=active", queryset=mine)] == [
        "active"
    ]
    assert [c.pk for c in listed(company, "", queryset=mine)] == [
        states[0].pk,
        states[2].pk,
    ]


def test_an_unbound_filterset_still_orders_by_id(company, states):
    queryset = Client.objects.filter(company=company).order_by("-name")
    unbound = type(filterset(company))(queryset=queryset)
    assert [c.name for c in unbound.qs] == ["active", "archived", "deleted"]
