"""The answers of the clients' and groups' examples, as the API gave them (see
`config/api/examples.py`)."""

from config.api.examples import Body

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


# Northwind's first contact, the same before and after `UPDATE_REQUEST`.
JANE = _contact(
    "VolejRejNm",
    "Jane",
    "Doe",
    "jane@northwind.example",
    key="8b815e2d32df1b52bcc26525df268ccb735a05af",
    created_at=1796191333,
    phone="+1 555 0101",
    is_primary=True,
)

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
        JANE,
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
    "logo": "",
    "logo_thumb_large": "",
    "logo_thumb_medium": "",
    "logo_thumb_small": "",
    "tags": [],
}

# Northwind after `UPDATE_REQUEST`.
NORTHWIND_UPDATED: Body = {
    **NORTHWIND,
    "public_notes": "Pays by bank transfer within 30 days.",
    "size_id": "2",
    "updated_at": 1796191334,
    "contacts": [
        JANE,
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
