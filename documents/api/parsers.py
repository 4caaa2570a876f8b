"""How an upload's files arrive: multipart under `documents[]` or `documents`."""

from typing import Any

from rest_framework.parsers import DataAndFiles

from config.api.parsers import PhpMultiPartParser, nest_php_keys


class UploadMultiPartParser(PhpMultiPartParser):
    """Multipart where a repeated plain `documents` key is a list, like `documents[]`.

    PHP keeps only the last of repeated plain keys; for files that would silently
    drop uploads, so every file sent is kept.
    """

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Any = None,
    ) -> "DataAndFiles[Any, Any]":
        parsed = super(PhpMultiPartParser, self).parse(
            stream, media_type, parser_context
        )
        files = [
            (f"{key}[]" if "[" not in key and len(values) > 1 else key, value)
            for key, values in parsed.files.lists()
            for value in values
        ]
        data = [(key, value) for key, values in parsed.data.lists() for value in values]
        return DataAndFiles(nest_php_keys(data), nest_php_keys(files))


def uploaded_files(data: Any) -> list[Any]:
    """The files of an upload, whichever way `documents` was sent."""
    raw = data.get("documents") if hasattr(data, "get") else None
    if raw is None or raw == "":
        return []
    if isinstance(raw, dict):
        return list(raw.values())
    return list(raw) if isinstance(raw, list) else [raw]
