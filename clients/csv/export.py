"""Clients to CSV: one row per live contact, formulas neutralised."""

import csv
import json
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from django.db.models import Prefetch

from clients.csv.columns import COLUMNS, CONTACT_FIELDS, cell_text, neutralise_formula
from clients.fields import CSV_FIELDS
from clients.models import Client, ClientTag
from companies.models import Company
from config.api.hashids import encode_id
from contacts.fields import CSV_FIELDS as CONTACT_CSV_FIELDS
from contacts.models import ClientContact


class Writable(Protocol):
    """Where CSV goes: a text file, stdout, a StringIO."""

    def write(self, text: str, /) -> Any: ...


def _client_cells(client: Client) -> list[str]:
    group = client.group_settings.name if client.group_settings else ""
    assigned = client.assigned_user.get_username() if client.assigned_user else ""
    return [
        encode_id(client.pk),
        *(cell_text(getattr(client, field.attribute)) for field in CSV_FIELDS),
        group,
        assigned,
        cell_text(client.archived_at is not None),
        json.dumps(client.settings or {}, sort_keys=True, ensure_ascii=False),
        ", ".join(link.tag.name for link in getattr(client, "tag_link_list", [])),
    ]


def _contact_cells(contact: ClientContact | None) -> list[str]:
    if contact is None:
        return [""] * len(CONTACT_FIELDS)
    return [
        cell_text(getattr(contact, field.attribute)) for field in CONTACT_CSV_FIELDS
    ]


def clients_export_rows(
    *, company: Company, progress: Callable[[int], object] | None = None
) -> Iterator[list[str]]:
    """The header, then one row per live contact of each client that is not
    deleted, in number order, formulas neutralised. Streams: memory stays flat for
    any company size."""
    yield list(COLUMNS)
    clients = (
        Client.objects.filter(company=company, is_deleted=False)
        .select_related("group_settings", "assigned_user")
        .prefetch_related(
            Prefetch(
                "contacts",
                queryset=ClientContact.objects.filter(is_deleted=False).order_by(
                    "-is_primary", "pk"
                ),
                to_attr="live_contacts",
            ),
            Prefetch(
                "tag_links",
                queryset=ClientTag.objects.select_related("tag").order_by(
                    "tag__key", "tag__name"
                ),
                to_attr="tag_link_list",
            ),
        )
        .order_by("number_sort", "pk")
    )
    for client in clients.iterator(chunk_size=1000):
        cells = _client_cells(client)
        contacts: list[ClientContact | None] = list(
            getattr(client, "live_contacts", [])
        )
        for contact in contacts or [None]:
            row = [*cells, *_contact_cells(contact)]
            yield [neutralise_formula(cell) for cell in row]
        if progress is not None:
            progress(1)


def clients_export_csv(
    *,
    company: Company,
    out: Writable,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Write the company's clients as CSV to `out`; returns the number of rows."""
    writer = csv.writer(out)
    rows = -1
    for row in clients_export_rows(company=company, progress=progress):
        writer.writerow(row)
        rows += 1
    return rows
