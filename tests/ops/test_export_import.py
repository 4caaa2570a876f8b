import csv
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from clients.models import Activity, Client
from clients.seeding import seed_clients
from clients.settings_rules import new_client_settings
from clients.transfer import COLUMNS
from contacts.models import ClientContact
from tests.factories import (
    ClientFactory,
    CompanyFactory,
    ContactFactory,
    GroupSettingFactory,
    MembershipFactory,
)


def export(company, *args):
    out = StringIO()
    call_command("export_clients", "--company", company.company_key, *args, stdout=out)
    return out.getvalue()


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def import_file(company, path, *args):
    out, err = StringIO(), StringIO()
    call_command(
        "import_clients",
        "--company",
        company.company_key,
        str(path),
        "--no-progress",
        *args,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def write_csv(tmp_path, rows, header=COLUMNS):
    path = tmp_path / "clients.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def company(db):
    return CompanyFactory.create()


def test_export_writes_one_row_per_contact_and_skips_deleted_clients(company):
    client = ClientFactory.create(company=company, name="Two Contacts", number="0001")
    ContactFactory.create(client=client, email="one@x.test", is_primary=True)
    ContactFactory.create(client=client, email="two@x.test", is_primary=False)
    ContactFactory.create(client=client, email="gone@x.test", is_deleted=True)
    ClientFactory.create(
        company=company, name="Deleted", is_deleted=True, archived_at=timezone.now()
    )
    rows = rows_of(export(company))
    assert [row["contact_email"] for row in rows] == ["one@x.test", "two@x.test"]
    assert {row["name"] for row in rows} == {"Two Contacts"}
    assert rows[0]["client_key"] == rows[1]["client_key"]
    assert rows[0]["contact_is_primary"] == "true"
    assert list(rows[0]) == list(COLUMNS)


def test_export_to_a_file_reports_the_counts(company, tmp_path):
    seed_clients(company=company, count=3, seed=1)
    target = tmp_path / "out.csv"
    output = export(company, "--output", str(target), "--no-progress")
    assert output.startswith("Exported 3 client(s)")
    assert len(rows_of(target.read_text())) == ClientContact.objects.count()


def test_export_to_a_missing_folder_is_explained(company, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        export(company, "--output", str(tmp_path / "nope" / "out.csv"))


def test_an_export_imports_into_another_company_unchanged(company, tmp_path):
    other = CompanyFactory.create()
    for target in (company, other):
        GroupSettingFactory.create(company=target, name="Wholesale")
    user = MembershipFactory.create(company=company).user
    MembershipFactory.create(company=other, user=user)
    seed_clients(company=company, count=15, seed=4)
    special = ClientFactory.create(
        company=company,
        name='Quotes "and", commas\nand lines',
        number="X-1",
        group_settings=company.group_settings.get(),
        assigned_user=user,
        archived_at=timezone.now(),
        is_tax_exempt=True,
        custom_value1="=SUM(A1)",
        settings={**new_client_settings(company), "payment_terms": "14"},
    )
    # A state the API can make: one contact gets email, one doesn't.
    ContactFactory.create(client=special, email="p@x.test", send_email=True)
    ContactFactory.create(
        client=special, email="q@x.test", send_email=False, is_primary=False
    )
    source = tmp_path / "a.csv"
    export(company, "--output", str(source), "--no-progress")

    output, _ = import_file(other, source)
    assert output.startswith("Imported 16 client(s)")
    assert ", 1 archived" in output

    def comparable(text):
        return [
            {k: v for k, v in row.items() if k != "client_key"} for row in rows_of(text)
        ]

    assert comparable(export(other)) == comparable(source.read_text())
    assert (
        Activity.objects.filter(
            client__company=other, activity_type_id=Activity.CREATE_CLIENT
        ).count()
        == 16
    )


def test_a_bad_row_is_reported_by_line_and_nothing_is_written(company, tmp_path):
    path = write_csv(
        tmp_path,
        [
            {"name": "Good", "contact_email": "good@x.test"},
            {"name": "Bad email", "contact_email": "not-an-email"},
            {"name": "Bad country", "country_id": "99999"},
        ],
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        import_file(company, path)
    assert not Client.objects.filter(company=company).exists()


def test_problems_name_the_line_and_column(company, tmp_path, capsys):
    ClientFactory.create(company=company, number="0042")
    path = write_csv(
        tmp_path,
        [
            {"client_key": "a", "name": "A", "contact_email": "a@x.test"},
            {"client_key": "a", "contact_email": "broken"},
            {"name": "Taken", "number": "0042"},
            {"name": "Twice", "number": "7"},
            {"name": "Twice again", "number": "7"},
            {"name": "Grouped", "group": "No Such Group"},
            {"name": "Settings", "settings": "{not json"},
        ],
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_clients",
            "--company",
            company.name,
            str(path),
            "--no-progress",
            stderr=err,
        )
    problems = err.getvalue().splitlines()
    assert (
        "line 3, contact_email: The contacts.1.email must be a valid email address."
        in problems
    )
    assert "line 4, number: The number has already been taken." in problems
    assert any(
        p.startswith("line 6, number: The number has already been taken.")
        for p in problems
    )
    assert (
        "line 7, group: No group is named 'No Such Group' in this company." in problems
    )
    assert "line 8, settings: Not valid JSON (an object)." in problems


def test_blank_numbers_come_from_the_counter_and_contacts_get_one_primary(
    company, tmp_path
):
    path = write_csv(
        tmp_path,
        [
            {"client_key": "k", "name": "Multi", "contact_email": "a@x.test"},
            {
                "client_key": "k",
                "contact_email": "b@x.test",
                "contact_is_primary": "true",
            },
            {"name": "No contacts"},
        ],
    )
    import_file(company, path)
    multi = Client.objects.get(name="Multi")
    assert multi.number == "0001"
    primary = multi.contacts.get(is_primary=True)
    assert primary.email == "b@x.test"
    lone = Client.objects.get(name="No contacts")
    assert lone.contacts.count() == 1


def test_a_client_key_split_over_the_file_is_refused(company, tmp_path):
    path = write_csv(
        tmp_path,
        [
            {"client_key": "k", "name": "One"},
            {"client_key": "z", "name": "Two"},
            {"client_key": "k", "name": "One"},
        ],
    )
    with pytest.raises(CommandError):
        import_file(company, path)
    assert not Client.objects.exists()


def test_unknown_columns_and_missing_files_are_explained(company, tmp_path):
    path = write_csv(
        tmp_path, [{"name": "A", "colour": "red"}], header=["name", "colour"]
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_clients", "--company", company.name, str(path), stderr=err)
    assert "Unknown column(s): colour" in err.getvalue()
    with pytest.raises(CommandError, match="No file at"):
        import_file(company, tmp_path / "missing.csv")


def test_import_can_record_the_creating_member(company, tmp_path):
    member = MembershipFactory.create(company=company).user
    path = write_csv(tmp_path, [{"name": "Mine"}])
    import_file(company, path, "--email", member.email)
    assert Client.objects.get(name="Mine").user == member
    outsider = MembershipFactory.create().user
    with pytest.raises(CommandError, match="not a member"):
        import_file(company, path, "--email", outsider.email)
