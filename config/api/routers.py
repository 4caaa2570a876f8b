"""The router every app uses: routes answer with and without a trailing slash."""

from rest_framework.routers import SimpleRouter


class ApiRouter(SimpleRouter):
    """`/clients` and `/clients/` are both served directly, never redirected."""

    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"
