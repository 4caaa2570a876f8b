"""Real gunicorn servers for tests that talk to the app over HTTP.

A server runs in its own process group, so `stop` ends its workers too; callers
stop it in a `finally` (or use `running_server`), whatever the test does.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_gunicorn(
    port: int, environment: Mapping[str, str], log: Path
) -> subprocess.Popen[bytes]:
    """A gunicorn server of the app on 127.0.0.1:`port`, its output in `log`."""
    with log.open("wb") as output:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "config/gunicorn.py",
                "--bind",
                f"127.0.0.1:{port}",
                "config.wsgi:application",
            ],
            cwd=BASE_DIR,
            env=dict(environment),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the server at {url} exited ({process.returncode}):\n"
                + log.read_text(errors="replace")[-3000:]
            )
        try:
            if requests.get(f"{url}/api/v1/schema", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server at {url} did not start in {START_TIMEOUT}s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@contextmanager
def running_server(environment: Mapping[str, str], log: Path) -> Iterator[str]:
    """A started gunicorn server on a free port; its base URL. Always stopped."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_gunicorn(port, environment, log)
    try:
        wait_until_up(url, process, log)
        yield url
    finally:
        stop(process)


def manage(environment: Mapping[str, str], *arguments: str) -> str:
    """Run `manage.py` with `arguments` in `environment`; its standard output."""
    finished = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env=dict(environment),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if finished.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(arguments)} failed ({finished.returncode}):\n"
            f"{finished.stdout}\n{finished.stderr}"
        )
    return finished.stdout
