"""Fixtures of the password-gate, purge and merge tests."""

import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from clients.models import Activity, Client, LedgerEntry
from config.api import password
from contacts.models import ClientContact
from documents.models import Document
from tests.redis_server import redis_cache, redis_url  # noqa: F401


@dataclass
class Clock:
    """A controllable `time.time()` (cache expiry and the gate both read it)."""

    now: float

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class RaceOutcome:
    statuses: list[int]
    checked: int  # how many passwords were compared with the stored hash


def race_wrong_passwords(
    member: Any, monkeypatch: pytest.MonkeyPatch, *, attempts: int
) -> RaceOutcome:
    """`attempts` wrong passwords for one user, all released at once on threads.

    Each comparison with the stored hash is counted and made slow, so the
    requests overlap the way parallel requests to several workers do.
    """
    user = member.membership.user
    checked: list[int] = []
    lock = threading.Lock()

    def slow_check(password: str) -> bool:
        with lock:
            checked.append(1)
        time.sleep(0.05)
        return False

    monkeypatch.setattr(user, "check_password", slow_check)
    barrier = threading.Barrier(attempts)
    statuses: list[int] = []

    def attempt() -> None:
        request: Any = SimpleNamespace(META={"HTTP_X_API_PASSWORD": "wrong-password"})
        barrier.wait()
        try:
            password.password_check(request=request, user=user, company=member.company)
            statuses.append(200)
        except password.InvalidPassword:
            statuses.append(412)
        except password.PasswordLocked:
            statuses.append(429)

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return RaceOutcome(statuses=statuses, checked=len(checked))


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Freeze `time.time()`; tests move it forward with `clock.advance(seconds)`."""
    frozen = Clock(now=time.time())
    monkeypatch.setattr(time, "time", lambda: frozen.now)
    return frozen


def stored_files(root: Path) -> list[str]:
    """Every stored file under a storage root, as relative paths."""
    return sorted(
        str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()
    )


def document_create(client: Client, *, preview: bool = False) -> Document:
    """A document row of `client` with its file (and a preview file) in storage."""
    folder = f"{client.company.company_key}/documents"
    stored = secrets.token_hex(20)
    path = default_storage.save(f"{folder}/{stored}.txt", ContentFile(b"hello"))
    preview_path = ""
    if preview:
        preview_path = default_storage.save(
            f"{folder}/{stored}_preview.png", ContentFile(b"png")
        )
    return Document.objects.create(
        company=client.company,
        owner_type=ContentType.objects.get_for_model(Client),
        owner_id=client.pk,
        name="notes.txt",
        type="txt",
        hash=path.rsplit("/", 1)[-1],
        path=path,
        preview=preview_path,
        size=5,
        content_type="text/plain",
    )


def activity_create(client: Client, notes: str = "Created") -> Activity:
    activity: Activity = Activity.objects.create(
        company=client.company,
        client=client,
        activity_type_id=Activity.CREATE_CLIENT,
        notes=notes,
    )
    return activity


def ledger_create(client: Client) -> LedgerEntry:
    entry: LedgerEntry = LedgerEntry.objects.create(
        company=client.company,
        client=client,
        notes="Opening balance",
        adjustment=client.balance,
        balance=client.balance,
    )
    return entry


def snapshot() -> dict[str, list[Any]]:
    """Every row the purge and merge touch, to compare before and after."""
    return {
        "clients": list(
            Client.objects.order_by("pk").values_list(
                "pk", "balance", "paid_to_date", "updated_at"
            )
        ),
        "contacts": list(
            ClientContact.objects.order_by("pk").values_list(
                "pk", "client_id", "email", "is_primary", "is_deleted", "updated_at"
            )
        ),
        "documents": list(
            Document.objects.order_by("pk").values_list(
                "pk", "owner_id", "path", "updated_at"
            )
        ),
        "activities": list(
            Activity.objects.order_by("pk").values_list(
                "pk", "client_id", "activity_type_id"
            )
        ),
        "ledger": list(
            LedgerEntry.objects.order_by("pk").values_list(
                "pk", "client_id", "adjustment", "balance"
            )
        ),
    }
