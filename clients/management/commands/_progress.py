"""A progress bar for long commands: on a terminal only, never in pipes or logs."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tqdm import tqdm


@contextmanager
def progress_bar(total: int, unit: str, enabled: bool = True) -> Iterator[Any]:
    """A tqdm bar on stderr; its `update(n)` is the services' `progress` callback."""
    with tqdm(
        total=total,
        unit=unit,
        unit_scale=True,
        file=sys.stderr,
        disable=None if enabled else True,
        dynamic_ncols=True,
    ) as bar:
        yield bar
