"""Documents on S3, for real over HTTP against moto's standalone server."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from boto3.s3.transfer import TransferConfig
from moto.server import ThreadedMotoServer

from clients.models import Client
from config.api.hashids import encode_id
from documents.models import Document
from tests.documents.conftest import PDF, image_bytes, upload, zip_bytes

BUCKET = "documents-test"
CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    "region_name": "us-east-1",
}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any, tmp_path: Path) -> Any:
    """An empty bucket on the moto server, used as `default_storage`."""
    s3 = boto3.resource("s3", endpoint_url=s3_endpoint, **CREDENTIALS)
    created = s3.Bucket(BUCKET)
    if created.creation_date is None:
        created.create()
    created.objects.all().delete()
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "addressing_style": "path",
                "default_acl": None,
                "file_overwrite": False,
                "max_memory_size": 1024 * 1024,
                "transfer_config": TransferConfig(
                    multipart_threshold=5 * 1024 * 1024,
                    multipart_chunksize=5 * 1024 * 1024,
                    max_concurrency=2,
                ),
            },
        },
    }
    return created


def keys(bucket: Any) -> list[str]:
    return sorted(obj.key for obj in bucket.objects.all())


def test_an_upload_download_and_delete_round_trip_through_s3(
    api: Any,
    client_row: Client,
    bucket: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    content = image_bytes("PNG", (12, 8))

    response = api.put(
        f"/api/v1/clients/{encode_id(client_row.pk)}/upload",
        {"documents[]": [upload("photo.png", content, "text/html")]},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    [shown] = response.json()["data"]["documents"]
    assert (shown["disk"], shown["width"], shown["height"]) == ("s3", 12, 8)
    document = Document.objects.get()
    assert keys(bucket) == [document.path]
    stored = bucket.Object(document.path)
    assert stored.content_type == "image/png"  # what we checked, not what was sent
    assert stored.get()["Body"].read() == content

    download = api.get(f"/api/v1/documents/{shown['id']}/download")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"] == 'attachment; filename="photo.png"'

    with django_capture_on_commit_callbacks(execute=True):
        deleted = api.delete(f"/api/v1/documents/{shown['id']}")
    assert deleted.status_code == 200
    assert keys(bucket) == []


def test_a_large_upload_goes_to_s3_in_parts(
    api: Any, client_row: Client, bucket: Any
) -> None:
    content = zip_bytes({"big.bin": os.urandom(12 * 1024 * 1024)})

    response = api.put(
        f"/api/v1/clients/{encode_id(client_row.pk)}/upload",
        {"documents[]": [upload("big.zip", content)]},
        format="multipart",
    )

    assert response.status_code == 200
    document = Document.objects.get()
    stored = bucket.Object(document.path)
    assert stored.content_length == len(content)
    assert "-" in stored.e_tag  # a multipart upload's ETag ends in -<parts>
    download = api.get(f"/api/v1/documents/{encode_id(document.pk)}/download")
    assert b"".join(download.streaming_content) == content


def test_a_failed_upload_leaves_nothing_in_the_bucket(
    api: Any, client_row: Client, bucket: Any, monkeypatch: Any
) -> None:
    from clients.models import Activity

    def refuse(**kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(Activity.objects, "create", refuse)
    response = api.put(
        f"/api/v1/clients/{encode_id(client_row.pk)}/upload",
        {"documents[]": [upload("a.pdf", PDF), upload("b.pdf", PDF)]},
        format="multipart",
    )
    assert response.status_code == 500
    assert keys(bucket) == []
    assert not Document.objects.exists()


def test_documents_check_finds_and_fixes_problems_in_the_bucket(
    api: Any, company: Any, client_row: Client, bucket: Any
) -> None:
    import io

    from django.core.management import call_command

    api.put(
        f"/api/v1/clients/{encode_id(client_row.pk)}/upload",
        {"documents[]": [upload("a.pdf", PDF), upload("b.pdf", PDF)]},
        format="multipart",
    )
    good, broken = Document.objects.order_by("pk")
    bucket.Object(broken.path).delete()
    orphan = f"{company.company_key}/documents/{'e' * 40}.pdf"
    bucket.put_object(Key=orphan, Body=PDF)

    out = io.StringIO()
    call_command(
        "documents_check", "--fix", "--min-age", "0", stdout=out, stderr=io.StringIO()
    )

    assert f"orphan file: {orphan}" in out.getvalue()
    assert keys(bucket) == [good.path]
    broken.refresh_from_db()
    assert broken.is_deleted is True
