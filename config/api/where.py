"""The `where=` expression language (Paymo's list filters), parsed by lark.

`name like "%Inc%" and balance>100 and active=true`: conditions joined by `and`,
each a field, an operator (`=`, `!=`, `<`, `<=`, `>`, `>=`, `like`, `not like`,
`in`, `not in`) and a value (a quoted string, a number, `true`/`false`) or, for
`in`, a parenthesised list of values. Keywords are case-insensitive.

This module knows only the syntax: `parse_where` returns the conditions with the
position (1-based character) of each part, and a resource's field table turns
them into queryset conditions (`clients.api.where`). Every problem is a form
`ValidationError` naming the character where it is.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django import forms
from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput

GRAMMAR = r"""
start: condition (_AND condition)*
condition: FIELD operator operand
operator: OPERATOR | LIKE | NOT LIKE | IN | NOT IN
?operand: value -> single
        | "(" value ("," value)* ")" -> group
?value: STRING | NUMBER | TRUE | FALSE

FIELD: /[A-Za-z_][A-Za-z0-9_]*/
OPERATOR: "<=" | ">=" | "!=" | "=" | "<" | ">"
_AND: /and\b/i
LIKE: /like\b/i
NOT: /not\b/i
IN: /in\b/i
TRUE: /true\b/i
FALSE: /false\b/i
STRING: /"(?:[^"\\]|\\.)*"/ | /'(?:[^'\\]|\\.)*'/
NUMBER: /[+-]?(?:\d+(?:\.\d*)?|\.\d+)/

%import common.WS
%ignore WS
"""

# Longer numbers than this are far outside every numeric column.
MAX_NUMBER_LENGTH = 40


@dataclass(frozen=True)
class Value:
    """A literal: `str` (a quoted string), `Decimal` (a number) or `bool`."""

    value: str | Decimal | bool
    position: int

    @property
    def kind(self) -> str:
        if isinstance(self.value, bool):
            return "boolean"
        if isinstance(self.value, Decimal):
            return "number"
        return "string"


@dataclass(frozen=True)
class Condition:
    """One `field operator operand`; `values` has one item unless the operator
    is `in`/`not in` (or the operand was a list by mistake: `listed`)."""

    field: str
    field_position: int
    operator: str  # "=", "!=", "<", "<=", ">", ">=", "like", "not like", "in"...
    operator_position: int
    values: tuple[Value, ...]
    listed: bool


def problem(message: str, position: int) -> forms.ValidationError:
    return forms.ValidationError(f"{message} (at character {position}).")


@cache
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", propagate_positions=True)


def _position(token: Token) -> int:
    return int(token.start_pos or 0) + 1


def _unquoted(text: str) -> str:
    # A backslash takes the next character as it is (\" \' \\).
    body, out, escaped = text[1:-1], [], False
    for char in body:
        if escaped or char != "\\":
            out.append(char)
            escaped = False
        else:
            escaped = True
    return "".join(out)


def _value(token: Token) -> Value:
    position = _position(token)
    if token.type == "STRING":
        return Value(_unquoted(str(token)), position)
    if token.type == "NUMBER":
        if len(token) > MAX_NUMBER_LENGTH:
            raise problem(
                f"The where number may not be longer than {MAX_NUMBER_LENGTH} "
                "characters",
                position,
            )
        return Value(Decimal(str(token)), position)
    return Value(token.type == "TRUE", position)


def _tokens(tree: Tree[Token]) -> list[Token]:
    return [child for child in tree.children if isinstance(child, Token)]


def _condition(tree: Tree[Token]) -> Condition:
    field, operator, operand = tree.children
    assert isinstance(field, Token)
    assert isinstance(operator, Tree) and isinstance(operand, Tree)
    words = _tokens(operator)
    return Condition(
        field=str(field),
        field_position=_position(field),
        operator=" ".join(str(word).lower() for word in words),
        operator_position=_position(words[0]),
        values=tuple(_value(token) for token in _tokens(operand)),
        listed=operand.data == "group",
    )


def _syntax_problem(text: str, error: UnexpectedInput) -> forms.ValidationError:
    position = int(getattr(error, "pos_in_stream", None) or 0)
    if isinstance(error, UnexpectedCharacters):
        found = text[position : position + 1]
        return problem(f"The where has an unexpected character `{found}`", position + 1)
    token = getattr(error, "token", None)
    if token is None or token.type == "$END":
        return problem(
            "The where ends too soon: a condition is `field operator value`",
            len(text) + 1,
        )
    return problem(
        f"The where has an unexpected `{token}`", int(token.start_pos or 0) + 1
    )


def parse_where(text: str, *, max_length: int, max_conditions: int) -> list[Condition]:
    """The conditions of a `where=` expression, or a ValidationError that names
    the character at fault. Bounded before parsing: at most `max_length`
    characters, and at most `max_conditions` conditions."""
    if len(text) > max_length:
        raise forms.ValidationError(
            f"The where may not be longer than {max_length} characters."
        )
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as error:
        raise _syntax_problem(text, error) from None
    except LarkError:
        raise problem("The where could not be read", 1) from None
    conditions = [
        _condition(child) for child in tree.children if isinstance(child, Tree)
    ]
    if len(conditions) > max_conditions:
        raise problem(
            f"The where may have at most {max_conditions} conditions",
            conditions[max_conditions].field_position,
        )
    return conditions
