"""`manage.py create_token`: a new API token for a member of a company."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from companies.management.commands._lookup import company_lookup, user_lookup
from companies.models import Membership
from companies.services import token_create


class Command(BaseCommand):
    help = (
        "Issue an API token for a user's membership in a company. The plain token "
        "is printed once, as the last line (with -v 0, alone); only its digest is "
        "stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="Login email of the user")
        parser.add_argument(
            "--company", required=True, help="Company name, company key or id"
        )
        parser.add_argument("--name", default="API token", help="A label for it")

    def handle(self, *args: Any, **options: Any) -> None:
        company = company_lookup(options["company"])
        user = user_lookup(options["email"])
        membership = (
            Membership.objects.filter(company=company, user=user)
            .select_related("user", "company")
            .first()
        )
        if membership is None:
            raise CommandError(
                f"{user.get_username()} is not a member of '{company.name}'. Add the "
                "membership in Django admin (Companies → the company → Memberships) "
                "first."
            )
        if membership.is_locked:
            raise CommandError(
                f"{user.get_username()}'s membership of '{company.name}' is locked; "
                "unlock it in Django admin first, or the token would answer 403."
            )
        name = options["name"].strip()
        if not name:
            raise CommandError("--name must not be empty.")
        try:
            issued = token_create(membership=membership, name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Token #{issued.token.pk} '{name}' for {user.get_username()} "
                f"in '{company.name}'."
            )
            self.stdout.write("API token (shown once, send it as X-API-TOKEN):")
        self.stdout.write(issued.plain)
