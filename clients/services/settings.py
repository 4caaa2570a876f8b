"""Typing of client and group `settings`, and the settings chain.

The rules come from column `client_validation` of `reference/settings_casts.csv`
(upstream's `ClientGroupSettingsSaver`): incoming settings are checked key by key,
typed, and merged into the stored object; unknown keys pass through unchanged.
"""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from clients.reference import SETTINGS_CASTS
from clients.services.number_format import pattern_problem
from companies.models import default_company_settings
from config.nesting import nesting_exceeds

if TYPE_CHECKING:
    from clients.models import Client
    from companies.models import Company

CLIENT_ENTITY = "App\\Models\\Client"
PATTERN_KEY = "client_number_pattern"
# Settings are flat key/value pairs; a few known values are small objects. Deeper
# input is refused before anything walks it recursively (JSON encoding included).
MAX_SETTINGS_DEPTH = 8


class Kind(Enum):
    """How a known settings key is checked and stored."""

    BOOL = "bool"
    FLOAT = "float"
    ID = "id"  # integer-like, stored as a string ("2")
    INT = "int"  # integer-like, stored as a number
    STRING = "string"
    DROPPED = "dropped"  # never stored from input (translations, pdf_variables)
    FREE = "free"  # known but not type-checked (industry_id, size_id)


@dataclass(frozen=True)
class Rule:
    kind: Kind
    type_name: str  # the word of the error message: "currency_id is not a valid …"


_KIND_BY_VALIDATION = {
    "bool": Kind.BOOL,
    "float": Kind.FLOAT,
    "string": Kind.STRING,
    "int": Kind.INT,
    "integer": Kind.INT,
    "integer (digit string or int)": Kind.ID,
    "integer when non-empty": Kind.ID,
    "not validated (removed before check)": Kind.DROPPED,
    "not in CompanySettings::$casts: not type-checked": Kind.FREE,
}


def _rule(row: Mapping[str, str]) -> Rule:
    validation = row["client_validation"]
    kind = _KIND_BY_VALIDATION.get(validation)
    if kind is None:
        raise ValueError(f"Unknown client_validation {validation!r} for {row['key']}")
    type_name = "integer" if kind is Kind.ID else validation
    if kind is Kind.INT:
        type_name = row["type"] or validation
    return Rule(kind=kind, type_name=type_name)


RULES: Mapping[str, Rule] = {row["key"]: _rule(row) for row in SETTINGS_CASTS}

_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
MAX_INTEGER = 2**63 - 1
_FLOAT_PREFIX = re.compile(r"\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
TRUE_WORDS = frozenset({"true", "1", "yes", "on"})
FALSE_WORDS = frozenset({"false", "0", "no", "off"})


def boolean_word(text: str) -> bool | None:
    """What a yes/no word means (any case, spaces around it ignored); None for
    anything else."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


class SettingsInvalid(Exception):
    """Settings that can't be typed; `messages` has one line per bad key."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class _Invalid(Exception):
    pass


def as_integer(value: object) -> int | None:
    """An int, an integral float or a digit string (optionally signed) as an int.

    Only values a 64-bit integer holds, and only ASCII digits (`"٣"` is no id).
    """
    number: int | None = None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            number = int(value)
    elif isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        number = int(value.strip())
    if number is None or not -MAX_INTEGER <= number <= MAX_INTEGER:
        return None
    return number


def _as_float(value: object) -> float:
    """PHP's floatval: numbers as they are, strings by their numeric prefix (else 0)."""
    if isinstance(value, bool | int | float):
        try:
            number = float(value)
        except OverflowError:
            raise _Invalid from None
    elif isinstance(value, str):
        match = _FLOAT_PREFIX.match(value)
        number = float(match.group(0)) if match else 0.0
    else:
        raise _Invalid
    if not math.isfinite(number):
        raise _Invalid
    return number


def _as_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and (meaning := boolean_word(value)) is not None:
        return meaning
    raise _Invalid


def _typed(rule: Rule, value: object) -> object:
    if rule.kind is Kind.BOOL:
        return _as_bool(value)
    if rule.kind is Kind.FLOAT:
        return _as_float(value)
    if rule.kind in (Kind.ID, Kind.INT):
        number = as_integer(value)
        if number is None:
            raise _Invalid
        return str(number) if rule.kind is Kind.ID else number
    if rule.kind is Kind.STRING:
        if not isinstance(value, str):
            raise _Invalid
        return value
    return value


def _has_null_character(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(
            _has_null_character(key) or _has_null_character(item)
            for key, item in value.items()
        )
    if isinstance(value, list):
        return any(_has_null_character(item) for item in value)
    return False


def _setting_problem(key: str, value: object) -> str | None:
    """What is wrong with a typed value beyond its type, if anything."""
    if key == PATTERN_KEY and isinstance(value, str):
        problem = pattern_problem(value)
        return f"{key} {problem}" if problem else None
    return None


def settings_clean(raw: object) -> dict[str, Any]:
    """Check and type incoming settings; the result is merged into stored settings.

    `null`/`""` values and `translations`/`pdf_variables` are dropped; `[]` (PHP's
    empty array) is `{}`. Raises SettingsInvalid with one message per bad key.
    """
    if raw is None or raw == "" or raw == []:
        return {}
    if not isinstance(raw, dict):
        raise SettingsInvalid(["The settings must be an object."])
    if nesting_exceeds(raw, MAX_SETTINGS_DEPTH):
        raise SettingsInvalid(
            [f"The settings may not be nested more than {MAX_SETTINGS_DEPTH} levels."]
        )
    if _has_null_character(raw):
        raise SettingsInvalid(["The settings may not contain null characters."])
    cleaned: dict[str, Any] = {}
    messages: list[str] = []
    for key, value in raw.items():
        if value is None or value == "":
            continue
        rule = RULES.get(key)
        if rule is None:
            cleaned[key] = value
            continue
        if rule.kind is Kind.DROPPED:
            continue
        try:
            cleaned[key] = _typed(rule, value)
        except _Invalid:
            messages.append(f"{key} is not a valid {rule.type_name}")
            continue
        problem = _setting_problem(key, cleaned[key])
        if problem:
            messages.append(problem)
    if messages:
        raise SettingsInvalid(messages)
    return cleaned


def settings_merge(stored: object, cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """Stored settings with the cleaned incoming keys written over them."""
    merged = dict(stored) if isinstance(stored, dict) else {}
    merged.update(cleaned)
    return merged


def new_client_settings(company: "Company") -> dict[str, Any]:
    """The settings every new client starts from (upstream's ClientSettings)."""
    return {
        "entity": CLIENT_ENTITY,
        "industry_id": "",
        "size_id": "",
        "currency_id": str(company.setting("currency_id")),
    }


def _set_values(settings: object) -> dict[str, Any]:
    if not isinstance(settings, dict):
        return {}
    return {key: value for key, value in settings.items() if value not in (None, "")}


def settings_resolve(client: "Client") -> dict[str, Any]:
    """The settings in force for a client: its own, else its group's, else the
    company's (else the built-in company defaults). Empty values don't count.

    Reads `client.group_settings` and `client.company`; select them with the client
    to save the queries.
    """
    resolved = default_company_settings()
    resolved.update(_set_values(client.company.settings))
    group = client.group_settings if client.group_settings_id else None
    if group is not None:
        resolved.update(_set_values(group.settings))
    resolved.update(_set_values(client.settings))
    return resolved
