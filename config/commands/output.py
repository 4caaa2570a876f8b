"""What the management commands print: counted nouns, and a quiet end when the
reader of their output goes away (`| head`)."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import OutputWrapper

# What a shell reports for a program ended by SIGPIPE (128 + 13), as `cat` is.
EXIT_BROKEN_PIPE = 141


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1 client`, `0 clients`, `2,000 clients` (`nouns` for irregular plurals)."""
    word = noun if count == 1 else (nouns or f"{noun}s")
    return f"{count:,} {word}"


@contextmanager
def quiet_when_the_reader_leaves(stdout: OutputWrapper) -> Iterator[None]:
    """End the command silently with status 141 when stdout's pipe closes.

    `export_clients | head` closes the pipe early; without this the next write
    raises BrokenPipeError and prints a traceback.
    """
    try:
        yield
        stdout.flush()
    except BrokenPipeError:
        # Python flushes stdout once more at exit, which would fail and print
        # "Exception ignored"; writes from here on go nowhere instead.
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, stdout.fileno())
        except (AttributeError, OSError, ValueError):
            pass
        finally:
            os.close(devnull)
        raise SystemExit(EXIT_BROKEN_PIPE) from None
