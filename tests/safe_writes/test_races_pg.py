"""Racing writers through two real gunicorn servers on PostgreSQL: one ETag, one
winner; one Idempotency-Key, one client."""

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
import requests

from clients.models import Client
from config.api.hashids import encode_id
from tests.conftest import Member
from tests.factories import ClientFactory, ContactFactory
from tests.reliability.test_concurrency_pg import (
    REQUEST_TIMEOUT,
    Servers,
    assert_clean_logs,
    run_all,
)

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow]

RACERS = 20


def send(
    method: str, url: str, token: str, body: Any, headers: dict[str, str]
) -> requests.Response:
    return requests.request(
        method,
        url,
        json=body,
        headers={"X-API-TOKEN": token, **headers},
        timeout=REQUEST_TIMEOUT,
    )


def test_racing_puts_with_one_etag_have_exactly_one_winner(
    servers: Servers, owner: Member
) -> None:
    client = ClientFactory.create(company=owner.company, name="Start")
    ContactFactory.create(client=client, is_primary=True)
    path = f"/api/v1/clients/{encode_id(client.pk)}"
    tag = requests.get(
        f"{servers.url(0)}{path}",
        headers={"X-API-TOKEN": owner.token},
        timeout=REQUEST_TIMEOUT,
    ).headers["ETag"]
    calls: list[Callable[[], requests.Response]] = [
        partial(
            send,
            "PUT",
            f"{servers.url(index)}{path}",
            owner.token,
            {"name": f"Writer {index}", "contacts": [{"email": f"w{index}@x.io"}]},
            {"If-Match": tag},
        )
        for index in range(RACERS)
    ]

    answers = run_all(calls)

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200] + [412] * (RACERS - 1), statuses
    winner = next(answer for answer in answers if answer.status_code == 200)
    stored = Client.objects.get(pk=client.pk)
    assert stored.name == winner.json()["data"]["name"]
    emails = list(
        stored.contacts.filter(is_deleted=False).values_list("email", flat=True)
    )
    assert emails == [winner.json()["data"]["contacts"][0]["email"]]
    for answer in answers:
        if answer.status_code == 412:
            assert winner.headers["ETag"] in answer.json()["message"]
    assert_clean_logs(servers, owner)


def test_parallel_creates_with_one_key_make_one_client(
    servers: Servers, owner: Member
) -> None:
    body = {"name": "Exactly once", "contacts": [{"email": "once@x.io"}]}
    calls: list[Callable[[], requests.Response]] = [
        partial(
            send,
            "POST",
            f"{servers.url(index)}/api/v1/clients",
            owner.token,
            body,
            {"Idempotency-Key": "race-key-1"},
        )
        for index in range(RACERS)
    ]

    answers = run_all(calls)

    statuses = {answer.status_code for answer in answers}
    assert statuses <= {200, 409}, statuses
    assert Client.objects.filter(company=owner.company).count() == 1
    bodies = {answer.content for answer in answers if answer.status_code == 200}
    assert len(bodies) == 1
    # Every request that met the first one in flight gets its answer afterwards.
    retried = send(
        "POST",
        f"{servers.url(0)}/api/v1/clients",
        owner.token,
        body,
        {"Idempotency-Key": "race-key-1"},
    )
    assert retried.status_code == 200
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert retried.content in bodies
    assert Client.objects.filter(company=owner.company).count() == 1
    assert_clean_logs(servers, owner)
