"""Companies, memberships and API tokens in Django admin, for staff.

Tokens are issued through `token_create`, so only their digest is stored; the
plain token is shown once, in a message on the page after adding it.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import ngettext

from companies.models import REQUIRABLE_FIELDS, ApiToken, Company, Membership
from companies.services import token_create, token_revoke
from config.admin import FlagListFilter


class MembershipInline(admin.TabularInline[Membership, Company]):
    """The company's members and their roles and permissions."""

    model = Membership
    fields = ("user", "is_owner", "is_admin", "is_locked", "permissions")
    autocomplete_fields = ("user",)
    extra = 0


def _label_field_name(record: str, field: str) -> str:
    return f"required_{record}_{field}"


REQUIRED_LABEL_FIELDS = {
    _label_field_name(record, field): (record, field)
    for record, fields in REQUIRABLE_FIELDS.items()
    for field in fields
}


def _label_box(record: str, field: str) -> forms.CharField:
    return forms.CharField(
        label=f"{record.title()} {field} required as",
        required=False,
        max_length=100,
        help_text=(
            f"A label makes the {record}'s {field} required (and names it in "
            "error messages); leave empty for an optional field."
        ),
    )


class CompanyFormBase(forms.ModelForm[Company]):
    """The company, with one label box per requirable field: a label makes the
    field required on every client (or contact) write, an empty box does not."""

    class Meta:
        model = Company
        fields = ("name", "settings")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (record, field) in REQUIRED_LABEL_FIELDS.items():
            self.initial.setdefault(
                name, self.instance.required_labels(record).get(field, "")
            )

    def save(self, commit: bool = True) -> Company:
        chosen: dict[str, dict[str, str]] = {}
        for name, (record, field) in REQUIRED_LABEL_FIELDS.items():
            label = self.cleaned_data.get(name, "").strip()
            if label:
                chosen.setdefault(record, {})[field] = label
        self.instance.required_fields = chosen
        return super().save(commit=commit)


# The admin builds its form from declared fields only, so the boxes are declared.
CompanyAdminForm: type[CompanyFormBase] = type(
    "CompanyAdminForm",
    (CompanyFormBase,),
    {
        "__module__": __name__,
        **{
            name: _label_box(record, field)
            for name, (record, field) in REQUIRED_LABEL_FIELDS.items()
        },
    },
)


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin[Company]):
    """Tenants, with their members inline."""

    form = CompanyAdminForm
    list_display = ("name", "company_key", "member_count", "created_at")
    search_fields = ("name", "company_key")
    readonly_fields = ("company_key", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "company_key", "settings")}),
        ("Required fields", {"fields": tuple(REQUIRED_LABEL_FIELDS)}),
        (None, {"fields": ("created_at", "updated_at")}),
    )
    inlines = (MembershipInline,)
    ordering = ("name", "pk")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Company]:
        companies: QuerySet[Company] = super().get_queryset(request)
        return companies.annotate(members=Count("memberships"))

    @admin.display(description="members", ordering="members")
    def member_count(self, company: Company) -> int:
        return int(getattr(company, "members", 0))


class MembershipRoleListFilter(admin.SimpleListFilter):
    """Members by role: owners, admins (owners may be admins too), or neither."""

    title = "role"
    parameter_name = "role"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return (("owner", "Owner"), ("admin", "Admin"), ("member", "Other"))

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        value = self.value()
        if value == "owner":
            return queryset.filter(is_owner=True)
        if value == "admin":
            return queryset.filter(is_admin=True)
        if value == "member":
            return queryset.filter(is_owner=False, is_admin=False)
        return queryset


class MembershipStatusListFilter(FlagListFilter):
    title = "status"
    parameter_name = "status"
    field_name = "is_locked"
    flags = (("active", "Active", False), ("locked", "Locked", True))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    """A user's role in a company (also what tokens are issued for)."""

    list_display = ("user", "company", "is_owner", "is_admin", "active")
    list_select_related = ("user", "company")
    list_filter = (MembershipRoleListFilter, MembershipStatusListFilter)
    search_fields = ("user__username", "user__email", "company__name")
    # Also the order of the token form's membership autocomplete, which pages.
    ordering = ("company__name", "user__username", "pk")
    autocomplete_fields = ("user", "company")

    # A green tick for a member in good standing, not a red cross under "locked".
    @admin.display(description="active", boolean=True, ordering="-is_locked")
    def active(self, membership: Membership) -> bool:
        return not membership.is_locked


class ApiTokenAddForm(forms.ModelForm[ApiToken]):
    """Who the token is for and its label; the value is generated."""

    class Meta:
        model = ApiToken
        fields = ("membership", "name")

    def clean_membership(self) -> Membership:
        membership: Membership = self.cleaned_data["membership"]
        if membership.is_locked:
            raise ValidationError(
                "This membership is locked; unlock it first, or the token would "
                "answer 403."
            )
        return membership


class TokenStatusListFilter(FlagListFilter):
    title = "status"
    parameter_name = "status"
    field_name = "is_revoked"
    flags = (("active", "Active", False), ("revoked", "Revoked", True))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """API tokens: issue (shown once), rename, revoke. The digest is never shown."""

    list_display = (
        "name",
        "user",
        "company",
        "created_at",
        "last_used_at",
        "active",
    )
    list_select_related = ("membership__user", "membership__company")
    list_filter = (TokenStatusListFilter,)
    search_fields = (
        "name",
        "membership__user__username",
        "membership__user__email",
        "membership__company__name",
    )
    autocomplete_fields = ("membership",)
    actions = ("revoke_tokens",)
    ordering = ("-created_at", "-pk")

    @admin.display(description="user", ordering="membership__user__username")
    def user(self, token: ApiToken) -> str:
        return token.membership.user.get_username()

    @admin.display(description="company", ordering="membership__company__name")
    def company(self, token: ApiToken) -> str:
        return token.membership.company.name

    @admin.display(description="active", boolean=True, ordering="-is_revoked")
    def active(self, token: ApiToken) -> bool:
        return not token.is_revoked

    @admin.display(description="status")
    def status(self, token: ApiToken) -> str:
        return "revoked" if token.is_revoked else "active"

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("membership", "name")
        return ("name", "membership", "status", "created_at", "last_used_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        return ("membership", "status", "created_at", "last_used_at")

    def save_model(
        self, request: HttpRequest, obj: ApiToken, form: Any, change: bool
    ) -> None:
        if change:
            obj.save(update_fields=["name", "updated_at"])
            return
        issued = token_create(
            membership=form.cleaned_data["membership"], name=form.cleaned_data["name"]
        )
        obj.pk = issued.token.pk
        obj._state.adding = False
        obj.refresh_from_db()
        self.message_user(
            request,
            "Copy the token now, it is not shown again: " + issued.plain,
            messages.WARNING,
        )

    @admin.action(description="Revoke selected tokens", permissions=["change"])
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        tokens = list(queryset.filter(is_revoked=False))
        for token in tokens:
            token_revoke(token=token)
        text = ngettext("Revoked %d token.", "Revoked %d tokens.", len(tokens))
        self.message_user(request, text % len(tokens), messages.SUCCESS)
