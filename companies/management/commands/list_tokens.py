"""`manage.py list_tokens`: the API tokens, never their values."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from companies.management.commands._lookup import company_lookup
from companies.models import ApiToken
from config.commands.output import quiet_when_the_reader_leaves

COLUMNS = ("id", "name", "user", "company", "created", "last used", "revoked")


def _time(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "never"


def _company(token: ApiToken) -> str:
    company = token.membership.company
    return f"{company.name} ({company.company_key})"


class Command(BaseCommand):
    help = (
        "List API tokens: id, name, user, company, created, last used and whether "
        "revoked. Token values are never stored, so they are never shown."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", help="Only this company (name, key or id)")

    def handle(self, *args: Any, **options: Any) -> None:
        tokens = ApiToken.objects.select_related(
            "membership__user", "membership__company"
        ).order_by("membership__company__name", "pk")
        if options.get("company"):
            tokens = tokens.filter(
                membership__company=company_lookup(options["company"])
            )
        rows = [
            (
                str(token.pk),
                token.name,
                token.membership.user.get_username(),
                _company(token),
                _time(token.created_at),
                _time(token.last_used_at),
                "yes" if token.is_revoked else "no",
            )
            for token in tokens.iterator(chunk_size=500)
        ]
        if not rows:
            if options["verbosity"] > 0:
                self.stdout.write("No tokens. Issue one with `manage.py create_token`.")
            return
        widths = [
            max(len(column), *(len(row[i]) for row in rows))
            for i, column in enumerate(COLUMNS)
        ]
        with quiet_when_the_reader_leaves(self.stdout):
            for row in (COLUMNS, *rows):
                self.stdout.write(
                    "  ".join(
                        cell.ljust(width)
                        for cell, width in zip(row, widths, strict=True)
                    ).rstrip()
                )
