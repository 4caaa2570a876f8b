"""Documents in Django admin: browse, rename, delete, and download for staff.

Uploads happen through the API only. Renames and deletes go through the same
services as the API, so a deleted row's stored file goes once the delete commits.
"""

import logging
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from config.admin import (
    FlagListFilter,
    ReadOnlyMixin,
    StateListFilter,
    state_display,
)
from documents.files import content_type_for
from documents.models import Document
from documents.services import (
    document_delete,
    document_name_clean,
    document_update,
    documents_delete,
)

logger = logging.getLogger("documents")

DOWNLOAD_URL_NAME = "documents_document_download"


def _size(document: Document) -> str:
    size = float(document.size)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            # A no-break space: the list's narrow column wrapped "14 B".
            return (
                f"{size:.0f}\u00a0{unit}" if unit == "B" else f"{size:.1f}\u00a0{unit}"
            )
        size /= 1024
    return ""


class DocumentColumns:
    """Computed columns shared by the document admin and the client's inline."""

    @admin.display(description="size", ordering="size")
    def size_label(self, document: Document) -> str:
        return _size(document)

    @admin.display(description="state")
    def state_label(self, document: Document) -> str:
        return state_display(document)

    @admin.display(description="public", boolean=True, ordering="is_public")
    def public(self, document: Document) -> bool:
        return document.is_public

    @admin.display(description="file")
    def download(self, document: Document) -> str:
        """A link to the staff download view of the document's file."""
        if document.pk is None:
            return ""
        url = reverse(f"admin:{DOWNLOAD_URL_NAME}", args=[document.pk])
        return format_html('<a href="{}">Download</a>', url)


class ClientDocumentInline(ReadOnlyMixin, DocumentColumns, GenericTabularInline):
    """A client's documents, read-only, each with a download link."""

    model = Document
    ct_field = "owner_type"
    ct_fk_field = "owner_id"
    fields = ("name", "type", "size_label", "public", "state_label", "download")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


class VisibilityListFilter(FlagListFilter):
    title = "visibility"
    parameter_name = "visibility"
    field_name = "is_public"
    flags = (("public", "Public", True), ("private", "Private", False))


class DocumentAdminForm(forms.ModelForm[Document]):
    """A document's name and `is_public`; the name is checked as the API checks it."""

    class Meta:
        model = Document
        fields = ("name", "is_public")

    def clean_name(self) -> str:
        name = str(self.cleaned_data.get("name") or "")
        try:
            return document_name_clean(document=self.instance, name=name)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["name"]) from exc


@admin.register(Document)
class DocumentAdmin(DocumentColumns, admin.ModelAdmin[Document]):
    """Documents of every company; only the name and `is_public` are editable."""

    form = DocumentAdminForm

    # No type column: the name ends with it (renames keep it), and the filter
    # offers it; the row then fits a 1,400 px window.
    list_display = (
        "name",
        "size_label",
        "company",
        "owner_link",
        "state_label",
        "public",
        "created_at",
        "download",
    )
    list_select_related = ("company",)
    list_filter = (StateListFilter, "type", VisibilityListFilter, "disk")
    search_fields = ("name", "hash")
    ordering = ("-created_at", "-pk")
    fields = (
        "name",
        "is_public",
        "company",
        "owner_link",
        "type",
        "content_type",
        "size_label",
        "width",
        "height",
        "disk",
        "hash",
        "path",
        "preview",
        "user",
        "assigned_user",
        "created_at",
        "updated_at",
        "archived_at",
        "is_deleted",
        "download",
    )
    readonly_fields = tuple(f for f in fields if f not in ("name", "is_public"))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Document]:
        # One query per owner type on the page, for the owners' names.
        return super().get_queryset(request).prefetch_related("owner")

    @admin.display(description="owner")
    def owner_link(self, document: Document) -> str:
        # The content type comes from ContentType's cache: no query per row.
        owner_type = ContentType.objects.get_for_id(document.owner_type_id)
        model = owner_type.model_class()
        if model is None:
            return ""
        meta = model._meta
        owner = document.owner
        label = (
            str(owner)
            if owner is not None
            else f"{meta.verbose_name} {document.owner_id}"
        )
        try:
            url = reverse(
                f"admin:{meta.app_label}_{meta.model_name}_change",
                args=[document.owner_id],
            )
        except Exception:
            return label
        return format_html('<a href="{}">{}</a>', url, label)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Document, form: Any, change: bool
    ) -> None:
        document_update(
            document=obj,
            name=form.cleaned_data["name"],
            is_public=form.cleaned_data["is_public"],
        )

    def delete_model(self, request: HttpRequest, obj: Document) -> None:
        document_delete(document=obj)

    def delete_queryset(
        self, request: HttpRequest, queryset: QuerySet[Document]
    ) -> None:
        documents_delete(documents=queryset.prefetch_related(None))

    def get_urls(self) -> list[Any]:
        download: list[URLPattern] = [
            path(
                "<path:object_id>/download/",
                self.admin_site.admin_view(self.download_view),
                name=DOWNLOAD_URL_NAME,
            )
        ]
        return download + super().get_urls()

    def download_view(self, request: HttpRequest, object_id: str) -> HttpResponseBase:
        """Stream the stored file to a staff user allowed to view documents."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        document = self.get_object(request, object_id)
        if document is None:
            raise Http404("No such document")
        try:
            stored = default_storage.open(document.path, "rb")
        except OSError as exc:
            logger.error(
                "Stored file %s of document %s is missing", document.path, document.pk
            )
            raise Http404("The stored file is missing") from exc
        response = FileResponse(
            stored,
            as_attachment=True,
            filename=document.name,
            content_type=document.content_type or content_type_for(document.type),
        )
        response["Cache-Control"] = "private, no-store"
        return response
