"""What an uploaded file must be before it is stored (documents/files.py)."""

import struct
import zlib
from typing import Any

import pytest

from documents.files import (
    FileRejected,
    file_extension,
    inspect_upload,
    safe_file_name,
)
from tests.documents.conftest import OLE, PDF, image_bytes, upload, zip_bytes


def png_header_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a size its (empty) data never delivers."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + struct.pack(">I", 0)
        + b"IEND"
        + struct.pack(">I", zlib.crc32(b"IEND"))
    )


def rejected(name: str, content: bytes) -> str:
    with pytest.raises(FileRejected) as caught:
        inspect_upload(upload(name, content), "documents.0")
    return caught.value.message


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../evil.png", "evil.png"),
        ("..\\..\\windows\\evil.png", "evil.png"),
        ("/etc/passwd.txt", "passwd.txt"),
        ("in\x00voice\x1b.pdf", "invoice.pdf"),
        ("  .hidden.txt. ", "hidden.txt"),
        ("Café menu.pdf", "Café menu.pdf"),
        ("..", ""),
    ],
)
def test_safe_file_name_drops_path_parts_and_control_characters(
    raw: str, safe: str
) -> None:
    assert safe_file_name(raw) == safe


def test_safe_file_name_shortens_long_names_but_keeps_the_extension() -> None:
    name = safe_file_name("a" * 400 + ".pdf")
    assert len(name) == 255
    assert name.endswith("a.pdf")


def test_file_extension_is_lower_case_and_needs_a_stem() -> None:
    assert file_extension("Scan.PDF") == "pdf"
    assert file_extension("README") == ""
    assert file_extension("archive.tar.gz") == "gz"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("a.png", image_bytes("PNG"), "image/png"),
        ("a.jpg", image_bytes("JPEG"), "image/jpeg"),
        ("a.jpeg", image_bytes("JPEG"), "image/jpeg"),
        ("a.gif", image_bytes("GIF"), "image/gif"),
        ("a.tiff", image_bytes("TIFF"), "image/tiff"),
        ("a.webp", image_bytes("WEBP"), "image/webp"),
        ("a.pdf", PDF, "application/pdf"),
        ("a.ai", PDF, "application/postscript"),
        ("a.zip", zip_bytes(), "application/zip"),
        (
            "a.docx",
            zip_bytes({"word/document.xml": b"<w/>"}),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("a.odt", zip_bytes(), "application/vnd.oasis.opendocument.text"),
        ("a.xls", OLE, "application/vnd.ms-excel"),
        ("a.txt", b"plain text\n", "text/plain"),
        ("a.csv", b"a,b\n1,2\n", "text/csv"),
        ("a.xml", b"<?xml version='1.0'?><a/>", "application/xml"),
        ("a.txt", "\ufeffbom".encode("utf-16"), "text/plain"),
    ],
)
def test_files_whose_content_matches_their_extension_are_accepted(
    name: str, content: bytes, content_type: str
) -> None:
    inspected = inspect_upload(upload(name, content), "documents.0")
    assert inspected.extension == name.rsplit(".", 1)[1]
    assert inspected.content_type == content_type
    assert inspected.size == len(content)


def test_image_width_and_height_are_read_from_the_header() -> None:
    inspected = inspect_upload(
        upload("photo.png", image_bytes("PNG", (37, 21))), "documents.0"
    )
    assert (inspected.width, inspected.height) == (37, 21)


def test_non_images_have_no_width_or_height() -> None:
    inspected = inspect_upload(upload("a.pdf", PDF), "documents.0")
    assert (inspected.width, inspected.height) == (0, 0)


def test_a_text_file_named_png_is_refused() -> None:
    assert rejected("a.png", b"just some text") == (
        "The documents.0 content does not match its file type (png)."
    )


def test_a_pdf_named_jpg_is_refused() -> None:
    assert "does not match" in rejected("a.jpg", PDF)


def test_a_binary_file_named_txt_is_refused() -> None:
    assert "does not match its file type (txt)" in rejected(
        "notes.txt", b"MZ\x90\x00\x03\x00\x00\x00binary"
    )


def test_a_nul_byte_late_in_a_csv_is_found() -> None:
    content = b"a,b\n" * 50_000 + b"\x00"
    assert "does not match its file type (csv)" in rejected("big.csv", content)


def test_an_extension_outside_the_allowlist_is_refused() -> None:
    message = rejected("run.exe", b"MZ")
    assert message.startswith("The documents.0 must be a file of type: png, ai, jpeg")


def test_a_name_without_extension_is_refused() -> None:
    assert "must be a file of type" in rejected("README", b"text")


def test_extra_extensions_from_settings_are_allowed(settings: Any) -> None:
    settings.DOCUMENT_EXTRA_EXTENSIONS = ["md", "bmp"]
    assert inspect_upload(upload("a.md", b"# hi"), "documents.0").extension == "md"
    bmp = inspect_upload(upload("a.bmp", image_bytes("BMP", (4, 5))), "documents.0")
    assert (bmp.width, bmp.height) == (4, 5)


def test_extra_extensions_with_a_known_signature_are_checked(settings: Any) -> None:
    settings.DOCUMENT_EXTRA_EXTENSIONS = ["bmp"]
    assert "does not match" in rejected("a.bmp", b"not a bitmap at all")


def test_an_empty_file_is_refused() -> None:
    assert rejected("a.txt", b"") == "The documents.0 must not be empty."


def test_a_file_over_the_size_limit_is_refused(settings: Any) -> None:
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    message = rejected("a.txt", b"x" * (1024 * 1024 + 1))
    assert message == "The documents.0 must not be greater than 1024 kilobytes."


def test_a_file_at_the_size_limit_is_accepted(settings: Any) -> None:
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    inspected = inspect_upload(upload("a.txt", b"x" * (1024 * 1024)), "documents.0")
    assert inspected.size == 1024 * 1024


def test_a_decompression_bomb_is_refused() -> None:
    message = rejected("bomb.png", png_header_claiming(50_000, 50_000))
    assert message.startswith("The documents.0 image is too large")


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_an_image_just_over_the_pixel_limit_is_refused(monkeypatch: Any) -> None:
    monkeypatch.setattr("PIL.Image.MAX_IMAGE_PIXELS", 100)
    assert "too large" in rejected("a.png", image_bytes("PNG", (11, 10)))


def test_an_image_whose_header_is_broken_is_refused() -> None:
    broken = image_bytes("PNG")[:20]
    assert rejected("a.png", broken) == "The documents.0 is not a valid png image."


def test_something_that_is_not_a_file_is_refused() -> None:
    with pytest.raises(FileRejected) as caught:
        inspect_upload("a string", "documents.2")
    assert caught.value.message == "The documents.2 must be a file."
