"""Company, membership and token services; the admin and commands call these too."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from companies.models import (
    ApiToken,
    Company,
    Membership,
    digest_token,
    new_plain_token,
)

User = get_user_model()


@dataclass(frozen=True)
class IssuedToken:
    """A token row and its plain value, which is shown once and never stored."""

    token: ApiToken
    plain: str


def token_create(
    *, membership: Membership, name: str = "API token", plain: str | None = None
) -> IssuedToken:
    """Issue a token for a membership; `plain` sets a known value (scripts, tests)."""
    plain = plain or new_plain_token()
    if len(plain) < 8:
        raise ValidationError("A token must be at least 8 characters long.")
    digest = digest_token(plain)
    if ApiToken.objects.filter(token_digest=digest).exists():
        raise ValidationError(
            "That token is already taken; choose another or omit --token."
        )
    token = ApiToken.objects.create(
        membership=membership, name=name, token_digest=digest
    )
    return IssuedToken(token=token, plain=plain)


def token_revoke(*, token: ApiToken) -> None:
    """Revoke a token; requests with it answer 403 from now on."""
    token.is_revoked = True
    token.save(update_fields=["is_revoked", "updated_at"])


def tokens_revoke_named(*, membership: Membership, name: str) -> int:
    """Revoke the membership's live tokens called `name`; return how many."""
    tokens = ApiToken.objects.filter(membership=membership, name=name, is_revoked=False)
    return tokens.update(is_revoked=True, updated_at=timezone.now())


@dataclass(frozen=True)
class CreatedCompany:
    """What `company_create_with_owner` made or reused, and the new token."""

    company: Company
    user: AbstractBaseUser
    membership: Membership
    issued: IssuedToken
    company_created: bool
    user_created: bool
    revoked_tokens: int = 0


@transaction.atomic
def company_create_with_owner(
    *,
    company_name: str,
    email: str,
    password: str,
    token: str | None = None,
    token_name: str = "API token",
    revoke_previous: bool = False,
) -> CreatedCompany:
    """Create or reuse a user and a company; make the user owner; issue a token.

    `revoke_previous` first revokes the owner's live tokens of the same name in
    the company, so re-running a set-up script leaves one working token, while
    tokens issued under other names stay valid.
    """
    token_name = token_name.strip()
    if not token_name or len(token_name) > 255:
        raise ValidationError("The token name must be 1 to 255 characters long.")
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(f"'{email}' is not a valid email address.") from exc
    if not company_name.strip():
        raise ValidationError("The company name must not be empty.")
    if not password:
        raise ValidationError("The password must not be empty.")

    user = User.objects.filter(username=email).first()
    user_created = user is None
    if user is None:
        user = User.objects.create_user(username=email, email=email, password=password)
    company = Company.objects.filter(name=company_name.strip()).order_by("pk").first()
    company_created = company is None
    if company is None:
        company = Company.objects.create(name=company_name.strip())
    membership, _ = Membership.objects.update_or_create(
        company=company, user=user, defaults={"is_owner": True, "is_admin": True}
    )
    revoked = 0
    if revoke_previous:
        revoked = tokens_revoke_named(membership=membership, name=token_name)
    issued = token_create(membership=membership, name=token_name, plain=token)
    return CreatedCompany(
        company=company,
        user=user,
        membership=membership,
        issued=issued,
        company_created=company_created,
        user_created=user_created,
        revoked_tokens=revoked,
    )
