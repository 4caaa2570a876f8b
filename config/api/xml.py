"""XML answers and request bodies, with the names of the JSON ones.

An object is an element per key, a list an `<item>` per entry, `null` an empty
element, booleans `true`/`false`:

    <response><data><name>Acme</name><contacts><item><email>a@acme.test</email>
    </item></contacts></data></response>

A key that is no XML name (`contacts.0.email` is one, `1st` is not) becomes
`<item key="1st">`. Characters XML 1.0 can't carry (most control characters)
are left out of the text.

Bodies are parsed only with defusedxml, and any DTD is refused: no entity
expansion (billion laughs), no external entity or DTD is ever fetched or read
(XXE). An XML body reads like a form body: every value is a string, an element
whose children are all `<item>` (or that repeat one name) is a list.
"""

import io
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import XMLGenerator

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from rest_framework.exceptions import ParseError as BodyRefused
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer

from config.api.parsers import MAX_NESTING, body_object, read_limited

ROOT = "response"
ITEM = "item"
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_NOT_XML_TEXT = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
NOT_XML = "The request body is not valid XML."
REFUSED = "The request body may not have a DTD or entities."
TOO_DEEP = "The request body is nested too deeply."
TOO_MANY = "The request body has more elements than DATA_UPLOAD_MAX_NUMBER_FIELDS."


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Decimal):
        return str(float(value))
    return _NOT_XML_TEXT.sub("", str(value))


class _Writer:
    def __init__(self, out: Any) -> None:
        self.xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)

    def element(self, name: str, value: Any) -> None:
        attributes: dict[str, str] = {}
        if not _XML_NAME.match(name) or name.lower().startswith("xml"):
            attributes = {"key": _NOT_XML_TEXT.sub("", name)}
            name = ITEM
        self.xml.startElement(name, attributes)  # type: ignore[arg-type]
        if isinstance(value, Mapping):
            for key, child in value.items():
                self.element(str(key), child)
        elif isinstance(value, list | tuple | set | frozenset):
            for child in value:
                self.element(ITEM, child)
        elif value is not None:
            self.xml.characters(_text(value))
        self.xml.endElement(name)


def xml_dumps(data: Any) -> bytes:
    """`data` as an XML document under `<response>`."""
    out = io.BytesIO()
    writer = _Writer(out)
    writer.xml.startDocument()
    writer.element(ROOT, data)
    writer.xml.endDocument()
    return out.getvalue()


class ApiXMLRenderer(BaseRenderer):
    """What `Accept: application/xml` (or `?format=xml`) gets."""

    media_type = "application/xml"
    format = "xml"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        return xml_dumps(data)


def _parsed(raw: bytes) -> Element:
    """The root element, read event by event so that a body nested too deeply or
    with more elements than a form may have fields is refused as it is read, before
    the whole tree is built."""
    elements = iterparse(io.BytesIO(raw), events=("start", "end"), forbid_dtd=True)
    depth = count = 0
    for event, _ in elements:
        if event == "end":
            depth -= 1
            continue
        depth += 1
        count += 1
        # The root is the body itself: its children are the top-level keys.
        if depth > MAX_NESTING + 1:
            raise BodyRefused(TOO_DEEP)
        if count > settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:
            raise TooManyFieldsSent(TOO_MANY)
    root: Element = elements.root  # type: ignore[attr-defined]
    return root


def _is_list(children: list[Element]) -> bool:
    """Every child an `<item>` (without a `key`), or several children of one name."""
    if all(child.tag == ITEM and "key" not in child.attrib for child in children):
        return True
    return len(children) > 1 and len({child.tag for child in children}) == 1


def _value(node: Element) -> Any:
    children = list(node)
    if not children:
        return node.text or ""
    if _is_list(children):
        return [_value(child) for child in children]
    grouped: dict[str, list[Any]] = {}
    for child in children:
        key = child.attrib.get("key", ITEM) if child.tag == ITEM else child.tag
        grouped.setdefault(key, []).append(_value(child))
    # A name that repeats is a list, as `ids[]` is in a form.
    return {
        key: values[0] if len(values) == 1 else values
        for key, values in grouped.items()
    }


def xml_loads(raw: bytes) -> dict[str, Any]:
    """The object an XML body holds (its root element's children); 400 for a
    malformed body, one with a DTD or entities, or one nested too deeply."""
    if not raw.strip():
        return {}
    try:
        root = _parsed(raw)
    except DefusedXmlException as exc:
        raise BodyRefused(REFUSED) from exc
    except (ParseError, ValueError) as exc:
        raise BodyRefused(NOT_XML) from exc
    # An empty root (`<client/>`) is an empty object.
    value = _value(root) or []
    return body_object(value, "The request body must hold an object.")


class ApiXMLParser(BaseParser):
    """`Content-Type: application/xml` bodies (also `text/xml`)."""

    media_type = "application/xml"

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        return xml_loads(read_limited(stream))


class TextXMLParser(ApiXMLParser):
    media_type = "text/xml"
