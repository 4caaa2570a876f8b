"""Reading a resource: the list envelope, show by hashid, one 404 for every id that
names no row of the company, and the pinned query counts of both reads."""

from typing import Any

from companies.models import Company
from config.api.hashids import encode_id
from tests.conftest import Member
from tests.contract.base import (
    BEYOND_ANY_PK,
    NOT_A_HASHID,
    PAGINATION_KEYS,
    UNKNOWN_PK,
    Resource,
    hashid_of,
)


class ListContract(Resource):
    """`GET list_url`: the company's rows, paged in the `data`/`meta` envelope."""

    def test_the_list_is_the_companys_rows_in_the_envelope(
        self, api: Any, company: Company, outsider: Member
    ) -> None:
        rows = [self.make_row(company) for _ in range(3)]
        self.make_row(outsider.company)

        first = self.list_body(api, per_page=2)

        assert set(first) == {"data", "meta"}
        pagination = first["meta"]["pagination"]
        assert set(pagination) == PAGINATION_KEYS
        assert {key: pagination[key] for key in PAGINATION_KEYS - {"links"}} == {
            "total": 3,
            "count": 2,
            "per_page": 2,
            "current_page": 1,
            "total_pages": 2,
        }
        assert [row["id"] for row in first["data"]] == [
            hashid_of(row) for row in rows[:2]
        ]
        assert all(set(row) == self.shown_keys for row in first["data"])
        assert set(pagination["links"]) == {"next"}

        response = api.get(pagination["links"]["next"])
        assert response.status_code == 200, response.content
        second = response.json()
        assert [row["id"] for row in second["data"]] == [hashid_of(rows[2])]
        assert second["meta"]["pagination"]["current_page"] == 2
        assert second["meta"]["pagination"]["count"] == 1
        assert set(second["meta"]["pagination"]["links"]) == {"previous"}


class ShowContract(Resource):
    """`GET list_url/{id}`: one row by hashid, as the list shows it."""

    def test_a_row_is_shown_by_its_hashid_as_the_list_shows_it(
        self, api: Any, company: Company
    ) -> None:
        row = self.make_row(company)

        shown = self.show(api, row)

        assert shown["id"] == hashid_of(row)
        assert set(shown) == self.shown_keys
        assert self.list_body(api)["data"] == [shown]


class NotFoundContract(Resource):
    """Another company's id, an unknown id, an id that does not decode and one past
    any primary key all answer the same 404, on every method of the detail URL."""

    def test_ids_that_name_no_row_of_the_company_answer_one_404(
        self, api: Any, outsider: Member, detail_method: str
    ) -> None:
        theirs = self.make_row(outsider.company)
        before = self.show(outsider.api, theirs)
        hashids = [
            hashid_of(theirs),
            encode_id(UNKNOWN_PK),
            NOT_A_HASHID,
            encode_id(BEYOND_ANY_PK),
        ]

        for hashid in hashids:
            response = self.call(api, detail_method, self.detail_url(hashid))
            self.assert_not_found(response)

        assert self.show(outsider.api, theirs) == before


class QueryCountContract(Resource):
    """The list and show cost a pinned number of queries, whatever the page size;
    a first request fills what is cached per process or per minute."""

    def test_the_list_query_count_is_pinned(
        self,
        api: Any,
        company: Company,
        django_assert_num_queries: Any,
        per_page: int,
    ) -> None:
        rows = [self.make_row(company) for _ in range(3)]
        self.show(api, rows[0])
        self.list_body(api)

        with django_assert_num_queries(self.list_queries):
            response = api.get(self.list_url, {"per_page": per_page})

        assert response.status_code == 200, response.content
        body = response.json()
        assert [row["id"] for row in body["data"]] == [
            hashid_of(row) for row in rows[:per_page]
        ]
        assert body["meta"]["pagination"]["total"] == 3

    def test_the_show_query_count_is_pinned(
        self, api: Any, company: Company, django_assert_num_queries: Any
    ) -> None:
        row = self.make_row(company)
        self.list_body(api)
        self.show(api, row)

        with django_assert_num_queries(self.show_queries):
            response = api.get(self.row_url(row))

        assert response.status_code == 200, response.content
        assert response.json()["data"]["id"] == hashid_of(row)
