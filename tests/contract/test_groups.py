"""The CRUD contract of `/api/v1/group_settings`.

Groups have no contacts: the bodies send none and the rows carry no `contacts` key.
"""

from typing import Any, ClassVar

from django.db.models import Model

from companies.models import Company
from tests.clients.test_query_counts import GROUP_LIST, TOKEN
from tests.contract.crud import CrudContract
from tests.factories import GroupSettingFactory

GROUP_KEYS = frozenset(
    {"id", "name", "settings", "created_at", "updated_at", "archived_at", "is_deleted"}
)


class TestGroupsContract(CrudContract):
    list_url = "/api/v1/group_settings"
    not_found_message = "Group not found"
    permission_entity = "group_settings"
    shown_keys = GROUP_KEYS
    create_body: ClassVar[dict[str, Any]] = {
        "name": "VIP",
        "settings": {"currency_id": 2},
    }
    update_body: ClassVar[dict[str, Any]] = {
        "name": "Gold",
        "settings": {"currency_id": "3"},
    }
    # Settings are typed as a client's are: ids are strings.
    expected_after_create: ClassVar[dict[str, Any]] = {
        "name": "VIP",
        "settings": {"currency_id": "2"},
        "is_deleted": False,
        "archived_at": 0,
    }
    expected_after_update: ClassVar[dict[str, Any]] = {
        "name": "Gold",
        "settings": {"currency_id": "3"},
    }
    has_contacts = False
    delete_is_soft = True
    detail_methods = ("GET", "PUT", "PATCH", "DELETE")
    write_methods = ("PUT", "PATCH", "DELETE")
    list_queries = GROUP_LIST
    show_queries = TOKEN + 1

    def make_row(self, company: Company) -> Model:
        group: Model = GroupSettingFactory.create(company=company)
        return group
