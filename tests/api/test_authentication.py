import pytest
from rest_framework.test import APIClient

from companies.services import token_revoke

PING = "/api/v1/ping"
INVALID = {"message": "Invalid token", "errors": {}}


def test_ping_tells_the_company_and_user_of_the_token(owner):
    response = owner.api.get(PING)
    assert response.status_code == 200
    assert response.json() == {
        "company_name": owner.company.name,
        "user_name": "Ada Lovelace",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers", [{}, {"HTTP_X_API_TOKEN": ""}, {"HTTP_X_API_TOKEN": "nope"}]
)
def test_a_missing_empty_or_unknown_token_is_refused(headers):
    response = APIClient().get(PING, **headers)
    assert response.status_code == 403
    assert response.json() == INVALID


def test_the_token_is_never_read_from_the_query_string(owner):
    response = APIClient().get(
        f"{PING}?api_token={owner.token}&X-API-TOKEN={owner.token}"
    )
    assert response.status_code == 403


def test_a_revoked_token_is_refused(owner):
    token_revoke(token=owner.membership.tokens.get())
    response = owner.api.get(PING)
    assert response.status_code == 403
    assert response.json() == INVALID


def test_a_locked_membership_is_refused(owner):
    owner.membership.is_locked = True
    owner.membership.save()
    response = owner.api.get(PING)
    assert response.status_code == 403
    assert response.json() == {"message": "User access locked", "errors": {}}


def test_an_inactive_user_is_refused(owner):
    owner.membership.user.is_active = False
    owner.membership.user.save()
    response = owner.api.get(PING)
    assert response.status_code == 403
    assert response.json() == {"message": "User inactive", "errors": {}}


def test_only_the_digest_of_a_token_is_stored_and_use_is_recorded(owner):
    token = owner.membership.tokens.get()
    assert owner.token not in token.token_digest
    assert token.last_used_at is None
    owner.api.get(PING)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_requested_with_header_is_accepted(owner):
    response = owner.api.get(PING, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200
