"""Recording events: one delivery row per live subscription and entity, written in
the caller's transaction with the task that sends it.

The body is rendered now, not at sending time: it is the entity as the API
showed it right after the change (a purged client included), and the same bytes
are sent, signed and retried. The app that owns an entity registers how to render
many of them at once (`register_renderer`), so this module never imports the API.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from config.db import ACTIVE
from webhooks.dispatch import enqueue_deliveries
from webhooks.events import Event
from webhooks.models import Webhook, WebhookDelivery


@dataclass(frozen=True)
class EntityRenderer:
    """How an app shows its entities in event bodies.

    `render(pks)` answers `{pk: (company_id, data)}` for the pks that exist, in a
    fixed number of queries; `dumps` serialises a body to JSON bytes.
    """

    render: Callable[[Sequence[int]], Mapping[int, tuple[int, Any]]]
    dumps: Callable[[Any], bytes]


RENDERERS: dict[str, EntityRenderer] = {}


def register_renderer(entity: str, renderer: EntityRenderer) -> None:
    """Called from the owning app's `AppConfig.ready()`."""
    RENDERERS[entity] = renderer


def live_subscriptions(event: Event, companies: int | QuerySet[Any]) -> list[Webhook]:
    """The subscriptions to `event` of the companies (one id, or a subquery of
    ids) that are neither archived, deleted nor disabled: one query."""
    scope = (
        Q(company_id=companies)
        if isinstance(companies, int)
        else Q(company_id__in=companies)
    )
    return list(
        Webhook.objects.filter(
            ACTIVE, scope, disabled_at__isnull=True, event_id=event.id
        )
        .only("id", "company_id")
        .order_by("id")
    )


def record_events(
    *,
    entity: str,
    event: Event,
    pks: Sequence[int],
    companies: int | QuerySet[Any],
    extra: Mapping[str, Any] | None = None,
) -> list[WebhookDelivery]:
    """Write the deliveries of `event` for the entities `pks` and queue them.

    Call inside the transaction of the change. `companies` names the companies
    the entities belong to (an id, or a subquery when a set spans several); with
    no live subscription this costs that one query. `extra` keys are added to
    every body.
    """
    if not pks:
        return []
    subscriptions = live_subscriptions(event, companies)
    if not subscriptions:
        return []
    renderer = RENDERERS[entity]
    shown = renderer.render(pks)
    created_at = timezone.now()
    stamp = created_at.isoformat().replace("+00:00", "Z")
    bodies: dict[int, tuple[int, str]] = {}
    for pk in pks:
        if pk in shown and pk not in bodies:
            company_id, data = shown[pk]
            body = {
                "event": event.name,
                "event_id": event.id,
                "created_at": stamp,
                **(extra or {}),
                "data": data,
            }
            bodies[pk] = (company_id, renderer.dumps(body).decode("utf-8"))
    deliveries = [
        WebhookDelivery(
            webhook_id=subscription.pk,
            event_id=event.id,
            event=event.name,
            entity_key=f"{entity}:{pk}",
            body=body,
            next_attempt_at=created_at,
            created_at=created_at,
        )
        for subscription in subscriptions
        for pk, (company_id, body) in bodies.items()
        if company_id == subscription.company_id
    ]
    if deliveries:
        WebhookDelivery.objects.bulk_create(deliveries)
        enqueue_deliveries(deliveries)
    return deliveries
