"""Client numbers from the company's counter (a client sent without a `number`).

A number is taken inside the creating transaction while the company row is locked
(`SELECT ... FOR NO KEY UPDATE`), so concurrent creates on PostgreSQL queue for the
counter and never pick the same number; the unique constraint on (company, number)
is the backstop. On SQLite every write transaction is already exclusive.

The lock is NO KEY because a create that sends its own number checks its
(deferred) company reference at commit with a KEY SHARE lock, after its insert has
bumped the company's client count: a plain FOR UPDATE here waits on that count
while blocking that check, and PostgreSQL answers one of the two with a deadlock.
"""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from clients.models import Client
from clients.services.number_format import number_fill, number_template
from clients.services.settings import PATTERN_KEY, as_integer, settings_resolve
from companies.models import Company

COUNTER_KEY = "client_number_counter"
PADDING_KEY = "counter_padding"


# Candidates checked per query; taken numbers are rare, so one query is the norm.
BATCH = 20
MAX_BATCHES = 500

PATTERN_UNUSABLE = (
    "The client_number_pattern in force gives the same number for every counter "
    "(numbers are cut to 255 characters); shorten the pattern in the client's, "
    "group's or company's settings, or send a number."
)
NO_FREE_NUMBER = (
    f"No free client number in the next {BATCH * MAX_BATCHES} counters; set the "
    "company's client_number_counter past the numbers in use, or send a number."
)


def _counter(value: object) -> int:
    number = as_integer(value)
    return number if number is not None and number >= 1 else 1


def _locked_settings(company_id: int) -> dict[str, Any]:
    """The company's stored settings, its row locked (`FOR NO KEY UPDATE` on
    PostgreSQL; SQLite's write transaction is exclusive already)."""
    quote = connection.ops.quote_name
    lock = (
        " FOR NO KEY UPDATE" if connection.features.has_select_for_no_key_update else ""
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('settings')} FROM {quote(Company._meta.db_table)} "
            f"WHERE {quote('id')} = %s{lock}",
            [company_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise Company.DoesNotExist(f"Company {company_id} does not exist")
    # PostgreSQL's jsonb arrives as text too (Django loads it as text).
    stored = json.loads(row[0]) if isinstance(row[0], str) else row[0]
    return dict(stored) if isinstance(stored, dict) else {}


def _taken(company_id: int, candidates: list[str]) -> set[str]:
    """The candidates some client of the company already has."""
    quote = connection.ops.quote_name
    # `NOT (number = '')` repeats the unique index's condition, so the (partial)
    # index serves the lookup instead of a scan of the company.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('number')} FROM {quote(Client._meta.db_table)} "
            f"WHERE {quote('company_id')} = %s AND NOT ({quote('number')} = '') "
            f"AND {quote('number')} IN ({', '.join(['%s'] * len(candidates))})",
            [company_id, *candidates],
        )
        return {number for (number,) in cursor.fetchall()}


def _counter_store(company_id: int, stored: dict[str, Any]) -> None:
    quote = connection.ops.quote_name
    value = Company._meta.get_field("settings").get_db_prep_save(stored, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Company._meta.db_table)} SET {quote('settings')} = %s "
            f"WHERE {quote('id')} = %s",
            [value, company_id],
        )


def client_number_take(*, company: Company, client: Client) -> str:
    """Take the next free client number and advance the company's counter.

    Call it inside the transaction that saves the client: the company row stays
    locked until that transaction ends. Numbers already used by any of the
    company's clients (deleted ones too) are skipped. Padding and pattern resolve
    client → group → company; the counter is the company's.

    Three statements written out: the ORM spent longer building them than the
    database spent running them, on every create.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("client_number_take must run inside a transaction")
    stored = _locked_settings(company.pk)
    company.settings = stored
    resolved = settings_resolve(client)
    padding = as_integer(resolved.get(PADDING_KEY))
    pattern = resolved.get(PATTERN_KEY)
    moment = timezone.now()
    counter = _counter(stored.get(COUNTER_KEY))

    # The date placeholders are written out once: only the counter changes.
    template = number_template(pattern if isinstance(pattern, str) else "", moment)
    width = 4 if padding is None else padding

    for _ in range(MAX_BATCHES):
        candidates = [
            number_fill(template, counter + offset, padding=width)
            for offset in range(BATCH)
        ]
        if len(set(candidates)) < BATCH:
            raise ValidationError({"number": [PATTERN_UNUSABLE]})
        taken = _taken(company.pk, candidates)
        for offset, candidate in enumerate(candidates):
            if candidate not in taken:
                stored[COUNTER_KEY] = counter + offset + 1
                _counter_store(company.pk, stored)
                return candidate
        counter += BATCH
    raise ValidationError({"number": [NO_FREE_NUMBER]})
