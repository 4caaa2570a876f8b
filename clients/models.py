"""Clients, their group settings, activity log and balance ledger."""

import re
import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone

from config.db import SoftStateModel, SoftStateQuerySet, TimestampedModel


def new_client_hash() -> str:
    return secrets.token_hex(20)


_DIGITS = re.compile(r"(\d+)")


def natural_sort_key(value: str) -> str:
    """A string that sorts numbers inside `value` by their numeric value.

    Digit runs are left-padded to 20 places, so `"0010"` sorts after `"0009"` and
    `"x-2"` before `"x-10"` with a plain string ORDER BY (which an index serves).
    """
    return _DIGITS.sub(
        lambda match: match.group(1).lstrip("0").rjust(20, "0"), value.lower()
    )[:512]


def money_field() -> "models.DecimalField[Decimal, Decimal]":
    return models.DecimalField(max_digits=20, decimal_places=6, default=Decimal("0"))


GROUP_NAME_TAKEN = "The name has already been taken."


class GroupSetting(SoftStateModel):
    """A named group of clients sharing settings (client → group → company).

    Names are unique in a company, compared exactly (deleted groups included).
    """

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="group_settings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(max_length=255)
    settings = models.JSONField(default=dict, blank=True)

    objects = SoftStateQuerySet["GroupSetting"].as_manager()

    class Meta:
        # Its index also serves the company's groups by name.
        constraints = [
            models.UniqueConstraint(
                fields=["company", "name"],
                name="group_name_unique_in_company",
                violation_error_message=GROUP_NAME_TAKEN,
            )
        ]

    def __str__(self) -> str:
        return self.name


class ClientQuerySet(SoftStateQuerySet["Client"]):
    """Client rows; set-based state changes come from SoftStateQuerySet."""


class Client(SoftStateModel):
    """A customer of a company, with nested contacts and documents."""

    CLASSIFICATIONS = (
        "individual",
        "business",
        "company",
        "partnership",
        "trust",
        "charity",
        "government",
        "other",
    )

    # No index of its own: `client_company_id` (company, id) leads with it, and every
    # index is one more entry to write on each insert and update.
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="clients",
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    group_settings = models.ForeignKey(
        GroupSetting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clients",
    )
    name = models.CharField(max_length=255, blank=True, default="")
    website = models.CharField(max_length=255, blank=True, default="")
    private_notes = models.TextField(blank=True, default="")
    public_notes = models.TextField(blank=True, default="")
    balance = money_field()
    paid_to_date = money_field()
    credit_balance = money_field()
    payment_balance = money_field()
    last_login = models.DateTimeField(null=True, blank=True)
    size_id = models.PositiveIntegerField(null=True, blank=True)
    industry_id = models.PositiveIntegerField(null=True, blank=True)
    client_hash = models.CharField(
        max_length=40, default=new_client_hash, editable=False
    )
    address1 = models.CharField(max_length=255, blank=True, default="")
    address2 = models.CharField(max_length=255, blank=True, default="")
    city = models.CharField(max_length=255, blank=True, default="")
    state = models.CharField(max_length=255, blank=True, default="")
    postal_code = models.CharField(max_length=255, blank=True, default="")
    country_id = models.PositiveIntegerField(null=True, blank=True)
    phone = models.CharField(max_length=255, blank=True, default="")
    custom_value1 = models.TextField(blank=True, default="")
    custom_value2 = models.TextField(blank=True, default="")
    custom_value3 = models.TextField(blank=True, default="")
    custom_value4 = models.TextField(blank=True, default="")
    shipping_address1 = models.CharField(max_length=255, blank=True, default="")
    shipping_address2 = models.CharField(max_length=255, blank=True, default="")
    shipping_city = models.CharField(max_length=255, blank=True, default="")
    shipping_state = models.CharField(max_length=255, blank=True, default="")
    shipping_postal_code = models.CharField(max_length=255, blank=True, default="")
    shipping_country_id = models.PositiveIntegerField(null=True, blank=True)
    settings = models.JSONField(default=dict, blank=True)
    vat_number = models.CharField(max_length=255, blank=True, default="")
    id_number = models.CharField(max_length=255, blank=True, default="")
    number = models.CharField(max_length=255, blank=True, default="")
    # Derived from `number` on save (bulk writers must set it): numeric-aware sort.
    number_sort = models.CharField(
        max_length=512, blank=True, default="", editable=False
    )
    classification = models.CharField(max_length=32, blank=True, default="")
    is_tax_exempt = models.BooleanField(default=False)
    has_valid_vat_number = models.BooleanField(default=False)
    routing_id = models.CharField(max_length=255, blank=True, default="")
    # The logo's stored files (storage names in `default_storage`, "" for none),
    # written only by `clients.services.logos`; the API shows download URLs.
    logo_path = models.CharField(max_length=255, blank=True, default="", editable=False)
    logo_large_path = models.CharField(
        max_length=255, blank=True, default="", editable=False
    )
    logo_medium_path = models.CharField(
        max_length=255, blank=True, default="", editable=False
    )
    logo_small_path = models.CharField(
        max_length=255, blank=True, default="", editable=False
    )

    documents = GenericRelation(
        "documents.Document",
        content_type_field="owner_type",
        object_id_field="owner_id",
        related_query_name="client",
    )

    objects = ClientQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"],
                condition=~models.Q(number=""),
                name="client_number_unique_in_company",
            ),
            models.UniqueConstraint(
                fields=["company", "id_number"],
                condition=~models.Q(id_number=""),
                name="client_id_number_unique_in_company",
            ),
        ]
        indexes = [
            # The list's default order and keyset pages, whatever other companies
            # hold (the foreign key's own index is not in id order).
            models.Index(fields=["company", "id"], name="client_company_id"),
            models.Index(
                fields=["company", "is_deleted", "archived_at"],
                name="client_company_state",
            ),
            models.Index(fields=["company", "name", "id"], name="client_company_name"),
            models.Index(
                fields=["company", "balance", "id"], name="client_company_balance"
            ),
            models.Index(
                fields=["company", "number_sort", "id"], name="client_company_number"
            ),
            models.Index(
                fields=["company", "created_at"], name="client_company_created"
            ),
            models.Index(
                fields=["company", "updated_at"], name="client_company_updated"
            ),
            models.Index(
                fields=["company", "group_settings"], name="client_company_group"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.number or f"Client {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.number_sort = natural_sort_key(self.number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "number_sort"}
        super().save(*args, **kwargs)


class Activity(models.Model):
    """One line of a client's activity log (upstream activity type ids)."""

    CREATE_CLIENT = 1
    ARCHIVE_CLIENT = 2
    DELETE_CLIENT = 3
    RESTORE_CLIENT = 26
    UPDATE_CLIENT = 61
    MERGE_CLIENT = 62
    UPLOAD_DOCUMENT = 63

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Served by `activity_client_recent` (client, -created_at), which leads with it.
    client = models.ForeignKey(
        Client,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
        db_index=False,
    )
    activity_type_id = models.PositiveIntegerField()
    notes = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "activities"
        indexes = [
            models.Index(
                fields=["client", "-created_at"], name="activity_client_recent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_type_id} {self.notes}"


TAG_MAX_LENGTH = 100


def tag_key(name: str) -> str:
    """What tag names are compared by: case folded in Python, so every database
    compares alike (SQLite's LOWER folds ASCII only)."""
    return name.casefold()


class Tag(models.Model):
    """A word of a company's tag vocabulary: unique in the company by `key`, its
    case-folded name (the first spelling is kept as `name`)."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    name = models.CharField(max_length=TAG_MAX_LENGTH)
    # Folding can lengthen a name ("ß" → "ss"): room for that.
    key = models.CharField(max_length=TAG_MAX_LENGTH * 3, editable=False)

    class Meta:
        # Its index also serves the company's tags by key.
        constraints = [
            models.UniqueConstraint(
                fields=["company", "key"], name="tag_key_unique_in_company"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.key = tag_key(self.name)
        super().save(*args, **kwargs)


class ClientTag(models.Model):
    """A tag on a client; both are of the same company (the services see to it)."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="tag_links", db_index=False
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="client_links")

    class Meta:
        # The unique index serves a page's tags (client first); the tag's own
        # index the filters by tag.
        constraints = [
            models.UniqueConstraint(fields=["client", "tag"], name="client_tag_unique")
        ]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.tag_id}"


class LedgerEntry(TimestampedModel):
    """A balance adjustment on a client (merges write one)."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="+"
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="ledger")
    notes = models.TextField(blank=True, default="")
    adjustment = money_field()
    balance = money_field()

    class Meta:
        verbose_name_plural = "ledger entries"
        indexes = [
            models.Index(fields=["client", "-created_at"], name="ledger_client_recent")
        ]

    def __str__(self) -> str:
        return f"{self.adjustment} → {self.balance}"


class ClientCount(models.Model):
    """How many client rows (any state) a company has, for the unfiltered list.

    Kept by database triggers on `clients_client` (migrations 0003, 0009), so it is
    right after any write — ORM, bulk, raw SQL or admin — and the default list page
    does not count a whole company's table on every request. The write version
    moves with every write of the company's clients (`clients.totals`).
    """

    company = models.OneToOneField(
        "companies.Company",
        on_delete=models.CASCADE,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    total = models.BigIntegerField(default=0)
    # Moves on every insert, update and delete of the company's clients (the same
    # triggers, migration 0009): a filtered list's total is cached under it, so
    # no write path can leave a stale one behind.
    version = models.BigIntegerField(db_default=0)

    def __str__(self) -> str:
        return f"{self.company_id}: {self.total}"


NO_CONTACT = "No Contact Set"


def display_name(client: Client, contacts: list[Any]) -> str:
    """The name when longer than one character, else the first contact's name or
    email, else "No Contact Set"."""
    if len(client.name or "") > 1:
        return client.name
    if contacts:
        contact = contacts[0]
        full = f"{contact.first_name} {contact.last_name}".strip()
        if contact.first_name or contact.last_name:
            return full
        if (contact.email or "").strip():
            return str(contact.email)
    return NO_CONTACT
