from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from companies.models import ApiToken, Company, Membership

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("create_company", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_it_creates_an_owner_and_prints_a_working_token_last():
    lines = run(
        "--company", "Acme", "--email", "Boss@Example.com", "--password", "Pw-123456"
    )
    token = lines[-1]
    membership = Membership.objects.get()
    assert membership.is_owner and membership.is_admin
    assert membership.user.username == "boss@example.com"
    assert membership.user.check_password("Pw-123456")
    client = APIClient()
    response = client.get("/api/v1/ping", HTTP_X_API_TOKEN=token)
    assert response.status_code == 200
    assert response.json()["company_name"] == "Acme"


def test_running_it_again_reuses_the_user_and_company():
    first = run("--company", "Acme", "--email", "a@example.com", "--password", "pw")[-1]
    second = run("--company", "Acme", "--email", "a@example.com", "--password", "pw")[
        -1
    ]
    assert first != second
    assert Company.objects.count() == 1
    assert Membership.objects.count() == 1
    assert ApiToken.objects.count() == 2


def test_a_known_token_can_be_set():
    lines = run(
        "--company",
        "Acme",
        "--email",
        "a@example.com",
        "--password",
        "pw",
        "--token",
        "known-token-123",
    )
    assert lines[-1] == "known-token-123"


def test_a_taken_token_is_refused_with_a_clear_error():
    args = ["--company", "Acme", "--email", "a@example.com", "--password", "pw"]
    run(*args, "--token", "known-token-123")
    with pytest.raises(CommandError, match="already taken"):
        run(*args, "--token", "known-token-123")
    assert ApiToken.objects.count() == 1


def test_a_bad_email_is_refused_and_nothing_is_written():
    with pytest.raises(CommandError, match="not a valid email"):
        run("--company", "Acme", "--email", "not-an-email", "--password", "pw")
    assert Company.objects.count() == 0
