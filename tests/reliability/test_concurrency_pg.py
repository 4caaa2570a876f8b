"""Concurrency on PostgreSQL, through two real gunicorn servers (two sync workers
each) sharing the test database: many clients at once, racing contact-set
writes, and bulk archive/delete/restore over overlapping ids.

Every request is bounded by a timeout, the whole run by the thread pools, and
the servers are always stopped by the fixture's finalizer.
"""

import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
from django.conf import settings as django_settings
from django.db import connection, transaction

from clients.models import Activity, Client, ClientCount
from config.api.hashids import encode_id
from contacts.models import ClientContact
from tests.conftest import Member
from tests.factories import ClientFactory, ContactFactory
from tests.reliability.live_server import stop, wait_until_up

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow]

THREADS = 16
REQUEST_TIMEOUT = 60
CREATES = 200


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: the servers are separate processes that must share "
            "the test database (SQLite's is in memory) and its row locks"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def database_url() -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{db['NAME']}"


@dataclass
class Servers:
    """Base URLs of the running servers and where their output goes."""

    urls: list[str]
    logs: list[Path]

    def url(self, index: int) -> str:
        return self.urls[index % len(self.urls)]

    def output(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.logs)


@pytest.fixture
def servers(tmp_path: Path, _postgres_only: None) -> Iterator[Servers]:
    """Two gunicorn servers with two sync workers each, on the test database."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "1",
        "GUNICORN_TIMEOUT": "60",
        "GUNICORN_MAX_REQUESTS": "0",
        "API_RATE_LIMIT": "100000/min",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "HASH_SALT": django_settings.HASH_SALT,
        "SECRET_KEY": django_settings.SECRET_KEY,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }
    environment.pop("REDIS_URL", None)
    processes: list[subprocess.Popen[bytes]] = []
    found = Servers(urls=[], logs=[])
    try:
        for index in range(2):
            port = free_port()
            log = tmp_path / f"server{index}.log"
            with log.open("wb") as output:
                process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "-c",
                        "config/gunicorn.py",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "config.wsgi:application",
                    ],
                    cwd=django_settings.BASE_DIR,
                    env=environment,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            processes.append(process)
            found.urls.append(f"http://127.0.0.1:{port}")
            found.logs.append(log)
        for url, process, log in zip(found.urls, processes, found.logs, strict=True):
            wait_until_up(url, process, log)
        yield found
    finally:
        for process in processes:
            stop(process)


def run_all(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls on `THREADS` threads; their results in order."""
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(call) for call in calls]
        return [future.result(timeout=REQUEST_TIMEOUT * 4) for future in futures]


def request(
    method: str, url: str, token: str, body: Any = None
) -> tuple[int, dict[str, Any]]:
    answer = requests.request(
        method,
        url,
        json=body,
        headers={"X-API-TOKEN": token},
        timeout=REQUEST_TIMEOUT,
    )
    try:
        payload: dict[str, Any] = answer.json()
    except ValueError:
        payload = {"raw": answer.text[:500]}
    return answer.status_code, payload


def assert_clean_logs(servers: Servers, owner: Member) -> None:
    output = servers.output()
    assert "Traceback" not in output, output[-3000:]
    assert owner.token not in output


def test_200_concurrent_creates_across_two_servers_get_200_distinct_numbers(
    servers: Servers, owner: Member
) -> None:
    def create(index: int) -> Callable[[], tuple[int, dict[str, Any]]]:
        return partial(
            request,
            "POST",
            f"{servers.url(index)}/api/v1/clients",
            owner.token,
            {"name": f"Concurrent {index}", "contacts": [{"email": f"c{index}@x.io"}]},
        )

    results = run_all([create(index) for index in range(CREATES)])

    statuses = [status for status, _ in results]
    assert statuses == [200] * CREATES, [r for r in results if r[0] != 200][:3]
    numbers = [payload["data"]["number"] for _, payload in results]
    assert len(set(numbers)) == CREATES
    assert sorted(numbers) == [f"{n:04d}" for n in range(1, CREATES + 1)]
    stored = Client.objects.filter(company=owner.company)
    assert stored.count() == CREATES
    assert stored.values("number").distinct().count() == CREATES
    owner.company.refresh_from_db()
    assert owner.company.settings["client_number_counter"] == CREATES + 1
    assert_clean_logs(servers, owner)


def contact_sets(client: Client, rng: random.Random) -> list[list[dict[str, Any]]]:
    """Different contact arrays: new and kept ids, different primaries, or none."""
    kept = [encode_id(pk) for pk in client.contacts.values_list("pk", flat=True)]
    sets: list[list[dict[str, Any]]] = []
    for index in range(48):
        size = rng.randint(0, 4)
        items = [
            {
                "email": f"w{index}-{n}@x.io",
                "first_name": f"W{index}",
                "is_primary": rng.random() < 0.5,
            }
            for n in range(size)
        ]
        for item in items:
            if kept and rng.random() < 0.3:
                item["id"] = rng.choice(kept)
        sets.append(items)
    return sets


def assert_one_primary(contacts: list[dict[str, Any]]) -> None:
    assert len(contacts) >= 1
    assert [contact["is_primary"] for contact in contacts].count(True) == 1


def test_racing_contact_sets_always_leave_one_primary_and_never_zero_contacts(
    servers: Servers, owner: Member
) -> None:
    client = ClientFactory.create(company=owner.company)
    for index in range(3):
        ContactFactory.create(client=client, is_primary=index == 0)
    url = f"/api/v1/clients/{encode_id(client.pk)}"
    rng = random.Random(7)
    calls: list[Callable[[], tuple[int, dict[str, Any]]]] = []
    for index, contacts in enumerate(contact_sets(client, rng)):
        base = servers.url(index)
        method = "PUT" if index % 2 else "PATCH"
        calls.append(
            partial(
                request, method, f"{base}{url}", owner.token, {"contacts": contacts}
            )
        )
        # Reads in between see whole sets only (every write is one transaction).
        calls.append(partial(request, "GET", f"{base}{url}", owner.token))

    results = run_all(calls)

    assert [status for status, _ in results] == [200] * len(calls), [
        r for r in results if r[0] != 200
    ][:3]
    for _, payload in results:
        assert_one_primary(payload["data"]["contacts"])
    live = ClientContact.objects.filter(client=client, is_deleted=False)
    assert live.count() >= 1
    assert live.filter(is_primary=True).count() == 1
    assert live.filter(send_email=True).exists()
    assert_clean_logs(servers, owner)


def valid_state(client: Client) -> bool:
    active = client.archived_at is None and not client.is_deleted
    archived = client.archived_at is not None and not client.is_deleted
    deleted = client.is_deleted and client.archived_at is not None
    return active or archived or deleted


def test_concurrent_bulk_archive_delete_and_restore_over_overlapping_ids(
    servers: Servers, owner: Member
) -> None:
    clients = [ClientFactory.create(company=owner.company) for _ in range(40)]
    ids = [encode_id(client.pk) for client in clients]
    rng = random.Random(11)
    calls: list[Callable[[], tuple[int, dict[str, Any]]]] = []
    for index in range(64):
        # Overlapping windows, in shuffled order, so the requests' row sets cross.
        start = rng.randint(0, 30)
        window = ids[start : start + rng.randint(5, 20)]
        rng.shuffle(window)
        action = ("archive", "delete", "restore")[index % 3]
        base = servers.url(index)
        calls.append(
            partial(
                request,
                "POST",
                f"{base}/api/v1/clients/bulk?per_page=100",
                owner.token,
                {"action": action, "ids": window},
            )
        )

    results = run_all(calls)

    assert [status for status, _ in results] == [200] * len(calls), [
        r for r in results if r[0] != 200
    ][:3]
    for client in Client.objects.filter(company=owner.company):
        assert valid_state(client), (client.pk, client.archived_at, client.is_deleted)
    assert_clean_logs(servers, owner)


def test_creates_with_and_without_numbers_racing_never_deadlock(
    servers: Servers, owner: Member
) -> None:
    # A create without a number locks the company for its counter and then bumps
    # the company's client count; one with a number bumps the count first and
    # checks its company reference at commit. The two orders must not deadlock.
    def create(index: int) -> Callable[[], tuple[int, dict[str, Any]]]:
        body: dict[str, Any] = {"name": f"Mixed {index}"}
        if index % 2:
            body["number"] = f"N-{index}"
        return partial(
            request, "POST", f"{servers.url(index)}/api/v1/clients", owner.token, body
        )

    results = run_all([create(index) for index in range(CREATES)])

    assert [status for status, _ in results] == [200] * CREATES, [
        r for r in results if r[0] != 200
    ][:3]
    assert Client.objects.filter(company=owner.company).count() == CREATES
    counted = ClientCount.objects.get(company=owner.company)
    assert counted.total == CREATES
    assert_clean_logs(servers, owner)


def test_mixed_writes_on_one_company_all_succeed(
    servers: Servers, owner: Member
) -> None:
    existing = [ClientFactory.create(company=owner.company) for _ in range(20)]
    ids = [encode_id(client.pk) for client in existing]
    rng = random.Random(5)
    calls: list[Callable[[], tuple[int, dict[str, Any]]]] = []
    for index in range(120):
        base = servers.url(index)
        kind = index % 4
        if kind == 0:
            body: dict[str, Any] = {"name": f"Auto {index}"}
            calls.append(
                partial(request, "POST", f"{base}/api/v1/clients", owner.token, body)
            )
        elif kind == 1:
            body = {"name": f"Own {index}", "number": f"OWN-{index}"}
            calls.append(
                partial(request, "POST", f"{base}/api/v1/clients", owner.token, body)
            )
        elif kind == 2:
            target = rng.choice(ids)
            body = {"name": f"Edit {index}", "contacts": [{"email": f"e{index}@x.io"}]}
            calls.append(
                partial(
                    request, "PUT", f"{base}/api/v1/clients/{target}", owner.token, body
                )
            )
        else:
            window = rng.sample(ids, 5)
            action = rng.choice(("archive", "restore"))
            body = {"action": action, "ids": window}
            calls.append(
                partial(
                    request, "POST", f"{base}/api/v1/clients/bulk", owner.token, body
                )
            )

    results = run_all(calls)

    assert [status for status, _ in results] == [200] * len(calls), [
        r for r in results if r[0] != 200
    ][:3]
    stored = Client.objects.filter(company=owner.company)
    assert stored.count() == 20 + 60
    assert ClientCount.objects.get(company=owner.company).total == 20 + 60
    assert_clean_logs(servers, owner)


# Safe writes: one ETag, one winner; one Idempotency-Key, one client.
RACERS = 20


def send_with(
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
            send_with,
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
            send_with,
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
    retried = send_with(
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


def wait_for_a_lock_wait(timeout: float = REQUEST_TIMEOUT) -> None:
    """Until another session waits on a row lock (the bulk request, blocked)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Inside a transaction the activity view is read once, unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the bulk request never waited on the row lock")


def test_a_bulk_archive_re_checks_a_client_archived_while_it_waited(
    servers: Servers, owner: Member
) -> None:
    # The request reads the client as active, then waits for its row lock while
    # another transaction archives it: once the lock is its own it must see the
    # client archived and leave it alone (no second archive, no activity).
    waited, free = ClientFactory.create_batch(2, company=owner.company)
    ids = [encode_id(waited.pk), encode_id(free.pk)]
    url = f"{servers.url(0)}/api/v1/clients/bulk"
    archived_at = datetime(2020, 1, 1, tzinfo=UTC)
    with ThreadPoolExecutor(max_workers=1) as pool:
        with transaction.atomic():
            Client.objects.filter(pk=waited.pk).update(archived_at=archived_at)
            answer = pool.submit(
                request, "POST", url, owner.token, {"action": "archive", "ids": ids}
            )
            wait_for_a_lock_wait()
        status, body = answer.result(timeout=REQUEST_TIMEOUT)

    assert status == 200, body
    waited.refresh_from_db()
    assert waited.archived_at == archived_at
    archives = Activity.objects.filter(activity_type_id=Activity.ARCHIVE_CLIENT)
    assert list(archives.values_list("client_id", flat=True)) == [free.pk]
    assert_clean_logs(servers, owner)
