"""`manage.py webhooks_worker`: django-tasks-db's `db_worker` on the webhooks
queue, plus a sweep every `--sweep-interval` seconds that queues again the
chains a dead worker left (webhooks/recovery.py). Run as many as you like, on
as many machines as share the database; each needs a unique `--worker-id`
(the default is random). SIGTERM lets the attempt in flight finish and hands
the rest of its chain to another worker."""

import logging
import os
import random
import threading
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import CommandError
from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker, valid_interval

from webhooks.recovery import sweep
from webhooks.tasks import QUEUE, stopping

logger = logging.getLogger("webhooks")


def sweep_once() -> None:
    try:
        queued = sweep()
    except Exception:
        logger.exception("The webhook sweep failed; it runs again next interval")
        return
    finally:
        connection.close()
    if queued:
        logger.info("Sweep queued %d stalled webhook chain(s)", queued)


def sweep_forever(interval: float) -> None:
    while True:
        sweep_once()
        # Jittered, so that many workers' sweeps spread out.
        time.sleep(interval * random.uniform(0.8, 1.2))


class WebhooksWorker(Worker):
    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        stopping.set()
        super().shutdown(signum, frame)


class Command(DbWorkerCommand):
    help = "Send webhook deliveries: a database task worker plus the sweep."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name=QUEUE)
        parser.add_argument(
            "--sweep-interval",
            type=valid_interval,
            default=60.0,
            help="Seconds between sweeps for stalled chains; 0: none (default: 60)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # db_worker's own handle, with the worker that tells chains to stop.
        self.configure_logging(options["verbosity"])
        batch, reload = options["batch"], options["reload"] and not options["batch"]
        queue_names = options["queue_name"].split(",")
        excluded = [name for name in options["exclude_queues"].split(",") if name]
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = WebhooksWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        interval: float = options["sweep_interval"]
        in_worker_process = (
            not reload or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        )
        if batch:
            sweep_once()
        elif interval and in_worker_process:
            threading.Thread(
                target=sweep_forever, args=(interval,), name="sweep", daemon=True
            ).start()
        if reload:
            if in_worker_process:
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
