"""Every contract at once, for a resource that has them all."""

from tests.contract.bulk import BulkContract
from tests.contract.reads import (
    ListContract,
    NotFoundContract,
    QueryCountContract,
    ShowContract,
)
from tests.contract.writes import (
    CreateContract,
    DeleteContract,
    PermissionContract,
    UpdateContract,
)


class CrudContract(
    ListContract,
    ShowContract,
    NotFoundContract,
    CreateContract,
    UpdateContract,
    DeleteContract,
    PermissionContract,
    BulkContract,
    QueryCountContract,
):
    """List, show, 404s, create, update, delete, permissions, bulk, query counts."""
