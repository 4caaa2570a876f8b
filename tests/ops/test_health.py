import pytest
from django.db import connection

from tests.redis_server import free_port


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture(autouse=True)
def _no_redis_unless_a_test_sets_it(settings):
    settings.REDIS_URL = ""


@pytest.mark.parametrize("path", ["/health", "/health/"])
def test_health_answers_ok_without_a_token(db, client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "storage": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_the_storage_probe_leaves_no_file_behind(db, client, tmp_path):
    client.get("/health")
    assert list((tmp_path / "media" / "health").iterdir()) == []


def test_health_is_503_naming_the_database_when_it_is_down(
    db, client, monkeypatch, caplog
):
    def broken_cursor(*args, **kwargs):
        raise OSError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken_cursor)
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "error",
        "storage": "ok",
    }
    assert "connection refused" in caplog.text


def test_health_is_503_naming_the_storage_when_it_cannot_write(
    db, client, settings, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker)},
        },
    }
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "storage": "error",
    }


def test_health_does_not_redirect_to_https(db, client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health").status_code == 200
    assert client.get("/admin/login/").status_code == 301


def test_health_refuses_writes(db, client):
    assert client.post("/health").status_code == 405


def test_health_runs_one_query(db, client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/health").status_code == 200


def test_health_pings_redis_when_redis_url_is_set(db, client, settings, redis_url):
    settings.REDIS_URL = redis_url
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "storage": "ok",
        "redis": "ok",
    }


def test_health_is_503_naming_redis_when_it_is_down(db, client, settings, caplog):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "storage": "ok",
        "redis": "error",
    }
    assert "Health check redis failed" in caplog.text


def test_health_with_redis_still_runs_one_query(
    db, client, settings, redis_url, django_assert_num_queries
):
    settings.REDIS_URL = redis_url
    with django_assert_num_queries(1):
        assert client.get("/health").status_code == 200
