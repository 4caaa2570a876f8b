"""Finding the company and user that management commands are pointed at."""

from django.contrib.auth.models import User
from django.core.management.base import CommandError
from django.db.models import Q

from companies.models import Company


def company_lookup(value: str) -> Company:
    """The company whose company_key, id or (case-insensitive) name is `value`."""
    value = value.strip()
    if not value:
        raise CommandError("--company must not be empty.")
    condition = Q(company_key=value) | Q(name__iexact=value)
    if value.isdigit():
        condition |= Q(pk=int(value))
    matches = list(Company.objects.filter(condition).order_by("pk")[:10])
    exact = [c for c in matches if value in (c.company_key, str(c.pk))]
    if len(exact) == 1:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise CommandError(
            f"No company is named or keyed '{value}'. Run `manage.py list_tokens` "
            "to see the companies, or make one with `manage.py create_company`."
        )
    keys = ", ".join(f"{c.name} (key {c.company_key})" for c in matches)
    raise CommandError(
        f"Several companies match '{value}': {keys}. Pass the company key instead."
    )


def user_lookup(email: str) -> User:
    """The login user whose user name or email is `email` (case-insensitive)."""
    email = email.strip()
    users = list(
        User.objects.filter(
            Q(username__iexact=email) | Q(email__iexact=email)
        ).order_by("pk")[:2]
    )
    if not users:
        raise CommandError(
            f"No user has the login '{email}'. Make one with "
            "`manage.py create_company` or in Django admin (/admin/)."
        )
    if len(users) > 1:
        raise CommandError(
            f"Several users have the email '{email}'; pass the exact user name."
        )
    return users[0]
