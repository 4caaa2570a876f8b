"""Client tags: written on create and update and by `POST /clients/{id}/tags`,
a per-company vocabulary compared case-insensitively, the `tags` / `tags_any`
filters and the `add_tags` / `remove_tags` bulk actions."""

from urllib.parse import urlencode

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import Activity, Client, ClientTag, Tag
from clients.seeding import seed_clients
from config.api.hashids import encode_id
from tests.clients.support import CLIENTS, client_url, create, errors

BULK = "/api/v1/clients/bulk"


def tags_url(client_id: str) -> str:
    return client_url(client_id, "/tags")


def shown(api, client_id):
    response = api.get(client_url(client_id))
    assert response.status_code == 200, response.content
    return response.json()["data"]


def listed(api, **params):
    response = api.get(CLIENTS, params)
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["data"])


def test_a_client_without_tags_shows_an_empty_list(api):
    data = create(api, name="Plain")
    assert data["tags"] == []
    assert shown(api, data["id"])["tags"] == []
    assert api.get(f"{CLIENTS}/create").json()["data"]["tags"] == []


def test_tags_are_written_on_create_cleaned_sorted_and_deduplicated(api, company):
    data = create(api, name="Acme", tags=[" vip ", "<b>Beta</b>", "alpha", "VIP"])
    assert data["tags"] == ["alpha", "Beta", "vip"]
    assert shown(api, data["id"]) == data
    assert sorted(
        Tag.objects.filter(company=company).values_list("name", flat=True)
    ) == [
        "Beta",
        "alpha",
        "vip",
    ]


def test_the_php_sdk_form_sends_tags_with_bracket_keys(api):
    body = urlencode({"name": "Form Co", "tags[0]": "red", "tags[1]": "blue"})
    response = api.post(CLIENTS, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["tags"] == ["blue", "red"]
    hashid = response.json()["data"]["id"]
    body = urlencode({"tags[]": "green"})
    response = api.put(
        client_url(hashid), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.json()["data"]["tags"] == ["green"]


def test_an_update_replaces_the_set_and_leaving_it_out_keeps_it(api):
    data = create(api, name="Acme", tags=["a", "b"])
    url = client_url(data["id"])
    answer = api.put(url, {"tags": ["b", "c"]}, format="json").json()["data"]
    assert answer["tags"] == ["b", "c"]
    assert api.put(url, {"name": "Acme 2"}, format="json").json()["data"]["tags"] == [
        "b",
        "c",
    ]
    assert api.put(url, {"tags": None}, format="json").json()["data"]["tags"] == [
        "b",
        "c",
    ]
    assert api.put(url, {"tags": []}, format="json").json()["data"]["tags"] == []
    assert not ClientTag.objects.exists()


def test_the_vocabulary_is_one_per_company_and_case_insensitive(api, company, outsider):
    first = create(api, name="One", tags=["Gold"])
    second = create(api, name="Two", tags=["GOLD", "silver"])
    assert second["tags"] == ["Gold", "silver"]  # the first spelling is kept
    assert Tag.objects.filter(company=company, key="gold").count() == 1
    theirs = create(outsider.api, name="Theirs", tags=["gold"])
    assert theirs["tags"] == ["gold"]
    assert Tag.objects.filter(key="gold").count() == 2
    # Tags of one company never show in, or filter, another's.
    assert listed(outsider.api, tags="Gold") == ["Theirs"]
    assert listed(api, tags="gold") == ["One", "Two"]
    assert first["tags"] == ["Gold"]


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ("not a list", None),
        ({"a": 1}, "The tags must be an array of strings."),
        ([1], "The tags.0 must be a string."),
        (["ok", "  "], "The tags.1 must be 1 to 100 characters."),
        (["<i></i>"], "The tags.0 must be 1 to 100 characters."),
        (["x" * 101], "The tags.0 may not be greater than 100 characters."),
        ([f"t{n}" for n in range(101)], "The tags may not have more than 100 items."),
    ],
)
def test_bad_tags_are_a_422_keyed_tags_and_change_nothing(api, tags, message):
    data = create(api, name="Acme", tags=["keep"])
    activities = Activity.objects.count()
    for method, url in (
        ("put", client_url(data["id"])),
        ("post", tags_url(data["id"])),
    ):
        response = getattr(api, method)(url, {"tags": tags, "name": "X"}, format="json")
        if message is None:  # a plain string is a comma list, as a form sends it
            assert response.status_code == 200
            api.post(tags_url(data["id"]), {"tags": ["keep"]}, format="json")
            continue
        assert errors(response) == {"tags": [message]}
        assert shown(api, data["id"])["tags"] == ["keep"]
        assert shown(api, data["id"])["name"] == "Acme"
    if message is not None:
        assert Activity.objects.count() == activities
    response = api.post(CLIENTS, {"name": "New", "tags": tags}, format="json")
    if message is not None:
        assert errors(response) == {"tags": [message]}


def test_the_tags_route_replaces_the_set_and_answers_the_client(api):
    data = create(api, name="Acme", tags=["a"])
    response = api.post(tags_url(data["id"]), {"tags": ["z", "b"]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["tags"] == ["b", "z"]
    assert response.json()["data"]["name"] == "Acme"
    activity = Activity.objects.filter(client_id=Client.objects.get().pk).latest("id")
    assert (activity.activity_type_id, activity.notes) == (
        Activity.UPDATE_CLIENT,
        "Tags set: z, b",
    )
    response = api.post(tags_url(data["id"]), {"tags": []}, format="json")
    assert response.json()["data"]["tags"] == []
    assert errors(api.post(tags_url(data["id"]), {}, format="json")) == {
        "tags": ["The tags field is required."]
    }
    # Found by the schema fuzzing: null is not a set (it was a 500).
    assert errors(api.post(tags_url(data["id"]), {"tags": None}, format="json")) == {
        "tags": ["The tags field is required."]
    }


def test_the_tags_route_refuses_a_deleted_client_and_an_unknown_one(api):
    data = create(api, name="Gone", tags=["a"])
    assert api.delete(client_url(data["id"])).status_code == 200
    response = api.post(tags_url(data["id"]), {"tags": ["b"]}, format="json")
    assert response.status_code == 400
    assert shown(api, data["id"])["tags"] == ["a"]
    response = api.post(tags_url("nope"), {"tags": ["b"]}, format="json")
    assert response.status_code == 404


def test_filters_by_every_tag_or_any_tag(api):
    create(api, name="Both", tags=["red", "blue"])
    create(api, name="Red", tags=["Red"])
    create(api, name="Blue", tags=["blue"])
    create(api, name="None")
    assert listed(api, tags="red,BLUE") == ["Both"]
    assert listed(api, tags="red") == ["Both", "Red"]
    assert listed(api, tags_any="red,blue") == ["Blue", "Both", "Red"]
    assert listed(api, tags_any="green") == []
    assert listed(api, tags="red", tags_any="blue") == ["Both"]
    assert listed(api, tags="red", name="Bo") == ["Both"]
    assert listed(api, tags=" , ") == ["Blue", "Both", "None", "Red"]
    response = api.get(CLIENTS, {"tags_any": ",".join(f"t{n}" for n in range(101))})
    assert errors(response) == {"tags_any": ["The tags any may name at most 100 tags."]}


def bulk(api, action, ids, **extra):
    return api.post(BULK, {"action": action, "ids": ids, **extra}, format="json")


def test_bulk_add_and_remove_tags(api):
    ids = [create(api, name=f"C{n}", tags=["old"] if n else [])["id"] for n in range(3)]
    response = bulk(api, "add_tags", ids[:2], tags=["new", "Old"])
    assert response.status_code == 200, response.content
    assert [row["tags"] for row in response.json()["data"]] == [
        ["new", "old"],
        ["new", "old"],
    ]
    assert shown(api, ids[2])["tags"] == ["old"]
    response = bulk(api, "remove_tags", ids, tags=["OLD", "never-made"])
    assert [row["tags"] for row in response.json()["data"]] == [["new"], ["new"], []]
    assert Activity.objects.filter(notes="Tags added: new, Old").count() == 2
    assert Activity.objects.filter(notes="Tags removed: OLD, never-made").count() == 3


def test_bulk_tag_actions_need_tags_and_change_nothing_without(api, outsider):
    hashid = create(api, name="C", tags=["keep"])["id"]
    bodies: list[dict[str, list[str]]] = [{}, {"tags": []}, {"tags": [""]}]
    for body in bodies:
        response = bulk(api, "add_tags", [hashid], **body)
        assert list(errors(response)) == ["tags"]
    theirs = create(outsider.api, name="T")["id"]
    response = bulk(api, "add_tags", [hashid, theirs], tags=["x"])
    assert errors(response) == {"ids": ["The selected ids is invalid."]}
    assert shown(api, hashid)["tags"] == ["keep"]


def test_bulk_tags_of_5000_clients_take_the_same_queries_as_of_two(
    owner, django_assert_num_queries
):
    seed_clients(company=owner.company, count=5004)
    pks = list(Client.objects.order_by("id").values_list("pk", flat=True))
    owner.api.get("/api/v1/ping")  # the token's first use of the minute writes once
    ContentType.objects.get_for_model(Client)

    def run(action, chosen):
        ids = [encode_id(pk) for pk in chosen]
        response = bulk(owner.api, action, ids, tags=["warm", "bulk"])
        assert response.status_code == 200, response.content
        assert response.json()["meta"]["pagination"]["total"] == len(chosen)
        return response

    run("add_tags", pks[:2])  # makes the tags
    for action, small, large in (
        ("add_tags", pks[2:4], pks[4:]),
        ("remove_tags", pks[:2], pks[2:5002]),
    ):
        with CaptureQueriesContext(connection) as two:
            run(action, small)
        with django_assert_num_queries(len(two.captured_queries)):
            run(action, large)
    tagged = ClientTag.objects.values_list("client_id", flat=True)
    assert sorted(tagged) == sorted(pks[5002:] * 2)
    assert Tag.objects.count() == 2


def test_replacing_tags_takes_the_same_queries_for_2_or_100_tags(
    api, django_assert_num_queries
):
    few, many = (create(api, name=f"C{n}", tags=["old"])["id"] for n in range(2))
    api.get("/api/v1/ping")
    ContentType.objects.get_for_model(Client)
    with CaptureQueriesContext(connection) as small:
        response = api.post(tags_url(few), {"tags": ["a", "b"]}, format="json")
    assert response.json()["data"]["tags"] == ["a", "b"]
    names = [f"t{n:03d}" for n in range(100)]
    with django_assert_num_queries(len(small.captured_queries)):
        response = api.post(tags_url(many), {"tags": names}, format="json")
    assert response.json()["data"]["tags"] == names
