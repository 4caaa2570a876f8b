"""`import_clients` on the files people actually have: misspelt columns,
semicolon-separated spreadsheets, and a file imported a second time."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from clients.models import Client
from tests.factories import ClientFactory, CompanyFactory


@pytest.fixture
def company(db):
    return CompanyFactory.create(name="Hints Ltd")


def write_text(tmp_path, text):
    path = tmp_path / "clients.csv"
    path.write_text(text, encoding="utf-8")
    return path


def run_import(company, path, *args):
    out = StringIO()
    call_command(
        "import_clients",
        "--company",
        company.company_key,
        str(path),
        "--no-progress",
        *args,
        stdout=out,
        stderr=StringIO(),
    )
    return out.getvalue()


def refused(company, path, *args):
    """The problem lines and the error of an import that must fail."""
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command(
            "import_clients",
            "--company",
            company.company_key,
            str(path),
            "--no-progress",
            *args,
            stderr=err,
        )
    return err.getvalue().splitlines(), str(failure.value)


# Unknown columns --------------------------------------------------------------


def test_an_unknown_column_is_named_with_the_nearest_known_one(company, tmp_path):
    path = write_text(tmp_path, "nmae,contact_emial,Number\nAcme,a@x.test,1\n")
    problems, error = refused(company, path)
    assert problems == [
        "line 1, nmae: Unknown column; did you mean 'name'?",
        "line 1, contact_emial: Unknown column; did you mean 'contact_email'?",
        "line 1, Number: Unknown column; did you mean 'number'?",
    ]
    assert error.startswith("3 problems found; nothing was imported.")


def test_a_contact_field_without_its_prefix_suggests_the_contact_column(
    company, tmp_path
):
    path = write_text(tmp_path, "name,email\nAcme,a@x.test\n")
    problems, _ = refused(company, path)
    assert problems == ["line 1, email: Unknown column; did you mean 'contact_email'?"]


def test_a_column_like_no_known_one_points_at_the_help(company, tmp_path):
    path = write_text(tmp_path, "name,favourite_colour\nAcme,red\n")
    problems, error = refused(company, path)
    assert problems == [
        "line 1, favourite_colour: Unknown column; `manage.py import_clients "
        "--help` lists the known columns."
    ]
    assert "client_key" not in problems[0]  # not the list of every column
    assert error.startswith("1 problem found;")


def test_a_header_cell_without_a_name_is_explained(company, tmp_path):
    path = write_text(tmp_path, "name,,city\nAcme,,Oslo\n")
    problems, _ = refused(company, path)
    assert problems == [
        "line 1: Column 2 of the header has no name; name it or remove the column."
    ]


# Other separators --------------------------------------------------------------


def test_a_semicolon_separated_file_gets_a_hint(company, tmp_path):
    path = write_text(tmp_path, "name;number;contact_email\nAcme;1;a@x.test\n")
    problems, _ = refused(company, path)
    assert problems == [
        "line 1: The header's columns are separated by semicolons, not commas. "
        "Save the file as comma-separated CSV, or import it with --delimiter ';'."
    ]


def test_a_quoted_semicolon_header_gets_the_hint_not_a_csv_error(company, tmp_path):
    path = write_text(tmp_path, '\n"name";"city"\n"Acme";"Oslo"\n')
    problems, _ = refused(company, path)
    assert problems == [
        "line 2: The header's columns are separated by semicolons, not commas. "
        "Save the file as comma-separated CSV, or import it with --delimiter ';'."
    ]


def test_a_semicolon_file_imports_with_the_delimiter_option(company, tmp_path):
    path = write_text(
        tmp_path, 'name;city;contact_email\n"Acme; Sons";Oslo;a@x.test\nB;Rome;\n'
    )
    output = run_import(company, path, "--delimiter", ";")
    assert output.startswith("Imported 2 clients with 2 contacts")
    assert Client.objects.get(city="Oslo").name == "Acme; Sons"


def test_a_tab_separated_file_imports_with_delimiter_tab(company, tmp_path):
    path = write_text(tmp_path, "name\tcity\nAcme\tOslo\n")
    problems, _ = refused(company, path)
    assert problems[0].endswith("import it with --delimiter tab.")
    run_import(company, path, "--delimiter", "tab")
    assert Client.objects.get().city == "Oslo"


def test_a_comma_file_read_with_another_delimiter_is_told_so(company, tmp_path):
    path = write_text(tmp_path, "name,city\nAcme,Oslo\n")
    problems, _ = refused(company, path, "--delimiter", ";")
    assert problems == [
        "line 1: The header's columns are separated by commas, not semicolons. "
        "Import it without --delimiter: commas are the default."
    ]


@pytest.mark.parametrize("value", ["", ";;", '"', "\\n"])
def test_a_bad_delimiter_is_explained(company, tmp_path, value):
    path = write_text(tmp_path, "name\nAcme\n")
    if value == "\\n":
        value = "\n"
    with pytest.raises(CommandError, match="--delimiter must be one character"):
        run_import(company, path, "--delimiter", value)


# Importing the same file again -------------------------------------------------


def exported(company, tmp_path):
    path = tmp_path / "export.csv"
    call_command(
        "export_clients",
        "--company",
        company.company_key,
        "--output",
        str(path),
        "--no-progress",
        stdout=StringIO(),
    )
    return path


def test_a_second_import_of_a_file_says_how_to_renumber_or_skip(company, tmp_path):
    for number in ("0001", "0002", "0003"):
        ClientFactory.create(company=company, number=number)
    path = exported(company, tmp_path)
    problems, error = refused(company, path)
    assert len(problems) == 3
    assert all(
        p.endswith("number: The number has already been taken.") for p in problems
    )
    assert error == (
        "3 problems found; nothing was imported. Fix the lines above and run the "
        "import again. The number of 3 clients is taken in 'Hints Ltd' already (was "
        "this file imported before?): run again with --skip-existing to leave those "
        "clients out, or empty their number cells so that they get new numbers."
    )


def test_skip_existing_leaves_out_clients_whose_number_is_taken(company, tmp_path):
    ClientFactory.create(company=company, number="0001")
    ClientFactory.create(company=company, number="0002", is_deleted=True)
    path = write_text(
        tmp_path,
        "client_key,name,number,contact_email\n"
        "a,Again,0001,a@x.test\n"
        "a,,,a2@x.test\n"
        "b,Deleted one,0002,\n"
        "c,New,0003,n@x.test\n"
        "d,Unnumbered,,\n",
    )
    output = run_import(company, path, "--skip-existing")
    assert output == (
        "Imported 2 clients with 2 contacts into 'Hints Ltd'; skipped 2 clients "
        "whose number is taken.\n"
    )
    assert set(
        Client.objects.filter(company=company).values_list("name", flat=True)
    ) >= {"New", "Unnumbered"}
    assert not Client.objects.filter(name__in=["Again", "Deleted one"]).exists()


def test_skip_existing_twice_imports_nothing_and_succeeds(company, tmp_path):
    path = write_text(tmp_path, "name,number\nOne,0001\nTwo,0002\n")
    run_import(company, path, "--skip-existing")
    output = run_import(company, path, "--skip-existing")
    assert output == (
        "Imported 0 clients with 0 contacts into 'Hints Ltd'; skipped 2 clients "
        "whose number is taken.\n"
    )
    assert Client.objects.filter(company=company).count() == 2


def test_skip_existing_still_refuses_other_problems(company, tmp_path):
    ClientFactory.create(company=company, number="0001")
    path = write_text(tmp_path, "name,number,country_id\nOld,0001,\nBad,0002,99999\n")
    problems, _ = refused(company, path, "--skip-existing")
    assert [p.split(":")[0] for p in problems] == ["line 3, country_id"]
    assert Client.objects.filter(company=company).count() == 1


def test_skip_existing_looks_numbers_up_in_batches(company, tmp_path, monkeypatch):
    monkeypatch.setattr("clients.csv.importing.NUMBER_LOOKUP_BATCH", 2)
    for number in ("1", "2", "3", "4", "5"):
        ClientFactory.create(company=company, number=number)
    path = write_text(
        tmp_path, "name,number\n" + "".join(f"C{n},{n}\n" for n in range(1, 6))
    )
    output = run_import(company, path, "--skip-existing")
    assert "skipped 5 clients" in output
