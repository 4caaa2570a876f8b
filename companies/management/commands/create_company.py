"""`manage.py create_company`: a user, a company, an owner membership and a token."""

import getpass
import os
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from companies.services import company_create_with_owner

PASSWORD_VARIABLE = "CREATE_COMPANY_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create (or reuse) a user and a company, make the user owner and admin, and "
        "issue an API token. The plain token is printed as the last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", required=True, help="Company name")
        parser.add_argument("--email", required=True, help="Login email of the owner")
        parser.add_argument(
            "--password",
            help=(
                "Login password of the owner (visible to other users of the "
                f"machine); without it, ${PASSWORD_VARIABLE} is used, else it is "
                "asked for on a terminal"
            ),
        )
        parser.add_argument("--token", help="Use this token instead of a random one")
        parser.add_argument(
            "--token-name", default="API token", help="A label for the token"
        )
        parser.add_argument(
            "--revoke-previous",
            action="store_true",
            help=(
                "First revoke the owner's live tokens of the same --token-name in "
                "the company (re-runs of a set-up script then leave one token)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = self._password(options)
        try:
            created = company_create_with_owner(
                company_name=options["company"],
                email=options["email"],
                password=password,
                token=options.get("token"),
                token_name=options["token_name"],
                revoke_previous=options["revoke_previous"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        verb = "Created" if created.company_created else "Reusing"
        self.stdout.write(f"{verb} company '{created.company.name}'.")
        verb = "Created" if created.user_created else "Reusing"
        self.stdout.write(
            f"{verb} user '{created.user.get_username()}' (owner, admin)."
        )
        if created.revoked_tokens:
            self.stdout.write(
                f"Revoked {created.revoked_tokens} earlier token(s) named "
                f"'{created.issued.token.name}'."
            )
        self.stdout.write("API token (shown once, send it as X-API-TOKEN):")
        self.stdout.write(created.issued.plain)

    def _password(self, options: dict[str, Any]) -> str:
        """`--password`, else the environment variable, else typed twice."""
        if options["password"] is not None:
            return str(options["password"])
        if PASSWORD_VARIABLE in os.environ:
            return os.environ[PASSWORD_VARIABLE]
        if not sys.stdin.isatty():
            raise CommandError(
                "No password for the owner. Pass --password PASSWORD, set the "
                f"environment variable {PASSWORD_VARIABLE}, or run the command in "
                "a terminal to type it."
            )
        password = getpass.getpass(f"Password for {options['email']}: ")
        if not password:
            raise CommandError("The password must not be empty; run it again.")
        if getpass.getpass("The same password again: ") != password:
            raise CommandError("The two passwords differ; run the command again.")
        return password
