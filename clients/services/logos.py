"""Client logos: a checked image and three thumbnails, stored and attached.

A logo is checked like an uploaded document (`documents.files`: its signature must
match its extension, Pillow reads the header and refuses decompression bombs) and
more strictly: JPEG, PNG or GIF only, at most `LOGO_MAX_UPLOAD_MB` and
`LOGO_MAX_PIXELS`. Pillow makes the thumbnails at upload (`THUMBNAIL_SIZES`); the
original and the thumbnails are stored through `documents.services` (in
`<company_key>/documents/`, before the row points at them, deleted again if the
write fails), and files a row stops pointing at are deleted once that commits.
"""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps

from clients.fields import LOGO_THUMBNAIL_SIZES
from clients.models import Activity, Client
from clients.services.activities import activity_record
from clients.services.clients import DELETED_CLIENT_MESSAGE, client_create
from clients.services.events import client_event
from companies.models import Company
from config.errors import Refusal
from documents.files import (
    IMAGE_FORMATS,
    FileRejected,
    InspectedFile,
    content_type_for,
    inspect_upload,
)
from documents.integrity import FileReferences
from documents.services import (
    StoredUpload,
    stored_files_delete_on_commit,
    uploads_stored,
)
from webhooks.events import CLIENT_UPDATED

# The input key, as Paymo names it.
IMAGE_KEY = "image"
LOGO_EXTENSIONS = ("jpeg", "jpg", "png", "gif")
THUMBNAIL_SIZES = LOGO_THUMBNAIL_SIZES
# The model fields holding the stored files: the original, then each thumbnail.
LOGO_FIELDS = ("logo_path", *(f"logo_{size}_path" for size in THUMBNAIL_SIZES))
JPEG_QUALITY = 85


def logo_max_bytes() -> int:
    return int(settings.LOGO_MAX_UPLOAD_MB) * 1024 * 1024


def logo_max_pixels() -> int:
    return int(settings.LOGO_MAX_PIXELS)


def _rejected(message: str) -> ValidationError:
    return ValidationError({IMAGE_KEY: [message]})


def _checked(upload: Any) -> InspectedFile:
    """The upload as an image that may become a logo (FileRejected otherwise)."""
    return inspect_upload(
        upload,
        IMAGE_KEY,
        allowed=LOGO_EXTENSIONS,
        max_bytes=logo_max_bytes(),
        max_pixels=logo_max_pixels(),
    )


def _encoded(picture: Image.Image, extension: str) -> ContentFile[bytes]:
    buffer = io.BytesIO()
    if extension == "jpg":
        picture.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        picture.save(buffer, "PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name=f"thumbnail.{extension}")


def _thumbnails(original: InspectedFile) -> list[InspectedFile]:
    """The thumbnails, largest first: JPEG for a JPEG, PNG (transparency kept)
    for a PNG or a GIF (its first frame)."""
    extension = "jpg" if IMAGE_FORMATS[original.extension] == "JPEG" else "png"
    upload = original.upload
    upload.seek(0)
    made: list[InspectedFile] = []
    try:
        with Image.open(upload, formats=[IMAGE_FORMATS[original.extension]]) as image:
            largest = max(THUMBNAIL_SIZES.values())
            # A JPEG is decoded at the smallest scale still above the largest
            # thumbnail: a fraction of the memory and time of the full image.
            image.draft("RGB", (largest, largest))
            picture = ImageOps.exif_transpose(image)
            if picture.mode not in ("RGB", "RGBA", "L"):
                picture = picture.convert("RGBA")
            for box in THUMBNAIL_SIZES.values():
                picture = picture.copy()
                picture.thumbnail((box, box), Image.Resampling.LANCZOS)
                encoded = _encoded(picture, extension)
                made.append(
                    InspectedFile(
                        upload=encoded,
                        name=encoded.name or "",
                        extension=extension,
                        size=encoded.size,
                        content_type=content_type_for(extension),
                        width=picture.width,
                        height=picture.height,
                    )
                )
    except (Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise FileRejected(
            f"The image is not a valid {original.extension} image."
        ) from exc
    finally:
        upload.seek(0)
    return made


def logo_prepare(upload: Any) -> list[InspectedFile]:
    """The files of a logo, checked and made: the original, then each thumbnail.

    Nothing is stored yet; a bad image is a ValidationError keyed `image`.
    """
    try:
        original = _checked(upload)
        return [original, *_thumbnails(original)]
    except FileRejected as exc:
        raise _rejected(exc.message) from exc


def logo_paths(client: Client) -> list[str]:
    """The client's stored logo files ("" left out)."""
    return [path for path in (getattr(client, f) for f in LOGO_FIELDS) if path]


def _locked(client: Client) -> Client:
    locked: Client = Client.objects.select_for_update(of=("self",)).get(pk=client.pk)
    if locked.is_deleted:
        raise Refusal(DELETED_CLIENT_MESSAGE, 400)
    return locked


def _logo_set(client: Client, paths: Sequence[str]) -> None:
    """Point the (locked) client at new files, or none; its old files go once
    the transaction commits."""
    stored_files_delete_on_commit(logo_paths(client))
    values = dict(zip(LOGO_FIELDS, paths, strict=True))
    now = timezone.now()
    Client.objects.filter(pk=client.pk).update(updated_at=now, **values)
    for field, path in values.items():
        setattr(client, field, path)
    client.updated_at = now


def _stored_paths(stored: Sequence[StoredUpload]) -> list[str]:
    return [upload.path for upload in stored]


def client_logo_set(
    *, client: Client, user: AbstractBaseUser | None, upload: Any
) -> Client:
    """Give a client a new logo (replacing any), with one activity.

    The image is checked and its thumbnails made before anything is written; a
    deleted client is a 400 Refusal, and leaves nothing stored.
    """
    files = logo_prepare(upload)
    with (
        uploads_stored(company=client.company, inspected=files) as stored,
        transaction.atomic(),
    ):
        locked = _locked(client)
        _logo_set(locked, _stored_paths(stored))
        activity_record(
            client=locked,
            user=user,
            activity_type_id=Activity.UPDATE_CLIENT,
            notes=f"Logo set to {files[0].name}",
        )
        client_event(CLIENT_UPDATED, locked)
    return locked


@transaction.atomic
def client_logo_delete(*, client: Client, user: AbstractBaseUser | None) -> Client:
    """Remove a client's logo (its files once this commits); none is no change."""
    locked = _locked(client)
    if logo_paths(locked):
        _logo_set(locked, [""] * len(LOGO_FIELDS))
        activity_record(
            client=locked,
            user=user,
            activity_type_id=Activity.UPDATE_CLIENT,
            notes="Logo removed",
        )
        client_event(CLIENT_UPDATED, locked)
    return locked


def client_create_with_logo(
    *,
    company: Company,
    user: AbstractBaseUser | None,
    data: dict[str, Any],
    upload: Any,
) -> Client:
    """`client_create` with a logo (Paymo's multipart create): both or neither."""
    files = logo_prepare(upload)
    with (
        uploads_stored(company=company, inspected=files) as stored,
        transaction.atomic(),
    ):
        client = client_create(company=company, user=user, data=data)
        _logo_set(client, _stored_paths(stored))
    return client


def _logos_of_company(company_key: str) -> Iterable[tuple[int, list[str]]]:
    rows = (
        Client.objects.filter(company__company_key=company_key)
        .exclude(logo_path="")
        .values_list("pk", *LOGO_FIELDS)
    )
    for pk, *paths in rows.iterator(chunk_size=2000):
        yield pk, [path for path in paths if path]


@transaction.atomic
def _logos_forget(pks: list[int]) -> None:
    """Drop the logos whose files are lost: the fields cleared, the files left
    deleted once this commits."""
    rows = Client.objects.select_for_update().filter(pk__in=pks)
    paths = [p for row in rows.values_list(*LOGO_FIELDS) for p in row if p]
    rows.update(**dict.fromkeys(LOGO_FIELDS, ""))
    stored_files_delete_on_commit(paths)


# What `documents_check` needs to know of logos (registered by the app config).
LOGO_REFERENCES = FileReferences(
    label="client logo", referenced=_logos_of_company, forget=_logos_forget
)
