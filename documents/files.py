"""Inspecting an uploaded file before it is stored: name, type, content, image size.

Everything here reads the upload from its temporary file in small pieces (the
signature is the first 8 KB; Pillow reads only the image header), so a large file
never sits whole in memory.
"""

import mimetypes
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from filetype.types import archive, image
from PIL import Image, UnidentifiedImageError

# Known types' media types, so downloads don't depend on the host's mime tables.
CONTENT_TYPES = {
    "png": "image/png",
    "ai": "application/postscript",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "tiff": "image/tiff",
    "pdf": "application/pdf",
    "gif": "image/gif",
    "psd": "image/vnd.adobe.photoshop",
    "txt": "text/plain",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
    "webp": "image/webp",
    "xml": "application/xml",
    "zip": "application/zip",
    "csv": "text/csv",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
# The extensions an upload may have (upstream's allowlist, in its order).
ALLOWED_EXTENSIONS = tuple(CONTENT_TYPES)

SIGNATURE_BYTES = 8192
SCAN_CHUNK_BYTES = 64 * 1024
MAX_NAME_LENGTH = 255
TEXT_EXTENSIONS = frozenset({"txt", "csv", "xml"})
UNICODE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")

# Pillow format names: an image is opened only as the format its extension claims.
IMAGE_FORMATS = {
    "png": "PNG",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "tiff": "TIFF",
    "tif": "TIFF",
    "webp": "WEBP",
    "psd": "PSD",
    "bmp": "BMP",
}


class OleCompoundFile(filetype.Type):
    """The OLE2 container of Office 97-2003 files (doc, xls, ppt).

    filetype's own Doc/Xls/Ppt matchers look for optional streams at fixed offsets
    and miss valid files; the container signature is what every such file has.
    """

    MIME = "application/x-ole-storage"
    EXTENSION = "ole"
    MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

    def __init__(self) -> None:
        super().__init__(mime=self.MIME, extension=self.EXTENSION)

    def match(self, buf: bytes) -> bool:
        return bytes(buf[:8]) == self.MAGIC


_ZIP = archive.Zip()
_OLE = OleCompoundFile()
_PDF = archive.Pdf()

# The signatures a file of each extension may carry (any one of them).
SIGNATURES: dict[str, tuple[filetype.Type, ...]] = {
    "png": (image.Png(),),
    "jpg": (image.Jpeg(),),
    "jpeg": (image.Jpeg(),),
    "gif": (image.Gif(),),
    "tiff": (image.Tiff(),),
    "webp": (image.Webp(),),
    "psd": (image.Psd(),),
    "pdf": (_PDF,),
    # Illustrator files are PDF-compatible since CS, PostScript before.
    "ai": (_PDF, archive.Ps()),
    "zip": (_ZIP,),
    # Office Open XML and OpenDocument files are zip archives.
    "docx": (_ZIP,),
    "xlsx": (_ZIP,),
    "pptx": (_ZIP,),
    "odt": (_ZIP,),
    "ods": (_ZIP,),
    "odp": (_ZIP,),
    "doc": (_OLE,),
    "xls": (_OLE,),
    "ppt": (_OLE,),
}


class FileRejected(Exception):
    """An uploaded file that may not be stored; the message names the reason."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class InspectedFile:
    """An upload that passed every check, with what was learned about it."""

    upload: Any
    name: str
    extension: str
    size: int
    content_type: str
    width: int
    height: int


def allowed_extensions() -> list[str]:
    """The built-in allowlist plus `DOCUMENT_EXTRA_EXTENSIONS`."""
    extra = [ext for ext in settings.DOCUMENT_EXTRA_EXTENSIONS if ext]
    return [*ALLOWED_EXTENSIONS, *(e for e in extra if e not in ALLOWED_EXTENSIONS)]


def max_upload_bytes() -> int:
    return int(settings.DOCUMENT_MAX_UPLOAD_MB) * 1024 * 1024


def safe_file_name(raw: str) -> str:
    """The original name without path parts or control characters, ≤ 255 chars.

    `../evil.png` → `evil.png`; `C:\\x\\y.pdf` → `y.pdf`. Leading and trailing dots
    and spaces go, so the name can't be hidden or address a parent folder.
    """
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip(". ")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            keep = MAX_NAME_LENGTH - len(extension) - 1
            name = f"{stem[:keep].rstrip('. ')}.{extension}"
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def file_extension(name: str) -> str:
    """The lower-case extension of a file name, `""` when it has none."""
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def content_type_for(extension: str) -> str:
    known = CONTENT_TYPES.get(extension) or mimetypes.guess_type(f"x.{extension}")[0]
    return known or "application/octet-stream"


def _signatures(extension: str) -> tuple[filetype.Type, ...]:
    if extension in SIGNATURES:
        return SIGNATURES[extension]
    # An extra extension is checked too when filetype knows its signature.
    matcher = filetype.get_type(ext=extension)
    return (matcher,) if matcher is not None else ()


def _head(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    head = upload.read(SIGNATURE_BYTES)
    upload.seek(0)
    return bytes(head)


def _has_nul_byte(upload: IO[bytes]) -> bool:
    upload.seek(0)
    try:
        while chunk := upload.read(SCAN_CHUNK_BYTES):
            if b"\x00" in chunk:
                return True
        return False
    finally:
        upload.seek(0)


def check_content(upload: IO[bytes], extension: str, label: str) -> None:
    """Refuse content that does not look like the type its extension claims."""
    head = _head(upload)
    signatures = _signatures(extension)
    mismatch = FileRejected(
        f"The {label} content does not match its file type ({extension})."
    )
    if signatures and not any(matcher.match(head) for matcher in signatures):
        raise mismatch
    if (
        extension in TEXT_EXTENSIONS
        and not head.startswith(UNICODE_BOMS)
        and _has_nul_byte(upload)
    ):
        # Text has no signature, but a NUL byte means a binary file renamed.
        raise mismatch


def image_size(upload: IO[bytes], extension: str, label: str) -> tuple[int, int]:
    """Width and height from the image header, refusing decompression bombs.

    Only the header is read, so a huge image can't exhaust memory here; one over
    Pillow's `MAX_IMAGE_PIXELS` is still refused, as it could do so when opened later.
    """
    limit = Image.MAX_IMAGE_PIXELS
    too_large = FileRejected(
        f"The {label} image is too large (more than {limit} pixels)."
    )
    upload.seek(0)
    try:
        with Image.open(upload, formats=[IMAGE_FORMATS[extension]]) as picture:
            width, height = picture.size
    except Image.DecompressionBombError as exc:
        raise too_large from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise FileRejected(f"The {label} is not a valid {extension} image.") from exc
    finally:
        upload.seek(0)
    if limit is not None and width * height > limit:
        raise too_large
    return int(width), int(height)


def inspect_upload(
    upload: Any,
    label: str,
    *,
    allowed: Sequence[str] | None = None,
    max_bytes: int | None = None,
    max_pixels: int | None = None,
) -> InspectedFile:
    """Check one upload (`label` names it in messages, e.g. `documents.0`).

    Raises FileRejected for a missing file, a name without an allowed extension
    (`allowed`, by default a document's), an empty or too large file (`max_bytes`,
    by default `DOCUMENT_MAX_UPLOAD_MB`), content that doesn't match the extension,
    or an image that can't be read, is a decompression bomb or has more than
    `max_pixels` pixels.
    """
    if not hasattr(upload, "chunks") or not hasattr(upload, "name"):
        raise FileRejected(f"The {label} must be a file.")
    name = safe_file_name(upload.name)
    extension = file_extension(name)
    allowed = allowed_extensions() if allowed is None else list(allowed)
    if extension not in allowed:
        raise FileRejected(f"The {label} must be a file of type: {', '.join(allowed)}.")
    size = int(upload.size or 0)
    if size == 0:
        raise FileRejected(f"The {label} must not be empty.")
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if size > limit:
        raise FileRejected(
            f"The {label} must not be greater than {limit // 1024} kilobytes."
        )
    check_content(upload, extension, label)
    width = height = 0
    if extension in IMAGE_FORMATS:
        width, height = image_size(upload, extension, label)
        if max_pixels is not None and width * height > max_pixels:
            raise FileRejected(
                f"The {label} is too large (more than {max_pixels} pixels)."
            )
    return InspectedFile(
        upload=upload,
        name=name,
        extension=extension,
        size=size,
        content_type=content_type_for(extension),
        width=width,
        height=height,
    )
