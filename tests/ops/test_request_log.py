"""One log line per request on `config.requests`, a request id in and out, and
the JSON rendering of `LOG_FORMAT=json`."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from config.request_log import FIELDS_ATTRIBUTE, JsonFormatter, request_id_for
from tests.conftest import api_client_for

PROJECT = Path(__file__).resolve().parents[2]
GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def request_lines(caplog):
    """The records of `config.requests`, as the test's requests log them."""
    caplog.set_level(logging.INFO, logger="config.requests")

    def lines():
        return [r for r in caplog.records if r.name == "config.requests"]

    return lines


def test_each_request_logs_one_line_with_its_fields(db, client, request_lines):
    response = client.get("/health")
    (record,) = request_lines()
    fields = getattr(record, FIELDS_ATTRIBUTE)
    assert fields["method"] == "GET"
    assert fields["path"] == "/health"
    assert fields["status"] == response.status_code == 200
    assert isinstance(fields["duration_ms"], float)
    assert fields["duration_ms"] >= 0
    assert GENERATED_ID.fullmatch(fields["request_id"])
    assert "company_id" not in fields
    assert record.levelno == logging.INFO
    assert record.getMessage() == (
        f"GET /health 200 {fields['duration_ms']}ms request_id={fields['request_id']}"
    )


def test_the_request_id_is_sent_back(db, client, request_lines):
    response = client.get("/health")
    (record,) = request_lines()
    assert response["X-Request-ID"] == getattr(record, FIELDS_ATTRIBUTE)["request_id"]


def test_a_sane_incoming_request_id_is_kept(db, client, request_lines):
    incoming = "lb-7f3a:2025/01/02-abc_DEF.1"
    response = client.get("/health", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] == incoming
    (record,) = request_lines()
    assert getattr(record, FIELDS_ATTRIBUTE)["request_id"] == incoming


@pytest.mark.parametrize(
    "incoming",
    ["x" * 129, "has space", "line\nbreak", "tab\there", "", "caf\u00e9"],
)
def test_an_odd_incoming_request_id_is_replaced(incoming):
    assert GENERATED_ID.fullmatch(request_id_for(incoming))


def test_a_request_id_of_128_characters_is_kept():
    assert request_id_for("a" * 128) == "a" * 128


def test_two_requests_get_different_ids(db, client):
    first = client.get("/health")["X-Request-ID"]
    assert client.get("/health")["X-Request-ID"] != first


def test_an_authenticated_request_names_its_company_and_never_the_token(
    owner, caplog, request_lines
):
    response = owner.api.get("/api/v1/clients?per_page=5")
    assert response.status_code == 200
    (record,) = request_lines()
    fields = getattr(record, FIELDS_ATTRIBUTE)
    assert fields["path"] == "/api/v1/clients"
    assert fields["company_id"] == owner.company.pk
    assert fields["company_key"] == owner.company.company_key
    assert record.getMessage().endswith(
        f" company_id={owner.company.pk} company_key={owner.company.company_key}"
    )
    assert owner.token not in caplog.text


def test_the_query_string_is_never_logged(db, owner, caplog, request_lines):
    anonymous = api_client_for("")
    url = f"/api/v1/clients?X-API-TOKEN={owner.token}&api_secret=hunter2"
    assert anonymous.get(url).status_code == 403
    (record,) = request_lines()
    line = JsonFormatter().format(record)
    assert json.loads(line)["path"] == "/api/v1/clients"
    for text in (line, caplog.text):
        assert owner.token not in text
        assert "hunter2" not in text
        assert "?" not in text


def test_a_path_cannot_break_the_log_line(db, client, request_lines):
    client.get("/api/v1/clients/a%0Ab c%E2%9C%93")
    (record,) = request_lines()
    path = getattr(record, FIELDS_ATTRIBUTE)["path"]
    assert path == "/api/v1/clients/a%0Ab%20c%E2%9C%93"
    assert "\n" not in record.getMessage()


def test_a_server_error_is_logged_at_error_level_with_its_id(owner, request_lines):
    owner.api.raise_request_exception = False
    with mock.patch(
        "clients.api.views.client_create", side_effect=RuntimeError("database exploded")
    ):
        response = owner.api.post("/api/v1/clients", {"name": "X"}, format="json")
    assert response.status_code == 500
    (record,) = request_lines()
    assert record.levelno == logging.ERROR
    fields = getattr(record, FIELDS_ATTRIBUTE)
    assert fields["status"] == 500
    assert response["X-Request-ID"] == fields["request_id"]


def test_json_lines_carry_the_request_fields(owner, request_lines):
    owner.api.get("/api/v1/ping", HTTP_X_REQUEST_ID="abc-123")
    (record,) = request_lines()
    entry = json.loads(JsonFormatter().format(record))
    assert entry == {
        "time": entry["time"],
        "level": "INFO",
        "logger": "config.requests",
        "message": record.getMessage(),
        "method": "GET",
        "path": "/api/v1/ping",
        "status": 200,
        "duration_ms": entry["duration_ms"],
        "request_id": "abc-123",
        "company_id": owner.company.pk,
        "company_key": owner.company.company_key,
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry["time"])


def test_json_lines_of_other_records_carry_their_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("config.health").makeRecord(
            "config.health",
            logging.ERROR,
            __file__,
            1,
            "Health check %s failed",
            ("database",),
            sys.exc_info(),
        )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "Health check database failed"
    assert entry["level"] == "ERROR"
    assert "ValueError: boom" in entry["exception"]
    assert "\n" not in JsonFormatter().format(record)


def run_django(tmp_path, code, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME"}
    }
    environment.update(
        ENV_FILE="",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


GET_HEALTH = "from django.test import Client; Client().get('/health?probe=1')"


def test_log_format_json_makes_every_line_json(tmp_path):
    finished = run_django(tmp_path, GET_HEALTH, LOG_FORMAT="json")
    assert finished.returncode == 0, finished.stderr
    entries = [json.loads(line) for line in finished.stderr.splitlines()]
    (request,) = [e for e in entries if e["logger"] == "config.requests"]
    assert request["path"] == "/health"
    assert request["status"] == 200


def test_log_format_text_is_the_default(tmp_path):
    finished = run_django(tmp_path, GET_HEALTH)
    assert finished.returncode == 0, finished.stderr
    assert re.search(
        r"^\S+ \S+ INFO config\.requests GET /health 200 [\d.]+ms "
        r"request_id=[0-9a-f]{32}$",
        finished.stderr,
        re.MULTILINE,
    )


def test_an_unknown_log_format_is_refused_at_start_up(tmp_path):
    finished = run_django(tmp_path, "pass", LOG_FORMAT="xml")
    assert finished.returncode != 0
    assert "LOG_FORMAT must be text or json, not 'xml'" in finished.stderr
