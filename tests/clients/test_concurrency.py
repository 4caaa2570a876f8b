"""Concurrent creates on PostgreSQL take distinct numbers."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from clients.models import Client
from tests.clients.support import CLIENTS
from tests.conftest import api_client_for

WORKERS = 10
CREATES = 30

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every write anyway")


def test_concurrent_creates_without_numbers_get_distinct_numbers(owner, company):
    barrier = threading.Barrier(WORKERS)

    def create(index: int) -> tuple[int, str]:
        try:
            if index < WORKERS:
                barrier.wait(timeout=30)
            api = api_client_for(owner.token)
            response = api.post(CLIENTS, {"name": f"Client {index}"}, format="json")
            number = response.json().get("data", {}).get("number", "")
            return response.status_code, number
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(create, range(CREATES)))

    assert [status for status, _ in results] == [200] * CREATES
    numbers = sorted(number for _, number in results)
    assert numbers == [f"{n:04d}" for n in range(1, CREATES + 1)]
    assert Client.objects.count() == CREATES
    company.refresh_from_db()
    assert company.settings["client_number_counter"] == CREATES + 1


def test_concurrent_creates_with_the_same_number_give_one_client_and_422s(
    owner, company
):
    barrier = threading.Barrier(WORKERS)

    def create(index: int) -> int:
        try:
            barrier.wait(timeout=30)
            api = api_client_for(owner.token)
            response = api.post(
                CLIENTS, {"name": f"Client {index}", "number": "SAME"}, format="json"
            )
            if response.status_code == 422:
                assert response.json()["errors"] == {
                    "number": ["The number has already been taken."]
                }
            return response.status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(create, range(WORKERS)))

    assert sorted(statuses) == [200] + [422] * (WORKERS - 1)
    assert Client.objects.filter(number="SAME").count() == 1
