"""The token lookup every API request makes, as one prepared query."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from companies.models import ApiToken, Company, Membership
from config.prepared import PreparedQuery, attnames, instance_from_row

User = get_user_model()
# The token's columns, then its membership's, company's and user's, in one row.
PARTS = (
    (ApiToken, ""),
    (Membership, "membership__"),
    (Company, "membership__company__"),
    (User, "membership__user__"),
)
COLUMNS = tuple((model, attnames(model), prefix) for model, prefix in PARTS)


def _token_row(digest: str) -> QuerySet[Any]:
    names = [prefix + name for _, columns, prefix in COLUMNS for name in columns]
    return ApiToken.objects.filter(token_digest=digest).values_list(*names)


TOKEN_ROW = PreparedQuery(_token_row)


def token_with_membership(digest: str) -> ApiToken | None:
    """The token of `digest` with `membership`, `membership.company` and
    `membership.user` loaded, or None."""
    rows = TOKEN_ROW.rows(digest=digest)
    if not rows:
        return None
    row, start = rows[0], 0
    parts = []
    for model, columns, _ in COLUMNS:
        parts.append(
            instance_from_row(model, columns, row[start : start + len(columns)])
        )
        start += len(columns)
    token, membership, company, user = parts
    ApiToken.membership.field.set_cached_value(token, membership)
    Membership.company.field.set_cached_value(membership, company)
    Membership.user.field.set_cached_value(membership, user)
    token_instance: ApiToken = token
    return token_instance
