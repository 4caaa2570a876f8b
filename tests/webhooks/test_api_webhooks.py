"""`/api/v1/webhooks`: subscribe, show, change, delete, bulk; what is refused."""

from typing import Any

import pytest
from django.utils import timezone

from config.api.hashids import encode_id
from tests.isolation import assert_foreign_id_is_not_found
from tests.webhooks.support import subscribe
from webhooks.models import Webhook

pytestmark = pytest.mark.django_db

WEBHOOKS = "/api/v1/webhooks"
URL = "https://hooks.example.com/in"
NOT_FOUND = "Webhook not found"


def url(webhook: Webhook | str, suffix: str = "") -> str:
    hashid = webhook if isinstance(webhook, str) else encode_id(webhook.pk)
    return f"{WEBHOOKS}/{hashid}{suffix}"


def create(api: Any, **body: Any) -> Any:
    return api.post(
        WEBHOOKS, {"target_url": URL, "event_id": 10, **body}, format="json"
    )


def test_create_answers_the_subscription_with_its_secret_once(owner: Any) -> None:
    response = create(owner.api, headers={"Authorization": "Bearer x"})
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    stored = Webhook.objects.get()
    assert data["id"] == encode_id(stored.pk)
    assert (data["event_id"], data["format"], data["rest_method"]) == (
        "10",
        "JSON",
        "post",
    )
    assert data["headers"] == {"Authorization": "Bearer x"}
    assert data["secret"] == stored.secret and len(stored.secret) == 64
    assert stored.user_id == owner.membership.user_id
    assert "secret" not in owner.api.get(url(stored)).json()["data"]
    listed = owner.api.get(WEBHOOKS).json()
    assert "secret" not in listed["data"][0]
    assert listed["meta"]["pagination"]["total"] == 1


def test_event_id_as_upstreams_string_and_method_in_any_case(owner: Any) -> None:
    response = create(owner.api, event_id="37", rest_method="PUT", format="json")
    assert response.status_code == 200, response.content
    assert (Webhook.objects.get().event_id, Webhook.objects.get().rest_method) == (
        37,
        "put",
    )


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"target_url": "http://127.0.0.1:8000/x"}, "target_url"),
        ({"target_url": "http://169.254.169.254/latest"}, "target_url"),
        ({"target_url": "ftp://hooks.example.com/"}, "target_url"),
        ({"target_url": "https://user:pw@hooks.example.com/"}, "target_url"),
        ({"target_url": "x" * 3000}, "target_url"),
        ({"event_id": 2}, "event_id"),
        ({"event_id": "abc"}, "event_id"),
        ({"event_id": True}, "event_id"),
        ({"event_id": 2**63}, "event_id"),
        ({"format": "XML"}, "format"),
        ({"rest_method": "delete"}, "rest_method"),
        ({"headers": ["a"]}, "headers"),
        ({"headers": {"Host": "evil.test"}}, "headers"),
        ({"headers": {"x-webhook-signature": "sha256=0"}}, "headers"),
        ({"headers": {"Transfer-Encoding": "chunked"}}, "headers"),
        ({"headers": {"X-A": "b\r\nX-Injected: 1"}}, "headers"),
        ({"headers": {"X-A": 1}}, "headers"),
        ({"headers": {"bad name": "x"}}, "headers"),
        ({"headers": {f"X-{n}": "v" for n in range(1000)}}, "headers"),
        ({"headers": {"X-A": "v" * 100_000}}, "headers"),
    ],
)
def test_bad_input_is_a_422_keyed_by_the_field_and_stores_nothing(
    owner: Any, body: dict[str, Any], key: str
) -> None:
    response = create(owner.api, **body)
    assert response.status_code == 422, response.content
    assert key in response.json()["errors"]
    assert not Webhook.objects.exists()


def test_a_private_target_says_why(owner: Any) -> None:
    response = create(owner.api, target_url="http://localhost/hook")
    [message] = response.json()["errors"]["target_url"]
    assert "private, loopback" in message


def test_private_targets_are_allowed_when_the_setting_says_so(
    owner: Any, settings: Any
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    assert create(owner.api, target_url="http://127.0.0.1:9/x").status_code == 200


def test_target_url_and_event_id_are_required(owner: Any) -> None:
    response = owner.api.post(WEBHOOKS, {}, format="json")
    assert set(response.json()["errors"]) == {"target_url", "event_id"}


def test_a_form_encoded_create_works(owner: Any) -> None:
    response = owner.api.post(
        WEBHOOKS,
        "target_url=https%3A%2F%2Fhooks.example.com%2Fin&event_id=1"
        "&headers%5BX-Token%5D=abc",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200, response.content
    stored = Webhook.objects.get()
    assert (stored.event_id, stored.headers) == (1, {"X-Token": "abc"})


def test_put_changes_what_was_sent_and_re_enables(owner: Any) -> None:
    [webhook] = subscribe(
        owner.company,
        10,
        disabled_at=timezone.now(),
        disabled_reason="8 failed attempts",
        consecutive_failures=8,
        headers={"X-A": "1"},
    )
    shown = owner.api.get(url(webhook)).json()["data"]
    assert (shown["is_disabled"], shown["disabled_reason"]) == (
        True,
        "8 failed attempts",
    )
    response = owner.api.put(url(webhook), {"event_id": 11}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["event_id"], data["headers"], data["is_disabled"]) == (
        "11",
        {"X-A": "1"},
        False,
    )
    assert "secret" not in data
    webhook.refresh_from_db()
    assert (webhook.target_url, webhook.consecutive_failures) == (
        "https://hooks.example.com/in",
        0,
    )


def test_put_checks_the_url_again(owner: Any) -> None:
    [webhook] = subscribe(owner.company, 10)
    response = owner.api.put(
        url(webhook), {"target_url": "http://10.0.0.1/"}, format="json"
    )
    assert response.status_code == 422
    assert "target_url" in response.json()["errors"]


def test_delete_marks_deleted_and_a_deleted_one_cant_be_edited(owner: Any) -> None:
    [webhook] = subscribe(owner.company, 10)
    response = owner.api.delete(url(webhook))
    assert response.status_code == 200
    assert response.json()["data"]["is_deleted"] is True
    assert (
        owner.api.put(url(webhook), {"event_id": 1}, format="json").status_code == 400
    )


def test_bulk_archive_restore_delete(owner: Any) -> None:
    hooks = subscribe(owner.company, 1, 10)
    ids = [encode_id(h.pk) for h in hooks]
    for action, check in (
        ("archive", lambda h: h.archived_at is not None and not h.is_deleted),
        ("restore", lambda h: h.archived_at is None and not h.is_deleted),
        ("delete", lambda h: h.is_deleted),
    ):
        response = owner.api.post(
            f"{WEBHOOKS}/bulk", {"action": action, "ids": ids}, format="json"
        )
        assert response.status_code == 200, response.content
        assert len(response.json()["data"]) == 2
        assert all(check(Webhook.objects.get(pk=h.pk)) for h in hooks), action


def test_bulk_restore_re_enables(owner: Any) -> None:
    [webhook] = subscribe(
        owner.company, 10, archived_at=timezone.now(), disabled_at=timezone.now()
    )
    owner.api.post(
        f"{WEBHOOKS}/bulk",
        {"action": "restore", "ids": [encode_id(webhook.pk)]},
        format="json",
    )
    webhook.refresh_from_db()
    assert webhook.disabled_at is None


def test_bulk_refuses_another_companys_ids_and_changes_nothing(
    owner: Any, outsider: Any
) -> None:
    [mine] = subscribe(owner.company, 10)
    [theirs] = subscribe(outsider.company, 10)
    response = owner.api.post(
        f"{WEBHOOKS}/bulk",
        {"action": "delete", "ids": [encode_id(mine.pk), encode_id(theirs.pk)]},
        format="json",
    )
    assert response.status_code == 422
    assert not Webhook.objects.filter(is_deleted=True).exists()


def test_the_list_filters_by_status_url_and_event(owner: Any) -> None:
    [active] = subscribe(owner.company, 10)
    [archived] = subscribe(owner.company, 1, archived_at=timezone.now())

    def ids(**query: Any) -> list[str]:
        return [row["id"] for row in owner.api.get(WEBHOOKS, query).json()["data"]]

    assert ids(status="archived") == [encode_id(archived.pk)]
    assert ids(status="active,archived") == [
        encode_id(active.pk),
        encode_id(archived.pk),
    ]
    assert ids(event_id=10) == [encode_id(active.pk)]
    assert ids(target_url="nowhere") == []
    assert owner.api.get(WEBHOOKS, {"status": "gone"}).status_code == 422


def test_only_admins_and_owners_manage_webhooks(owner: Any, make_member: Any) -> None:
    [webhook] = subscribe(owner.company, 10)
    member = make_member(
        owner.company,
        is_owner=False,
        is_admin=False,
        permissions=["view_all", "edit_all", "create_all"],
    )
    assert member.api.get(WEBHOOKS).status_code == 403
    assert member.api.get(url(webhook)).status_code == 403
    assert create(member.api).status_code == 403
    assert member.api.get(url(webhook, "/deliveries")).status_code == 403


def test_no_token_is_a_401_or_403(client: Any) -> None:
    assert client.get(WEBHOOKS).status_code in (401, 403)


@pytest.mark.parametrize(
    ("method", "suffix", "data"),
    [
        ("get", "", None),
        ("put", "", {"event_id": 1}),
        ("patch", "", {"event_id": 1}),
        ("delete", "", None),
        ("get", "/deliveries", None),
    ],
)
def test_another_companys_webhook_is_not_found(
    owner: Any, outsider: Any, method: str, suffix: str, data: Any
) -> None:
    [theirs] = subscribe(outsider.company, 10)
    assert_foreign_id_is_not_found(
        owner.api, method, WEBHOOKS + "/{id}" + suffix, theirs.pk, NOT_FOUND, data=data
    )
    theirs.refresh_from_db()
    assert (theirs.event_id, theirs.is_deleted) == (10, False)


def test_the_list_shows_only_the_companys_webhooks(owner: Any, outsider: Any) -> None:
    subscribe(outsider.company, 10)
    assert owner.api.get(WEBHOOKS).json()["data"] == []


@pytest.mark.parametrize("hashid", ["0", "-1", "9" * 40, "%00", "a" * 200])
def test_odd_ids_are_404(owner: Any, hashid: str) -> None:
    assert owner.api.get(url(hashid)).status_code == 404
    assert owner.api.get(url(hashid, "/deliveries")).status_code == 404


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("[1, 2]", "application/json"),
        ('"text"', "application/json"),
        ("{not json", "application/json"),
        ('{"target_url": null, "event_id": null}', "application/json"),
        ('{"target_url": ["a"], "event_id": {"a": 1}}', "application/json"),
        (
            '{"target_url": "https://hooks.example.com", "event_id": 1e400}',
            "application/json",
        ),
        (
            '{"target_url": "https://hooks.example.com", "event_id": -1}',
            "application/json",
        ),
        ('{"target_url": "http://[::1", "event_id": 1}', "application/json"),
        (
            '{"target_url": "https://hooks.example.com:99999/", "event_id": 1}',
            "application/json",
        ),
    ],
)
def test_odd_bodies_are_4xx_never_500(owner: Any, body: str, content_type: str) -> None:
    response = owner.api.generic("POST", WEBHOOKS, body, content_type=content_type)
    assert 400 <= response.status_code < 500, response.content
    assert not Webhook.objects.exists()


def test_an_xml_create_works(owner: Any) -> None:
    body = (
        "<webhook><target_url>https://hooks.example.com/in</target_url>"
        "<event_id>45</event_id></webhook>"
    )
    response = owner.api.generic("POST", WEBHOOKS, body, content_type="application/xml")
    assert response.status_code == 200, response.content
    assert Webhook.objects.get().event_id == 45


def test_a_bulk_with_64_bit_and_garbage_ids_is_a_422(owner: Any) -> None:
    for ids in ([encode_id(2**63 - 1)], ["x" * 100], [None], "abc"):
        response = owner.api.post(
            f"{WEBHOOKS}/bulk", {"action": "delete", "ids": ids}, format="json"
        )
        assert response.status_code == 422, (ids, response.content)
