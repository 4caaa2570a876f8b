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

from companies.models import ApiToken, Company, Membership
from companies.services import token_create, token_revoke
from config.admin import FlagListFilter


class MembershipInline(admin.TabularInline[Membership, Company]):
    """The company's members and their roles and permissions."""

    model = Membership
    fields = ("user", "is_owner", "is_admin", "is_locked", "permissions")
    autocomplete_fields = ("user",)
    extra = 0


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin[Company]):
    """Tenants, with their members inline."""

    list_display = ("name", "company_key", "member_count", "created_at")
    search_fields = ("name", "company_key")
    readonly_fields = ("company_key", "created_at", "updated_at")
    fields = ("name", "company_key", "settings", "created_at", "updated_at")
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
