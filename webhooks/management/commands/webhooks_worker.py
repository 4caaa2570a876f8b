"""`manage.py webhooks_worker`: django-tasks-db's `db_worker` on the webhooks
queue, plus a sweep every `--sweep-interval` seconds that queues again the
chains a dead worker left (webhooks/recovery.py). Run as many as you like, on
as many machines as share the database; each needs a unique `--worker-id`
(the default is random)."""

import logging
import os
import random
import threading
import time
from argparse import ArgumentParser
from typing import Any

from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import valid_interval

from webhooks.recovery import sweep
from webhooks.tasks import QUEUE

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
        interval: float = options.pop("sweep_interval")
        if options["batch"]:
            sweep_once()
        elif interval and (
            not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        ):
            threading.Thread(
                target=sweep_forever, args=(interval,), name="sweep", daemon=True
            ).start()
        super().handle(*args, **options)
