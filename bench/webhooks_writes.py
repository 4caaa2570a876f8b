"""What webhook subscriptions add to a client update: p50 and requests/s of
`PUT /api/v1/clients/{id}` with 0 and with 3 subscriptions to `client.updated`.

    python bench/webhooks_writes.py --db sqlite --size 10000

The same server and seeded company as `bench/run.py` (its helpers); the two cases
alternate round by round so both see the same machine. No worker runs: the
request writes its deliveries (and their task) and returns, it never waits for
a receiver.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (
    TOKEN,
    Load,
    ensure_wrk,
    free_port,
    log,
    manage,
    prepare,
    request,
    start_server,
    stop_server,
)

# Each request updates the next of many clients: the figure is the cost of the
# write, not the wait for one client's row lock.
ROTATING_PUTS = """
paths = {%(paths)s}
i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("PUT", paths[i], {
    ["X-API-TOKEN"] = "%(token)s", ["Content-Type"] = "application/json"
  }, '{"public_notes": "bench"}')
end
"""
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def latency(output: str, percentile: str) -> float:
    match = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")


def run_puts(
    wrk: str, port: int, paths: list[str], seconds: int, connections: int
) -> Load:
    listed = ", ".join(f'"{path}"' for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(ROTATING_PUTS % {"paths": listed, "token": TOKEN})
        script.flush()
        threads = f"-t{min(2, connections)}"
        command = [wrk, threads, f"-c{connections}", f"-d{seconds}s", "--latency"]
        command += ["-s", script.name]
        output = subprocess.run(
            [*command, f"http://127.0.0.1:{port}/"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    if "Non-2xx" in output:
        log("  warning: some answers were not 2xx")
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    return Load(
        rps=float(rps.group(1)) if rps else 0.0,
        p50_ms=latency(output, "50"),
        p99_ms=latency(output, "99"),
    )


SUBSCRIPTIONS = 3
# A closed port: nothing is sent during the bench, and nothing would answer.
TARGET = "http://127.0.0.1:9/hook"
FORGET = (
    "from webhooks.models import Webhook;"
    "Webhook.objects.filter(company__name='Bench').delete()"
)


def subscribe(port: int) -> None:
    for _ in range(SUBSCRIPTIONS):
        body = json.dumps({"target_url": TARGET, "event_id": 10})
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/webhooks",
            method="POST",
            data=body.encode(),
            headers={"X-API-TOKEN": TOKEN, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as response:
            assert response.status == 200


def delivered_count(env: dict[str, str]) -> int:
    probe = (
        "from webhooks.models import WebhookDelivery;"
        "print(WebhookDelivery.objects.filter(webhook__company__name='Bench').count())"
    )
    return int(manage(env, "shell", "-c", probe).strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument(
        "--connections",
        type=int,
        default=1,
        help="concurrent requests (1: the write's own latency, no queueing)",
    )
    options = parser.parse_args()
    wrk = ensure_wrk()
    env = {**prepare(options.db, options.size), "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true"}
    manage(env, "shell", "-c", FORGET)
    port = free_port()
    server = start_server(env, port)
    try:
        body, _ = request(port, "/api/v1/clients?per_page=500")
        paths = [f"/api/v1/clients/{row['id']}" for row in body["data"]]
        loads: dict[int, list[Load]] = {0: [], SUBSCRIPTIONS: []}
        for round_number in range(options.rounds):
            manage(env, "shell", "-c", FORGET)
            loads[0].append(
                run_puts(wrk, port, paths, options.seconds, options.connections)
            )
            subscribe(port)
            loads[SUBSCRIPTIONS].append(
                run_puts(wrk, port, paths, options.seconds, options.connections)
            )
            log(
                f"round {round_number + 1}: {delivered_count(env):,} deliveries written"
            )
    finally:
        manage(env, "shell", "-c", FORGET)
        stop_server(server)
    print(
        f"\nPUT /api/v1/clients/{{id}} ({options.db}, {options.size:,} clients,"
        f" {options.connections} connection(s))"
    )
    print(f"{'subscriptions':>14} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    p50 = {}
    for count, runs in loads.items():
        p50[count] = statistics.median(load.p50_ms for load in runs)
        rps = statistics.median(load.rps for load in runs)
        p99 = statistics.median(load.p99_ms for load in runs)
        print(f"{count:>14} {rps:>8.0f} {p50[count]:>8.2f} {p99:>8.2f}")
    added = p50[SUBSCRIPTIONS] - p50[0]
    print(f"added p50 with {SUBSCRIPTIONS} subscriptions: {added:+.2f} ms")


if __name__ == "__main__":
    main()
