"""Schemathesis hooks of the live fuzzing runs (`test_fuzz_live.py`), which load
this file through `SCHEMATHESIS_HOOKS`; not a test module.

Every answer's method, path and status go to the file `FUZZ_LIVE_STATUSES`
names, one line each: the test reads what the server answered from it.

Every other request to a single client's routes (`/api/v1/clients/{id}...`)
addresses clients made for it just before, through the API: generated ids are
unknown ids (a 404 before any body or query is read), and seeded rows would not
last, as purge, merge and delete use them up. The others keep their generated
ids, so the unknown-id paths are fuzzed too. The order of the calls is the
run's (one worker), so a seed still repeats a run.
"""

import itertools
import os
from typing import Any

import requests
import schemathesis

API = f"{os.environ['FUZZ_LIVE_URL']}/api/v1"
TOKEN = os.environ["FUZZ_LIVE_TOKEN"]
STATUSES = os.environ["FUZZ_LIVE_STATUSES"]
CLIENT_ROUTES = "/api/v1/clients/{"
calls = itertools.count()


def fresh_client() -> str:
    """A new client with a contact; its hashid."""
    answer = requests.post(
        f"{API}/clients",
        json={"name": "Fresh client", "contacts": [{"email": "fresh@fuzz.example"}]},
        headers={"X-API-TOKEN": TOKEN},
        timeout=30,
    )
    answer.raise_for_status()
    client_id: str = answer.json()["data"]["id"]
    return client_id


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    if not case.operation.path.startswith(CLIENT_ROUTES) or next(calls) % 2:
        return
    # Every path parameter of these routes is a client id (merge has two).
    for name in list(case.path_parameters or {}):
        case.path_parameters[name] = fresh_client()


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    with open(STATUSES, "a") as statuses:
        statuses.write(f"{case.method} {case.operation.path} {response.status_code}\n")
