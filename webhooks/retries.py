"""When to try a failed delivery again, and when to give up.

Exponential backoff with "equal jitter": the wait before retry n is drawn from
[step/2, step] with step = base * 4^(n-1), capped. Full jitter ([0, step]) could
retry a receiver that just failed almost at once, spending one of the few
attempts; half the step fixed keeps the schedule spread over about a day while
the random half keeps many failing deliveries from retrying in lockstep.
"""

import random
from datetime import timedelta

from django.conf import settings

BACKOFF_FACTOR = 4


def retry_delay(attempts_made: int) -> timedelta:
    """The wait after the `attempts_made`-th failed attempt (1 for the first)."""
    step = min(
        settings.WEBHOOK_RETRY_MAX_SECONDS,
        settings.WEBHOOK_RETRY_BASE_SECONDS * BACKOFF_FACTOR ** (attempts_made - 1),
    )
    if step <= 0:
        return timedelta(0)
    return timedelta(seconds=random.uniform(step / 2, step))


def gives_up_after(attempts_made: int) -> bool:
    """Whether a delivery that failed `attempts_made` times is failed for good."""
    return attempts_made >= max(1, settings.WEBHOOK_MAX_ATTEMPTS)
