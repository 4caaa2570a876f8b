"""Request and response examples of the OpenAPI document: the shared pieces.

Every answer in the examples is one the API gave. The requests were sent to a new
company (`create_company`, hash salt unset, served as `http://127.0.0.1:8000`) in
the order `tests/ops/test_openapi_examples.py` replays them, and the answers kept
as they came; that test checks that the same requests still get the same answers
(apart from ids, random keys and times), that every request example is answered
2xx and that every example fits its schema. The first example of an operation
is the body Swagger's "Try it out" starts from; a create's succeeds as it is.

Each resource keeps its own: `clients/api/examples.py` (requests and the
operations' examples) with `clients/api/example_answers.py`, and
`documents/api/examples.py`.
"""

from typing import Any

from drf_spectacular.utils import OpenApiExample

Body = dict[str, Any]

PING_ANSWER: Body = {"company_name": "Demo Company", "user_name": "owner@example.com"}

PING = [
    OpenApiExample("The token's company and user", value=PING_ANSWER),
]
