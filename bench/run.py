"""Load benchmarks of the API against a bare-Django ceiling, measured in the same run.

    python bench/run.py --quick              # SQLite, 10,000 clients, short runs
    python bench/run.py                      # SQLite and PostgreSQL, 10k and 100k
    python bench/run.py --db postgres --sizes 10000,100000,1000000

For each database and size it seeds a company (the `seed_demo` command), serves the
project with gunicorn (2 sync workers) on 127.0.0.1, and loads each endpoint and its
ceiling view with wrk, alternating them round by round so both see the same machine.
It prints requests/s, p50, p99, SQL queries per request and the ratio to the ceiling,
then the form-parsing row (`bench/form_parsing.py`: 1k/5k/20k keys against Django's
own form parsing).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
RESULTS = ROOT / "bench" / "results"
TOKEN = "bench-token-0123456789abcdef"
PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
# Separate databases for runs that must not share seeded data (two branches at once).
PG_PREFIX = os.environ.get("BENCH_PG_PREFIX", "ninja_bench")


@dataclass
class Load:
    """What wrk measured for one URL in one round."""

    rps: float
    p50_ms: float
    p99_ms: float


@dataclass
class Scenario:
    """One product endpoint, optionally paired with a ceiling view."""

    name: str
    path: str
    ceiling: str | None = None
    body: str | None = None
    method: str = "GET"
    ceiling_body: str | None = None
    product: list[Load] = field(default_factory=list)
    bare: list[Load] = field(default_factory=list)
    queries: int | None = None


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing; installing Debian's package (needs root)...")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        sys.exit(
            "Could not install wrk; install it (apt-get install wrk) and run again."
        )
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def database_url(db: str, size: int) -> str:
    if db == "sqlite":
        RESULTS.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{RESULTS / f'bench-{size}.sqlite3'}"
    name = f"{PG_PREFIX}_{size}"
    subprocess.run(
        ["psql", f"{PG_BASE}/postgres", "-qc", f"CREATE DATABASE {name}"],
        capture_output=True,
    )
    return f"{PG_BASE}/{name}"


def prepare(db: str, size: int) -> dict[str, str]:
    """Migrate and seed (once per database and size; later runs reuse the data)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url(db, size),
    }
    manage(env, "migrate", "--no-input")
    probe = (
        "from clients.models import Client; from companies.models import Company;"
        "c = Company.objects.filter(name='Bench').first();"
        "print(Client.objects.filter(company=c).count() if c else -1)"
    )
    existing = int(manage(env, "shell", "-c", probe).strip().splitlines()[-1])
    if existing < 0:
        manage(
            env,
            "create_company",
            "--company",
            "Bench",
            "--email",
            "bench@example.com",
            "--password",
            "Bench-Pass1",
            "--token",
            TOKEN,
        )
        existing = 0
    if existing < size:
        log(f"[{db}] seeding {size - existing:,} clients...")
        started = time.monotonic()
        subprocess.run(
            [
                PYTHON,
                "manage.py",
                "seed_demo",
                "--company",
                "Bench",
                "--clients",
                str(size - existing),
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        log(f"[{db}] seeded in {time.monotonic() - started:.0f}s")
    if db == "postgres":
        # Statistics and visibility maps as autovacuum keeps them in production (it
        # may be off on a test machine): without them PostgreSQL picks scans for
        # lookups and can't count from an index alone.
        subprocess.run(
            ["psql", env["DATABASE_URL"], "-qc", "VACUUM ANALYZE"],
            check=True,
            capture_output=True,
        )
    return env


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            GUNICORN,
            "config.wsgi",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/schema", timeout=2)
            return server
        except Exception:
            time.sleep(0.3)
    stop_server(server)
    sys.exit("gunicorn did not start within 30 s; run it by hand to see why.")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def request(
    port: int, path: str, method: str = "GET", body: str | None = None
) -> tuple[dict, dict[str, str]]:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=body.encode() if body else None,
        headers={
            "X-API-TOKEN": TOKEN,
            "X-Count-Queries": "1",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(req, timeout=60) as response:
        return json.loads(response.read() or b"{}"), dict(response.headers)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _latency(output: str, percentile: str) -> float:
    match = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    return float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")


def run_wrk(
    wrk: str,
    port: int,
    url_path: str,
    seconds: int,
    method: str = "GET",
    body: str | None = None,
) -> Load:
    args = [
        wrk,
        "-t2",
        "-c4",
        f"-d{seconds}s",
        "--latency",
        "-H",
        f"X-API-TOKEN: {TOKEN}",
        f"http://127.0.0.1:{port}{url_path}",
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if method != "GET":
            script.write(
                f"wrk.method = {json.dumps(method)}\n"
                f"wrk.body = {json.dumps(body or '')}\n"
                'wrk.headers["Content-Type"] = "application/json"\n'
            )
            script.flush()
            args[1:1] = ["-s", script.name]
        output = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        log(f"  warning: {errors.group(1)} non-2xx responses on {url_path}")
    return Load(
        rps=float(rps.group(1)) if rps else 0.0,
        p50_ms=_latency(output, "50"),
        p99_ms=_latency(output, "99"),
    )


@dataclass
class Setup:
    """What the scenarios need: the company, and clients' ids in both forms."""

    company_id: str
    pks: list[int]
    hashids: list[str]


def setup_for(port: int, env: dict[str, str]) -> Setup:
    body, _ = request(port, "/api/v1/clients?per_page=5000&sort=id|asc")
    hashids = [row["id"] for row in body["data"]]
    found = (
        manage(
            env,
            "shell",
            "-c",
            "from clients.models import Client; rows = list(Client.objects.filter("
            "company__name='Bench').order_by('id').values_list('company_id', 'id')"
            "[:5000]); print(rows[0][0], *[pk for _, pk in rows])",
        )
        .splitlines()[-1]
        .split()
    )
    return Setup(
        company_id=found[0], pks=[int(pk) for pk in found[1:]], hashids=hashids
    )


SYNC_CHANGED = 50


def sync_since(env: dict[str, str]) -> int:
    """A unix time after every client's last change, with the first
    `SYNC_CHANGED` clients changed after it: what an incremental sync asks for."""
    script = (
        "from datetime import UTC, datetime, timedelta;"
        "from django.db.models import Max;"
        "from clients.models import Client;"
        "clients = Client.objects.filter(company__name='Bench');"
        "latest = clients.aggregate(at=Max('updated_at'))['at'];"
        "since = int(latest.timestamp()) + 1;"
        "changed = datetime.fromtimestamp(since, tz=UTC) + timedelta(seconds=1);"
        "ids = list(clients.order_by('id').values_list('id', flat=True)"
        f"[:{SYNC_CHANGED}]);"
        "clients.filter(pk__in=ids).update(updated_at=changed);"
        "print(since)"
    )
    return int(manage(env, "shell", "-c", script).strip().splitlines()[-1])


def scenarios_for(setup: Setup, since: int) -> list[Scenario]:
    company_id, hashids = setup.company_id, setup.hashids
    ceiling = f"/bench/ceiling/{company_id}"
    create = json.dumps(
        {
            "name": "Bench Create",
            "contacts": [
                {"first_name": "A", "email": "a@example.com", "is_primary": True},
                {"first_name": "B", "email": "b@example.com"},
            ],
        }
    )
    return [
        Scenario("list (20 x contacts)", "/api/v1/clients", f"{ceiling}/clients"),
        Scenario(
            "list filtered+sorted",
            "/api/v1/clients?balance=gt:100&sort=balance|desc",
            f"{ceiling}/filtered",
        ),
        Scenario(
            "incremental sync",
            f"/api/v1/clients?updated_at={since}&sort=updated_at|desc",
            f"{ceiling}/sync/{since}",
        ),
        Scenario(
            "show",
            f"/api/v1/clients/{hashids[0]}",
            f"{ceiling}/clients/{setup.pks[0]}",
        ),
        Scenario(
            "create (2 contacts)",
            "/api/v1/clients",
            f"{ceiling}/create",
            method="POST",
            body=create,
            ceiling_body=create,
        ),
        Scenario(
            "bulk archive 1,000 ids",
            "/api/v1/clients/bulk",
            f"{ceiling}/archive",
            method="POST",
            body=json.dumps({"action": "archive", "ids": hashids[:1000]}),
            ceiling_body=json.dumps({"ids": setup.pks[:1000]}),
        ),
    ]


@dataclass
class BulkAtScale:
    """Single 5,000-id archive requests, each after a restore of the same ids."""

    ids: int
    times_ms: list[float]
    queries: int


def bulk_at_scale(port: int, setup: Setup, repeats: int) -> BulkAtScale:
    ids = setup.hashids[:5000]
    times: list[float] = []
    queries: list[int] = []
    for _ in range(repeats):
        restore = json.dumps({"action": "restore", "ids": ids})
        request(port, "/api/v1/clients/bulk", "POST", restore)
        archive = json.dumps({"action": "archive", "ids": ids})
        started = time.perf_counter()
        _, headers = request(port, "/api/v1/clients/bulk", "POST", archive)
        times.append((time.perf_counter() - started) * 1000)
        queries.append(int(headers.get("X-Query-Count", "0")))
    # The fewest: a request that is the token's first of a minute also records its
    # use (one UPDATE), which is not the bulk action's.
    return BulkAtScale(ids=len(ids), times_ms=times, queries=min(queries))


def same_total(port: int, scenario: Scenario) -> None:
    """A counted list must give the total its ceiling counts (both exact)."""
    assert scenario.ceiling is not None
    product, _ = request(port, scenario.path)
    bare, _ = request(port, scenario.ceiling)
    if "total" not in bare:
        return
    total = product["meta"]["pagination"]["total"]
    if total != bare["total"]:
        sys.exit(f"{scenario.name}: total {total}, the ceiling counts {bare['total']}")


def measure(
    db: str, size: int, wrk: str, rounds: int, seconds: int, chosen: list[str]
) -> tuple[list[Scenario], BulkAtScale | None]:
    env = prepare(db, size)
    port = free_port()
    server = start_server(env, port)
    try:
        setup = setup_for(port, env)
        # First, on the data as prepared (vacuumed on PostgreSQL, as autovacuum
        # keeps a table between bursts): the load rounds below leave dead rows.
        bulk = None
        if _picked("bulk archive", chosen):
            log(f"[{db} {size:,}] bulk archive of 5,000 ids")
            bulk = bulk_at_scale(port, setup, repeats=max(rounds, 3))
        scenarios = [
            scenario
            for scenario in scenarios_for(setup, sync_since(env))
            if _picked(scenario.name, chosen)
        ]
        for scenario in scenarios:
            # The second request is counted: the first of a minute also records the
            # token's last use.
            for _ in range(2):
                _, headers = request(
                    port, scenario.path, scenario.method, scenario.body
                )
            scenario.queries = int(headers.get("X-Query-Count", "0"))
            if scenario.ceiling and scenario.method == "GET":
                same_total(port, scenario)
            for round_number in range(rounds):
                log(f"[{db} {size:,}] {scenario.name}: {round_number + 1}/{rounds}")
                if scenario.ceiling:
                    scenario.bare.append(
                        run_wrk(
                            wrk,
                            port,
                            scenario.ceiling,
                            seconds,
                            scenario.method,
                            scenario.ceiling_body,
                        )
                    )
                scenario.product.append(
                    run_wrk(
                        wrk,
                        port,
                        scenario.path,
                        seconds,
                        scenario.method,
                        scenario.body,
                    )
                )
        return scenarios, bulk
    finally:
        stop_server(server)


def _picked(name: str, chosen: list[str]) -> bool:
    """Whether a row is run: every row without `--scenarios`, else those whose name
    contains one of its words."""
    return not chosen or any(word in name for word in chosen)


def median(loads: list[Load], attribute: str) -> float:
    return (
        statistics.median(getattr(load, attribute) for load in loads) if loads else 0.0
    )


def report(
    db: str, size: int, scenarios: list[Scenario], bulk: BulkAtScale | None
) -> list[dict[str, object]]:
    print(f"\n{db} · {size:,} clients · gunicorn 2 sync workers · wrk -t2 -c4")
    header = f"{'endpoint':<26}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'SQL':>5}"
    header += f"{'ceiling req/s':>15}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    rows: list[dict[str, object]] = []
    for scenario in scenarios:
        rps = median(scenario.product, "rps")
        ceiling = median(scenario.bare, "rps")
        ratio = f"{rps / ceiling:.2f}x" if ceiling else "-"
        print(
            f"{scenario.name:<26}{rps:>9.0f}{median(scenario.product, 'p50_ms'):>9.1f}"
            f"{median(scenario.product, 'p99_ms'):>9.1f}{scenario.queries or 0:>5}"
            f"{(f'{ceiling:.0f}' if ceiling else '-'):>15}{ratio:>8}"
        )
        rows.append(
            {
                "db": db,
                "size": size,
                "endpoint": scenario.name,
                "rps": rps,
                "p50_ms": median(scenario.product, "p50_ms"),
                "p99_ms": median(scenario.product, "p99_ms"),
                "queries": scenario.queries,
                "ceiling_rps": ceiling or None,
                "ratio": rps / ceiling if ceiling else None,
            }
        )
    if bulk is None:
        return rows
    took = statistics.median(bulk.times_ms)
    print(
        f"bulk archive of {bulk.ids:,} ids, one request at a time: median {took:.0f} ms"
        f" (max {max(bulk.times_ms):.0f} ms over {len(bulk.times_ms)}), "
        f"{bulk.queries} SQL"
    )
    rows.append(
        {
            "db": db,
            "size": size,
            "endpoint": f"bulk archive {bulk.ids} ids (single)",
            "p50_ms": took,
            "max_ms": max(bulk.times_ms),
            "queries": bulk.queries,
        }
    )
    return rows


def report_growth(rows: list[dict[str, object]]) -> None:
    """How the default list page's p50 grows with the company's size, per database."""
    lists = [row for row in rows if row["endpoint"] == "list (20 x contacts)"]
    for db in dict.fromkeys(str(row["db"]) for row in lists):
        sizes = sorted(
            (row for row in lists if row["db"] == db),
            key=lambda row: int(str(row["size"])),
        )
        if len(sizes) < 2:
            continue
        base = float(str(sizes[0]["p50_ms"]))
        steps = ", ".join(
            f"{int(str(row['size'])):,}: {float(str(row['p50_ms'])):.1f} ms "
            f"({float(str(row['p50_ms'])) / base:.2f}x)"
            for row in sizes
        )
        print(f"default list p50 on {db} by size: {steps}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="SQLite, 10k, short rounds"
    )
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite,postgres")
    parser.add_argument("--sizes", default="10000,100000", help="comma list of sizes")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8, help="seconds per wrk round")
    parser.add_argument(
        "--scenarios",
        default="",
        help="comma list of words: only the rows whose name contains one "
        "(e.g. 'filtered,sync'; 'bulk archive' includes the single 5,000-id run)",
    )
    options = parser.parse_args()
    if options.quick:
        options.db, options.sizes, options.rounds, options.seconds = (
            "sqlite",
            "10000",
            2,
            4,
        )
    chosen = [word.strip() for word in options.scenarios.split(",") if word.strip()]
    wrk = ensure_wrk()
    all_rows: list[dict[str, object]] = []
    for db in options.db.split(","):
        for size in (int(s) for s in options.sizes.split(",")):
            scenarios, bulk = measure(
                db, size, wrk, options.rounds, options.seconds, chosen
            )
            all_rows.extend(report(db, size, scenarios, bulk))
    print()
    report_growth(all_rows)
    # In process, no database: PHP-bracket form parsing by number of keys.
    if _picked("form parsing", chosen):
        subprocess.run([PYTHON, str(ROOT / "bench" / "form_parsing.py")], check=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(all_rows, indent=2))
    print(f"\nfigures written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
