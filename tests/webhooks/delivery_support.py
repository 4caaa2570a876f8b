"""A real HTTP receiver on 127.0.0.1 and the rows the delivery tests send.

The receiver answers from a plan, one reply per request (then 200): a status,
`HANG` (holds the request until the test ends), `TRICKLE` (a header, a byte
every 0.1 s for 10 s), `(SLOW, seconds)` (a 200 that long after the
request), `LATE_BODY` (a 200 whose body follows its head 0.3 s later) or
`(3xx, location)`, a redirect.
"""

import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.management import call_command

from companies.models import Company
from webhooks.dispatch import enqueue_deliveries
from webhooks.models import Webhook, WebhookDelivery

HANG = "hang"
SLOW = "slow"
TRICKLE = "trickle"
LATE_BODY = "late body"


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    port: int = 0
    plan: list[Any] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    # The reply each request got, in the same order.
    replies: list[Any] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(request.body) for request in self.requests]

    def wait_for(self, count: int, timeout: float = 60) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.requests) >= count, timeout)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Received(
                self.command, self.path, dict(self.headers), self.rfile.read(length)
            )
            with receiver.arrived:
                receiver.requests.append(request)
                reply = receiver.plan.pop(0) if receiver.plan else 200
                receiver.replies.append(reply)
                receiver.arrived.notify_all()
            if reply == HANG:
                receiver.release.wait(120)
                return
            if reply == TRICKLE:
                self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                for _ in range(100):
                    if receiver.release.wait(0.1):
                        break
                    self.wfile.write(b"a")
                    self.wfile.flush()
                return
            if reply == LATE_BODY:
                answer = b"the body came later"
                self.send_response(200)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.flush()
                receiver.release.wait(0.3)
                self.wfile.write(answer)
                return
            if isinstance(reply, tuple) and reply[0] == SLOW:
                receiver.release.wait(reply[1])
                reply = 200
            if isinstance(reply, tuple):
                self.send_response(reply[0])
                self.send_header("Location", reply[1])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            answer = f"answer {reply}".encode()
            self.send_response(reply)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_POST = do_PUT = answer

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(found))
    server.daemon_threads = True
    found.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        found.release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def delivery_settings(settings: Any) -> Any:
    """Receivers on 127.0.0.1, retries at once, short timeouts."""
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    settings.WEBHOOK_TIMEOUT_SECONDS = 5
    settings.WEBHOOK_LEASE_MARGIN_SECONDS = 1
    settings.WEBHOOK_MAX_ATTEMPTS = 8
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    return settings


def make_webhook(url: str, **fields: Any) -> Webhook:
    company = fields.pop("company", None) or Company.objects.create(name="Hooked")
    webhook: Webhook = Webhook.objects.create(
        company=company, event_id=1, target_url=url, **fields
    )
    return webhook


def make_delivery(
    webhook: Webhook, entity_key: str = "client:1", **body: Any
) -> WebhookDelivery:
    """A pending delivery of `webhook`, queued as the outbox queues it."""
    delivery: WebhookDelivery = WebhookDelivery.objects.create(
        webhook=webhook,
        event_id=webhook.event_id,
        event="client.created",
        entity_key=entity_key,
        body=json.dumps({"event": "client.created", "id": str(uuid.uuid4()), **body}),
    )
    enqueue_deliveries([delivery])
    return delivery


def run_worker() -> None:
    """A worker in this process until no task is ready (what `--batch` does)."""
    call_command(
        "webhooks_worker",
        batch=True,
        interval=0,
        reload=False,
        startup_delay=False,
        verbosity=0,
    )
