"""Schemathesis' own CLI against the real app over HTTP, as an outsider runs it.

Two runs, each with every phase (examples, coverage, fuzzing, stateful) and the
`not_a_server_error` check, each against its own gunicorn server on a fresh
SQLite file with a company made by `create_company` and rows seeded through the
API (clients with contacts, a document, a group):

- over the schema the server serves itself (`/api/v1/schema`);
- over upstream's OpenAPI description of the client routes
  (`../shared/upstream-openapi/clients.json` beside the repository).

A run fails on any 5xx and on any request the server never answered (a timeout
or a dropped connection), with schemathesis' report (curl reproductions
included) and the server's tracebacks in the message.

The token and the real password go with every request: generated tokens would
only meet the 401 path, and generated passwords would lock the owner out of
purge and merge (the lockout has its own tests). `FUZZ_LIVE_EXAMPLES` sets the
fuzzing examples per operation; `make fuzz` runs a longer version. The coverage
phase does not depend on it: it sends every boundary case the schema defines.
"""

import base64
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.reliability.live_server import BASE_DIR, manage, running_server

# The servers run on their own SQLite files whatever the suite's database is, so
# the PostgreSQL pass of `make test` would only repeat the SQLite one: skip it.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite"),
        reason="runs once, in the SQLite pass: the live servers have their own "
        "SQLite databases whatever DATABASE_URL says",
    ),
]

EXAMPLES = int(os.environ.get("FUZZ_LIVE_EXAMPLES", "5"))
SEED = int(os.environ.get("FUZZ_LIVE_SEED", "20250601"))
RUN_TIMEOUT = int(os.environ.get("FUZZ_LIVE_TIMEOUT", "600"))
# The coverage phase sends every boundary case of a body schema: 1,000 to 2,000
# requests for each client write. The short run sends them once, through our
# schema's create (its body is the update's); `make fuzz` through every write.
FULL_COVERAGE = os.environ.get("FUZZ_LIVE_FULL_COVERAGE", "") == "1"
# A few scenarios follow no link at all: the stateful phase gets more.
STATEFUL_EXAMPLES = max(EXAMPLES, 25)
PHASES = "examples,coverage,fuzzing,stateful"
PASSWORD = "Fuzz-Pass-1"
OWN = "own-schema"
UPSTREAM = "upstream-schema"
UPSTREAM_SCHEMA = BASE_DIR.parent / "shared" / "upstream-openapi" / "clients.json"
HOOKS = Path(__file__).with_name("fuzz_live_hooks.py")
SEED_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
# The short run's client writes without a coverage phase, by "METHOD /path".
SHORT_COVERAGE_SKIPS = {
    OWN: r"^(PUT|PATCH) /api/v1/clients/\{id\}$",
    UPSTREAM: r"^(POST /api/v1/clients|PUT /api/v1/clients/\{id\})$",
}
LOG_RECORD_START = re.compile(r"^(\d{4}-\d\d-\d\d |127\.0\.0\.1 - |\[\d{4}-)")


@dataclass
class LiveApp:
    """A running server of a fresh company, and the rows seeded in it."""

    url: str
    token: str
    log: Path
    root: Path


def server_environment(root: Path) -> dict[str, str]:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{root / 'db.sqlite3'}",
        "MEDIA_ROOT": str(root / "media"),
        "API_RATE_LIMIT": "1000000/min",
        "ENV_FILE": "",
        "DEBUG": "false",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "1",
        "GUNICORN_TIMEOUT": "60",
        "GUNICORN_MAX_REQUESTS": "0",
        "LOG_LEVEL": "WARNING",
        # Text: `server_exceptions` reads the tracebacks from it.
        "LOG_FORMAT": "text",
    }
    # Local cache and local files: nothing shared with other runs or services.
    for name in ("REDIS_URL", "AWS_STORAGE_BUCKET_NAME"):
        environment.pop(name, None)
    return environment


def create_company(environment: dict[str, str]) -> str:
    """A company with an owner whose password is `PASSWORD`; the owner's token."""
    printed = manage(
        environment,
        "create_company",
        "--company",
        "Fuzz Company",
        "--email",
        "owner@fuzz.example",
        "--password",
        PASSWORD,
    )
    return printed.strip().splitlines()[-1]


def api_call(app: LiveApp, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    answer = requests.request(
        method,
        f"{app.url}/api/v1/{path}",
        headers={"X-API-TOKEN": app.token},
        timeout=30,
        **kwargs,
    )
    if answer.status_code != 200:
        raise RuntimeError(
            f"seeding failed: {method} /api/v1/{path} answered "
            f"{answer.status_code}: {answer.text[:500]}"
        )
    data: dict[str, Any] = answer.json()["data"]
    return data


def new_client(app: LiveApp, name: str, group_id: str) -> str:
    slug = name.lower().replace(" ", "-")
    client = api_call(
        app,
        "POST",
        "clients",
        json={
            "name": name,
            "group_settings_id": group_id,
            "contacts": [
                {"first_name": "Ada", "email": f"ada-{slug}@fuzz.example"},
                {"first_name": "Bob", "email": f"bob-{slug}@fuzz.example"},
            ],
        },
    )
    client_id: str = client["id"]
    return client_id


def seed_rows(app: LiveApp) -> None:
    """A group with three clients of two contacts each, one with a document:
    lists and includes have rows to show, and responses ids to reuse."""
    group = api_call(app, "POST", "group_settings", json={"name": "Fuzz group"})
    clients = [new_client(app, f"Seed client {n}", group["id"]) for n in range(3)]
    api_call(
        app,
        "PUT",
        f"clients/{clients[0]}/upload",
        files={"documents[]": ("seed.pdf", SEED_PDF, "application/pdf")},
    )


@contextmanager
def live_app(root: Path) -> Iterator[LiveApp]:
    """A server on a fresh database in `root`, seeded; stopped afterwards."""
    environment = server_environment(root)
    manage(environment, "migrate", "--no-input")
    token = create_company(environment)
    log = root / "server.log"
    with running_server(environment, log) as url:
        app = LiveApp(url=url, token=token, log=log, root=root)
        seed_rows(app)
        yield app


def schemathesis_config(name: str) -> str:
    """The run's `schemathesis.toml`: `STATEFUL_EXAMPLES`, and unless
    `FULL_COVERAGE`, `SHORT_COVERAGE_SKIPS` (see their comments)."""
    config = f"[phases.stateful.generation]\nmax-examples = {STATEFUL_EXAMPLES}\n"
    if not FULL_COVERAGE:
        config += (
            "\n[[operations]]\n"
            f"include-name-regex = {json.dumps(SHORT_COVERAGE_SKIPS[name])}\n"
            "[operations.phases.coverage]\n"
            "enabled = false\n"
        )
    return config


def statuses_file(app: LiveApp, name: str) -> Path:
    return app.root / f"{name}.statuses"


def schemathesis_environment(app: LiveApp, name: str) -> dict[str, str]:
    """Schemathesis' environment: `fuzz_live_hooks.py` and what it needs."""
    return {
        **os.environ,
        "SCHEMATHESIS_HOOKS": str(HOOKS),
        "FUZZ_LIVE_URL": app.url,
        "FUZZ_LIVE_TOKEN": app.token,
        "FUZZ_LIVE_STATUSES": str(statuses_file(app, name)),
    }


def schemathesis_command(app: LiveApp, location: str, name: str) -> list[str]:
    password_base64 = base64.b64encode(PASSWORD.encode()).decode()
    return [
        sys.executable,
        "-m",
        "schemathesis.cli",
        f"--config-file={app.root / f'{name}.toml'}",
        "run",
        location,
        # Both schemas' paths start with /api/v1 (upstream's `servers` name
        # hosts only), so requests go to the server's root.
        f"--url={app.url}",
        f"--header=X-API-TOKEN: {app.token}",
        # Both forms of the password: a generated base64 one would win and be wrong.
        f"--header=X-API-PASSWORD: {PASSWORD}",
        f"--header=X-API-PASSWORD-BASE64: {password_base64}",
        f"--phases={PHASES}",
        "--checks=not_a_server_error",
        f"--max-examples={EXAMPLES}",
        f"--seed={SEED}",
        # Go on after a failure: one 5xx early in an operation (OPTIONS) would
        # otherwise hide whatever the rest of its cases find.
        "--continue-on-failure",
        "--generation-database=none",
        # One worker: schemathesis' coverage phase races on its caches with more.
        "--workers=1",
        "--request-timeout=30",
        "--no-color",
        "--report=json",
        f"--report-json-path={app.root / f'{name}.json'}",
    ]


@dataclass
class FuzzRun:
    """What one schemathesis run did: its report, its output, what the server saw."""

    name: str
    exit_code: int
    output: str
    output_file: Path
    statuses_file: Path
    # None when schemathesis never wrote it (killed at the timeout, or crashed).
    report: dict[str, Any] | None
    server_log: str
    seconds: float

    @property
    def generated(self) -> int:
        if self.report is None:
            return 0
        count: int = self.report["test_cases"]["generated"]
        return count

    @property
    def statuses(self) -> Counter[str]:
        """The statuses of the answers schemathesis got (`fuzz_live_hooks.py`)."""
        if not self.statuses_file.exists():
            return Counter()
        lines = self.statuses_file.read_text().splitlines()
        return Counter(line.rsplit(" ", 1)[-1] for line in lines)

    @property
    def clean(self) -> bool:
        report = self.report
        return (
            report is not None
            and self.exit_code == 0
            and not report["failures"]
            and not report["errors"]
        )

    def summary(self) -> str:
        if self.report is None:
            return (
                f"{self.name}: no report after {self.seconds:.0f}s (exit "
                f"{self.exit_code}; killed at FUZZ_LIVE_TIMEOUT={RUN_TIMEOUT}s?)"
            )
        cases = self.report["test_cases"]
        phases = " ".join(
            f"{phase}={result['status']}"
            for phase, result in (self.report["phases"] or {}).items()
        )
        problems = [
            f"{group['title']} x{group['count']} in {', '.join(group['operations'])}"
            for group in self.report["failures"]
        ] + [f"{group['title']} x{group['count']}" for group in self.report["errors"]]
        return (
            f"{self.name}: {cases['generated']} generated cases in "
            f"{self.seconds:.0f}s, {cases['with_failures']} with failures, "
            f"{cases['errored']} errored (exit {self.exit_code}); phases {phases}; "
            f"server answered {dict(sorted(self.statuses.items()))}"
            + "".join(f"\n  - {problem}" for problem in problems)
        )


@dataclass
class StartedRun:
    name: str
    app: LiveApp
    process: subprocess.Popen[bytes]
    started: float
    log_offset: int

    @property
    def output_file(self) -> Path:
        return self.app.root / f"{self.name}.out"


def start_run(app: LiveApp, name: str, location: str) -> StartedRun:
    (app.root / f"{name}.toml").write_text(schemathesis_config(name))
    log_offset = app.log.stat().st_size
    with (app.root / f"{name}.out").open("wb") as output:
        process = subprocess.Popen(
            schemathesis_command(app, location, name),
            cwd=app.root,
            env=schemathesis_environment(app, name),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return StartedRun(
        name=name,
        app=app,
        process=process,
        started=time.monotonic(),
        log_offset=log_offset,
    )


def kill_if_running(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(timeout=30)


def finish_run(run: StartedRun) -> FuzzRun:
    remaining = run.started + RUN_TIMEOUT - time.monotonic()
    try:
        exit_code = run.process.wait(timeout=max(remaining, 1))
    except subprocess.TimeoutExpired:
        kill_if_running(run.process)
        exit_code = run.process.returncode
    seconds = time.monotonic() - run.started
    report_file = run.app.root / f"{run.name}.json"
    with run.app.log.open("rb") as log:
        log.seek(run.log_offset)
        server_log = log.read().decode(errors="replace")
    return FuzzRun(
        name=run.name,
        exit_code=exit_code,
        output=run.output_file.read_text(errors="replace"),
        output_file=run.output_file,
        statuses_file=statuses_file(run.app, run.name),
        report=json.loads(report_file.read_text()) if report_file.exists() else None,
        server_log=server_log,
        seconds=seconds,
    )


@pytest.fixture(scope="module")
def fuzz_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, FuzzRun]:
    """Both runs at once, each on its own server (on two cores, less wait; and
    neither run purges or merges away the other's rows)."""
    with ExitStack() as cleanup:
        own = cleanup.enter_context(live_app(tmp_path_factory.mktemp(OWN)))
        started = [start_run(own, OWN, f"{own.url}/api/v1/schema?format=json")]
        cleanup.callback(kill_if_running, started[-1].process)
        if UPSTREAM_SCHEMA.is_file():
            upstream = cleanup.enter_context(
                live_app(tmp_path_factory.mktemp(UPSTREAM))
            )
            started.append(start_run(upstream, UPSTREAM, str(UPSTREAM_SCHEMA)))
            cleanup.callback(kill_if_running, started[-1].process)
        return {run.name: finish_run(run) for run in started}


def failures_section(output: str) -> str:
    """Schemathesis' FAILURES/ERRORS part: each failure with its curl line."""
    start = min(
        (output.find(title) for title in (" FAILURES ", " ERRORS ") if title in output),
        default=-1,
    )
    if start < 0:
        return output[-5000:]
    end = output.find(" WARNINGS ", start)
    if end < 0:
        end = output.find(" SUMMARY ", start)
    return output[output.rfind("\n", 0, start) + 1 : end if end > 0 else None]


def server_exceptions(server_log: str) -> Counter[str]:
    """Each distinct exception the server logged (last traceback line), counted."""
    found: Counter[str] = Counter()
    traceback: list[str] = []
    for line in [*server_log.splitlines(), "2000-01-01 end"]:
        if traceback and LOG_RECORD_START.match(line):
            found[traceback[-1].strip()[:300]] += 1
            traceback = []
        if line.startswith("Traceback") or traceback:
            traceback.append(line)
    return found


def failure_report(run: FuzzRun) -> str:
    exceptions = server_exceptions(run.server_log)
    return "\n".join(
        [
            run.summary(),
            "",
            "Exceptions in the server's log:",
            *(f"  {count} x {text}" for text, count in exceptions.most_common()),
            "",
            "In the curl lines [Filtered] stands for the owner's token and password.",
            failures_section(run.output)[:30000],
            f"(schemathesis' whole output: {run.output_file})",
        ]
    )


def assert_requests_reached_the_app(run: FuzzRun) -> None:
    """Guard against a harness that tests nothing: the server must have answered
    most generated cases, mostly past authentication, some of them with a 2xx."""
    statuses = run.statuses
    total = sum(statuses.values())
    successes = sum(count for code, count in statuses.items() if code[0] == "2")
    refused = statuses["401"] + statuses["403"]
    assert run.generated > 0, run.summary() + "\n" + run.output[-5000:]
    assert total >= run.generated // 2, f"few cases were answered: {run.summary()}"
    assert refused <= total * 0.05, f"the token was not sent: {run.summary()}"
    assert successes >= total * 0.01, f"nothing succeeded: {run.summary()}"


def check(run: FuzzRun, capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(f"\n{run.summary()}")
    assert_requests_reached_the_app(run)
    if not run.clean:
        pytest.fail(failure_report(run), pytrace=False)


def test_the_served_schema_meets_no_server_error(
    fuzz_runs: dict[str, FuzzRun], capsys: pytest.CaptureFixture[str]
) -> None:
    check(fuzz_runs[OWN], capsys)


def test_upstreams_schema_meets_no_server_error(
    fuzz_runs: dict[str, FuzzRun], capsys: pytest.CaptureFixture[str]
) -> None:
    if UPSTREAM not in fuzz_runs:
        pytest.skip(f"upstream's schema is not at {UPSTREAM_SCHEMA}")
    check(fuzz_runs[UPSTREAM], capsys)
