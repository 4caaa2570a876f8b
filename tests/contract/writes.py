"""Writing a resource: create, update and delete, each read back afterwards, and
the 403 of a member who may view but not change."""

from collections.abc import Callable
from typing import Any

from companies.models import Company
from tests.conftest import Member
from tests.contract.base import UNAUTHORIZED, Resource, hashid_of


def assert_shows(row: dict[str, Any], expected: dict[str, Any]) -> None:
    """Every key of `expected` has its value in `row`."""
    assert {key: row[key] for key in expected} == expected


class CreateContract(Resource):
    """A created row is answered and then read back as it was sent."""

    def test_a_created_row_is_read_back_as_sent(self, api: Any, owner: Member) -> None:
        total = self.total(api)

        response = self.post_create(owner)

        assert response.status_code == 200, response.content
        answered = self.created_row(response)
        shown = self.show(api, answered["id"])
        assert shown == answered
        assert set(shown) == self.shown_keys
        assert_shows(shown, self.expected_after_create)
        self.assert_contacts_read_back(shown, self.create_body)
        assert self.total(api) == total + 1


class UpdateContract(Resource):
    """An updated row is answered and then read back with the new values."""

    def test_an_updated_row_is_read_back_with_the_new_values(
        self, api: Any, company: Company
    ) -> None:
        row = self.make_row(company)

        response = api.put(self.row_url(row), self.update_body, format="json")

        assert response.status_code == 200, response.content
        answered = response.json()["data"]
        assert answered["id"] == hashid_of(row)
        assert_shows(answered, self.expected_after_update)
        assert self.show(api, row) == answered
        self.assert_contacts_read_back(answered, self.update_body)


class DeleteContract(Resource):
    """`DELETE list_url/{id}` answers the row with `is_deleted` true; a soft delete
    keeps showing it, otherwise it is gone."""

    def test_a_deleted_row_is_answered_deleted(
        self, api: Any, company: Company
    ) -> None:
        row = self.make_row(company)
        self.make_row(company)

        response = api.delete(self.row_url(row))

        assert response.status_code == 200, response.content
        answered = response.json()["data"]
        assert (answered["id"], answered["is_deleted"]) == (hashid_of(row), True)
        if self.delete_is_soft:
            shown = self.show(api, row)
            assert shown == answered
            assert shown["archived_at"] > 0
            assert self.total(api) == 2
        else:
            self.assert_not_found(api.get(self.row_url(row)))
            assert self.total(api) == 1


class PermissionContract(Resource):
    """A member with only `view_<entity>` reads every row and changes none: each
    write is a 403 with the same body, and nothing changes."""

    def test_a_member_who_may_not_create_gets_403(
        self, api: Any, company: Company, make_member: Callable[..., Member]
    ) -> None:
        viewer = self.viewer(make_member, company)
        total = self.total(api)

        response = self.post_create(viewer)

        assert response.status_code == 403, response.content
        assert response.json() == UNAUTHORIZED
        assert self.total(api) == total

    def test_a_member_who_may_not_edit_gets_403(
        self,
        api: Any,
        company: Company,
        make_member: Callable[..., Member],
        write_method: str,
    ) -> None:
        viewer = self.viewer(make_member, company)
        row = self.make_row(company)
        before = self.show(api, row)
        assert self.show(viewer.api, row) == before

        response = self.call(viewer.api, write_method, self.row_url(row))

        assert response.status_code == 403, response.content
        assert response.json() == UNAUTHORIZED
        assert self.show(api, row) == before
