"""Webhook deliveries per second, by 1 and by 2 worker processes.

    python bench/webhooks_delivery.py --db sqlite|postgres [--deliveries 1000]
        [--chains 200] [--workers 1,2]

Queues `--deliveries` events over `--chains` clients (one task per event, as the
outbox queues them: one client change each) for one subscription whose URL is a
threaded HTTP server in this process answering 200, then starts the workers
(`manage.py webhooks_worker --batch`). The rate is counted at the receiver, from
its first request to its last, so the workers' start-up is left out. It checks
that every event arrived once and in its client's order.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
RESULTS = ROOT / "bench" / "results"
PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_PREFIX = os.environ.get("BENCH_PG_PREFIX", "ninja_bench")

SEED = """
import json
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from companies.models import Company
from webhooks.dispatch import enqueue_deliveries
from webhooks.models import Webhook, WebhookDelivery
DBTaskResult.objects.all().delete()
Webhook.objects.filter(company__name="Webhook bench").delete()
with transaction.atomic():
    company, _ = Company.objects.get_or_create(name="Webhook bench")
    webhook = Webhook.objects.create(company=company, event_id=2, target_url={url!r})
    for n in range({deliveries}):
        chain = n % {chains}
        body = json.dumps({{"event": "client.updated", "chain": chain, "n": n}})
        delivery = WebhookDelivery.objects.create(
            webhook=webhook, event_id=2, event="client.updated",
            entity_key=f"client:{{chain}}", body=body,
        )
        enqueue_deliveries([delivery])
print("seeded")
"""
COUNT = """
from webhooks.models import WebhookDelivery
print(WebhookDelivery.objects.filter(webhook__company__name="Webhook bench",
      status="delivered").count())
"""


class Receiver:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: list[float] = []
        self.bodies: list[dict[str, Any]] = []

    def handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length))
                with receiver.lock:
                    receiver.times.append(time.monotonic())
                    receiver.bodies.append(body)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler

    def reset(self) -> None:
        with self.lock:
            self.times.clear()
            self.bodies.clear()


def database_url(db: str) -> str:
    if db == "sqlite":
        RESULTS.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{RESULTS / 'webhooks-delivery.sqlite3'}"
    name = f"{PG_PREFIX}_webhooks_delivery"
    subprocess.run(
        ["psql", f"{PG_BASE}/postgres", "-qc", f"CREATE DATABASE {name}"],
        capture_output=True,
    )
    return f"{PG_BASE}/{name}"


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args[:2])} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def in_order(bodies: list[dict[str, Any]]) -> bool:
    last: dict[int, int] = {}
    for body in bodies:
        if body["n"] <= last.get(body["chain"], -1):
            return False
        last[body["chain"]] = body["n"]
    return True


def run(
    env: dict[str, str], receiver: Receiver, url: str, args: Any, workers: int
) -> str:
    manage(
        env,
        "shell",
        "-c",
        SEED.format(url=url, deliveries=args.deliveries, chains=args.chains),
    )
    receiver.reset()
    processes = [
        subprocess.Popen(
            [
                PYTHON,
                "manage.py",
                "webhooks_worker",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0",
                "--sweep-interval",
                "0",
                "-v",
                "0",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(workers)
    ]
    for process in processes:
        process.wait(timeout=3600)
    delivered = int(manage(env, "shell", "-c", COUNT).strip().splitlines()[-1])
    times = receiver.times
    seconds = times[-1] - times[0] if len(times) > 1 else 0.0
    rate = (len(times) - 1) / seconds if seconds else 0.0
    ids = {body["n"] for body in receiver.bodies}
    return (
        f"{workers} worker(s): {rate:8.1f} events/s  ({len(times)} requests in"
        f" {seconds:.1f} s; delivered {delivered}/{args.deliveries};"
        f" each once: {len(ids) == len(times) == args.deliveries};"
        f" per-client order kept: {in_order(receiver.bodies)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--chains", type=int, default=200)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()

    receiver = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), receiver.handler())
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    env = {
        **os.environ,
        "ENV_FILE": "",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(args.db),
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
        "LOG_LEVEL": "WARNING",
    }
    manage(env, "migrate", "--no-input", "-v", "0")
    print(
        f"Webhook delivery, {args.db}: {args.deliveries} events over"
        f" {args.chains} clients, receiver on 127.0.0.1 answering 200",
        flush=True,
    )
    for workers in (int(count) for count in args.workers.split(",")):
        print(run(env, receiver, url, args, workers), flush=True)
    server.shutdown()


if __name__ == "__main__":
    main()
