"""`X-API-TOKEN` authentication: finds the token, its membership, user and company."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from companies.models import ApiToken, digest_token
from companies.tokens import token_with_membership

TOKEN_HEADER = "HTTP_X_API_TOKEN"


class ApiTokenAuthentication(BaseAuthentication):
    """Authenticate by the `X-API-TOKEN` header only (never a query parameter).

    On success `request.auth` is the ApiToken, and `request.membership` and
    `request.company` are set for the views (and for DRF's clones of the request).
    """

    def authenticate(
        self, request: Request
    ) -> tuple[AbstractBaseUser, ApiToken] | None:
        plain = request.META.get(TOKEN_HEADER, "").strip()
        if not plain:
            raise AuthenticationFailed("Invalid token")
        token = token_with_membership(digest_token(plain))
        if token is None or token.is_revoked or not token.matches(plain):
            raise AuthenticationFailed("Invalid token")
        membership = token.membership
        if not membership.user.is_active:
            raise AuthenticationFailed("User inactive")
        if membership.is_locked:
            raise AuthenticationFailed("User access locked")
        token.mark_used()
        # On the Django request, not DRF's wrapper: DRF reads unknown attributes
        # through to it, and the copies it makes of a request (the OPTIONS
        # metadata's permission checks) wrap the same Django request.
        django_request = request._request
        django_request.membership = membership  # type: ignore[attr-defined]
        django_request.company = membership.company  # type: ignore[attr-defined]
        return membership.user, token

    def authenticate_header(self, request: Any) -> str | None:
        # No WWW-Authenticate challenge: upstream answers failed auth with 403.
        return None
