"""`/clients/{id}/logo` and multipart create with `image`: checked images, three
thumbnails, authenticated downloads, files removed after commit."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from clients.models import Activity, Client
from companies.models import Company
from config.api.hashids import encode_id
from tests.documents.conftest import PDF, image_bytes, stored_files, upload
from tests.documents.storages import use_failing_storage
from tests.documents.test_file_checks import png_header_claiming
from tests.factories import ClientFactory

pytestmark = pytest.mark.usefixtures("media")

LOGO_KEYS = ("logo", "logo_thumb_large", "logo_thumb_medium", "logo_thumb_small")
LOGO_FIELDS = ("logo_path", "logo_large_path", "logo_medium_path", "logo_small_path")


@pytest.fixture
def client_row(company: Company) -> Client:
    return ClientFactory.create(company=company)


def logo_url(client: Client) -> str:
    return f"/api/v1/clients/{encode_id(client.pk)}/logo"


def post_logo(api: Any, client: Client, name: str, content: bytes) -> Any:
    return api.post(
        logo_url(client), {"image": upload(name, content)}, format="multipart"
    )


def picture(fmt: str, size: tuple[int, int], mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (10, 200, 10, 128)[: len(mode)]).save(buffer, format=fmt)
    return buffer.getvalue()


def opened(path: str) -> Image.Image:
    with default_storage.open(path, "rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
        return image


def test_a_png_logo_is_stored_with_three_thumbnails(
    api: Any, media: Path, client_row: Client
) -> None:
    content = picture("PNG", (1200, 600), "RGBA")

    response = post_logo(api, client_row, "Logo.png", content)

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    base = f"http://testserver{logo_url(client_row)}"
    assert [data[key] for key in LOGO_KEYS] == [
        base,
        f"{base}?size=large",
        f"{base}?size=medium",
        f"{base}?size=small",
    ]
    client_row.refresh_from_db()
    folder = f"{client_row.company.company_key}/documents/"
    assert all(getattr(client_row, f).startswith(folder) for f in LOGO_FIELDS)
    assert (media / client_row.logo_path).read_bytes() == content
    sizes = [opened(getattr(client_row, f)).size for f in LOGO_FIELDS[1:]]
    assert sizes == [(512, 256), (256, 128), (64, 32)]
    assert opened(client_row.logo_small_path).mode == "RGBA"
    assert len(stored_files(media)) == 4
    assert Activity.objects.filter(
        client=client_row, notes="Logo set to Logo.png"
    ).exists()


def test_thumbnails_of_a_jpeg_are_jpegs_and_a_small_image_is_not_enlarged(
    api: Any, client_row: Client
) -> None:
    response = post_logo(api, client_row, "a.jpg", picture("JPEG", (100, 40)))
    assert response.status_code == 200
    client_row.refresh_from_db()
    large = opened(client_row.logo_large_path)
    assert (large.format, large.size) == ("JPEG", (100, 40))
    assert opened(client_row.logo_small_path).size == (64, 26)


def test_a_gif_gets_png_thumbnails(api: Any, client_row: Client) -> None:
    response = post_logo(api, client_row, "a.gif", picture("GIF", (300, 300)))
    assert response.status_code == 200
    client_row.refresh_from_db()
    medium = opened(client_row.logo_medium_path)
    assert (medium.format, medium.size) == ("PNG", (256, 256))


def test_downloads_need_the_token_and_give_each_file(
    api: Any, client_row: Client
) -> None:
    content = picture("PNG", (600, 300))
    post_logo(api, client_row, "logo.png", content)

    original = api.get(logo_url(client_row))
    assert original.status_code == 200
    assert original["Content-Type"] == "image/png"
    assert original["X-Content-Type-Options"] == "nosniff"
    assert b"".join(original.streaming_content) == content
    small = api.get(logo_url(client_row), {"size": "small"})
    assert Image.open(io.BytesIO(b"".join(small.streaming_content))).size == (64, 32)

    api.credentials()
    assert api.get(logo_url(client_row)).status_code == 403


def test_download_errors(api: Any, client_row: Client) -> None:
    missing = api.get(logo_url(client_row))
    assert missing.status_code == 404
    assert missing.json() == {"message": "The client has no logo", "errors": {}}
    wrong = api.get(logo_url(client_row), {"size": "huge"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"] == {
        "size": ["The size must be one of: large, medium, small."]
    }


def test_a_client_without_a_logo_shows_empty_strings(
    api: Any, client_row: Client
) -> None:
    data = api.get(f"/api/v1/clients/{encode_id(client_row.pk)}").json()["data"]
    assert [data[key] for key in LOGO_KEYS] == ["", "", "", ""]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("doc.pdf", PDF, "The image must be a file of type: jpeg, jpg, png, gif."),
        ("a.png", b"", "The image must not be empty."),
        ("a.jpg", image_bytes("PNG"), "The image content does not match its file "),
        ("a.png", b"\x89PNG\r\n\x1a\n" + b"x" * 64, "The image is not a valid png "),
        ("bomb.png", png_header_claiming(100_000, 100_000), "The image image is too "),
        ("big.png", picture("PNG", (5000, 3400)), "The image is too large (more "),
    ],
    ids=["type", "empty", "signature", "corrupt", "bomb", "pixel-cap"],
)
def test_a_refused_image_is_a_422_and_stores_nothing(
    api: Any, media: Path, client_row: Client, name: str, content: bytes, message: str
) -> None:
    response = post_logo(api, client_row, name, content)

    assert response.status_code == 422, response.content
    [error] = response.json()["errors"]["image"]
    assert error.startswith(message)
    assert stored_files(media) == []
    client_row.refresh_from_db()
    assert client_row.logo_path == ""


def test_the_upload_size_is_limited(
    api: Any, settings: Any, media: Path, client_row: Client
) -> None:
    settings.LOGO_MAX_UPLOAD_MB = 1
    content = picture("PNG", (10, 10)) + b"\0" * (1024 * 1024)
    response = post_logo(api, client_row, "a.png", content)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "image": ["The image must not be greater than 1024 kilobytes."]
    }
    assert stored_files(media) == []


def test_a_missing_image_is_a_422(api: Any, client_row: Client) -> None:
    response = api.post(logo_url(client_row), {"name": "x"}, format="multipart")
    assert response.status_code == 422
    assert response.json()["errors"] == {"image": ["The image field is required."]}


def test_a_new_logo_replaces_the_old_files_after_commit(
    api: Any, media: Path, client_row: Client, django_capture_on_commit_callbacks: Any
) -> None:
    post_logo(api, client_row, "a.png", picture("PNG", (40, 40)))
    client_row.refresh_from_db()
    old = [getattr(client_row, f) for f in LOGO_FIELDS]

    with django_capture_on_commit_callbacks(execute=True):
        response = post_logo(api, client_row, "b.jpg", picture("JPEG", (40, 40)))
    assert response.status_code == 200

    client_row.refresh_from_db()
    now = sorted(str(p.relative_to(media)) for p in stored_files(media))
    assert now == sorted(getattr(client_row, f) for f in LOGO_FIELDS)
    assert not set(old) & set(now)


def test_deleting_the_logo_removes_its_files(
    api: Any, media: Path, client_row: Client, django_capture_on_commit_callbacks: Any
) -> None:
    post_logo(api, client_row, "a.png", picture("PNG", (40, 40)))

    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(logo_url(client_row))

    assert response.status_code == 200
    assert [response.json()["data"][key] for key in LOGO_KEYS] == ["", "", "", ""]
    assert stored_files(media) == []
    again = api.delete(logo_url(client_row))
    assert again.status_code == 200


def test_a_deleted_client_takes_no_logo(
    api: Any, media: Path, client_row: Client
) -> None:
    Client.objects.filter(pk=client_row.pk).update(is_deleted=True)
    response = post_logo(api, client_row, "a.png", picture("PNG", (40, 40)))
    assert response.status_code == 400
    assert stored_files(media) == []
    assert api.delete(logo_url(client_row)).status_code == 400


def test_a_storage_failure_leaves_nothing(
    api: Any, settings: Any, media: Path, client_row: Client
) -> None:
    use_failing_storage(settings, media, fail_after=2)
    response = post_logo(api, client_row, "a.png", picture("PNG", (40, 40)))
    assert response.status_code == 500
    assert stored_files(media) == []
    client_row.refresh_from_db()
    assert client_row.logo_path == ""


def test_a_multipart_create_takes_the_image(api: Any, media: Path) -> None:
    response = api.post(
        "/api/v1/clients",
        {
            "name": "Logo Inc",
            "contacts[0][email]": "a@logo.example",
            "image": upload("logo.png", picture("PNG", (80, 80))),
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["name"] == "Logo Inc"
    assert data["contacts"][0]["email"] == "a@logo.example"
    assert data["logo"].endswith(f"/clients/{data['id']}/logo")
    assert len(stored_files(media)) == 4


def test_a_create_with_a_bad_image_creates_nothing(api: Any, media: Path) -> None:
    response = api.post(
        "/api/v1/clients",
        {"name": "Logo Inc", "image": upload("logo.png", PDF)},
        format="multipart",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["image"]
    assert not Client.objects.exists()
    assert stored_files(media) == []


def test_a_create_with_a_bad_field_stores_no_image(api: Any, media: Path) -> None:
    response = api.post(
        "/api/v1/clients",
        {"name": "x" * 300, "image": upload("logo.png", picture("PNG", (9, 9)))},
        format="multipart",
    )
    assert response.status_code == 422
    assert not Client.objects.exists()
    assert stored_files(media) == []


def test_a_viewer_may_download_but_not_change(
    make_member: Any, company: Any, client_row: Client, api: Any
) -> None:
    post_logo(api, client_row, "a.png", picture("PNG", (9, 9)))
    viewer = make_member(
        company=company, is_owner=False, is_admin=False, permissions=["view_client"]
    )
    reader = viewer.api
    assert reader.get(logo_url(client_row)).status_code == 200
    assert reader.delete(logo_url(client_row)).status_code == 403
    response = post_logo(reader, client_row, "b.png", picture("PNG", (9, 9)))
    assert response.status_code == 403


def test_another_company_sees_no_logo(api: Any, outsider: Any, company: Any) -> None:
    client = ClientFactory.create(company=company)
    post_logo(api, client, "a.png", picture("PNG", (9, 9)))
    other = outsider.api
    for response in (
        other.get(logo_url(client)),
        other.delete(logo_url(client)),
        post_logo(other, client, "b.png", picture("PNG", (9, 9))),
    ):
        assert response.status_code == 404
        assert response.json()["message"] == "Client not found"
    client.refresh_from_db()
    assert client.logo_path
