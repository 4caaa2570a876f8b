"""`create_company` without `--password`: from the environment, or typed twice."""

import sys
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from companies.management.commands.create_company import PASSWORD_VARIABLE


class Keyboard(StringIO):
    """Standard input that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def create(*args):
    out = StringIO()
    call_command(
        "create_company",
        "--company",
        "Typed Ltd",
        "--email",
        "owner@typed.test",
        *args,
        stdout=out,
    )
    return out.getvalue().splitlines()


@pytest.fixture
def no_password_variable(monkeypatch):
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    return monkeypatch


@pytest.fixture
def typed(no_password_variable):
    """Stdin is a terminal; `getpass` answers the given entries in turn."""
    prompts = []

    def answer(*entries):
        replies = iter(entries)

        def getpass(prompt):
            prompts.append(prompt)
            return next(replies)

        no_password_variable.setattr(sys, "stdin", Keyboard())
        no_password_variable.setattr("getpass.getpass", getpass)
        return prompts

    return answer


def owner():
    return User.objects.get(username="owner@typed.test")


@pytest.mark.django_db
def test_the_password_comes_from_the_environment(no_password_variable):
    no_password_variable.setenv(PASSWORD_VARIABLE, "From-Env-1")
    lines = create()
    assert lines[0] == "Created company 'Typed Ltd'."
    assert owner().check_password("From-Env-1")


@pytest.mark.django_db
def test_the_option_wins_over_the_environment(no_password_variable):
    no_password_variable.setenv(PASSWORD_VARIABLE, "From-Env-1")
    create("--password", "From-Option-1")
    assert owner().check_password("From-Option-1")


@pytest.mark.django_db
def test_on_a_terminal_the_password_is_asked_twice(typed):
    prompts = typed("Typed-Pass-1", "Typed-Pass-1")
    create()
    assert prompts == ["Password for owner@typed.test: ", "The same password again: "]
    assert owner().check_password("Typed-Pass-1")


@pytest.mark.django_db
def test_two_different_passwords_create_nothing(typed):
    typed("Typed-Pass-1", "Typed-Pass-2")
    with pytest.raises(CommandError, match="The two passwords differ; run the"):
        create()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_an_empty_typed_password_is_refused(typed):
    prompts = typed("")
    with pytest.raises(CommandError, match="must not be empty"):
        create()
    assert len(prompts) == 1


@pytest.mark.django_db
def test_without_option_variable_or_terminal_the_error_says_how(
    no_password_variable,
):
    no_password_variable.setattr(sys, "stdin", StringIO(""))
    with pytest.raises(CommandError) as failure:
        create()
    assert str(failure.value) == (
        "No password for the owner. Pass --password PASSWORD, set the environment "
        f"variable {PASSWORD_VARIABLE}, or run the command in a terminal to type it."
    )
    assert not User.objects.exists()
