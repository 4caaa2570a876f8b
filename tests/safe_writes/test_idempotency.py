"""`Idempotency-Key` on creates, bulk actions, uploads, purge and merge."""

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from clients.models import Activity, Client
from companies.models import IdempotencyKey
from config.api.hashids import encode_id
from documents.models import Document
from tests.conftest import Member
from tests.factories import PASSWORD, ClientFactory

pytestmark = pytest.mark.django_db

KEY = "8e03978e-40d5-43e8-bc93-6894a57f9324"


def create(api: APIClient, body: dict[str, Any], key: str | None = KEY) -> Any:
    headers: dict[str, Any] = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return api.post("/api/v1/clients", body, format="json", **headers)


def test_a_retried_create_gets_the_first_answer_and_makes_no_second_client(
    api: APIClient, owner: Member
) -> None:
    first = create(api, {"name": "Once", "contacts": [{"email": "a@x.io"}]})
    again = create(api, {"name": "Once", "contacts": [{"email": "a@x.io"}]})

    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert again["Location"] == first["Location"]
    assert again["ETag"] == first["ETag"]
    assert Client.objects.filter(company=owner.company).count() == 1
    assert Activity.objects.filter(company=owner.company).count() == 1


def test_the_key_may_be_sent_as_a_structured_field_string(api: APIClient) -> None:
    first = create(api, {"name": "Quoted"}, key=f'"{KEY}"')
    again = create(api, {"name": "Quoted"}, key=KEY)
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content


def test_a_php_form_retry_is_the_same_request(api: APIClient) -> None:
    body = "name=Form+Co&contacts%5B0%5D%5Bemail%5D=f%40x.io"
    send = lambda: api.post(  # noqa: E731
        "/api/v1/clients",
        body,
        content_type="application/x-www-form-urlencoded",
        HTTP_IDEMPOTENCY_KEY=KEY,
    )
    first, again = send(), send()
    assert first.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert Client.objects.count() == 1


def test_the_same_key_with_another_body_is_a_422_and_creates_nothing(
    api: APIClient,
) -> None:
    create(api, {"name": "First"})
    answer = create(api, {"name": "Second"})
    assert answer.status_code == 422
    assert "different request" in answer.json()["message"]
    assert list(Client.objects.values_list("name", flat=True)) == ["First"]


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "ключ", "a\tb"])
def test_a_malformed_key_is_a_400(api: APIClient, key: str) -> None:
    answer = create(api, {"name": "Bad key"}, key=key)
    assert answer.status_code == 400
    assert "Idempotency-Key" in answer.json()["message"]
    assert not Client.objects.exists()


def test_a_key_is_private_to_its_user_and_company(
    api: APIClient, owner: Member, outsider: Member, make_member: Any
) -> None:
    colleague = make_member(owner.company)
    create(api, {"name": "Mine"})
    assert "Idempotent-Replayed" not in create(colleague.api, {"name": "Mine"})
    assert "Idempotent-Replayed" not in create(outsider.api, {"name": "Mine"})
    assert Client.objects.filter(company=owner.company).count() == 2
    assert Client.objects.filter(company=outsider.company).count() == 1


def test_an_error_answer_is_not_kept_so_the_fixed_retry_runs(api: APIClient) -> None:
    refused = create(api, {"name": "x" * 300})
    assert refused.status_code == 422
    assert not IdempotencyKey.objects.exists()
    assert create(api, {"name": "x" * 300}).status_code == 422
    assert not Client.objects.exists()


def test_a_retry_while_the_first_runs_is_a_409(api: APIClient, owner: Member) -> None:
    first = create(api, {"name": "Slow"})
    IdempotencyKey.objects.update(status=None, started_at=timezone.now())
    answer = create(api, {"name": "Slow"})
    assert answer.status_code == 409
    assert "still being processed" in answer.json()["message"]
    assert Client.objects.count() == 1
    assert first.status_code == 200


def test_a_claim_whose_worker_died_is_taken_over(api: APIClient, settings: Any) -> None:
    create(api, {"name": "Crashed"})
    # As if the first request died before committing: its claim, no client.
    Client.objects.all().delete()
    long_ago = timezone.now() - timedelta(
        seconds=settings.IDEMPOTENCY_IN_FLIGHT_SECONDS + 1
    )
    IdempotencyKey.objects.update(status=None, started_at=long_ago)
    answer = create(api, {"name": "Crashed"})
    assert answer.status_code == 200
    assert "Idempotent-Replayed" not in answer
    assert Client.objects.count() == 1


def test_an_expired_key_runs_as_a_new_request_and_the_command_cleans_them(
    api: APIClient, capsys: Any
) -> None:
    create(api, {"name": "Old"})
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert "Idempotent-Replayed" not in create(api, {"name": "Old"})
    assert Client.objects.count() == 2
    create(api, {"name": "Other"}, key="other-key")
    IdempotencyKey.objects.filter(key=KEY).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    call_command("idempotency_keys_clean")
    assert "Deleted 1 expired idempotency key." in capsys.readouterr().out
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["other-key"]


def test_a_retried_bulk_action_is_not_run_again(api: APIClient, owner: Member) -> None:
    clients = ClientFactory.create_batch(3, company=owner.company)
    body = {"action": "archive", "ids": [encode_id(c.pk) for c in clients]}
    send = lambda: api.post(  # noqa: E731
        "/api/v1/clients/bulk", body, format="json", HTTP_IDEMPOTENCY_KEY=KEY
    )
    first = send()
    Client.objects.update(archived_at=None)  # restored elsewhere meanwhile
    again = send()
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert Client.objects.filter(archived_at__isnull=False).count() == 0


def test_a_retried_upload_stores_the_document_once(
    api: APIClient, owner: Member, media: Path
) -> None:
    client = ClientFactory.create(company=owner.company)

    def send() -> Any:
        upload = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
        upload.name = "a.pdf"
        return api.post(
            f"/api/v1/clients/{encode_id(client.pk)}/upload",
            {"documents[]": [upload]},
            HTTP_IDEMPOTENCY_KEY=KEY,
        )

    first, again = send(), send()
    assert first.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert Document.objects.count() == 1
    other = io.BytesIO(b"%PDF-1.4\n% other\n%%EOF\n")
    other.name = "a.pdf"
    changed = api.post(
        f"/api/v1/clients/{encode_id(client.pk)}/upload",
        {"documents[]": [other]},
        HTTP_IDEMPOTENCY_KEY=KEY,
    )
    assert changed.status_code == 422


def test_a_retried_merge_answers_the_merge_it_did(owner: Member) -> None:
    api = APIClient()
    api.credentials(HTTP_X_API_TOKEN=owner.token, HTTP_X_API_PASSWORD=PASSWORD)
    primary = ClientFactory.create(company=owner.company)
    merged = ClientFactory.create(company=owner.company)
    path = f"/api/v1/clients/{encode_id(primary.pk)}/{encode_id(merged.pk)}/merge"
    first = api.post(path, HTTP_IDEMPOTENCY_KEY=KEY)
    again = api.post(path, HTTP_IDEMPOTENCY_KEY=KEY)
    assert first.status_code == 200
    # Without the key the retry would be a 400: the merged client is gone.
    assert again.status_code == 200 and again.content == first.content
    assert api.post(path).status_code == 400


def test_a_wrong_password_is_refused_before_the_key_is_claimed(owner: Member) -> None:
    api = APIClient()
    api.credentials(HTTP_X_API_TOKEN=owner.token, HTTP_X_API_PASSWORD="wrong")
    client = ClientFactory.create(company=owner.company)
    answer = api.post(
        f"/api/v1/clients/{encode_id(client.pk)}/purge", HTTP_IDEMPOTENCY_KEY=KEY
    )
    assert answer.status_code == 412
    assert not IdempotencyKey.objects.exists()
