from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from companies.models import ApiToken
from tests.factories import CompanyFactory, MembershipFactory, UserFactory


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_token_prints_a_working_token_last(owner, client):
    output = run(
        "create_token",
        "--email",
        owner.membership.user.email.upper(),
        "--company",
        owner.company.name,
        "--name",
        "CI deploys",
    )
    plain = output.strip().splitlines()[-1]
    assert client.get("/api/v1/ping", HTTP_X_API_TOKEN=plain).status_code == 200
    token = ApiToken.objects.get(name="CI deploys")
    assert token.membership == owner.membership
    assert plain not in token.token_digest


def test_create_token_finds_the_company_by_its_key(owner):
    output = run(
        "create_token",
        "--email",
        owner.membership.user.email,
        "--company",
        owner.company.company_key,
    )
    assert f"in '{owner.company.name}'" in output


def test_create_token_refuses_a_user_who_is_not_a_member(owner, outsider):
    with pytest.raises(CommandError, match="is not a member of"):
        run(
            "create_token",
            "--email",
            outsider.membership.user.email,
            "--company",
            owner.company.name,
        )


def test_create_token_refuses_an_unknown_user_or_company(owner):
    with pytest.raises(CommandError, match="No user has the login"):
        run(
            "create_token", "--email", "x@nowhere.test", "--company", owner.company.name
        )
    with pytest.raises(CommandError, match="No company is named"):
        run(
            "create_token",
            "--email",
            owner.membership.user.email,
            "--company",
            "No Such Co",
        )


def test_create_token_asks_for_the_key_when_two_companies_share_a_name(db):
    first = CompanyFactory.create(name="Twin")
    CompanyFactory.create(name="Twin")
    user = UserFactory.create()
    MembershipFactory.create(company=first, user=user)
    with pytest.raises(CommandError, match="Pass the company key"):
        run("create_token", "--email", user.email, "--company", "Twin")
    output = run("create_token", "--email", user.email, "--company", first.company_key)
    assert "Twin" in output


def test_create_token_refuses_a_locked_membership(owner):
    owner.membership.is_locked = True
    owner.membership.save()
    with pytest.raises(CommandError, match="locked"):
        run(
            "create_token",
            "--email",
            owner.membership.user.email,
            "--company",
            owner.company.name,
        )


def test_revoke_token_by_value_makes_requests_answer_403(owner, client):
    output = run("revoke_token", f"--token={owner.token}")
    assert output.startswith("Revoked token")
    response = client.get("/api/v1/ping", HTTP_X_API_TOKEN=owner.token)
    assert response.status_code == 403


def test_revoke_token_by_id_and_twice_is_harmless(owner):
    token = owner.membership.tokens.get()
    run("revoke_token", "--id", str(token.pk))
    token.refresh_from_db()
    assert token.is_revoked
    assert "already revoked" in run("revoke_token", "--id", str(token.pk))


def test_revoke_token_explains_an_unknown_token(db):
    with pytest.raises(CommandError, match="list_tokens"):
        run("revoke_token", "--token", "not-a-real-token")
    with pytest.raises(CommandError):
        run("revoke_token")


def test_list_tokens_shows_every_column_but_never_the_token(owner, outsider):
    output = run("list_tokens")
    header, *rows = output.strip().splitlines()
    assert header.split() == [
        "id",
        "name",
        "user",
        "company",
        "created",
        "last",
        "used",
        "revoked",
    ]
    assert len(rows) == 2
    assert owner.token not in output
    assert owner.membership.tokens.get().token_digest not in output


def test_list_tokens_of_one_company(owner, outsider):
    output = run("list_tokens", "--company", owner.company.company_key)
    assert owner.company.name in output
    assert outsider.company.name not in output


def test_list_tokens_shows_use_and_revocation(owner, client):
    client.get("/api/v1/ping", HTTP_X_API_TOKEN=owner.token)
    run("revoke_token", f"--token={owner.token}")
    row = run("list_tokens").strip().splitlines()[1]
    assert "never" not in row
    assert row.endswith("yes")
