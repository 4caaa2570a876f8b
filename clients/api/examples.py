"""The clients' and groups' examples of the OpenAPI document: the requests, and
the examples of each operation (see `config/api/examples.py`)."""

from drf_spectacular.utils import OpenApiExample

from clients.api.example_answers import (
    BULK_ARCHIVE_ANSWER,
    BULK_INVALID_ANSWER,
    CLIENT_LIST_ANSWER,
    CREATE_INVALID_ANSWER,
    NORTHWIND,
    NORTHWIND_UPDATED,
    WHOLESALE_GROUP,
)
from config.api.examples import Body
from documents.api.examples import LOGO_DOCUMENT

# Requests

CREATE_REQUEST: Body = {
    "name": "Northwind Traders",
    "website": "https://northwind.example",
    "phone": "+1 555 0100",
    "address1": "100 Main Street",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "country_id": "840",
    "classification": "business",
    "public_notes": "Invoices go to accounts payable.",
    "settings": {"currency_id": "1"},
    "contacts": [
        {
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "jane@northwind.example",
            "phone": "+1 555 0101",
            "is_primary": True,
        },
        {"first_name": "John", "last_name": "Roe", "email": "john@northwind.example"},
    ],
}

CREATE_MINIMAL_REQUEST: Body = {"name": "Globex Corporation"}

CREATE_WITH_CODES_REQUEST: Body = {
    "name": "Initech GmbH",
    "country_code": "DE",
    "currency_code": "EUR",
    "language_code": "de",
    "contacts": [
        {"first_name": "Bill", "last_name": "Lumbergh", "email": "bill@initech.example"}
    ],
}

UPDATE_REQUEST: Body = {
    "public_notes": "Pays by bank transfer within 30 days.",
    "size_id": "2",
    "contacts": [
        {
            "id": "VolejRejNm",
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "jane@northwind.example",
            "phone": "+1 555 0101",
            "is_primary": True,
        },
        {
            "first_name": "Ana",
            "last_name": "Trujillo",
            "email": "ana@northwind.example",
        },
    ],
}

BULK_ARCHIVE_REQUEST: Body = {"action": "archive", "ids": ["Wpmbk5ezJn", "Opnel5aKBz"]}

BULK_ASSIGN_GROUP_REQUEST: Body = {
    "action": "assign_group",
    "ids": ["VolejRejNm"],
    "group_settings_id": "VolejRejNm",
}

BULK_UPDATE_REQUEST: Body = {
    "action": "bulk_update",
    "ids": ["VolejRejNm"],
    "column": "public_notes",
    "new_value": "Net 30",
}

BULK_ADD_TAGS_REQUEST: Body = {
    "action": "add_tags",
    "ids": ["Wpmbk5ezJn", "Opnel5aKBz"],
    "tags": ["wholesale"],
}

TAGS_REQUEST: Body = {"tags": ["VIP", "wholesale"]}

STATUS_REQUEST: Body = {"status": "archived"}

GROUP_CREATE_REQUEST: Body = {
    "name": "Wholesale",
    "settings": {"currency_id": "2", "payment_terms": "30"},
}

# Refused, so not a request example: it is what CREATE_INVALID_ANSWER answered.
CREATE_INVALID_REQUEST: Body = {
    "name": "Umbrella",
    "country_id": "9999",
    "contacts": [{"email": "not-an-email"}],
}


# The examples of each operation

CLIENT_LIST = [
    OpenApiExample(
        "A page of one client",
        summary="GET /clients?per_page=1&status=active",
        value=CLIENT_LIST_ANSWER,
        response_only=True,
    ),
]

CLIENT_SHOW = [
    OpenApiExample("A client", value={"data": NORTHWIND}, response_only=True),
]

CLIENT_CREATE = [
    OpenApiExample(
        "A client with two contacts",
        description="No `number`: the next one is generated (`0001`).",
        value=CREATE_REQUEST,
        request_only=True,
    ),
    OpenApiExample(
        "Only a name",
        description="The client gets one blank contact and the company's country.",
        value=CREATE_MINIMAL_REQUEST,
        request_only=True,
    ),
    OpenApiExample(
        "Country, currency and language by code",
        value=CREATE_WITH_CODES_REQUEST,
        request_only=True,
    ),
    OpenApiExample(
        "The client created",
        value={"data": NORTHWIND},
        response_only=True,
    ),
    OpenApiExample(
        "An unknown country and an invalid email",
        value=CREATE_INVALID_ANSWER,
        response_only=True,
        status_codes=["422"],
    ),
]

CLIENT_UPDATE = [
    OpenApiExample(
        "New notes, a size and the whole set of contacts",
        description=(
            "Jane (by her `id`) stays, John is left out and so deleted, Ana is added."
        ),
        value=UPDATE_REQUEST,
        request_only=True,
    ),
    OpenApiExample(
        "The client updated",
        value={"data": NORTHWIND_UPDATED},
        response_only=True,
    ),
]

CLIENT_BULK = [
    OpenApiExample("Archive", value=BULK_ARCHIVE_REQUEST, request_only=True),
    OpenApiExample(
        "Put clients in a group", value=BULK_ASSIGN_GROUP_REQUEST, request_only=True
    ),
    OpenApiExample("Set one column", value=BULK_UPDATE_REQUEST, request_only=True),
    OpenApiExample("Tag clients", value=BULK_ADD_TAGS_REQUEST, request_only=True),
    OpenApiExample(
        "The clients archived",
        value=BULK_ARCHIVE_ANSWER,
        response_only=True,
    ),
    OpenApiExample(
        "An id that is not one of the company's clients",
        value=BULK_INVALID_ANSWER,
        response_only=True,
        status_codes=["422"],
    ),
]

CLIENT_TAGS = [
    OpenApiExample("Replace the tags", value=TAGS_REQUEST, request_only=True),
    OpenApiExample(
        "The client with its new tags",
        value={"data": {**NORTHWIND, "tags": ["VIP", "wholesale"]}},
        response_only=True,
    ),
]

CLIENT_STATUS = [
    OpenApiExample("Archive", value=STATUS_REQUEST, request_only=True),
    OpenApiExample(
        "The client archived",
        value={"data": {**NORTHWIND, "archived_at": 1796191334}},
        response_only=True,
    ),
]

CLIENT_UPLOAD = [
    OpenApiExample(
        "The client with the uploaded logo.png",
        value={"data": {**NORTHWIND_UPDATED, "documents": [LOGO_DOCUMENT]}},
        response_only=True,
    ),
]

LOGO_URL = "http://127.0.0.1:8000/api/v1/clients/VolejRejNm/logo"
CLIENT_LOGO = [
    OpenApiExample(
        "The client with its logo",
        value={
            "data": {
                **NORTHWIND,
                "updated_at": 1796191334,
                "logo": LOGO_URL,
                "logo_thumb_large": f"{LOGO_URL}?size=large",
                "logo_thumb_medium": f"{LOGO_URL}?size=medium",
                "logo_thumb_small": f"{LOGO_URL}?size=small",
            }
        },
        response_only=True,
    ),
]


GROUP_CREATE = [
    OpenApiExample(
        "A group with its own currency and terms",
        value=GROUP_CREATE_REQUEST,
        request_only=True,
    ),
    OpenApiExample(
        "The group created", value={"data": WHOLESALE_GROUP}, response_only=True
    ),
]

GROUP_BULK = [
    OpenApiExample(
        "Archive", value={"action": "archive", "ids": ["VolejRejNm"]}, request_only=True
    ),
]
