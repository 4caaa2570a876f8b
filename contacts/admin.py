"""Contacts in Django admin: an inline of the client, saved through `contacts_sync`.

The inline never saves rows itself. It validates the contacts with the API's own
rules (`validate_contacts`) and hands them to the client admin, which writes the
client and its contacts with the same services as the API, so a client keeps
exactly one primary contact and removed contacts are soft-deleted.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from rest_framework.exceptions import ValidationError as ApiValidationError

from companies.models import REQUIRABLE_FIELDS, Company
from companies.required import missing_required
from config.admin import in_staff_words
from config.api.hashids import encode_id
from contacts.fields import ADMIN_FIELDS
from contacts.models import ClientContact
from contacts.validation import validate_contacts

INLINE_FIELDS = tuple(field.key for field in ADMIN_FIELDS)
CUSTOM_FIELDS = REQUIRABLE_FIELDS["contact"]
MORE_THAN_ONE_PRIMARY = "Only one contact can be primary."


def required_custom_fields(client: Any) -> tuple[str, ...]:
    """The contact custom fields the client's company requires; without a client
    (a new one, its company not chosen yet), those any company requires."""
    if client is not None and client.company_id:
        required = set(client.company.required_labels("contact"))
    else:
        required = set()
        for company in Company.objects.exclude(required_fields={}).only(
            "required_fields"
        ):
            required.update(company.required_labels("contact"))
    return tuple(field for field in CUSTOM_FIELDS if field in required)


class ContactInlineForm(forms.ModelForm[ClientContact]):
    """A contact row; `new_password` sets a client-portal password (hashed)."""

    new_password = forms.CharField(
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"size": 8}),
        help_text="Leave empty to keep the current password.",
    )

    class Meta:
        model = ClientContact
        fields = INLINE_FIELDS
        labels = {field.key: field.label for field in ADMIN_FIELDS if field.label}
        # Sized to fit a row of the inline in a 1,400 px window.
        widgets = {
            "first_name": forms.TextInput(attrs={"size": 10}),
            "last_name": forms.TextInput(attrs={"size": 10}),
            "email": forms.TextInput(attrs={"size": 24}),
            "phone": forms.TextInput(attrs={"size": 12}),
        }


class ContactInlineFormSet(BaseInlineFormSet[ClientContact, Any, Any]):
    """Checks the contacts as the API would and keeps them for `contacts_sync`."""

    contacts_for_sync: list[dict[str, Any]] | None = None

    def kept_forms(self) -> list[Any]:
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk is not None or form.has_changed())
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = self.kept_forms()
        if sum(bool(form.cleaned_data.get("is_primary")) for form in kept) > 1:
            raise forms.ValidationError(MORE_THAN_ONE_PRIMARY)
        raw = []
        for form in kept:
            shown = [
                name for name in (*INLINE_FIELDS, *CUSTOM_FIELDS) if name in form.fields
            ]
            item: dict[str, Any] = {
                "id": encode_id(form.instance.pk) if form.instance.pk else "",
                **{name: form.cleaned_data.get(name) for name in shown},
            }
            item = {
                key: ("" if value is None else value) for key, value in item.items()
            }
            if form.cleaned_data.get("new_password"):
                item["password"] = form.cleaned_data["new_password"]
            raw.append(item)
        try:
            self.contacts_for_sync = validate_contacts(raw)
        except ApiValidationError as exc:
            detail: Any = exc.detail
            items = detail.get("contacts", []) if isinstance(detail, dict) else []
            for index, (form, errors) in enumerate(zip(kept, items, strict=False)):
                row = f"Contact {self.forms.index(form) + 1}"
                for name, messages in (errors or {}).items():
                    field = "new_password" if name == "password" else name
                    known = field in form.fields
                    label = str(form[field].label) if known else name
                    for message in messages:
                        text = in_staff_words(
                            str(message), f"contacts.{index}.{name}", label, row
                        )
                        form.add_error(field if known else None, text)
            if not items:
                raise forms.ValidationError(str(detail)) from exc
            return
        self.check_required(kept)

    def check_required(self, kept: list[Any]) -> None:
        """The company's required contact fields, as `contacts_sync` will check
        them (which would otherwise refuse the save after the forms passed)."""
        company = (
            getattr(self.instance, "company", None)
            if self.instance.company_id
            else None
        )
        labels = company.required_labels("contact") if company is not None else {}
        if not labels:
            return
        if not kept:
            missing = ", ".join(labels.values())
            raise forms.ValidationError(f"Add a contact with {missing}.")
        for form, item in zip(kept, self.contacts_for_sync or [], strict=False):
            problems = missing_required(
                item, labels, only_sent=form.instance.pk is not None
            )
            for field, messages in problems.items():
                form.add_error(field if field in form.fields else None, messages)

    # The client admin writes contacts through `contacts_sync`; this records
    # nothing saved here, for the admin's change message.
    def mark_saved_elsewhere(self) -> None:
        self.new_objects: list[Any] = []
        self.changed_objects: list[Any] = []
        self.deleted_objects: list[Any] = []


class ContactInline(admin.TabularInline[ClientContact, Any]):
    """The client's live contacts (deleted ones are kept but not shown).

    No `contact_key` column: 40 hex digits would push the row past the window,
    and a new row would show a key that is never saved (the contact gets another
    one when it is created). No `last_login` either: this server has no client
    portal, so nothing sets it.
    """

    model = ClientContact
    verbose_name = "contact"
    verbose_name_plural = "contacts"
    form = ContactInlineForm
    formset = ContactInlineFormSet
    fields = (*INLINE_FIELDS, "new_password")
    extra = 0
    min_num = 0

    def get_fields(self, request: Any, obj: Any = None) -> Any:
        """The inline's columns, with the contact custom fields a company requires
        (the client's company; on the add page, any company's)."""
        return (*INLINE_FIELDS, *required_custom_fields(obj), "new_password")

    def get_queryset(self, request: Any) -> Any:
        return (
            super()
            .get_queryset(request)
            .filter(is_deleted=False)
            .order_by("-is_primary", "pk")
        )

    def get_extra(self, request: Any, obj: Any = None, **kwargs: Any) -> int:
        return 0 if obj is not None else 1
