import csv
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from clients.csv import COLUMNS, neutralise_formula, restore_formula
from clients.models import Activity, Client
from clients.seeding import seed_clients
from clients.services.settings import new_client_settings
from clients.services.tags import client_tags_set
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
    assert output.startswith("Exported 3 clients")
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
    client_tags_set(client=special, names=["wholesale", "VIP"])
    source = tmp_path / "a.csv"
    export(company, "--output", str(source), "--no-progress")
    exported_tags = {row["tags"] for row in rows_of(source.read_text())}
    assert exported_tags == {"", "VIP, wholesale"}

    output, _ = import_file(other, source)
    assert output.startswith("Imported 16 clients")
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
    assert "line 1, colour: Unknown column" in err.getvalue()
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


# -- spreadsheet formulas (CSV injection) -------------------------------------------

FORMULA_VALUES = {
    # field: (stored value, exported cell)
    "name": (
        '=HYPERLINK("http://evil.test","Click")',
        '\'=HYPERLINK("http://evil.test","Click")',
    ),
    "phone": ("-", "'-"),
    "custom_value1": ("@SUM(1)", "'@SUM(1)"),
    "custom_value2": ("'=already quoted", "''=already quoted"),
    "custom_value3": ("'plain", "'plain"),
    "custom_value4": ("-5.00", "'-5.00"),
    "private_notes": ("+1 555 0100", "'+1 555 0100"),
}
CONTACT_FORMULA_VALUES = {
    "first_name": ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    "last_name": ("-2+3", "'-2+3"),
    "phone": ("+44 20 7946 0000", "'+44 20 7946 0000"),
    "custom_value1": ("''@twice", "'''@twice"),
    "custom_value2": ("O'Brien", "O'Brien"),
}


def formula_client(company):
    client = ClientFactory.create(
        company=company, **{name: value for name, (value, _) in FORMULA_VALUES.items()}
    )
    ContactFactory.create(
        client=client,
        email="formula@x.test",
        **{name: value for name, (value, _) in CONTACT_FORMULA_VALUES.items()},
    )
    return client


def test_export_prefixes_cells_a_spreadsheet_would_run_as_a_formula(company):
    formula_client(company)
    (row,) = rows_of(export(company))
    for name, (_, cell) in FORMULA_VALUES.items():
        assert row[name] == cell, name
    for name, (_, cell) in CONTACT_FORMULA_VALUES.items():
        assert row[f"contact_{name}"] == cell, name


def test_export_prefixes_tabs_and_carriage_returns_in_any_column(company):
    client = ClientFactory.create(
        company=company, address1="\tTabbed", city="\rReturn", vat_number="=1"
    )
    ContactFactory.create(client=client, custom_value3="\t=1", email="t@x.test")
    text = export(company)
    (row,) = rows_of(text)
    assert row["address1"] == "'\tTabbed"
    assert row["city"] == "'\rReturn"
    assert row["vat_number"] == "'=1"
    assert row["contact_custom_value3"] == "'\t=1"
    triggers = ("=", "+", "-", "@", "\t", "\r")
    header, *cells = csv.reader(io.StringIO(text))
    assert header == list(COLUMNS)
    assert not [cell for line in cells for cell in line if cell.startswith(triggers)]


def test_formula_like_values_round_trip_exactly_into_another_company(company, tmp_path):
    formula_client(company)
    other = CompanyFactory.create()
    source = tmp_path / "formulas.csv"
    export(company, "--output", str(source), "--no-progress")
    assert "'=HYPERLINK(" in source.read_text()

    output, _ = import_file(other, source)

    assert output.startswith("Imported 1 client with 1 contact")
    client = Client.objects.get(company=other)
    for name, (value, _) in FORMULA_VALUES.items():
        assert getattr(client, name) == value, name
    contact = client.contacts.get()
    for name, (value, _) in CONTACT_FORMULA_VALUES.items():
        assert getattr(contact, name) == value, name


@pytest.mark.parametrize(
    "value",
    ["=1", "+1", "-1", "@a", "\tx", "\rx", "'=1", "''-1", "'", "'a", "a=1", "", "x"],
)
def test_restore_formula_undoes_neutralise_formula(value):
    assert restore_formula(neutralise_formula(value)) == value


def test_a_handwritten_quote_before_a_formula_character_is_taken_off(company, tmp_path):
    path = write_csv(
        tmp_path,
        [{"name": "'-5.00", "custom_value1": "''=x", "custom_value2": "'plain"}],
    )
    import_file(company, path)
    client = Client.objects.get(company=company)
    assert (client.name, client.custom_value1, client.custom_value2) == (
        "-5.00",
        "'=x",
        "'plain",
    )


# -- malformed files ----------------------------------------------------------------


def write_text(tmp_path, text):
    path = tmp_path / "raw.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return path


def failed_import(company, path):
    """The import's problem lines; it must refuse the file."""
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_clients",
            "--company",
            company.company_key,
            str(path),
            "--no-progress",
            stderr=err,
        )
    return err.getvalue().splitlines()


def test_an_unterminated_quote_is_reported_at_its_line_and_nothing_is_written(
    company, tmp_path
):
    path = write_text(
        tmp_path,
        "name,contact_email\r\n"
        "Good,good@x.test\r\n"
        "Also good,also@x.test\r\n"
        '"Unclosed,broken@x.test\r\n'
        "Later,later@x.test\r\n",
    )
    problems = failed_import(company, path)
    assert problems == [
        "line 4: A quoted cell that starts on this line is never closed; the file "
        'ends inside it. Add the missing closing quote ("), or double a quote that '
        'is part of the text ("").'
    ]
    assert not Client.objects.exists()


def test_an_unterminated_quote_in_a_long_file_is_reported_at_its_line(
    company, tmp_path
):
    later = "".join(
        f"Later {n},later{n}@x.test\n" for n in range(csv.field_size_limit() // 20)
    )
    path = write_text(
        tmp_path, f'name,contact_email\nGood,good@x.test\n"Unclosed,b@x.test\n{later}'
    )
    (problem,) = failed_import(company, path)
    assert problem.startswith("line 3: A cell is longer than")
    assert "never closed" in problem
    assert not Client.objects.exists()


def test_a_stray_quote_inside_a_cell_is_reported_at_its_line(company, tmp_path):
    path = write_text(tmp_path, 'name,city\nGood,Paris\n"Acme" Ltd,Rome\n')
    (problem,) = failed_import(company, path)
    assert problem.startswith("line 3: Not valid CSV (',' expected after '\"').")
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "Short,short@x.test",
            "line 3: The row has 2 cells but the header has 3 columns. Add the "
            "missing cells",
        ),
        (
            "Long,long@x.test,Paris,France",
            "line 3: The row has 4 cells but the header has 3 columns. Remove "
            "the extra cells",
        ),
    ],
)
def test_a_row_with_the_wrong_number_of_cells_is_refused_by_line(
    company, tmp_path, line, message
):
    path = write_text(
        tmp_path, f"name,contact_email,city\nGood,g@x.test,Oslo\n{line}\nNext,,\n"
    )
    (problem,) = failed_import(company, path)
    assert problem.startswith(message)
    assert not Client.objects.exists()


def test_an_oversized_cell_is_a_problem_not_a_traceback(company, tmp_path):
    huge = "x" * (csv.field_size_limit() + 1)
    path = write_text(tmp_path, f"name,private_notes\nGood,\nBig,{huge}\n")
    (problem,) = failed_import(company, path)
    assert problem.startswith(
        f"line 3: A cell is longer than {csv.field_size_limit():,} characters"
    )
    assert not Client.objects.exists()


def test_line_numbers_count_blank_lines_and_lines_inside_quoted_cells(
    company, tmp_path
):
    path = write_text(
        tmp_path,
        'name,contact_email\n\n"Two\nlines",a@x.test\n\nBad,not-an-email\n',
    )
    problems = failed_import(company, path)
    assert problems == [
        "line 6, contact_email: The contacts.0.email must be a valid email address."
    ]


@pytest.mark.parametrize("levels", [330, 20_000])
def test_deeply_nested_settings_are_a_problem_not_a_traceback(
    company, tmp_path, levels
):
    deep = '{"k":' * levels + "1" + "}" * levels
    path = write_csv(tmp_path, [{"name": "Deep", "settings": deep}])

    with pytest.raises(CommandError, match="nothing was imported"):
        import_file(company, path)

    assert not Client.objects.filter(company=company).exists()
