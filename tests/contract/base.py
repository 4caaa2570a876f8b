"""What a contract test needs to know about a resource, and the HTTP helpers it uses.

A resource module subclasses the contract mixins and sets the attributes of
`Resource`; every inherited test then runs against that resource's URLs. Everything is
checked over HTTP (URLs, bodies, statuses), so the tests do not depend on how the
views and services are laid out inside.
"""

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import pytest
from django.db.models import Model
from rest_framework.test import APIClient

from companies.models import Company
from config.api.hashids import encode_id
from tests.conftest import Member

# The test client's response: `json()` is added to it at runtime, unknown to the stubs.
HttpAnswer = Any

UNKNOWN_PK = 987_654_321
# Primary keys are signed 64-bit: a hashid of a larger number can name no row.
BEYOND_ANY_PK = 2**63
NOT_A_HASHID = "not-a-hashid"

UNAUTHORIZED = {"message": "This action is unauthorized.", "errors": {}}
INVALID_IDS = {
    "message": "The given data was invalid.",
    "errors": {"ids": ["The selected ids is invalid."]},
}
PAGINATION_KEYS = {
    "total",
    "count",
    "per_page",
    "current_page",
    "total_pages",
    "links",
}
# The state a row is shown in after each bulk action.
STATE_AFTER = {"archive": "archived", "restore": "active", "delete": "deleted"}


def state_of(row: dict[str, Any]) -> str:
    """`active`, `archived` or `deleted`, as the API shows a row."""
    if row["is_deleted"]:
        return "deleted"
    return "archived" if row["archived_at"] else "active"


def hashid_of(row: Model) -> str:
    return encode_id(row.pk)


class Resource:
    """The attributes a resource module sets; the tests read nothing else.

    `make_row(company)` writes one row of another company as easily as of the
    request's one, which is what the isolation tests need.
    """

    list_url: ClassVar[str]
    not_found_message: ClassVar[str]
    # The `<action>_<entity>` permissions govern the resource.
    permission_entity: ClassVar[str]
    # Every key of the object, as list, show and write answers carry it.
    shown_keys: ClassVar[frozenset[str]]
    create_body: ClassVar[dict[str, Any]]
    update_body: ClassVar[dict[str, Any]]
    # Keys and values a read after the write must show.
    expected_after_create: ClassVar[dict[str, Any]]
    expected_after_update: ClassVar[dict[str, Any]]
    # Clients carry their contacts; the bodies' `contacts` must be read back.
    has_contacts: ClassVar[bool]
    # Soft: a deleted row is still shown, with `is_deleted` true. Otherwise it is gone.
    delete_is_soft: ClassVar[bool]
    bulk_actions: ClassVar[tuple[str, ...]] = ("archive", "restore", "delete")
    # The methods of the detail URL, and those that change a row.
    detail_methods: ClassVar[tuple[str, ...]] = ("GET", "PUT", "DELETE")
    write_methods: ClassVar[tuple[str, ...]] = ("PUT", "DELETE")
    # Pinned query counts in the steady state (token lookup included).
    list_queries: ClassVar[int]
    show_queries: ClassVar[int]
    list_page_sizes: ClassVar[tuple[int, ...]] = (2, 50)

    def make_row(self, company: Company) -> Model:
        """One row of `company`, written directly (not through the API)."""
        raise NotImplementedError

    def post_create(self, member: Member) -> HttpAnswer:
        """Create a row through the API as `member`, with `create_body`."""
        response: HttpAnswer = member.api.post(
            self.list_url, self.create_body, format="json"
        )
        return response

    def created_row(self, response: HttpAnswer) -> dict[str, Any]:
        """The row a successful `post_create` answered."""
        data: dict[str, Any] = response.json()["data"]
        return data

    # -- parametrisation by the resource's own attributes -------------------------

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Tests taking `bulk_action`, `detail_method`, `write_method` or `per_page`
        run once per value the resource declares."""
        choices: dict[str, Iterable[Any]] = {
            "bulk_action": self.bulk_actions,
            "detail_method": self.detail_methods,
            "write_method": self.write_methods,
            "per_page": self.list_page_sizes,
        }
        for name, values in choices.items():
            if name in metafunc.fixturenames:
                metafunc.parametrize(name, list(values))

    # -- HTTP helpers ---------------------------------------------------------------

    def detail_url(self, hashid: str) -> str:
        return f"{self.list_url}/{hashid}"

    def row_url(self, row: Model) -> str:
        return self.detail_url(hashid_of(row))

    def call(self, api: APIClient, method: str, url: str) -> HttpAnswer:
        """`method` on `url`; writes send `update_body`."""
        data = self.update_body if method in ("PUT", "PATCH") else None
        send: Callable[..., HttpAnswer] = getattr(api, method.lower())
        return send(url, data=data, format="json")

    def show(self, api: APIClient, row: Model | str) -> dict[str, Any]:
        """The row as `GET` answers it, asserting a 200."""
        hashid = row if isinstance(row, str) else hashid_of(row)
        response = api.get(self.detail_url(hashid))
        assert response.status_code == 200, response.content
        data: dict[str, Any] = response.json()["data"]
        return data

    def assert_not_found(self, response: HttpAnswer) -> None:
        assert response.status_code == 404, response.content
        assert response.json() == {"message": self.not_found_message, "errors": {}}

    def list_body(self, api: APIClient, **params: Any) -> dict[str, Any]:
        """The list answer, asserting a 200."""
        response = api.get(self.list_url, params)
        assert response.status_code == 200, response.content
        body: dict[str, Any] = response.json()
        return body

    def total(self, api: APIClient) -> int:
        total: int = self.list_body(api)["meta"]["pagination"]["total"]
        return total

    def bulk(self, api: APIClient, action: str, rows: Iterable[Model]) -> HttpAnswer:
        response: HttpAnswer = api.post(
            f"{self.list_url}/bulk",
            {"action": action, "ids": [hashid_of(row) for row in rows]},
            format="json",
        )
        return response

    def prepare_for(self, api: APIClient, action: str, rows: list[Model]) -> None:
        """Bring `rows` into a state `action` changes: `restore` starts from one
        archived row and (when deleting is soft) deleted ones."""
        if action != "restore" or not rows:
            return
        first, rest = rows[:1], rows[1:]
        for before, chosen in (("archive", first), (self.deleted_state_action, rest)):
            if chosen:
                assert self.bulk(api, before, chosen).status_code == 200

    @property
    def deleted_state_action(self) -> str:
        """The bulk action that leaves a row restorable and not active."""
        return "delete" if self.delete_is_soft else "archive"

    def viewer(self, make_member: Callable[..., Member], company: Company) -> Member:
        """A member of `company` who may view every row and change none."""
        member: Member = make_member(
            company,
            is_owner=False,
            is_admin=False,
            permissions=[f"view_{self.permission_entity}"],
        )
        return member

    def assert_contacts_read_back(
        self, row: dict[str, Any], body: dict[str, Any]
    ) -> None:
        """With contacts, the row shows exactly the contacts sent; without, it has
        no `contacts` key at all."""
        if self.has_contacts:
            sent = [contact["email"] for contact in body["contacts"]]
            assert [contact["email"] for contact in row["contacts"]] == sent
        else:
            assert "contacts" not in row
