"""Content negotiation: JSON by default, XML when asked for, never HTML, never 406."""

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

# Media types that ask for the XML renderer besides its own `application/xml`.
XML_ALIASES = ("text/xml",)


class ApiNegotiation(DefaultContentNegotiation):
    """`?format=xml|json` first; else the `Accept` header, q-values honoured, JSON
    winning ties (`*/*`); no header, or one naming neither JSON nor XML
    (`text/html`), gets JSON as well: an unknown `Accept` is not a 406."""

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, Any]:
        choices = list(renderers)
        wanted = format_suffix or request.query_params.get(
            self.settings.URL_FORMAT_OVERRIDE
        )
        by_format = {renderer.format: renderer for renderer in choices}
        if wanted in by_format:
            chosen = by_format[wanted]
            return chosen, chosen.media_type
        by_type = {renderer.media_type: renderer for renderer in choices}
        if "application/xml" in by_type:
            by_type.update(dict.fromkeys(XML_ALIASES, by_type["application/xml"]))
        preferred = request._request.get_preferred_type(list(by_type))
        chosen = by_type.get(preferred or "", choices[0])
        return chosen, chosen.media_type


def prefers_xml(request: HttpRequest) -> bool:
    """The same choice for answers made outside DRF (unknown paths, 500s)."""
    wanted = request.GET.get("format")
    if wanted in ("json", "xml"):
        return wanted == "xml"
    preferred = request.get_preferred_type(
        ["application/json", "application/xml", *XML_ALIASES]
    )
    return preferred is not None and preferred != "application/json"
