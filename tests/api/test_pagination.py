import pytest

from clients.models import Activity
from companies.models import Membership
from config.api.hashids import decode_id, encode_id
from config.api.pagination import KeysetPage, Page, PageWindow, queryset_page
from tests.factories import ClientFactory, MembershipFactory, client_document

pytestmark = pytest.mark.urls("tests.api.urls")
URL = "/api/v1/test-memberships"


@pytest.fixture
def five_members(owner):
    for _ in range(4):
        MembershipFactory(company=owner.company)
    return owner


def test_the_list_envelope_has_pagination_meta(api, five_members):
    body = api.get(URL, {"per_page": 2, "page": 2, "filter": "x"}).json()
    assert len(body["data"]) == 2
    pagination = body["meta"]["pagination"]
    assert {
        k: pagination[k] for k in ("total", "count", "per_page", "current_page")
    } == {
        "total": 5,
        "count": 2,
        "per_page": 2,
        "current_page": 2,
    }
    assert pagination["total_pages"] == 3
    links = pagination["links"]
    assert links["previous"].startswith("http://testserver/api/v1/test-memberships?")
    assert "page=1" in links["previous"] and "filter=x" in links["previous"]
    assert "page=3" in links["next"] and "per_page=2" in links["next"]


def test_links_are_empty_when_there_is_one_page(api, five_members):
    pagination = api.get(URL).json()["meta"]["pagination"]
    assert pagination["per_page"] == 20
    assert pagination["links"] == {}


def test_a_page_past_the_end_is_empty_with_the_page_asked(api, five_members):
    body = api.get(URL, {"page": 9}).json()
    assert body["data"] == []
    assert body["meta"]["pagination"]["current_page"] == 9
    assert body["meta"]["pagination"]["count"] == 0


@pytest.mark.parametrize(
    ("per_page", "expected"),
    [("", 20), (" 7 ", 7), ("007", 7), ("100000", 5000), ("9" * 5000, 5000)],
)
def test_an_empty_per_page_is_the_default_and_a_huge_one_is_clamped(
    api, five_members, per_page, expected
):
    pagination = api.get(URL, {"per_page": per_page}).json()["meta"]["pagination"]
    assert pagination["per_page"] == expected


@pytest.mark.parametrize("per_page", ["abc", "0", "000", "-3", "+5", "2.5", "١٢"])
def test_an_invalid_per_page_is_a_422_keyed_per_page(api, five_members, per_page):
    response = api.get(URL, {"per_page": per_page})
    assert response.status_code == 422
    assert response.json() == {
        "message": "The given data was invalid.",
        "errors": {"per_page": ["The per page must be a whole number of at least 1."]},
    }


def test_an_invalid_per_page_is_refused_with_keyset_pages_too(api, five_members):
    response = api.get(URL, {"per_page": "abc", "after": ""})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["per_page"]


def test_total_pages_is_at_least_one_for_an_empty_list(api):
    pagination = api.get(URL).json()["meta"]["pagination"]
    assert pagination["total"] == 1  # the owner
    assert pagination["total_pages"] == 1


def test_the_list_shows_hashed_ids_and_unix_times(api, owner):
    row = api.get(URL).json()["data"][0]
    assert row["id"] != str(owner.membership.pk)
    assert isinstance(row["created_at"], int) and row["created_at"] > 1_600_000_000


def test_after_pages_through_every_row_in_id_order_without_a_total(api, five_members):
    seen, after = [], ""
    for _ in range(5):
        body = api.get(URL, {"per_page": 2, "after": after}).json()
        seen += [row["id"] for row in body["data"]]
        pagination = body["meta"]["pagination"]
        assert "total" not in pagination
        after = pagination["next_after"]
        if not after:
            break
        assert f"after={after}" in pagination["links"]["next"]
    assert len(seen) == 5
    assert seen == sorted(seen, key=lambda hashid: decode_id(hashid) or 0)


def test_after_an_undecodable_id_is_a_422(api, five_members):
    response = api.get(URL, {"after": "not-an-id"})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "after": ["The after must be an id of the list."]
    }


def test_after_with_a_sort_is_a_422(api, five_members):
    response = api.get(URL, {"after": "", "sort": "id|desc"})
    assert response.status_code == 422
    assert "sort" in response.json()["errors"]


def test_a_window_reads_page_and_per_page_as_a_limit_and_offset():
    window = PageWindow(per_page=7, page=3)
    assert (window.limit, window.offset, window.keyset) == (7, 14, False)
    assert PageWindow(per_page=7, after=0).keyset


def test_a_queryset_page_is_counted_or_keyset(five_members):
    members = Membership.objects.filter(company=five_members.company).order_by("pk")
    pks = list(members.values_list("pk", flat=True))
    assert queryset_page(members, PageWindow(per_page=2, page=2)) == Page(
        list(members[2:4]), 5
    )
    assert queryset_page(members, PageWindow(per_page=2, page=9)) == Page([], 5)
    full = queryset_page(members, PageWindow(per_page=2, after=pks[0]))
    assert full == KeysetPage(list(members[1:3]), encode_id(pks[2]))
    last = queryset_page(members, PageWindow(per_page=2, after=pks[3]))
    assert last == KeysetPage(list(members[4:]), "")


def test_a_bulk_action_checks_the_page_before_it_writes(api, company):
    client = ClientFactory.create(company=company)
    for query in ("after=not-an-id", "after=&sort=name", "per_page=0"):
        response = api.post(
            f"/api/v1/clients/bulk?{query}",
            {"action": "archive", "ids": [encode_id(client.pk)]},
            format="json",
        )
        assert response.status_code == 422, query
    client.refresh_from_db()
    assert client.archived_at is None
    assert not Activity.objects.exists()


def test_a_document_bulk_checks_its_answers_filters_before_it_writes(api, company):
    client = ClientFactory.create(company=company)
    document = client_document(client)
    response = api.post(
        "/api/v1/documents/bulk?sort=nope",
        {"action": "archive", "ids": [encode_id(document.pk)]},
        format="json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["sort"]
    document.refresh_from_db()
    assert document.archived_at is None
