"""Production serving: `check --deploy`, gunicorn settings, WhiteNoise, static files."""

import os
import re
import runpy
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.redis_server import free_port

PROJECT = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="api.example.com,127.0.0.1",
        APP_URL="https://api.example.com",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = manage(
        production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_the_development_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.delenv("BIND", raising=False)
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "4")
    config = runpy.run_path(str(PROJECT / "config" / "gunicorn.py"))
    assert config["bind"] == "0.0.0.0:9123"
    assert config["workers"] == 3
    assert config["threads"] == 4
    assert config["accesslog"] == "-"
    assert config["errorlog"] == "-"
    if os.path.isdir("/dev/shm"):
        assert config["worker_tmp_dir"] == "/dev/shm"

    monkeypatch.setenv("BIND", "unix:/run/app.sock")
    assert runpy.run_path(str(PROJECT / "config" / "gunicorn.py"))["bind"] == (
        "unix:/run/app.sock"
    )


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.slow
def test_gunicorn_serves_health_api_and_hashed_compressed_static_files(tmp_path):
    env = production_env(tmp_path, SECURE_SSL_REDIRECT="false")
    collected = manage(env, "collectstatic", "--no-input")
    assert collected.returncode == 0, collected.stderr
    assert list((tmp_path / "static").rglob("swagger-ui.*.css.gz"))

    port = free_port()
    env.update(PORT=str(port), WEB_CONCURRENCY="1", GUNICORN_ACCESS_LOG="")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                assert server.poll() is None, (
                    server.stdout.read() if server.stdout else ""
                )
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)

        status, _, body = _get(f"{base}/health")
        assert status == 200, body
        assert b'"database": "ok"' in body

        status, _, body = _get(f"{base}/api/v1/ping")
        assert status == 403
        assert b"Invalid token" in body

        status, _, page = _get(f"{base}/api/docs")
        assert status == 200
        assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.decode())
        assert any(re.search(r"swagger-ui\.[0-9a-f]{12}\.css$", a) for a in assets)
        for asset in assets:
            status, headers, _ = _get(f"{base}{asset}", **{"Accept-Encoding": "gzip"})
            assert status == 200, asset
            assert "immutable" in headers.get("Cache-Control", ""), asset
        css = next(a for a in assets if a.endswith(".css"))
        _, headers, _ = _get(f"{base}{css}", **{"Accept-Encoding": "gzip"})
        assert headers.get("Content-Encoding") == "gzip"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_docs_page_loads_its_assets_from_our_own_static_files(db, client):
    page = client.get("/api/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(asset.endswith(".js") for asset in assets)
    assert any(asset.endswith(".css") for asset in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        response = client.get(asset)
        assert response.status_code == 200, asset
        b"".join(response.streaming_content)
    assert "//cdn" not in page and "unpkg" not in page


def test_the_admin_login_page_styles_load_without_collectstatic(db, client):
    page = client.get("/admin/login/").content.decode()
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', page)
    assert stylesheets
    for stylesheet in stylesheets:
        assert client.get(stylesheet).status_code == 200
