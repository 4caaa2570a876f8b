"""What the maintenance commands print: progress bars on terminals only, counted
nouns, `--verbosity`, and a quiet end when the reader of a pipe goes away."""

import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from clients.models import Client
from companies.models import ApiToken
from config.api.hashids import encode_id
from config.commands.output import EXIT_BROKEN_PIPE, plural
from tests.factories import ClientFactory, CompanyFactory, ContactFactory

PROJECT = Path(__file__).resolve().parents[2]


class Terminal(StringIO):
    """A stream that says it is a terminal, as a person's stderr is."""

    def isatty(self) -> bool:
        return True


def run(*args, stderr=None):
    out = StringIO()
    call_command(*args, stdout=out, stderr=stderr if stderr is not None else StringIO())
    return out.getvalue()


@pytest.fixture
def company(db):
    return CompanyFactory.create(name="Output Ltd")


def deleted_client(company, **fields):
    client = ClientFactory.create(
        company=company,
        is_deleted=True,
        archived_at=timezone.now() - timedelta(days=40),
        **fields,
    )
    ContactFactory.create(client=client)
    return client


def write_clients(tmp_path, count):
    path = tmp_path / "clients.csv"
    lines = ["name,contact_email"]
    lines += [f"Client {n},c{n}@x.test" for n in range(count)]
    path.write_text("\n".join(lines) + "\n")
    return path


# Counted nouns ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0 clients"), (1, "1 client"), (2, "2 clients"), (2000, "2,000 clients")],
)
def test_plural_counts_in_words(count, text):
    assert plural(count, "client") == text


def test_plural_takes_an_irregular_plural():
    assert plural(1, "company", "companies") == "1 company"
    assert plural(3, "company", "companies") == "3 companies"


def test_messages_count_one_and_many_correctly(company, tmp_path):
    deleted_client(company, number="D-1")
    one = run("seed_demo", "--company", company.name, "--clients", "1")
    assert one.startswith("Created 1 client with ")
    output = run("purge_deleted_clients", "--older-than", "30", "--dry-run")
    assert "would purge 1 client deleted before" in output
    path = write_clients(tmp_path, 2)
    imported = run("import_clients", "--company", company.name, str(path))
    assert imported == f"Imported 2 clients with 2 contacts into '{company.name}'.\n"


# Progress bars -------------------------------------------------------------------


def test_a_terminal_gets_a_labelled_bar_with_a_total(company):
    terminal = Terminal()
    run("seed_demo", "--company", company.name, "--clients", "12", stderr=terminal)
    bar = terminal.getvalue()
    assert "Creating 12 clients: 100%" in bar
    assert "12/12" in bar
    assert "clients/s" in bar
    assert "kclient" not in bar and "it/s" not in bar


def test_no_bar_is_drawn_into_a_pipe_or_a_log(company):
    err = StringIO()
    run("seed_demo", "--company", company.name, "--clients", "3", stderr=err)
    assert err.getvalue() == ""


@pytest.mark.parametrize("quiet", [["--no-progress"], ["-v", "0"]])
def test_no_progress_and_verbosity_0_draw_no_bar_on_a_terminal(company, quiet):
    terminal = Terminal()
    run(
        "seed_demo",
        "--company",
        company.name,
        "--clients",
        "3",
        *quiet,
        stderr=terminal,
    )
    assert terminal.getvalue() == ""


def test_the_import_bar_says_what_it_does_and_to_how_many(company, tmp_path):
    terminal = Terminal()
    path = write_clients(tmp_path, 3)
    run("import_clients", "--company", company.name, str(path), stderr=terminal)
    bar = terminal.getvalue()
    assert "Checking 3 clients: 100%" in bar
    assert "Importing 3 clients: 100%" in bar


def test_export_and_purge_bars_are_labelled(company, tmp_path):
    ClientFactory.create(company=company)
    terminal = Terminal()
    target = tmp_path / "out.csv"
    run(
        "export_clients",
        "--company",
        company.name,
        "--output",
        str(target),
        stderr=terminal,
    )
    assert "Exporting 1 client: 100%" in terminal.getvalue()
    deleted_client(company)
    deleted_client(company)
    terminal = Terminal()
    run("purge_deleted_clients", "--older-than", "30", stderr=terminal)
    assert "Purging 2 clients: 100%" in terminal.getvalue()


def test_documents_check_draws_only_on_a_terminal(company, media):
    err = StringIO()
    run("documents_check", stderr=err)
    assert err.getvalue() == ""
    terminal = Terminal()
    run("documents_check", stderr=terminal)
    assert "Checking 1 company: 100%" in terminal.getvalue()


# --verbosity ------------------------------------------------------------------------


def test_verbosity_0_prints_no_summaries(company, tmp_path, media):
    path = write_clients(tmp_path, 2)
    deleted_client(company)
    target = tmp_path / "out.csv"
    for args in (
        ("seed_demo", "--company", company.name, "--clients", "2"),
        ("import_clients", "--company", company.name, str(path)),
        ("export_clients", "--company", company.name, "--output", str(target)),
        ("purge_deleted_clients", "--older-than", "30", "--dry-run"),
        ("purge_deleted_clients", "--older-than", "30"),
        ("purge_deleted_clients", "--older-than", "30"),
        ("documents_check",),
    ):
        assert run(*args, "-v", "0") == "", args
    assert Client.objects.filter(company=company).count() == 4
    assert target.exists()


def test_verbosity_0_leaves_create_token_printing_only_the_token(owner):
    email = owner.membership.user.email
    output = run(
        "create_token", "--email", email, "--company", owner.company.name, "-v", "0"
    )
    (plain,) = output.splitlines()
    assert ApiToken.objects.latest("pk").matches(plain)
    assert run("revoke_token", f"--token={plain}", "-v", "0") == ""


def test_a_dry_run_at_verbosity_2_lists_what_would_be_purged(company):
    other = CompanyFactory.create(name="Other Co")
    old = deleted_client(company, name="Old Shop", number="0042")
    nameless = deleted_client(other, name="", number="")
    output = run("purge_deleted_clients", "--older-than", "30", "--dry-run", "-v", "2")
    lines = output.splitlines()
    assert lines[0].startswith("Dry run: would purge 2 clients")
    day = f"{old.archived_at:%Y-%m-%d}"
    assert lines[1:] == [
        f"  {encode_id(nameless.pk)}  (no number)  (no name)  "
        f"('Other Co', deleted {day})",
        f"  {encode_id(old.pk)}  0042  Old Shop  ('Output Ltd', deleted {day})",
    ]
    assert Client.objects.count() == 2


def test_a_dry_run_for_one_company_lists_without_the_company(company):
    old = deleted_client(company, name="Old Shop", number="7")
    output = run(
        "purge_deleted_clients",
        "--older-than",
        "30",
        "--dry-run",
        "--company",
        company.name,
        "-v",
        "2",
    )
    assert f"  {encode_id(old.pk)}  7  Old Shop  (deleted " in output
    assert "Output Ltd'," not in output


def test_a_dry_run_at_verbosity_1_lists_nothing(company):
    old = deleted_client(company, name="Old Shop")
    output = run("purge_deleted_clients", "--older-than", "30", "--dry-run")
    assert encode_id(old.pk) not in output
    assert len(output.splitlines()) == 1


def test_documents_check_dry_run_without_fix_says_it_only_checks(company, media):
    output = run("documents_check", "--dry-run")
    assert "Dry run without --fix: this only checks" in output
    assert "Add --fix to see what a repair would do." in output
    assert "Dry run without --fix" not in run("documents_check", "--fix", "--dry-run")


# Pipes ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite"),
    reason="runs once, in the SQLite pass: the command runs on its own SQLite file",
)
def test_export_into_a_pipe_closed_early_ends_quietly(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME"}
    }
    env.update(
        ENV_FILE="",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    # Far more CSV than a pipe buffers (64 KiB), so the export is still writing
    # when `head` leaves.
    setup = (
        "from django.core.management import call_command as c;"
        "c('migrate', verbosity=0);"
        "c('create_company', company='Pipe', email='p@x.test', password='P-1',"
        " verbosity=0);"
        "c('seed_demo', company='Pipe', clients=400, seed=1, verbosity=0)"
    )
    python = [sys.executable, "manage.py"]
    subprocess.run(
        [*python, "shell", "-c", setup], cwd=PROJECT, env=env, check=True, timeout=300
    )
    with (tmp_path / "stderr").open("w+") as err:
        export = subprocess.Popen(
            [*python, "export_clients", "--company", "Pipe"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=err,
        )
        assert export.stdout is not None
        head = subprocess.run(
            ["head", "-1"], stdin=export.stdout, capture_output=True, timeout=300
        )
        export.stdout.close()  # the pipe's only reader is `head`, which has left
        status = export.wait(timeout=300)
        err.seek(0)
        errors = err.read()
    assert head.stdout.decode().startswith("client_key,name,number,")
    assert errors == ""
    assert status == EXIT_BROKEN_PIPE
