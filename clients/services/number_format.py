"""How a client number is written from a counter and a pattern.

Placeholders: `{$counter}` (also `{$client_counter}`), `{$year}` and
`{$date:<PHP date format>}`. Pure functions, no database: `numbering` takes the
counter, the settings check the pattern with `pattern_problem`.
"""

import re
from datetime import UTC, datetime

MAX_PADDING = 64
MAX_NUMBER_LENGTH = 255
# A pattern is a short template: long ones are either a mistake or an attack (a
# 20,000-letter date format made each create render it 10,000 times).
MAX_PATTERN_LENGTH = 100
# The widest counter a pattern must leave room for when checked.
CHECKED_COUNTER_DIGITS = 20

COUNTER_TOKENS = ("{$counter}", "{$client_counter}")
_DATE = re.compile(r"\{\$date:(.*?)\}")
# A Wednesday in September, with two-digit day, hour and month: every letter of a
# date format at its widest (`l` Wednesday, `F` September, `U` 12 digits).
_WIDEST_MOMENT = datetime(9999, 9, 29, 23, 59, 59, tzinfo=UTC)

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


def number_template(pattern: str, moment: datetime) -> str:
    """The pattern with its date placeholders written out for `moment`: only the
    counter is left to fill. A pattern without a counter gets one appended, so
    that successive counters always give different numbers; `""` is the counter.
    """
    if not pattern:
        return COUNTER_TOKENS[0]
    if not any(token in pattern for token in COUNTER_TOKENS):
        pattern = pattern + COUNTER_TOKENS[0]
    number = _DATE.sub(lambda match: php_date(match.group(1), moment), pattern)
    return number.replace("{$year}", f"{moment.year:04d}")


def number_fill(template: str, counter: int, *, padding: int) -> str:
    """The number for `counter` in a `number_template`, cut to the column's length."""
    padded = str(counter).rjust(max(0, min(padding, MAX_PADDING)), "0")
    number = template
    for token in COUNTER_TOKENS:
        number = number.replace(token, padded)
    return number[:MAX_NUMBER_LENGTH]


def format_number(counter: int, *, padding: int, pattern: str, moment: datetime) -> str:
    """The number for `counter`: padded, then put into `pattern`."""
    return number_fill(number_template(pattern, moment), counter, padding=padding)


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` can't number clients, or None when it can.

    It must be short, and leave room for the counter at its widest: a number cut
    to the column's length could lose the counter, and then every number is the same.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"may not be greater than {MAX_PATTERN_LENGTH} characters"
    widest = number_template(pattern, _WIDEST_MOMENT)
    counter = "9" * CHECKED_COUNTER_DIGITS
    for token in COUNTER_TOKENS:
        widest = widest.replace(token, counter)
    if len(widest) > MAX_NUMBER_LENGTH:
        return f"makes numbers longer than {MAX_NUMBER_LENGTH} characters"
    return None
