"""The documents' examples of the OpenAPI document (see `config/api/examples.py`)."""

from drf_spectacular.utils import OpenApiExample

from config.api.examples import Body

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
