"""The optional `.env` file, read into the environment before the settings are.

`KEY=VALUE` lines, `#` comments, single or double quotes, `export KEY=VALUE`
(python-dotenv's format). Variables already in the environment win over the file,
so a deployment's environment is never overridden by a file left in the folder.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

ENV_FILE_VARIABLE = "ENV_FILE"


def env_file_path(project_dir: Path) -> Path | None:
    """The file to read: `ENV_FILE` when set (empty means none), else `.env` in
    the project folder."""
    named = os.environ.get(ENV_FILE_VARIABLE)
    if named is None:
        return project_dir / ".env"
    return Path(named) if named.strip() else None


def load_env_file(project_dir: Path) -> Path | None:
    """Read the `.env` file into `os.environ` without replacing variables already
    set; return the file read, or None. A missing `.env` is fine; a missing file
    named by `ENV_FILE` is a configuration error."""
    path = env_file_path(project_dir)
    if path is None:
        return None
    if not path.is_file():
        if ENV_FILE_VARIABLE in os.environ:
            raise ImproperlyConfigured(
                f"{ENV_FILE_VARIABLE}={path} names no file; "
                f"fix it, or set {ENV_FILE_VARIABLE}= (empty) to read none."
            )
        return None
    load_dotenv(path, override=False)
    return path
