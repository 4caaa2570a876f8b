"""Client numbers from the company's counter (API.md §6 `number`).

A number is taken inside the creating transaction while the company row is locked
(`SELECT ... FOR UPDATE`), so concurrent creates on PostgreSQL queue for the counter
and never pick the same number; the unique constraint on (company, number) is the
backstop. On SQLite every write transaction is already exclusive.
"""

import re
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from clients.models import Client
from clients.settings_rules import as_integer, settings_resolve
from companies.models import Company

COUNTER_KEY = "client_number_counter"
PADDING_KEY = "counter_padding"
PATTERN_KEY = "client_number_pattern"

MAX_PADDING = 64
MAX_NUMBER_LENGTH = 255
# Candidates checked per query; taken numbers are rare, so one query is the norm.
BATCH = 20
MAX_BATCHES = 500

_DATE = re.compile(r"\{\$date:(.*?)\}")
_COUNTER_TOKENS = ("{$counter}", "{$client_counter}")

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _php_letter(letter: str, moment: datetime) -> str | None:
    """One letter of PHP's date() format, or None when it is not a format letter."""
    formats = {
        "Y": lambda: f"{moment.year:04d}",
        "y": lambda: f"{moment.year % 100:02d}",
        "m": lambda: f"{moment.month:02d}",
        "n": lambda: str(moment.month),
        "d": lambda: f"{moment.day:02d}",
        "j": lambda: str(moment.day),
        "M": lambda: _MONTHS[moment.month - 1][:3],
        "F": lambda: _MONTHS[moment.month - 1],
        "D": lambda: _DAYS[moment.weekday()][:3],
        "l": lambda: _DAYS[moment.weekday()],
        "N": lambda: str(moment.isoweekday()),
        "w": lambda: str(moment.isoweekday() % 7),
        "z": lambda: str(moment.timetuple().tm_yday - 1),
        "W": lambda: f"{moment.isocalendar()[1]:02d}",
        "o": lambda: str(moment.isocalendar()[0]),
        "H": lambda: f"{moment.hour:02d}",
        "G": lambda: str(moment.hour),
        "h": lambda: f"{(moment.hour % 12) or 12:02d}",
        "g": lambda: str((moment.hour % 12) or 12),
        "i": lambda: f"{moment.minute:02d}",
        "s": lambda: f"{moment.second:02d}",
        "a": lambda: "am" if moment.hour < 12 else "pm",
        "A": lambda: "AM" if moment.hour < 12 else "PM",
        "U": lambda: str(int(moment.timestamp())),
    }
    render = formats.get(letter)
    return render() if render else None


def php_date(fmt: str, moment: datetime) -> str:
    """PHP's `date($fmt)` for the common letters; `\\x` is a literal `x`."""
    out: list[str] = []
    escaped = False
    for letter in fmt:
        if escaped:
            out.append(letter)
            escaped = False
        elif letter == "\\":
            escaped = True
        else:
            rendered = _php_letter(letter, moment)
            out.append(letter if rendered is None else rendered)
    return "".join(out)


def format_number(counter: int, *, padding: int, pattern: str, moment: datetime) -> str:
    """The number for `counter`: padded, then put into `pattern`.

    Placeholders: `{$counter}` (also `{$client_counter}`), `{$year}` and
    `{$date:<PHP date format>}`. A pattern without a counter gets one appended, so
    that successive counters always give different numbers.
    """
    padded = str(counter).rjust(max(0, min(padding, MAX_PADDING)), "0")
    if not pattern:
        return padded[:MAX_NUMBER_LENGTH]
    if not any(token in pattern for token in _COUNTER_TOKENS):
        pattern = pattern + "{$counter}"
    number = _DATE.sub(lambda match: php_date(match.group(1), moment), pattern)
    number = number.replace("{$year}", f"{moment.year:04d}")
    for token in _COUNTER_TOKENS:
        number = number.replace(token, padded)
    return number[:MAX_NUMBER_LENGTH]


def _counter(value: object) -> int:
    number = as_integer(value)
    return number if number is not None and number >= 1 else 1


def client_number_take(*, company: Company, client: Client) -> str:
    """Take the next free client number and advance the company's counter.

    Call it inside the transaction that saves the client: the company row stays
    locked until that transaction ends. Numbers already used by any of the
    company's clients (deleted ones too) are skipped. Padding and pattern resolve
    client → group → company; the counter is the company's.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("client_number_take must run inside a transaction")
    locked = (
        Company.objects.select_for_update().only("pk", "settings").get(pk=company.pk)
    )
    stored = dict(locked.settings) if isinstance(locked.settings, dict) else {}
    company.settings = stored
    resolved = settings_resolve(client)
    padding = as_integer(resolved.get(PADDING_KEY))
    pattern = resolved.get(PATTERN_KEY)
    moment = timezone.now()
    counter = _counter(stored.get(COUNTER_KEY))

    def number_for(value: int) -> str:
        return format_number(
            value,
            padding=4 if padding is None else padding,
            pattern=pattern if isinstance(pattern, str) else "",
            moment=moment,
        )

    for _ in range(MAX_BATCHES):
        candidates = [number_for(counter + offset) for offset in range(BATCH)]
        # `exclude(number="")` repeats the unique index's condition, so the
        # (partial) index serves the lookup instead of a scan of the company.
        taken = set(
            Client.objects.filter(company=company, number__in=candidates)
            .exclude(number="")
            .values_list("number", flat=True)
        )
        for offset, candidate in enumerate(candidates):
            if candidate not in taken:
                stored[COUNTER_KEY] = counter + offset + 1
                Company.objects.filter(pk=company.pk).update(settings=stored)
                return candidate
        counter += BATCH
    raise RuntimeError("No free client number found")
