"""`manage.py idempotency_keys_clean`: delete the Idempotency-Key answers that
have expired."""

from typing import Any

from django.core.management.base import BaseCommand

from companies.idempotency import keys_expired_delete
from config.commands.output import plural


class Command(BaseCommand):
    help = (
        "Delete stored Idempotency-Key answers older than IDEMPOTENCY_KEY_TTL_SECONDS "
        "(24 hours by default); a retry with such a key runs as a new request. Run "
        "it daily, e.g. from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = keys_expired_delete(
            progress=lambda count: self.stdout.write(
                f"… {plural(count, 'key')} deleted"
            )
            if options["verbosity"] > 1
            else None
        )
        if options["verbosity"] > 0:
            self.stdout.write(f"Deleted {plural(removed, 'expired idempotency key')}.")
