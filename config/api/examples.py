"""Request and response examples of the OpenAPI document.

Every answer below is one the API gave. The requests were sent to a new company
(`create_company`, hash salt unset, served as `http://127.0.0.1:8000`) in the
order `tests/ops/test_openapi_examples.py` replays them, and the answers kept as
they came; that test checks that the same requests still get the same answers
(apart from ids, random keys and times), that every request example is answered
2xx and that every example fits its schema. The first example of an operation
is the body Swagger's "Try it out" starts from; a create's succeeds as it is.
"""

from typing import Any

from drf_spectacular.utils import OpenApiExample

Body = dict[str, Any]

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

# Answers

CONTACT_LINK = "http://127.0.0.1:8000/client/key_login/{}"


def _contact(
    id: str,
    first_name: str,
    last_name: str,
    email: str,
    *,
    key: str,
    created_at: int,
    updated_at: int | None = None,
    phone: str = "",
    is_primary: bool = False,
) -> Body:
    """A contact as answered: the given values, the rest as every new contact has."""
    return {
        "id": id,
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "created_at": created_at,
        "updated_at": created_at if updated_at is None else updated_at,
        "archived_at": 0,
        "is_primary": is_primary,
        "is_locked": False,
        "phone": phone,
        "custom_value1": "",
        "custom_value2": "",
        "custom_value3": "",
        "custom_value4": "",
        "contact_key": key,
        "send_email": True,
        "last_login": 0,
        "password": "",
        "link": CONTACT_LINK.format(key),
    }


NORTHWIND: Body = {
    "id": "VolejRejNm",
    "user_id": "VolejRejNm",
    "assigned_user_id": "",
    "name": "Northwind Traders",
    "website": "https://northwind.example",
    "private_notes": "",
    "public_notes": "Invoices go to accounts payable.",
    "balance": 0.0,
    "paid_to_date": 0.0,
    "credit_balance": 0.0,
    "payment_balance": 0.0,
    "group_settings_id": "",
    "last_login": 0,
    "size_id": "",
    "industry_id": "",
    "client_hash": "6b1995974fb7db97f809f87f2b27280dc1ca51c4",
    "address1": "100 Main Street",
    "address2": "",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "country_id": "840",
    "phone": "+1 555 0100",
    "custom_value1": "",
    "custom_value2": "",
    "custom_value3": "",
    "custom_value4": "",
    "shipping_address1": "",
    "shipping_address2": "",
    "shipping_city": "",
    "shipping_state": "",
    "shipping_postal_code": "",
    "shipping_country_id": "",
    "settings": {
        "entity": "App\\Models\\Client",
        "industry_id": "",
        "size_id": "",
        "currency_id": "1",
    },
    "is_deleted": False,
    "vat_number": "",
    "id_number": "",
    "number": "0001",
    "classification": "business",
    "is_tax_exempt": False,
    "has_valid_vat_number": False,
    "routing_id": "",
    "created_at": 1796191333,
    "updated_at": 1796191333,
    "archived_at": 0,
    "display_name": "Northwind Traders",
    "contacts": [
        _contact(
            "VolejRejNm",
            "Jane",
            "Doe",
            "jane@northwind.example",
            key="8b815e2d32df1b52bcc26525df268ccb735a05af",
            created_at=1796191333,
            phone="+1 555 0101",
            is_primary=True,
        ),
        _contact(
            "Wpmbk5ezJn",
            "John",
            "Roe",
            "john@northwind.example",
            key="38da384530912216be0723f54834f5a070530f56",
            created_at=1796191333,
        ),
    ],
    "documents": [],
    "gateway_tokens": [],
    "tags": [],
}

# Northwind after `UPDATE_REQUEST`.
NORTHWIND_UPDATED: Body = {
    **NORTHWIND,
    "public_notes": "Pays by bank transfer within 30 days.",
    "size_id": "2",
    "updated_at": 1796191334,
    "contacts": [
        _contact(
            "VolejRejNm",
            "Jane",
            "Doe",
            "jane@northwind.example",
            key="8b815e2d32df1b52bcc26525df268ccb735a05af",
            created_at=1796191333,
            phone="+1 555 0101",
            is_primary=True,
        ),
        _contact(
            "4openRe7Az",
            "Ana",
            "Trujillo",
            "ana@northwind.example",
            key="3843f0321c9b0f4b7b34f0320d34791b15ac2d9b",
            created_at=1796191334,
        ),
    ],
}

# The minimal create, archived; what it shares with Northwind is what every new
# client gets.
GLOBEX_ARCHIVED: Body = {
    **NORTHWIND,
    "id": "Wpmbk5ezJn",
    "name": "Globex Corporation",
    "website": "",
    "public_notes": "",
    "client_hash": "069de99d9a941c18e8a0f5a4bd385f9c277b2f09",
    "address1": "",
    "city": "",
    "state": "",
    "postal_code": "",
    "phone": "",
    "number": "0002",
    "classification": "",
    "created_at": 1796191334,
    "updated_at": 1796191334,
    "archived_at": 1796191334,
    "display_name": "Globex Corporation",
    "contacts": [
        _contact(
            "Opnel5aKBz",
            "",
            "",
            "",
            key="be1a2aaa46d39264e43078eec13b48d32a43091e",
            created_at=1796191334,
            is_primary=True,
        )
    ],
}

# The create with codes, archived.
INITECH_ARCHIVED: Body = {
    **GLOBEX_ARCHIVED,
    "id": "Opnel5aKBz",
    "name": "Initech GmbH",
    "client_hash": "fe840f1eb72897a8a6da29b87bf6dc87288f39d3",
    "country_id": "276",
    "settings": {
        "entity": "App\\Models\\Client",
        "industry_id": "",
        "size_id": "",
        "currency_id": "3",
        "language_id": "3",
    },
    "number": "0003",
    "display_name": "Initech GmbH",
    "contacts": [
        _contact(
            "wMvbmOeYAl",
            "Bill",
            "Lumbergh",
            "bill@initech.example",
            key="d3ad48dc9c9c3d2788c31af8fa3bd1b53879a69f",
            created_at=1796191334,
            is_primary=True,
        )
    ],
}

LOGO_DOCUMENT: Body = {
    "id": "VolejRejNm",
    "user_id": "VolejRejNm",
    "assigned_user_id": "",
    "project_id": "",
    "vendor_id": "",
    "url": "http://127.0.0.1:8000/api/v1/documents/VolejRejNm/download",
    "preview": "",
    "name": "logo.png",
    "type": "png",
    "disk": "local",
    "hash": "c8210dad52e5d0d7fa8881b74ecdb0d10933ed54.png",
    "size": 176,
    "width": 120,
    "height": 40,
    "is_default": False,
    "is_public": True,
    "created_at": 1796191334,
    "updated_at": 1796191334,
    "archived_at": 0,
    "is_deleted": False,
}

WHOLESALE_GROUP: Body = {
    "id": "VolejRejNm",
    "name": "Wholesale",
    "settings": {"currency_id": "2", "payment_terms": "30"},
    "created_at": 1796191334,
    "updated_at": 1796191334,
    "archived_at": 0,
    "is_deleted": False,
}

CLIENT_LIST_ANSWER: Body = {
    "data": [NORTHWIND],
    "meta": {
        "pagination": {
            "total": 3,
            "count": 1,
            "per_page": 1,
            "current_page": 1,
            "total_pages": 3,
            "links": {
                "next": "http://127.0.0.1:8000/api/v1/clients?page=2&per_page=1&status=active"
            },
        }
    },
}

BULK_ARCHIVE_ANSWER: Body = {
    "data": [GLOBEX_ARCHIVED, INITECH_ARCHIVED],
    "meta": {
        "pagination": {
            "total": 2,
            "count": 2,
            "per_page": 20,
            "current_page": 1,
            "total_pages": 1,
            "links": {},
        }
    },
}

DOCUMENT_LIST_ANSWER: Body = {
    "data": [LOGO_DOCUMENT],
    "meta": {
        "pagination": {
            "total": 1,
            "count": 1,
            "per_page": 20,
            "current_page": 1,
            "total_pages": 1,
            "links": {},
        }
    },
}

# Refused, so not a request example: it is what CREATE_INVALID_ANSWER answered.
CREATE_INVALID_REQUEST: Body = {
    "name": "Umbrella",
    "country_id": "9999",
    "contacts": [{"email": "not-an-email"}],
}

CREATE_INVALID_ANSWER: Body = {
    "message": "The given data was invalid.",
    "errors": {
        "country_id": ["The selected country id is invalid."],
        "contacts.0.email": ["The contacts.0.email must be a valid email address."],
    },
}

BULK_INVALID_ANSWER: Body = {
    "message": "The given data was invalid.",
    "errors": {"ids": ["The selected ids is invalid."]},
}

PING_ANSWER: Body = {"company_name": "Demo Company", "user_name": "owner@example.com"}


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

DOCUMENT_LIST = [
    OpenApiExample(
        "A page of documents", value=DOCUMENT_LIST_ANSWER, response_only=True
    ),
]

DOCUMENT_UPDATE = [
    OpenApiExample(
        "Rename and hide",
        value={"name": "northwind-logo.png", "is_public": False},
        request_only=True,
    ),
]

DOCUMENT_BULK = [
    OpenApiExample(
        "Delete", value={"action": "delete", "ids": ["VolejRejNm"]}, request_only=True
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

PING = [
    OpenApiExample("The token's company and user", value=PING_ANSWER),
]
