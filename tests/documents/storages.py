"""A storage that fails on purpose, to prove failed uploads leave nothing behind."""

from pathlib import Path
from typing import Any

from django.core.files.storage import FileSystemStorage


class FailingStorage(FileSystemStorage):
    """Saves `fail_after` files normally, then raises on every further save."""

    saves = 0

    def __init__(self, fail_after: int = 1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fail_after = fail_after

    def save(
        self, name: str | None, content: Any, max_length: int | None = None
    ) -> str:
        if FailingStorage.saves >= self.fail_after:
            raise OSError("storage is full")
        FailingStorage.saves += 1
        return super().save(name, content, max_length)


def use_failing_storage(settings: Any, media: Path, fail_after: int) -> None:
    """Make the default storage a `FailingStorage` under `media` (pytest's
    `settings` fixture restores it after the test)."""
    FailingStorage.saves = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.documents.storages.FailingStorage",
            "OPTIONS": {"location": str(media), "fail_after": fail_after},
        },
    }
