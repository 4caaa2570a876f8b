"""Plain API tokens (and login passwords) never reach the logs, whatever the
outcome of the request: success, 403, 412, 422 or a 500 with a traceback."""

import logging
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from rest_framework.test import APIClient

from companies.services import token_create, token_revoke
from config.api.hashids import encode_id
from tests.conftest import Member, api_client_for
from tests.factories import PASSWORD, ClientFactory


class EverythingHandler(logging.Handler):
    """Formats every record the way a verbose production handler would."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(
            logging.Formatter(
                "%(asctime)s %(levelname)s %(name)s %(pathname)s:%(lineno)d "
                "%(funcName)s %(message)s %(args)s"
            )
        )
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def every_log_line(settings: Any) -> Iterator[EverythingHandler]:
    # DEBUG makes Django log every SQL query with its parameters, too.
    settings.DEBUG = True
    handler = EverythingHandler()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in logging.root.manager.loggerDict]
    levels = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
        for logger, level in levels:
            logger.setLevel(level)


def test_no_plain_token_or_password_appears_in_any_log_line(
    owner: Member,
    outsider: Member,
    every_log_line: EverythingHandler,
    caplog: Any,
    capfd: Any,
) -> None:
    caplog.set_level(logging.DEBUG)
    revoked = token_create(membership=owner.membership, name="old")
    token_revoke(token=revoked.token)
    wrong = "wrong-" + owner.token[6:]
    client = ClientFactory.create(company=owner.company)
    url = f"/api/v1/clients/{encode_id(client.pk)}"
    secrets = [owner.token, outsider.token, revoked.plain, wrong, PASSWORD]

    api = owner.api
    assert api.get("/api/v1/ping").status_code == 200
    assert api.get("/api/v1/clients?include=activities").status_code == 200
    assert api.post("/api/v1/clients", {"name": "N"}, format="json").status_code == 200
    assert api.put(url, {"contacts": "x"}, format="json").status_code == 422
    assert outsider.api.get(url).status_code == 404
    for token in (wrong, revoked.plain, ""):
        assert api_client_for(token).get("/api/v1/clients").status_code == 403
    # A token sent where it must not be (the query string) is refused, and the
    # log lines name the path without the query. (Django's records carry the
    # request object too, whose repr shows the query: no handler here formats it.)
    assert (
        APIClient().get(f"/api/v1/clients?X-API-TOKEN={owner.token}").status_code == 403
    )
    # Wrong and right passwords on a gated endpoint.
    assert api.post(f"{url}/purge", HTTP_X_API_PASSWORD=wrong).status_code == 412
    assert api.post(f"{url}/purge", HTTP_X_API_PASSWORD=PASSWORD).status_code == 200
    # A 500 with its traceback.
    with mock.patch(
        "clients.api.views.client_create", side_effect=RuntimeError("database exploded")
    ):
        assert (
            api.post("/api/v1/clients", {"name": "X"}, format="json").status_code == 500
        )

    captured = capfd.readouterr()
    text = "\n".join(
        [
            *every_log_line.lines,
            caplog.text,
            captured.out,
            captured.err,
        ]
    )
    assert "database exploded" in text  # the 500 was logged, with its traceback
    assert "SELECT" in text  # and so was every query
    leaked = [secret for secret in secrets if secret in text]
    assert leaked == []
