"""A group's name: one set of rules (`group_name_clean`) for the API and the admin,
and the database constraint behind them, with the migration that brought it."""

from datetime import timedelta
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from clients.models import GroupSetting
from clients.services.groups import (
    group_name_clean,
    group_setting_create,
    group_setting_update,
)
from tests.clients.support import GROUPS, errors, group_url
from tests.factories import CompanyFactory, GroupSettingFactory

TAKEN = {"name": ["The name has already been taken."]}
REQUIRED = {"name": ["The name field is required."]}
ADD = reverse("admin:clients_groupsetting_add")


def change_url(group: GroupSetting) -> str:
    return reverse("admin:clients_groupsetting_change", args=[group.pk])


# -- the rules -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_name_is_stored_without_tags_and_surrounding_space() -> None:
    company = CompanyFactory.create()
    assert group_name_clean(company=company, name="  <i>VIP</i> clients ") == (
        "VIP clients"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "   ", "<b></b>", " <br/> "])
def test_a_name_with_nothing_left_is_required(name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        group_name_clean(company=CompanyFactory.create(), name=name)
    assert refused.value.message_dict == REQUIRED


@pytest.mark.django_db
def test_a_name_is_unique_in_its_company_only_and_compared_exactly() -> None:
    group = GroupSettingFactory.create(name="VIP", is_deleted=True)
    company = group.company
    with pytest.raises(ValidationError) as refused:
        group_name_clean(company=company, name="<b>VIP</b>")
    assert refused.value.message_dict == TAKEN
    assert group_name_clean(company=company, name="vip") == "vip"
    assert group_name_clean(company=CompanyFactory.create(), name="VIP") == "VIP"
    assert group_name_clean(company=company, name="VIP", group=group) == "VIP"


@pytest.mark.django_db
def test_a_name_longer_than_the_column_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        group_name_clean(company=CompanyFactory.create(), name="x" * 256)
    assert refused.value.message_dict == {
        "name": ["The name may not be greater than 255 characters."]
    }


# -- the constraint behind the rules ---------------------------------------------


@pytest.mark.django_db
def test_a_name_taken_past_the_check_is_a_validation_error_not_a_500() -> None:
    """A concurrent write can take the name between the check and the save."""
    taken = GroupSettingFactory.create(name="VIP")
    with pytest.raises(ValidationError) as refused:
        group_setting_create(company=taken.company, user=None, data={"name": "VIP"})
    assert refused.value.message_dict == TAKEN
    assert GroupSetting.objects.count() == 1


@pytest.mark.django_db
def test_a_rename_to_a_name_taken_past_the_check_is_a_validation_error() -> None:
    taken = GroupSettingFactory.create(name="VIP")
    other = GroupSettingFactory.create(company=taken.company, name="Gold")
    with pytest.raises(ValidationError) as refused:
        group_setting_update(group=other, user=None, data={"name": "VIP"})
    assert refused.value.message_dict == TAKEN
    other.refresh_from_db()
    assert other.name == "Gold"


def test_the_api_answers_a_race_on_the_name_like_a_taken_name(
    api: Any, company: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    GroupSettingFactory.create(company=company, name="VIP")
    monkeypatch.setattr(
        "clients.api.inputs.group_name_clean", lambda **kwargs: kwargs["name"]
    )
    assert errors(api.post(GROUPS, {"name": "VIP"}, format="json")) == TAKEN
    assert GroupSetting.objects.filter(company=company).count() == 1


def test_the_api_renames_under_the_same_rules(api: Any, company: Any) -> None:
    GroupSettingFactory.create(company=company, name="VIP")
    group = GroupSettingFactory.create(company=company, name="Gold")
    response = api.put(group_url(group.pk), {"name": "<b>VIP</b>"}, format="json")
    assert errors(response) == TAKEN
    response = api.put(group_url(group.pk), {"name": " <b></b> "}, format="json")
    assert errors(response) == REQUIRED
    response = api.put(group_url(group.pk), {"name": " <b>Gold</b> "}, format="json")
    assert response.status_code == 200
    assert response.json()["data"]["name"] == "Gold"


# -- the admin -------------------------------------------------------------------


def form_errors(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 200, "the form is shown again"
    form = response.context["adminform"].form
    return {key: list(messages) for key, messages in form.errors.items()}


@pytest.mark.django_db
def test_the_admin_refuses_a_taken_name_with_the_api_message(admin_client: Any) -> None:
    taken = GroupSettingFactory.create(name="VIP")
    response = admin_client.post(
        ADD, {"company": taken.company.pk, "name": " <b>VIP</b> "}
    )
    assert form_errors(response) == TAKEN
    assert GroupSetting.objects.count() == 1


@pytest.mark.django_db
def test_the_admin_refuses_a_rename_to_a_taken_name(admin_client: Any) -> None:
    taken = GroupSettingFactory.create(name="VIP")
    group = GroupSettingFactory.create(company=taken.company, name="Gold")
    response = admin_client.post(change_url(group), {"name": "VIP"})
    assert form_errors(response) == TAKEN
    group.refresh_from_db()
    assert group.name == "Gold"


@pytest.mark.django_db
def test_the_admin_requires_a_name_that_is_more_than_tags(admin_client: Any) -> None:
    company = CompanyFactory.create()
    response = admin_client.post(ADD, {"company": company.pk, "name": "<b></b>"})
    assert form_errors(response) == REQUIRED
    assert not GroupSetting.objects.exists()


@pytest.mark.django_db
def test_the_admin_takes_a_name_of_another_company_or_case(admin_client: Any) -> None:
    taken = GroupSettingFactory.create(name="VIP")
    for company, name in ((taken.company, "vip"), (CompanyFactory.create(), "VIP")):
        response = admin_client.post(ADD, {"company": company.pk, "name": name})
        assert response.status_code == 302
    assert GroupSetting.objects.count() == 3


# -- the migration that made names unique ----------------------------------------

MIGRATION = "0006_group_name_unique_in_company"
BEFORE = [("clients", "0005_drop_redundant_fk_indexes")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_renames_duplicates_and_then_applies() -> None:
    """On a database with duplicate names (made before the constraint), the
    oldest keeps its name and the others get the first free numbered name."""
    first, second = CompanyFactory.create(), CompanyFactory.create()
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        Group = old.get_model("clients", "GroupSetting")
        now = timezone.now()

        def make(company: Any, name: str, minutes_ago: int) -> int:
            created_at = now - timedelta(minutes=minutes_ago)
            row = Group.objects.create(
                company_id=company.pk, name=name, created_at=created_at
            )
            return int(row.pk)

        newer_vip = make(first, "VIP", 5)  # the lowest id, but not the oldest
        oldest_vip = make(first, "VIP", 30)
        newest_vip = make(first, "VIP", 1)
        make(first, "VIP (2)", 60)  # a numbered name already in use
        make(first, "vip", 2)  # another name: names are compared exactly
        long_name = "L" * 255
        make(first, long_name, 9)
        long_copy = make(first, long_name, 8)
        make(second, "VIP", 1)  # another company's
        gold = make(second, "Gold", 20)
        gold_copy = make(second, "Gold", 10)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)

    names = dict(GroupSetting.objects.values_list("pk", "name"))
    assert names[oldest_vip] == "VIP"
    assert (names[newer_vip], names[newest_vip]) == ("VIP (3)", "VIP (4)")
    assert names[long_copy] == f"{'L' * 251} (2)"
    assert (names[gold], names[gold_copy]) == ("Gold", "Gold (2)")
    assert sorted(
        GroupSetting.objects.filter(company=first).values_list("name", flat=True)
    ) == sorted(
        ["VIP", "VIP (2)", "VIP (3)", "VIP (4)", "vip", long_name, f"{'L' * 251} (2)"]
    )
    assert list(
        GroupSetting.objects.filter(company=second)
        .order_by("name")
        .values_list("name", flat=True)
    ) == ["Gold", "Gold (2)", "VIP"]


@pytest.mark.django_db
def test_the_migration_data_step_leaves_unique_names_alone() -> None:
    migration = import_module(f"clients.migrations.{MIGRATION}")
    groups = [GroupSettingFactory.create(name=name) for name in ("A", "B", "A")]
    migration.rename_duplicate_group_names(apps, None)
    assert [GroupSetting.objects.get(pk=group.pk).name for group in groups] == [
        "A",
        "B",
        "A",
    ]
