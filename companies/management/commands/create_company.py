"""`manage.py create_company`: a user, a company, an owner membership and a token."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from companies.services import company_create_with_owner


class Command(BaseCommand):
    help = (
        "Create (or reuse) a user and a company, make the user owner and admin, and "
        "issue an API token. The plain token is printed as the last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", required=True, help="Company name")
        parser.add_argument("--email", required=True, help="Login email of the owner")
        parser.add_argument(
            "--password", required=True, help="Login password of the owner"
        )
        parser.add_argument("--token", help="Use this token instead of a random one")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = company_create_with_owner(
                company_name=options["company"],
                email=options["email"],
                password=options["password"],
                token=options.get("token"),
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        verb = "Created" if created.company_created else "Reusing"
        self.stdout.write(f"{verb} company '{created.company.name}'.")
        verb = "Created" if created.user_created else "Reusing"
        self.stdout.write(
            f"{verb} user '{created.user.get_username()}' (owner, admin)."
        )
        self.stdout.write("API token (shown once, send it as X-API-TOKEN):")
        self.stdout.write(created.issued.plain)
