"""Progress bars for long commands: on a terminal only, never in pipes or logs."""

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, OutputWrapper
from tqdm import tqdm

from config.commands.output import plural

Item = TypeVar("Item")

# `Importing 2,000 clients:  45%|████▌     | 900/2,000 [00:01<00:01, 812.10 clients/s]`
BAR_FORMAT = (
    "{desc}: {percentage:3.0f}%|{bar}| {n:,}/{total:,} "
    "[{elapsed}<{remaining}, {rate_fmt}]"
)


def _as_is(text: str) -> str:
    return text


class _TerminalStream:
    """A command's stderr as tqdm writes to it: no newline added, no colour
    (Django colours everything written to a terminal's stderr red)."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, style_func=_as_is, ending="")

    def flush(self) -> None:
        self.wrapper.flush()

    def fileno(self) -> int:
        # tqdm asks the terminal for its width through it.
        return int(self.wrapper.fileno())

    @property
    def encoding(self) -> str | None:
        # tqdm draws its bar in block characters only where they can be encoded.
        return getattr(self.wrapper, "encoding", None)


class Progress:
    """A progress bar, or nothing at all when none is drawn.

    `start` opens a bar (closing the previous one), `update(n)` is the services'
    `progress` callback, and `iterate` wraps a list.
    """

    def __init__(self, stream: _TerminalStream | None) -> None:
        self._stream = stream
        self._bar: tqdm[Any] | None = None

    def start(self, verb: str, total: int, noun: str, nouns: str | None = None) -> None:
        """A bar labelled `{verb} {total} {nouns}`, e.g. `Importing 2,000 clients`
        (none for nothing to do)."""
        self.close()
        if self._stream is None or total == 0:
            return
        self._bar = tqdm(
            total=total,
            desc=f"{verb} {plural(total, noun, nouns)}",
            unit=f" {nouns or noun + 's'}",
            bar_format=BAR_FORMAT,
            file=self._stream,
            dynamic_ncols=True,
        )

    def update(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def iterate(
        self, verb: str, items: list[Item], noun: str, nouns: str | None = None
    ) -> Iterable[Item]:
        self.start(verb, len(items), noun, nouns)
        for item in items:
            yield item
            self.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


@contextmanager
def progress_bar(
    command: BaseCommand, options: Mapping[str, Any]
) -> Iterator[Progress]:
    """A `Progress` that draws on the command's stderr when that is a terminal,
    unless the command was given `--no-progress` or `--verbosity 0`."""
    drawn = (
        not options.get("no_progress")
        and options.get("verbosity", 1) > 0
        and command.stderr.isatty()
    )
    progress = Progress(_TerminalStream(command.stderr) if drawn else None)
    try:
        yield progress
    finally:
        progress.close()
