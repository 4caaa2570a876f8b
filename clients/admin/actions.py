"""The client list's actions for staff: archive, restore, delete (soft), merge two
clients and purge. Each calls the service the API's bulk and merge endpoints use."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import ngettext

from clients.admin.common import CompanyRowAdmin, acting_user
from clients.models import Client
from clients.services.bulk import clients_change_state
from clients.services.merge import client_merge
from clients.services.purge import clients_purge
from config.admin import money, state_display
from config.errors import Refusal

CLIENT_ACTION_MESSAGES = {
    "archive": ("Archived %d client.", "Archived %d clients."),
    "restore": ("Restored %d client.", "Restored %d clients."),
    "delete": ("Deleted %d client.", "Deleted %d clients."),
}
# How many names a purge message lists before "and N more".
PURGED_NAMES_SHOWN = 10


class ClientActionsAdmin(CompanyRowAdmin[Client]):
    """The actions of the client list (`ClientAdmin` lists them in `actions`)."""

    def has_purge_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("clients.delete_client")

    def has_merge_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("clients.change_client") and request.user.has_perm(
            "clients.delete_client"
        )

    def _change_state(
        self, request: HttpRequest, queryset: QuerySet[Client], action: str
    ) -> None:
        user = acting_user(request)
        count = clients_change_state(
            clients_queryset=queryset, user=user, action=action
        )
        singular, plural = CLIENT_ACTION_MESSAGES[action]
        self.message_user(
            request, ngettext(singular, plural, count) % count, messages.SUCCESS
        )

    @admin.action(description="Archive selected clients", permissions=["change"])
    def archive_clients(self, request: HttpRequest, queryset: QuerySet[Client]) -> None:
        self._change_state(request, queryset, "archive")

    @admin.action(description="Restore selected clients", permissions=["change"])
    def restore_clients(self, request: HttpRequest, queryset: QuerySet[Client]) -> None:
        self._change_state(request, queryset, "restore")

    @admin.action(
        description="Delete selected clients (soft, can be restored)",
        permissions=["change"],
    )
    def delete_clients(self, request: HttpRequest, queryset: QuerySet[Client]) -> None:
        self._change_state(request, queryset, "delete")

    def _with_counts(self, queryset: QuerySet[Client]) -> QuerySet[Client]:
        return (
            queryset.select_related("company")
            .annotate(
                live_contacts=Count(
                    "contacts", filter=Q(contacts__is_deleted=False), distinct=True
                ),
                document_count=Count("documents", distinct=True),
            )
            .order_by("pk")
        )

    def _rows(
        self, queryset: QuerySet[Client], limit: int | None = None
    ) -> list[Client]:
        clients = list(self._with_counts(queryset)[:limit])
        for client in clients:
            client.state_label = state_display(client)  # type: ignore[attr-defined]
            client.balance_label = money(client.balance)  # type: ignore[attr-defined]
            client.paid_label = money(client.paid_to_date)  # type: ignore[attr-defined]
        return clients

    def _confirmation(
        self,
        request: HttpRequest,
        template: str,
        title: str,
        action: str,
        clients: list[Client],
        **extra: Any,
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "clients": clients,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            **extra,
        }
        return TemplateResponse(request, f"admin/clients/client/{template}", context)

    @admin.action(description="Merge two clients…", permissions=["merge"])
    def merge_clients(
        self, request: HttpRequest, queryset: QuerySet[Client]
    ) -> HttpResponse | None:
        clients = self._rows(queryset, limit=3)
        if len(clients) != 2:
            self.message_user(
                request, "Select exactly two clients to merge.", messages.ERROR
            )
            return None
        if clients[0].company_id != clients[1].company_id:
            self.message_user(
                request,
                "Only clients of the same company can be merged.",
                messages.ERROR,
            )
            return None
        if request.POST.get("post") == "yes":
            chosen = request.POST.get("primary", "")
            by_pk = {str(client.pk): client for client in clients}
            if chosen not in by_pk:
                self.message_user(
                    request, "Choose which client to keep.", messages.ERROR
                )
            else:
                primary = by_pk.pop(chosen)
                merged = next(iter(by_pk.values()))
                merged_label = str(merged)
                try:
                    client_merge(
                        primary=primary, merged=merged, user=acting_user(request)
                    )
                except Refusal as exc:
                    self.message_user(request, exc.message, messages.ERROR)
                    return None
                self.message_user(
                    request,
                    f"Merged “{merged_label}” into “{primary}”.",
                    messages.SUCCESS,
                )
                return None
        return self._confirmation(
            request,
            "merge_confirmation.html",
            "Merge two clients",
            "merge_clients",
            clients,
        )

    @admin.action(
        description="Purge selected clients (permanent)…", permissions=["purge"]
    )
    def purge_clients(
        self, request: HttpRequest, queryset: QuerySet[Client]
    ) -> HttpResponse | None:
        clients = self._rows(queryset)
        if request.POST.get("post") == "yes":
            user = acting_user(request)
            names = [str(client) for client in clients]
            clients_purge(
                clients_queryset=Client.objects.filter(pk__in=[c.pk for c in clients]),
                user=user,
            )
            self.message_user(request, purged_message(names), messages.SUCCESS)
            return None
        return self._confirmation(
            request,
            "purge_confirmation.html",
            "Purge clients",
            "purge_clients",
            clients,
        )


def purged_message(names: list[str]) -> str:
    """`Purged 2 clients: “Acme Co.”, “Beta”`: quoted, so a name's own full stop
    is not doubled, and cut short for a long selection."""
    shown = ", ".join(f"“{name}”" for name in names[:PURGED_NAMES_SHOWN])
    if len(names) > PURGED_NAMES_SHOWN:
        shown += f" and {len(names) - PURGED_NAMES_SHOWN} more"
    text = ngettext(
        "Purged %(count)d client: %(names)s",
        "Purged %(count)d clients: %(names)s",
        len(names),
    )
    return text % {"count": len(names), "names": shown}
