"""The password gate of purge and merge, on a bare gated view and the cache."""

import base64
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from config.api import password
from config.api.password import LOCKED_MESSAGE
from tests.conftest import Member
from tests.factories import PASSWORD
from tests.gated.conftest import Clock, race_wrong_passwords

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.gated.urls")]

URL = "/api/v1/test-gated"
INVALID = {"message": "Invalid Password", "errors": {}}
LOCKED = {"message": LOCKED_MESSAGE, "errors": {}}


def gated(api: APIClient, pw: str | None = None, **headers: Any) -> Any:
    if pw is not None:
        headers["HTTP_X_API_PASSWORD"] = pw
    return api.post(URL, format="json", **headers)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def fail_times(api: APIClient, times: int) -> None:
    for _ in range(times):
        response = gated(api, "wrong-password")
        assert response.status_code == 412, response.content
        assert response.json() == INVALID


def test_the_right_password_lets_the_request_through(api: APIClient) -> None:
    response = gated(api, PASSWORD)

    assert response.status_code == 200
    assert response.json() == {"data": {"passed": True}}


def test_a_missing_password_is_412_invalid_password(api: APIClient) -> None:
    response = gated(api)

    assert response.status_code == 412
    assert response.json() == INVALID


def test_an_empty_password_header_counts_as_missing(api: APIClient) -> None:
    assert gated(api, "").status_code == 412
    assert gated(api, HTTP_X_API_PASSWORD_BASE64="").status_code == 412


def test_a_wrong_password_is_412_invalid_password(api: APIClient) -> None:
    response = gated(api, "not-" + PASSWORD)

    assert response.status_code == 412
    assert response.json() == INVALID


def test_the_password_may_come_base64_encoded(api: APIClient) -> None:
    response = gated(api, HTTP_X_API_PASSWORD_BASE64=b64(PASSWORD))

    assert response.status_code == 200


def test_a_wrong_base64_password_is_412(api: APIClient) -> None:
    response = gated(api, HTTP_X_API_PASSWORD_BASE64=b64("nope"))

    assert response.status_code == 412
    assert response.json() == INVALID


def test_undecodable_base64_is_a_wrong_password_and_counts(
    api: APIClient, owner: Member
) -> None:
    for bad in ("%%%not base64%%%", b64("x")[:-1], base64.b64encode(b"\xff").decode()):
        response = gated(api, HTTP_X_API_PASSWORD_BASE64=bad)
        assert response.status_code == 412
        assert response.json() == INVALID

    assert cache.get(f"password-gate:failures:{owner.membership.user_id}") == 3


def test_the_base64_header_wins_over_the_plain_one(api: APIClient) -> None:
    response = gated(api, "wrong", HTTP_X_API_PASSWORD_BASE64=b64(PASSWORD))

    assert response.status_code == 200


def test_the_right_password_opens_a_grace_window_without_the_header(
    api: APIClient, clock: Clock
) -> None:
    assert gated(api, PASSWORD).status_code == 200

    clock.advance(1799)

    assert gated(api).status_code == 200


def test_the_grace_window_closes_after_the_default_password_timeout(
    api: APIClient, clock: Clock
) -> None:
    assert gated(api, PASSWORD).status_code == 200

    clock.advance(1801)

    response = gated(api)
    assert response.status_code == 412
    assert response.json() == INVALID


def test_the_grace_window_follows_the_company_setting(
    owner: Member, clock: Clock
) -> None:
    owner.company.settings = {
        **owner.company.settings,
        "default_password_timeout": 60_000,
    }
    owner.company.save()
    assert gated(owner.api, PASSWORD).status_code == 200

    clock.advance(59)
    assert gated(owner.api).status_code == 200
    clock.advance(2)
    assert gated(owner.api).status_code == 412


def test_a_zero_timeout_opens_no_grace_window(owner: Member) -> None:
    owner.company.settings = {**owner.company.settings, "default_password_timeout": 0}
    owner.company.save()

    assert gated(owner.api, PASSWORD).status_code == 200
    assert gated(owner.api).status_code == 412


def test_a_wrong_password_fails_even_inside_the_grace_window(api: APIClient) -> None:
    assert gated(api, PASSWORD).status_code == 200

    response = gated(api, "wrong-password")

    assert response.status_code == 412
    assert response.json() == INVALID


def test_the_grace_window_belongs_to_the_user_who_gave_the_password(
    owner: Member, make_member: Callable[..., Member]
) -> None:
    colleague = make_member(owner.company)
    assert gated(owner.api, PASSWORD).status_code == 200

    assert gated(colleague.api).status_code == 412


def test_missing_passwords_never_count_toward_the_lockout(api: APIClient) -> None:
    for _ in range(12):
        assert gated(api).status_code == 412

    assert gated(api, PASSWORD).status_code == 200


def test_the_fifth_wrong_password_is_412_and_locks_the_user(api: APIClient) -> None:
    fail_times(api, 4)
    assert gated(api, PASSWORD).status_code == 200, "4 wrong passwords don't lock"

    fail_times(api, 1)

    response = gated(api, PASSWORD)
    assert response.status_code == 429
    assert response.json() == LOCKED
    assert response["Retry-After"] == "900"


def test_a_locked_user_gets_429_on_every_gated_request(
    api: APIClient, clock: Clock
) -> None:
    assert gated(api, PASSWORD).status_code == 200
    fail_times(api, 5)

    for attempt in (
        gated(api),
        gated(api, PASSWORD),
        gated(api, "wrong-password"),
        gated(api, HTTP_X_API_PASSWORD_BASE64=b64(PASSWORD)),
    ):
        assert attempt.status_code == 429
        assert attempt.json() == LOCKED
        assert attempt["Retry-After"] == "900"


def test_retry_after_counts_down_the_lockout(api: APIClient, clock: Clock) -> None:
    fail_times(api, 5)

    clock.advance(300.5)

    assert gated(api, PASSWORD)["Retry-After"] == "600"


def test_the_lockout_ends_fifteen_minutes_after_it_began(
    api: APIClient, clock: Clock
) -> None:
    fail_times(api, 5)
    clock.advance(899)
    assert gated(api, PASSWORD).status_code == 429

    clock.advance(1)

    assert gated(api, PASSWORD).status_code == 200
    fail_times(api, 4)
    assert gated(api, PASSWORD).status_code == 200, "the count starts afresh"


def test_wrong_passwords_older_than_fifteen_minutes_are_forgotten(
    api: APIClient, clock: Clock
) -> None:
    fail_times(api, 4)
    clock.advance(15 * 60 + 1)

    fail_times(api, 1)

    assert gated(api, PASSWORD).status_code == 200


def test_the_lockout_is_per_user(
    owner: Member, make_member: Callable[..., Member]
) -> None:
    colleague = make_member(owner.company)
    fail_times(owner.api, 5)

    assert gated(owner.api, PASSWORD).status_code == 429
    assert gated(colleague.api, PASSWORD).status_code == 200


def test_a_non_admin_gets_403_before_any_password_check(
    make_member: Callable[..., Member],
) -> None:
    member = make_member(
        is_owner=False, is_admin=False, permissions=["edit_all", "create_all"]
    )

    for pw in (None, "wrong-password", "wrong-password", PASSWORD):
        response = gated(member.api, pw)
        assert response.status_code == 403
        assert response.json() == {
            "message": "This action is unauthorized.",
            "errors": {},
        }
    assert cache.get(f"password-gate:failures:{member.membership.user_id}") is None


def test_an_admin_who_is_not_owner_passes_the_gate(
    make_member: Callable[..., Member],
) -> None:
    admin = make_member(is_owner=False, is_admin=True)

    assert gated(admin.api, PASSWORD).status_code == 200


def test_an_owner_who_is_not_admin_passes_the_gate(
    make_member: Callable[..., Member],
) -> None:
    owner = make_member(is_owner=True, is_admin=False)

    assert gated(owner.api, PASSWORD).status_code == 200


def test_a_missing_token_is_403_before_any_password_check() -> None:
    response = APIClient().post(URL, HTTP_X_API_PASSWORD=PASSWORD)

    assert response.status_code == 403
    assert response.json() == {"message": "Invalid token", "errors": {}}


def test_a_method_the_view_does_not_serve_is_405_without_a_password_check(
    api: APIClient, owner: Member
) -> None:
    for _ in range(6):
        response = api.get(URL, HTTP_X_API_PASSWORD="wrong-password")
        assert response.status_code == 405
        assert set(response.json()) == {"message", "errors"}

    assert gated(api, PASSWORD).status_code == 200


def test_concurrent_wrong_passwords_are_each_counted_once(owner: Member) -> None:
    user_id = owner.membership.user_id
    counts: list[int] = []
    barrier = threading.Barrier(4)

    def attempt() -> None:
        barrier.wait()
        counts.append(password.password_attempt_count(user_id))

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(counts) == [1, 2, 3, 4]
    password.password_attempt_forget(user_id)
    assert password.password_attempt_count(user_id) == 4


def test_twenty_parallel_wrong_passwords_check_at_most_five(
    owner: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcomes = race_wrong_passwords(owner, monkeypatch, attempts=20)

    assert outcomes.checked <= password.MAX_FAILURES
    assert sorted(outcomes.statuses) == sorted(
        [412] * outcomes.checked + [429] * (20 - outcomes.checked)
    )
    assert gated(owner.api, PASSWORD).status_code == 429, "the right one is refused"


def test_a_rate_limited_token_gets_no_password_check(
    owner: Member, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.API_RATE_LIMIT = "2/min"
    checked: list[str] = []
    user = owner.membership.user
    monkeypatch.setattr(user, "check_password", lambda raw: checked.append(raw))
    owner.api.get("/api/v1/ping")
    owner.api.get("/api/v1/ping")

    response = gated(owner.api, "wrong-password")

    assert response.status_code == 429
    assert response.json() == {"message": "Too many requests", "errors": {}}
    assert checked == []
    assert password.password_attempt_count(user.pk) == 1, "nothing was counted"


def test_a_gated_request_is_throttled_once(owner: Member, settings: Any) -> None:
    settings.API_RATE_LIMIT = "5/min"

    response = gated(owner.api, PASSWORD)

    assert response.status_code == 200
    assert response["X-RateLimit-Remaining"] == "4"
