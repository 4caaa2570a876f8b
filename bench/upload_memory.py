"""How much memory does a 50 MB document upload cost the serving worker?

    .venv/bin/python bench/upload_memory.py [--mb 50]

Serves the project with gunicorn (1 sync worker) on 127.0.0.1 against a temporary
SQLite database and a temporary MEDIA_ROOT, creates a company (`create_company
--token`) and a client, warms the worker up with small uploads, then streams one
large upload (a PDF header followed by random bytes) and prints how far the
worker's peak resident memory (VmHWM in /proc/<pid>/status) rose. Uploads are
written to a temporary file as they arrive and moved into storage, so the rise
should stay within a few MB whatever the file size.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
TOKEN = "bench-upload-token-0123456789"
CHUNK = 1024 * 1024
LIMIT_MB = 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def kib(pid: int, field: str) -> int:
    """A `VmXXX:  1234 kB` line of /proc/<pid>/status, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not found for pid {pid}")


def worker_pid(master: int, timeout: float = 20.0) -> int:
    deadline = time.monotonic() + timeout
    children = Path(f"/proc/{master}/task/{master}/children")
    while time.monotonic() < deadline:
        pids = children.read_text().split() if children.exists() else []
        if pids:
            return int(pids[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request(
        method, path, body=body, headers={"X-API-TOKEN": TOKEN, **(headers or {})}
    )
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def wait_until_up(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "GET", "/api/v1/ping")
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not come up")


def make_file(path: Path, megabytes: int) -> None:
    """A PDF header followed by random bytes, written in 1 MB pieces."""
    with path.open("wb") as out:
        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        for _ in range(megabytes):
            out.write(os.urandom(CHUNK))


def upload(port: int, client_id: str, path: Path, name: str) -> tuple[int, bytes]:
    """Stream a multipart upload from disk (the client holds 1 MB at a time)."""
    boundary = secrets.token_hex(16)
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="documents[]"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head) + path.stat().st_size + len(tail)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.putrequest("PUT", f"/api/v1/clients/{client_id}/upload")
    connection.putheader("X-API-TOKEN", TOKEN)
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(length))
    connection.endheaders()
    connection.send(head)
    with path.open("rb") as source:
        while piece := source.read(CHUNK):
            connection.send(piece)
    connection.send(tail)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=50, help="upload size in MB")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="upload-bench-") as scratch:
        work = Path(scratch)
        media = work / "media"
        uploads = work / "tmp"
        media.mkdir()
        uploads.mkdir()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
            "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(media),
            "TMPDIR": str(uploads),
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DOCUMENT_MAX_UPLOAD_MB": str(max(args.mb * 2, 100)),
            "API_RATE_LIMIT": "100000/min",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("REDIS_URL", None)
        manage(env, "migrate", "--noinput")
        manage(
            env,
            "create_company",
            "--company",
            "Upload bench",
            "--email",
            "bench@example.com",
            "--password",
            "Bench-Pass1",
            "--token",
            TOKEN,
        )

        port = free_port()
        server = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--worker-class",
                "sync",
                "--timeout",
                "600",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        try:
            wait_until_up(port)
            worker = worker_pid(server.pid)
            status, body = request(
                port,
                "POST",
                "/api/v1/clients",
                json.dumps({"name": "Bench client"}).encode(),
                {"Content-Type": "application/json"},
            )
            if status != 200:
                print(f"creating the client failed: {status} {body[:300]!r}")
                return 1
            client_id = json.loads(body)["data"]["id"]

            small = work / "small.pdf"
            make_file(small, 1)
            for _ in range(3):
                status, body = upload(port, client_id, small, "warm-up.pdf")
                if status != 200:
                    print(f"warm-up upload failed: {status} {body[:300]!r}")
                    return 1

            big = work / "big.pdf"
            make_file(big, args.mb)
            before_peak = kib(worker, "VmHWM")
            before_rss = kib(worker, "VmRSS")
            started = time.perf_counter()
            status, body = upload(port, client_id, big, "big.pdf")
            elapsed = time.perf_counter() - started
            after_peak = kib(worker, "VmHWM")
            after_rss = kib(worker, "VmRSS")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

        if status != 200:
            print(f"the large upload failed: {status} {body[:300]!r}")
            return 1
        documents = json.loads(body)["data"]["documents"]
        stored = max(documents, key=lambda d: d["size"])
        stored_files = list(media.rglob(stored["hash"]))
        on_disk = stored_files[0].stat().st_size if stored_files else -1
        rise = (after_peak - before_peak) / 1024
        print(f"upload: {args.mb} MB in {elapsed:.2f} s, HTTP {status}")
        print(f"stored: {on_disk} bytes (sent {big.stat().st_size})")
        print(
            f"worker peak RSS (VmHWM): {before_peak / 1024:.1f} MB before, "
            f"{after_peak / 1024:.1f} MB after: +{rise:.1f} MB "
            f"(RSS now {after_rss / 1024:.1f} MB, was {before_rss / 1024:.1f} MB)"
        )
        verdict = "OK" if rise <= LIMIT_MB else "TOO HIGH"
        print(f"peak RSS increase: {rise:.1f} MB (limit ~{LIMIT_MB:.0f} MB): {verdict}")
        return 0 if rise <= LIMIT_MB and on_disk == big.stat().st_size else 1


if __name__ == "__main__":
    sys.exit(main())
