"""How long do PHP-bracket form bodies take to parse, by number of keys?

    .venv/bin/python bench/form_parsing.py [--keys 1000,5000,20000]

In process, no server: each body (`ids[]=…` repeated, as the PHP SDK sends a bulk)
is read the way the API reads it (`PhpFormParser`) and the way bare Django reads a
form (`QueryDict`), the ceiling; the parser must grow linearly like the ceiling.
The key limit (`DATA_UPLOAD_MAX_NUMBER_FIELDS`) is lifted so bodies above it are
timed too; the API refuses those with a 413.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.http import QueryDict  # noqa: E402

from config.api.parsers import PhpFormParser  # noqa: E402

REPEATS = 7


def form_body(keys: int) -> bytes:
    return "&".join(f"ids%5B%5D=Wpmbk5ezJn{index}" for index in range(keys)).encode()


def median_ms(work: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(keys: int) -> tuple[float, float]:
    body = form_body(keys)
    parser = PhpFormParser()
    api = median_ms(lambda: parser.parse(io.BytesIO(body), None, {}))
    bare = median_ms(lambda: QueryDict(body))
    return api, bare


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--keys", default="1000,5000,20000")
    sizes = [int(size) for size in options.parse_args().keys.split(",")]
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = None
    measure(1000)  # warm up
    print(f"\nform parsing · ids[] keys · in process · median of {REPEATS}")
    header = f"{'keys':>8}{'api ms':>10}{'bare ms':>10}{'ratio':>8}{'per key µs':>12}"
    print(header)
    print("-" * len(header))
    results = {keys: measure(keys) for keys in sizes}
    for keys, (api, bare) in results.items():
        print(
            f"{keys:>8,}{api:>10.1f}{bare:>10.1f}{bare / api:>7.2f}x"
            f"{api * 1000 / keys:>12.2f}"
        )
    if 5000 in results and 20000 in results:
        growth = results[20000][0] / results[5000][0]
        print(f"20,000 keys cost {growth:.1f}x 5,000 keys (linear: 4x)")


if __name__ == "__main__":
    main()
