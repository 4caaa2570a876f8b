"""A reusable check that another company's ids answer exactly like unknown ids."""

from typing import Any

from rest_framework.test import APIClient

from config.api.hashids import encode_id

UNKNOWN_PK = 987_654_321


def assert_foreign_id_is_not_found(
    api: APIClient,
    method: str,
    url_template: str,
    foreign_pk: int,
    message: str,
    data: Any = None,
    status: int = 404,
) -> None:
    """`url_template` has one `{id}`: the foreign id, an unknown id and garbage must all
    answer `status` with the same body `{"message": message, "errors": {}}`."""
    bodies = []
    for hashid in (encode_id(foreign_pk), encode_id(UNKNOWN_PK), "not-a-hashid"):
        response = getattr(api, method.lower())(
            url_template.format(id=hashid), data=data, format="json"
        )
        assert response.status_code == status, (
            hashid,
            response.status_code,
            response.content,
        )
        bodies.append(response.json())
    assert bodies[0] == bodies[1] == bodies[2] == {"message": message, "errors": {}}
