"""Schema fuzzing: every operation of the project's own OpenAPI document, with
generated input, through the real WSGI application, as an owner of a company.

Each operation gets `FUZZ_EXAMPLES` positive examples (valid by the schema: they
must be answered as documented, body and status code) and as many negative ones
(invalid by the schema: any documented 4xx will do, never a 5xx). Generation is
derandomized, so a run is repeatable; `make fuzz` runs a longer one.

Nothing is excluded. Path ids are drawn either by the generator (mostly ids that
do not exist: the 404 path) or replaced by a real row of the company, made fresh
for every example (so purge, merge and delete meet a live row every time).
Password-gated operations get the owner's real password: generated passwords
would only exercise the lockout, which has its own tests.
"""

import base64
import os
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from clients.api.where import WHERE_FIELDS
from clients.models import Client
from config.api.hashids import encode_id
from tests.conftest import Member
from tests.factories import PASSWORD, ClientFactory, ContactFactory, GroupSettingFactory
from tests.reliability.conftest import stored_document

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
POSITIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Invalid input must be refused cleanly; which documented 4xx it gets is the
# view's business (e.g. an unknown id in the path is a 404 before the body is read).
NEGATIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
]


def load_schema() -> Any:
    """The project's OpenAPI document, as `/api/v1/schema` serves it."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(document)


SCHEMA = load_schema()
OPERATIONS = sorted(
    operation.ok().label
    for operation in SCHEMA.get_all_operations()
    if operation.ok() is not None
)


def has_free_input(label: str) -> bool:
    """Whether the operation takes query parameters or a body (input that can be
    made invalid). Path ids are free strings (any value is "valid" by the schema
    and answered 404) and the headers are fixed, so without query or body there
    is no invalid input to generate: those operations get the positive run only.
    """
    operation = SCHEMA.find_operation_by_label(label)
    return bool(list(operation.query)) or bool(list(operation.body))


NEGATABLE = [label for label in OPERATIONS if has_free_input(label)]


def test_the_schema_is_served_and_lists_every_fuzzed_operation(api) -> None:
    served = api.get(reverse("schema"), HTTP_ACCEPT="application/json")
    assert served.status_code == 200
    # The schema endpoint itself is left out of the document it serves
    # (SERVE_INCLUDE_SCHEMA = False): it takes no input worth fuzzing.
    assert len(OPERATIONS) >= 29


def fresh_row(kind: str, member: Member) -> str:
    """A new row of `kind` in the member's company; its hashid."""
    company = member.company
    if kind == "client":
        client = ClientFactory.create(company=company, user=member.membership.user)
        ContactFactory.create(client=client)
        stored_document(client)
        return encode_id(client.pk)
    if kind == "document":
        client = ClientFactory.create(company=company)
        return encode_id(stored_document(client).pk)
    group = GroupSettingFactory.create(company=company)
    return encode_id(group.pk)


def row_kind(path: str) -> str:
    if path.startswith("/api/v1/documents"):
        return "document"
    if path.startswith("/api/v1/group_settings"):
        return "group"
    return "client"


def password_headers(operation: Any) -> dict[str, str]:
    names = {parameter.name for parameter in operation.headers}
    headers = {}
    if "X-API-PASSWORD" in names:
        headers["X-API-PASSWORD"] = PASSWORD
    if "X-API-PASSWORD-BASE64" in names:
        headers["X-API-PASSWORD-BASE64"] = base64.b64encode(PASSWORD.encode()).decode()
    return headers


def fuzz(
    label: str,
    mode: GenerationMode,
    member: Member,
    app: Callable[..., Any],
    checks: list[Any],
) -> int:
    """Run `EXAMPLES` generated requests against one operation; how many ran."""
    operation = SCHEMA.find_operation_by_label(label)
    fixed_headers = {"X-API-TOKEN": member.token, **password_headers(operation)}
    strategy = operation.as_strategy(generation_mode=mode, headers=fixed_headers)
    path_names = [parameter.name for parameter in operation.path_parameters]
    ran = 0

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, real_ids=st.booleans())
    def run(case: Any, real_ids: bool) -> None:
        nonlocal ran
        if real_ids and path_names:
            kind = row_kind(operation.path)
            for name in path_names:
                case.path_parameters[name] = fresh_row(kind, member)
        # The gate reads only the real password; a generated one would lock the user.
        case.headers.update(fixed_headers)
        response = case.call(app=app)
        case.validate_response(response, checks=checks, transport_kwargs={"app": app})
        ran += 1

    run()
    return ran


@pytest.mark.slow
@pytest.mark.parametrize("label", OPERATIONS)
def test_valid_input_is_answered_as_the_schema_documents(
    label: str, owner: Member, media: Any, wsgi_app: Any, settings: Any
) -> None:
    settings.API_RATE_LIMIT = "100000/min"
    assert fuzz(label, GenerationMode.POSITIVE, owner, wsgi_app, POSITIVE_CHECKS) > 0


def test_operations_without_invalid_input_are_known() -> None:
    # Every operation takes `?format=json|xml`, so every one has an invalid input
    # to fuzz (an unknown format); none is fuzzed with valid input only.
    assert sorted(set(OPERATIONS) - set(NEGATABLE)) == []


@pytest.mark.slow
@pytest.mark.parametrize("label", NEGATABLE)
def test_invalid_input_is_refused_without_a_server_error(
    label: str, owner: Member, media: Any, wsgi_app: Any, settings: Any
) -> None:
    settings.API_RATE_LIMIT = "100000/min"
    assert fuzz(label, GenerationMode.NEGATIVE, owner, wsgi_app, NEGATIVE_CHECKS) > 0


def test_generated_clients_stay_in_the_owners_company(
    owner: Member, outsider: Member, media: Any, wsgi_app: Any, settings: Any
) -> None:
    settings.API_RATE_LIMIT = "100000/min"
    fuzz(
        "POST /api/v1/clients",
        GenerationMode.POSITIVE,
        owner,
        wsgi_app,
        POSITIVE_CHECKS,
    )
    assert not Client.objects.filter(company=outsider.company).exists()


# --- where= ------------------------------------------------------------------
# The schema's `where` is a free string, which almost never parses; these
# expressions are built from the language's own words, mostly well-formed, so the
# compiled conditions (every field, operator and value type) reach the database.

WHERE_FIELD_NAMES = list(WHERE_FIELDS)
WHERE_OPERATORS = ["=", "!=", "<", "<=", ">", ">=", "like", "not like"]
where_values = st.one_of(
    st.integers(min_value=-(10**45), max_value=10**45).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.sampled_from(["true", "false", "TRUE", "1700000000", "-1", ".5", "1e5"]),
    st.text(max_size=12).map(lambda text: '"' + text.replace('"', '\\"') + '"'),
    st.sampled_from(['"%"', '"_"', '"%a_b%"', '"2024-01-31"', '"\\\\"', "'x'"]),
)
where_condition = st.one_of(
    st.tuples(
        st.sampled_from([*WHERE_FIELD_NAMES, "nmae", "AND"]),
        st.sampled_from(WHERE_OPERATORS),
        where_values,
    ).map(" ".join),
    st.tuples(
        st.sampled_from(WHERE_FIELD_NAMES),
        st.sampled_from(["in", "not in"]),
        st.lists(where_values, min_size=1, max_size=4).map(", ".join),
    ).map(lambda parts: f"{parts[0]} {parts[1]} ({parts[2]})"),
)
where_expression = st.one_of(
    st.lists(where_condition, min_size=1, max_size=4).map(" and ".join),
    st.lists(
        st.one_of(
            where_condition,
            st.sampled_from(["and", "or", "(", ")", ",", "not", "in", "like", '"']),
            st.text(max_size=6),
        ),
        max_size=8,
    ).map(" ".join),
)


@settings(
    max_examples=EXAMPLES * 10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(expression=where_expression, sort=st.sampled_from(["", "name|desc"]))
def test_where_expressions_are_answered_or_refused_never_a_server_error(
    api, company, expression, sort
) -> None:
    if not Client.objects.filter(company=company).exists():
        client = ClientFactory.create(company=company, name="Acme Inc")
        ContactFactory.create(client=client, email="a@acme.test")
    response = api.get("/api/v1/clients", {"where": expression, "sort": sort})
    assert response.status_code in (200, 422), (expression, response.content)
    if response.status_code == 422:
        assert list(response.json()["errors"]) == ["where"], expression
