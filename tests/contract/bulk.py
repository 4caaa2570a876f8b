"""`POST list_url/bulk`: each action the resource supports, with the new state
visible afterwards; all or nothing for ids outside the company; rows the member may
not change are skipped."""

from collections.abc import Callable
from typing import Any

from companies.models import Company
from tests.conftest import Member
from tests.contract.base import (
    INVALID_IDS,
    STATE_AFTER,
    Resource,
    hashid_of,
    state_of,
)


class BulkContract(Resource):
    """Bulk archive, restore and delete (those in `bulk_actions`)."""

    def test_a_bulk_action_changes_the_rows_asked_for_and_no_other(
        self, api: Any, company: Company, bulk_action: str
    ) -> None:
        *targets, bystander = [self.make_row(company) for _ in range(3)]
        self.prepare_for(api, bulk_action, targets)
        untouched = self.show(api, bystander)

        response = self.bulk(api, bulk_action, targets)

        assert response.status_code == 200, response.content
        body = response.json()
        expected = STATE_AFTER[bulk_action]
        if expected == "deleted" and not self.delete_is_soft:
            # The answer lists the rows asked for that remain: none.
            assert body["data"] == []
            assert body["meta"]["pagination"]["total"] == 0
            for row in targets:
                self.assert_not_found(api.get(self.row_url(row)))
        else:
            assert [row["id"] for row in body["data"]] == [
                hashid_of(row) for row in targets
            ]
            assert body["meta"]["pagination"]["total"] == len(targets)
            assert [state_of(row) for row in body["data"]] == [expected] * len(targets)
            shown = [self.show(api, row) for row in targets]
            assert shown == body["data"]
        assert self.show(api, bystander) == untouched

    def test_a_bulk_with_another_companys_id_is_422_and_changes_nothing(
        self, api: Any, company: Company, outsider: Member, bulk_action: str
    ) -> None:
        mine = self.make_row(company)
        theirs = self.make_row(outsider.company)
        self.prepare_for(api, bulk_action, [mine])
        self.prepare_for(outsider.api, bulk_action, [theirs])
        before = (self.show(api, mine), self.show(outsider.api, theirs))

        response = self.bulk(api, bulk_action, [mine, theirs])

        assert response.status_code == 422, response.content
        assert response.json() == INVALID_IDS
        assert (self.show(api, mine), self.show(outsider.api, theirs)) == before

    def test_a_bulk_skips_the_rows_the_member_may_not_change(
        self,
        api: Any,
        company: Company,
        make_member: Callable[..., Member],
        bulk_action: str,
    ) -> None:
        viewer = self.viewer(make_member, company)
        row = self.make_row(company)
        self.prepare_for(api, bulk_action, [row])
        before = self.show(api, row)

        response = self.bulk(viewer.api, bulk_action, [row])

        assert response.status_code == 200, response.content
        assert response.json()["data"] == [before]
        assert self.show(api, row) == before
