"""Fault injection: real worker processes on a database they share with the test
(a SQLite file, or the PostgreSQL test database). A worker killed (SIGKILL)
while the receiver holds its request leaves the delivery to the next worker,
which sends it again with the same X-Webhook-Id: at least once, none lost."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.reliability.live_server import BASE_DIR, manage
from tests.webhooks.delivery_support import HANG, SLOW, Receiver, receiver

# Transactional: on PostgreSQL the workers' commits are flushed after each test.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
__all__ = ["receiver"]

CHAINS = """
import json
from companies.models import Company
from webhooks.dispatch import enqueue_deliveries
from webhooks.models import Webhook, WebhookDelivery
company = Company.objects.create(name="Chains")
webhook = Webhook.objects.create(company=company, event_id=1, target_url={url!r})
for n in range({count}):
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event_id=1, event="client.updated",
        entity_key=f"client:{{n % {chains}}}",
        body=json.dumps({{"chain": n % {chains}, "n": n}}),
    )
    enqueue_deliveries([delivery])
print(json.dumps({count}))
"""
CREATE = """
import json
from companies.models import Company
from webhooks.dispatch import enqueue_deliveries
from webhooks.models import Webhook, WebhookDelivery
company = Company.objects.create(name="Faults")
webhook = Webhook.objects.create(company=company, event_id=1, target_url={url!r})
for n in range({count}):
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event_id=1, event="client.updated", entity_key="client:1",
        body=json.dumps({{"event": "client.updated", "n": n}}),
    )
    enqueue_deliveries([delivery])
print(json.dumps({{"id": delivery.pk, "idempotency_id": str(delivery.idempotency_id)}}))
"""
STATUSES = """
import json
from webhooks.models import WebhookDelivery
statuses = WebhookDelivery.objects.order_by("id").values_list("status", flat=True)
print(json.dumps(list(statuses)))
"""
SHOW = """
import json
from webhooks.models import WebhookDelivery
delivery = WebhookDelivery.objects.get(pk={pk})
print(json.dumps({{
    "status": delivery.status,
    "answers": [a.response_status for a in delivery.attempt_log.order_by("number")],
}}))
"""


def database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def shared_database(tmp_path: Path) -> dict[str, str]:
    """The environment of processes that share one database with the test."""
    environment = {
        **os.environ,
        "ENV_FILE": "",
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
        "WEBHOOK_TIMEOUT_SECONDS": "5",
        "WEBHOOK_LEASE_MARGIN_SECONDS": "0",
        "WEBHOOK_RETRY_BASE_SECONDS": "0",
    }
    if connection.vendor == "postgresql":
        environment["DATABASE_URL"] = database_url()
    else:
        environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        manage(environment, "migrate", "--no-input", "-v", "0")
    return environment


@pytest.fixture
def workers(shared_database: dict[str, str], tmp_path: Path) -> Iterator[list[Any]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def start_worker(
    environment: dict[str, str], log: Path, started: list[Any]
) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "webhooks_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.1",
                "--sweep-interval",
                "0.5",
            ],
            cwd=BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started.append(process)
    return process


def shell(environment: dict[str, str], code: str) -> Any:
    return json.loads(manage(environment, "shell", "-c", code).strip().splitlines()[-1])


def test_a_worker_killed_mid_delivery_is_followed_by_one_that_sends_it(
    shared_database: dict[str, str],
    workers: list[Any],
    receiver: Receiver,
    tmp_path: Path,
) -> None:
    receiver.plan = [HANG]
    queued = shell(shared_database, CREATE.format(url=receiver.url, count=1))
    log = tmp_path / "workers.log"

    first = start_worker(shared_database, log, workers)
    assert receiver.wait_for(1), log.read_text(errors="replace")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    start_worker(shared_database, log, workers)
    assert receiver.wait_for(2), log.read_text(errors="replace")

    deadline = time.monotonic() + 60
    while (shown := shell(shared_database, SHOW.format(pk=queued["id"])))[
        "status"
    ] == "pending" and time.monotonic() < deadline:
        time.sleep(0.5)
    ids = [request.headers["X-Webhook-Id"] for request in receiver.requests]
    assert ids == [queued["idempotency_id"]] * 2
    # The killed worker never logged its attempt; the second one did.
    assert shown == {"status": "delivered", "answers": [200]}


def test_a_worker_asked_to_stop_finishes_its_attempt_and_hands_on_the_chain(
    shared_database: dict[str, str],
    workers: list[Any],
    receiver: Receiver,
    tmp_path: Path,
) -> None:
    receiver.plan = [(SLOW, 2)]
    shell(shared_database, CREATE.format(url=receiver.url, count=3))
    log = tmp_path / "workers.log"

    first = start_worker(shared_database, log, workers)
    assert receiver.wait_for(1), log.read_text(errors="replace")
    os.killpg(first.pid, signal.SIGTERM)
    assert first.wait(timeout=60) == 0, log.read_text(errors="replace")
    assert shell(shared_database, STATUSES) == ["delivered", "pending", "pending"]
    assert len(receiver.requests) == 1

    start_worker(shared_database, log, workers)
    assert receiver.wait_for(3), log.read_text(errors="replace")
    assert [body["n"] for body in receiver.bodies()] == [0, 1, 2]


def test_two_workers_deliver_every_event_once_and_each_client_in_order(
    shared_database: dict[str, str],
    workers: list[Any],
    receiver: Receiver,
    tmp_path: Path,
) -> None:
    count, chains = 60, 6
    receiver.plan = [500 if n % 4 == 0 else 200 for n in range(count * 2)]
    shell(shared_database, CHAINS.format(url=receiver.url, count=count, chains=chains))
    log = tmp_path / "workers.log"

    start_worker(shared_database, log, workers)
    start_worker(shared_database, log, workers)
    deadline = time.monotonic() + 120
    while receiver.replies.count(200) < count and time.monotonic() < deadline:
        time.sleep(0.2)

    accepted = [
        body
        for body, reply in zip(receiver.bodies(), receiver.replies, strict=True)
        if reply == 200
    ]
    assert sorted(body["n"] for body in accepted) == list(range(count)), log.read_text(
        errors="replace"
    )
    for chain in range(chains):
        sent = [body["n"] for body in accepted if body["chain"] == chain]
        assert sent == sorted(sent)
