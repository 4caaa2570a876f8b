"""The yardstick: bare Django views that read the same rows with `.values()`.

They live only in the benchmarks, never in the product. They skip what a real API
must do (authentication, validation, the full object shape) and so mark the practical
ceiling of this stack: the product's figures are reported as a ratio to these.
"""

from django.http import HttpRequest, JsonResponse

from clients.models import Client
from contacts.models import ClientContact

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


def ceiling_show(request: HttpRequest, company_id: int, pk: int) -> JsonResponse:
    """One client with its contacts."""
    rows = list(
        Client.objects.filter(company_id=company_id, pk=pk).values(*CLIENT_FIELDS)
    )
    return JsonResponse({"data": _with_contacts(rows)[0] if rows else None})
