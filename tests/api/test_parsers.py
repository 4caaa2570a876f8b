import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clients.models import Client
from config.api.hashids import encode_id
from config.api.parsers import nest_php_keys
from tests.factories import ClientFactory

pytestmark = pytest.mark.urls("tests.api.urls")


def test_php_bracket_keys_become_lists_and_objects():
    pairs = [
        ("name", "Acme"),
        ("contacts[1][email]", "b@example.com"),
        ("contacts[0][email]", "a@example.com"),
        ("contacts[0][first_name]", "Ann"),
        ("ids[0]", "x"),
        ("ids[]", "y"),
        ("settings[currency_id]", "1"),
    ]
    assert nest_php_keys(pairs) == {
        "name": "Acme",
        "contacts": [
            {"email": "a@example.com", "first_name": "Ann"},
            {"email": "b@example.com"},
        ],
        "ids": ["x", "y"],
        "settings": {"currency_id": "1"},
    }


def test_numeric_keys_are_ordered_by_index_not_by_arrival():
    assert nest_php_keys([("a[10]", "ten"), ("a[2]", "two")]) == {"a": ["two", "ten"]}


def test_malformed_brackets_stay_plain_keys():
    assert nest_php_keys([("a[b", "1"), ("c]", "2")]) == {"a[b": "1", "c]": "2"}


def test_form_encoded_put_is_read_as_nested_data(api):
    response = api.put(
        "/api/v1/test-echo",
        data="name=Acme&contacts%5B0%5D%5Bemail%5D=a%40b.c&ids%5B%5D=x&ids%5B%5D=y",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert response.json() == {
        "data": {"name": "Acme", "contacts": [{"email": "a@b.c"}], "ids": ["x", "y"]}
    }


def test_multipart_fields_and_files_are_nested(api):
    upload = SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")
    response = api.post(
        "/api/v1/test-echo",
        {"is_public": "0", "settings[currency_id]": "2", "documents[]": upload},
        format="multipart",
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["is_public"] == "0"
    assert data["settings"] == {"currency_id": "2"}
    assert len(data["documents"]) == 1


def test_nested_files_still_let_django_close_the_temporary_files():
    from django.utils.datastructures import MultiValueDict

    from config.api.parsers import NestedFiles

    first = SimpleUploadedFile("a.txt", b"a")
    second = SimpleUploadedFile("b.txt", b"b")
    files = NestedFiles(MultiValueDict({"documents[]": [first, second]}))
    assert files == {"documents": [first, second]}
    assert [f for _, fs in files.lists() for f in fs] == [first, second]


def test_more_files_than_django_allows_is_413_json(api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1
    response = api.post(
        "/api/v1/test-echo",
        {
            "documents[]": [
                SimpleUploadedFile("a.txt", b"a"),
                SimpleUploadedFile("b.txt", b"b"),
            ]
        },
        format="multipart",
    )
    assert response.status_code == 413
    assert response.json()["errors"] == {}


def test_appends_follow_the_highest_index_so_far_as_php_does():
    pairs = [("a[5]", "x"), ("a[]", "y"), ("a[2]", "z"), ("a[]", "w")]
    assert nest_php_keys(pairs) == {"a": ["z", "x", "y", "w"]}


def test_thousands_of_appends_keep_their_order():
    pairs = [("ids[]", str(index)) for index in range(10_000)]
    assert nest_php_keys(pairs) == {"ids": [str(index) for index in range(10_000)]}


def test_digit_keys_longer_than_php_integers_are_plain_keys():
    huge = "9" * 5000
    assert nest_php_keys([(f"a[{huge}]", "x"), ("a[]", "y")]) == {
        "a": {huge: "x", "0": "y"}
    }


def form_ids(count: int, hashid: str) -> str:
    return "action=archive&" + "&".join(["ids%5B%5D=" + hashid] * count)


def test_a_bulk_of_5000_form_ids_is_read(api, company):
    client = ClientFactory.create(company=company)
    response = api.post(
        "/api/v1/clients/bulk",
        data=form_ids(5000, encode_id(client.pk)),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200, response.content
    assert Client.objects.get(pk=client.pk).archived_at is not None


def test_more_form_keys_than_the_limit_is_413_json(api, settings):
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert limit >= 5001
    response = api.post(
        "/api/v1/clients/bulk",
        data=form_ids(limit + 1, "x"),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert response.json() == {
        "message": f"The request has more than {limit} form fields.",
        "errors": {},
    }


def test_more_multipart_keys_than_the_limit_is_413_json(api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    response = api.post(
        "/api/v1/test-echo",
        {"a": "1", "b": "2", "c": "3", "d": "4"},
        format="multipart",
    )
    assert response.status_code == 413
    assert response.json()["message"] == "The request has more than 3 form fields."


def test_more_query_parameters_than_the_limit_is_413_json(api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    response = api.get("/api/v1/clients?a=1&b=2&c=3&d=4")
    assert response.status_code == 413
