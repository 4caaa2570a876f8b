"""`manage.py revoke_token`: revoke an API token by its value or its id."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from companies.models import ApiToken, digest_token
from companies.services import token_revoke


class Command(BaseCommand):
    help = (
        "Revoke an API token, given either its plain value (--token) or its id "
        "(--id, as shown by list_tokens). Requests with it answer 403 from now on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--token", help="The plain token value")
        which.add_argument("--id", type=int, help="The token id from list_tokens")

    def handle(self, *args: Any, **options: Any) -> None:
        tokens = ApiToken.objects.select_related(
            "membership__user", "membership__company"
        )
        if options["token"] is not None:
            token = tokens.filter(token_digest=digest_token(options["token"])).first()
            what = "that value"
        else:
            token = tokens.filter(pk=options["id"]).first()
            what = f"id {options['id']}"
        if token is None:
            raise CommandError(
                f"No token has {what}. Run `manage.py list_tokens` to see the "
                "tokens and their ids."
            )
        label = (
            f"#{token.pk} '{token.name}' of {token.membership.user.get_username()} "
            f"in '{token.membership.company.name}'"
        )
        if token.is_revoked:
            if options["verbosity"] > 0:
                self.stdout.write(f"Token {label} was already revoked.")
            return
        token_revoke(token=token)
        if options["verbosity"] > 0:
            self.stdout.write(f"Revoked token {label}.")
