"""The yardstick: bare Django views that read the same rows with `.values()`.

They live only in the benchmarks, never in the product. They skip what a real API
must do (authentication, validation, the full object shape) and so mark the practical
ceiling of this stack: the product's figures are reported as a ratio to these.
"""

import json
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from clients.models import Activity, Client
from companies.models import Company
from contacts.models import ClientContact

# A fixed subset of the columns, not the field spec (`clients.fields`): the
# yardstick must do the same work from one version to the next, or every ratio
# would move with it.
CLIENT_FIELDS = [
    "id",
    "name",
    "website",
    "private_notes",
    "public_notes",
    "balance",
    "paid_to_date",
    "credit_balance",
    "number",
    "id_number",
    "address1",
    "address2",
    "city",
    "state",
    "postal_code",
    "country_id",
    "phone",
    "vat_number",
    "settings",
    "is_deleted",
    "created_at",
    "updated_at",
    "archived_at",
]
CONTACT_FIELDS = [
    "id",
    "client_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "is_primary",
    "send_email",
    "contact_key",
    "created_at",
    "updated_at",
]


def _with_contacts(rows: list[dict]) -> list[dict]:
    by_client: dict[int, list[dict]] = {row["id"]: [] for row in rows}
    contacts = ClientContact.objects.filter(
        client_id__in=list(by_client), is_deleted=False
    ).values(*CONTACT_FIELDS)
    for contact in contacts:
        by_client[contact["client_id"]].append(contact)
    for row in rows:
        row["contacts"] = by_client[row["id"]]
    return rows


def ceiling_list(request: HttpRequest, company_id: int) -> JsonResponse:
    """A page of 20 clients with their contacts."""
    rows = list(
        Client.objects.filter(company_id=company_id)
        .order_by("id")
        .values(*CLIENT_FIELDS)[:20]
    )
    return JsonResponse({"data": _with_contacts(rows)})


def _counted_page(matching: QuerySet[Client], *order: str) -> JsonResponse:
    """The first 20 of `matching` in `order` with their contacts, and the exact
    number matching (the API's `total`), counted as a plain view would."""
    total = matching.count()
    rows = list(matching.order_by(*order).values(*CLIENT_FIELDS)[:20])
    return JsonResponse({"data": _with_contacts(rows), "total": total})


def ceiling_filtered(request: HttpRequest, company_id: int) -> JsonResponse:
    """The page of `balance=gt:100&sort=balance|desc` and its total."""
    matching = Client.objects.filter(company_id=company_id, balance__gt=100)
    return _counted_page(matching, "-balance", "-id")


def ceiling_sync(request: HttpRequest, company_id: int, since: int) -> JsonResponse:
    """The page of `updated_at=<since>&sort=updated_at|desc` and its total."""
    changed = datetime.fromtimestamp(since, tz=UTC)
    matching = Client.objects.filter(company_id=company_id, updated_at__gte=changed)
    return _counted_page(matching, "-updated_at", "-id")


@csrf_exempt
def ceiling_create(request: HttpRequest, company_id: int) -> JsonResponse:
    """A client and its contacts inserted from a JSON body, with the writes every
    create makes: its number from the company's counter (the company row locked,
    the next 20 numbers checked, the counter moved on) and its activity row."""
    body = json.loads(request.body)
    with transaction.atomic():
        company = (
            Company.objects.select_for_update(no_key=True)
            .only("pk", "settings")
            .get(pk=company_id)
        )
        counter = int(company.settings.get("client_number_counter") or 1)
        candidates = [f"{counter + offset:04d}" for offset in range(20)]
        taken = set(
            Client.objects.filter(company_id=company_id, number__in=candidates)
            .exclude(number="")
            .values_list("number", flat=True)
        )
        offset = next(n for n, number in enumerate(candidates) if number not in taken)
        company.settings["client_number_counter"] = counter + offset + 1
        Company.objects.filter(pk=company_id).update(settings=company.settings)
        client = Client.objects.create(
            company_id=company_id, name=body["name"], number=candidates[offset]
        )
        ClientContact.objects.bulk_create(
            ClientContact(
                company_id=company_id,
                client=client,
                first_name=contact.get("first_name", ""),
                email=contact.get("email", ""),
                is_primary=bool(contact.get("is_primary")),
            )
            for contact in body["contacts"]
        )
        Activity.objects.create(
            company_id=company_id,
            client=client,
            activity_type_id=Activity.CREATE_CLIENT,
            notes="Client created",
        )
    return JsonResponse({"data": {"id": client.pk}})


@csrf_exempt
def ceiling_archive(request: HttpRequest, company_id: int) -> JsonResponse:
    """Archive the clients of a JSON list of primary keys in one UPDATE."""
    ids = json.loads(request.body)["ids"]
    now = timezone.now()
    with transaction.atomic():
        changed = Client.objects.filter(
            company_id=company_id, pk__in=ids, archived_at__isnull=True
        ).update(archived_at=now, updated_at=now)
    return JsonResponse({"data": {"archived": changed}})


def ceiling_show(request: HttpRequest, company_id: int, pk: int) -> JsonResponse:
    """One client with its contacts."""
    rows = list(
        Client.objects.filter(company_id=company_id, pk=pk).values(*CLIENT_FIELDS)
    )
    return JsonResponse({"data": _with_contacts(rows)[0] if rows else None})
