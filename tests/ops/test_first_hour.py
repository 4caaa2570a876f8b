"""The first hour: install, `.env`, `make run`, the front page, docs and schema,
and the mistakes a newcomer's first requests make."""

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from clients.models import Client
from companies.models import ApiToken
from config.api.hashids import encode_id
from config.env import load_env_file
from tests.factories import ClientFactory

PROJECT = Path(settings.BASE_DIR)
ENV_KEYS = ("FIRST_HOUR_A", "FIRST_HOUR_B", "FIRST_HOUR_C", "FIRST_HOUR_D")


@pytest.fixture
def clean_env(monkeypatch):
    """The test's variables unset now and after the test (`load_dotenv` writes
    `os.environ` directly), and `ENV_FILE` unset."""
    for key in (*ENV_KEYS, "ENV_FILE"):
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    return monkeypatch


def write_env(folder: Path, text: str) -> Path:
    path = folder / ".env"
    path.write_text(text)
    return path


# .env -----------------------------------------------------------------------


def test_a_dot_env_file_in_the_project_folder_is_read(clean_env, tmp_path):
    write_env(
        tmp_path,
        "# a comment\n"
        "FIRST_HOUR_A=plain\n"
        "FIRST_HOUR_B='single # not a comment'\n"
        'export FIRST_HOUR_C="double"  # a comment\n'
        "\n",
    )
    assert load_env_file(tmp_path) == tmp_path / ".env"
    assert os.environ["FIRST_HOUR_A"] == "plain"
    assert os.environ["FIRST_HOUR_B"] == "single # not a comment"
    assert os.environ["FIRST_HOUR_C"] == "double"


def test_a_variable_already_in_the_environment_wins(clean_env, tmp_path):
    clean_env.setenv("FIRST_HOUR_A", "from the environment")
    clean_env.setenv("FIRST_HOUR_B", "")
    write_env(tmp_path, "FIRST_HOUR_A=from the file\nFIRST_HOUR_B=from the file\n")
    load_env_file(tmp_path)
    assert os.environ["FIRST_HOUR_A"] == "from the environment"
    assert os.environ["FIRST_HOUR_B"] == ""


def test_no_dot_env_file_is_fine(clean_env, tmp_path):
    before = dict(os.environ)
    assert load_env_file(tmp_path) is None
    assert dict(os.environ) == before


def test_env_file_names_another_file_or_none(clean_env, tmp_path):
    other = tmp_path / "elsewhere.env"
    other.write_text("FIRST_HOUR_D=elsewhere\n")
    write_env(tmp_path, "FIRST_HOUR_A=project\n")
    clean_env.setenv("ENV_FILE", str(other))
    assert load_env_file(tmp_path) == other
    assert os.environ["FIRST_HOUR_D"] == "elsewhere"
    assert "FIRST_HOUR_A" not in os.environ
    clean_env.setenv("ENV_FILE", "")
    assert load_env_file(tmp_path) is None
    assert "FIRST_HOUR_A" not in os.environ


def test_env_file_naming_a_missing_file_is_a_configuration_error(clean_env, tmp_path):
    clean_env.setenv("ENV_FILE", str(tmp_path / "missing.env"))
    with pytest.raises(ImproperlyConfigured, match="names no file"):
        load_env_file(tmp_path)


def _settings_in_a_new_process(env: dict[str, str], code: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in ("APP_URL", "HASH_SALT")}
    environ.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=PROJECT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


def test_the_settings_read_the_file_and_the_environment_wins(tmp_path):
    env_file = write_env(
        tmp_path, "APP_URL=https://from-the-file.example\nHASH_SALT=file-salt\n"
    )
    printed = _settings_in_a_new_process(
        {"ENV_FILE": str(env_file), "HASH_SALT": "env-salt"},
        "from django.conf import settings; print(settings.APP_URL, settings.HASH_SALT)",
    )
    assert printed == "https://from-the-file.example env-salt"


# Requirements and make -------------------------------------------------------

DEV_ONLY_MODULES = {"pytest", "factory", "hypothesis", "schemathesis", "moto"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_the_app_imports_no_development_tool():
    app_files = [
        path
        for path in PROJECT.rglob("*.py")
        if path.relative_to(PROJECT).parts[0] not in {"tests", "bench", ".venv"}
    ]
    assert app_files
    offenders = {
        str(path.relative_to(PROJECT)): sorted(
            _imported_modules(path) & DEV_ONLY_MODULES
        )
        for path in app_files
        if _imported_modules(path) & DEV_ONLY_MODULES
    }
    assert offenders == {}


def test_the_dev_requirements_include_the_runtime_ones():
    dev = (PROJECT / "requirements-dev.txt").read_text().splitlines()
    runtime = (PROJECT / "requirements.txt").read_text().lower()
    assert "-r requirements.txt" in dev
    for tool in ("pytest", "ruff", "mypy", "schemathesis", "moto"):
        assert not re.search(rf"^{tool}\b", runtime, re.MULTILINE), tool


needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="no make")


def dry_run(*args: str, env: dict[str, str] | None = None) -> str:
    """What `make -n` would run, with a venv that does not exist yet."""
    environ = {**os.environ, **(env or {})}
    done = subprocess.run(
        ["make", "-n", "-C", str(PROJECT), "VENV=/nonexistent/venv", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


@needs_make
def test_make_run_installs_the_runtime_requirements_only():
    out = dry_run("run")
    assert "pip install --quiet -r requirements.txt" in out
    assert "requirements-dev.txt" not in out


@needs_make
@pytest.mark.parametrize("target", ["test", "lint", "bench", "fuzz"])
def test_the_other_targets_install_the_dev_requirements(target):
    out = dry_run(target)
    assert "pip install --quiet -r requirements-dev.txt" in out


@needs_make
def test_make_run_serves_on_host_and_port_and_prints_them():
    out = dry_run("run", "PORT=8001", "HOST=0.0.0.0")
    assert "runserver 0.0.0.0:8001" in out
    assert "http://127.0.0.1:8001/api/v1/ping" in out
    assert "ALLOWED_HOSTS" in out
    out = dry_run("run", "HOST=api.local")
    assert "runserver api.local:8000" in out
    assert "http://api.local:8000/api/v1/ping" in out


@needs_make
def test_make_run_defaults_to_loopback_even_when_the_shell_exports_host():
    out = dry_run("run", env={"HOST": "my-laptop"})
    assert "runserver 127.0.0.1:8000" in out
    assert "http://127.0.0.1:8000/api/v1/ping" in out
    assert "ALLOWED_HOSTS" not in out


@needs_make
def test_make_run_tells_how_to_get_a_token_later():
    out = dry_run("run")
    assert "--revoke-previous" in out
    assert "manage.py create_token --email demo@example.com" in out
    assert "manage.py list_tokens" in out


# Demo tokens -----------------------------------------------------------------


def demo_company(*extra: str) -> list[str]:
    out = StringIO()
    call_command(
        "create_company",
        "--company",
        "Demo Company",
        "--email",
        "demo@example.com",
        "--password",
        "Demo-Pass1",
        "--token-name",
        "make run demo",
        "--revoke-previous",
        *extra,
        stdout=out,
    )
    return out.getvalue().strip().splitlines()


@pytest.mark.django_db
def test_each_run_revokes_the_previous_demo_token(client):
    first = demo_company()[-1]
    second_run = demo_company()
    second = second_run[-1]
    assert "Revoked 1 earlier token(s) named 'make run demo'." in second_run
    assert client.get("/api/v1/ping", HTTP_X_API_TOKEN=first).status_code == 403
    assert client.get("/api/v1/ping", HTTP_X_API_TOKEN=second).status_code == 200
    live = ApiToken.objects.filter(is_revoked=False)
    assert [token.name for token in live] == ["make run demo"]


@pytest.mark.django_db
def test_tokens_of_other_names_survive_a_rerun(client):
    demo_company()
    out = StringIO()
    call_command(
        "create_token",
        "--email",
        "demo@example.com",
        "--company",
        "Demo Company",
        stdout=out,
    )
    script_token = out.getvalue().strip().splitlines()[-1]
    demo_company()
    assert client.get("/api/v1/ping", HTTP_X_API_TOKEN=script_token).status_code == 200
    assert ApiToken.objects.filter(is_revoked=False).count() == 2


@pytest.mark.django_db
def test_a_refused_rerun_revokes_nothing():
    demo_company("--token", "known-token-123")
    with pytest.raises(CommandError, match="already taken"):
        demo_company("--token", "known-token-123")
    assert ApiToken.objects.filter(is_revoked=False).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["  ", "x" * 256])
def test_a_token_name_must_fit(name):
    with pytest.raises(CommandError, match="1 to 255 characters"):
        demo_company("--token-name", name)


# The front page, admin, docs and schema ---------------------------------------


@pytest.mark.django_db
def test_the_front_page_points_at_the_docs_schema_and_admin(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["version"] == settings.APP_VERSION
    assert {
        key: body[key] for key in ("docs", "redoc", "schema", "admin", "health")
    } == {
        "docs": "/api/docs",
        "redoc": "/api/redoc",
        "schema": "/api/v1/schema",
        "admin": "/admin/",
        "health": "/health",
    }
    for key in ("docs", "redoc", "schema", "health"):
        assert client.get(body[key]).status_code == 200, key
    assert client.get(body["admin"]).status_code == 302  # to the login page


@pytest.mark.django_db
def test_the_front_page_refuses_writes_with_json(client):
    response = client.post("/", {"a": "b"})
    assert response.status_code == 405
    assert response.json() == {"message": 'Method "POST" not allowed.', "errors": {}}
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_admin_without_the_slash_redirects_to_the_admin(client):
    response = client.get("/admin")
    assert response.status_code == 301
    assert response["Location"] == "/admin/"


def test_append_slash_stays_off():
    assert settings.APPEND_SLASH is False


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/redoc", "/api/redoc/"])
def test_redoc_is_served_with_its_script_from_our_static_files(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts and all(src.startswith("/static/") for src in scripts)
    assert any("redoc.standalone" in src for src in scripts)
    for src in scripts:
        asset = client.get(src)
        assert asset.status_code == 200, src
        b"".join(asset.streaming_content)
    assert 'spec-url="/api/v1/schema"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, accept",
    [("?format=json", "*/*"), ("", "application/json"), ("/?format=json", "")],
)
def test_the_schema_answers_json_when_asked(client, query, accept):
    response = client.get(f"/api/v1/schema{query}", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert "json" in response["Content-Type"]
    assert json.loads(response.content)["openapi"].startswith("3.")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, accept",
    [("", ""), ("?format=yaml", "*/*"), ("?format=xml", ""), ("", "text/html")],
)
def test_the_schema_answers_yaml_otherwise(client, query, accept):
    response = client.get(f"/api/v1/schema{query}", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi;")
    assert response.content.startswith(b"openapi: 3.")


# First requests -----------------------------------------------------------------

PER_PAGE_ERROR = {"per_page": ["The per page must be a whole number of at least 1."]}


@pytest.mark.parametrize("per_page", ["abc", "0", "-1"])
def test_an_invalid_per_page_on_the_clients_list_is_a_422(api, company, per_page):
    ClientFactory.create(company=company)
    response = api.get("/api/v1/clients", {"per_page": per_page})
    assert response.status_code == 422
    assert response.json()["errors"] == PER_PAGE_ERROR


def test_an_invalid_per_page_is_refused_before_a_bulk_action_writes(api, company):
    client = ClientFactory.create(company=company)
    response = api.post(
        "/api/v1/clients/bulk?per_page=abc",
        {"action": "archive", "ids": [encode_id(client.pk)]},
        format="json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == PER_PAGE_ERROR
    client.refresh_from_db()
    assert client.archived_at is None


def test_a_huge_per_page_is_still_read_as_5000(api, company):
    ClientFactory.create(company=company)
    response = api.get("/api/v1/clients", {"per_page": "100000"})
    assert response.status_code == 200
    assert response.json()["meta"]["pagination"]["per_page"] == 5000


def test_curl_d_with_json_and_no_content_type_is_refused(api):
    # What `curl -d '{"name":"x"}'` sends.
    response = api.post(
        "/api/v1/clients",
        '{"name":"x","contacts":[{"email":"a@example.com"}]}',
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415
    assert "Content-Type: application/json" in response.json()["message"]
    assert not Client.objects.exists()
