"""Group names unique in a company.

Databases made before this may hold duplicates (the admin did not check): the
oldest group keeps its name and the others get the first free " (2)", " (3)"…
suffix, so the constraint applies. The unique index also serves what the plain
(company, name) index did, which goes.
"""

from django.db import migrations, models
from django.db.models import Count

NAME_MAX_LENGTH = 255


def _free_name(name, taken, start):
    """The first `name (n)`, n >= start, not in `taken` (cut to fit 255)."""
    suffix = start
    while True:
        label = f" ({suffix})"
        candidate = f"{name[: NAME_MAX_LENGTH - len(label)]}{label}"
        if candidate not in taken:
            return candidate, suffix
        suffix += 1


def rename_duplicate_group_names(apps, schema_editor):
    """Give every group but the oldest of a duplicated name a numbered name."""
    GroupSetting = apps.get_model("clients", "GroupSetting")
    duplicated = (
        GroupSetting.objects.values("company_id", "name")
        .annotate(count=Count("id"))
        .filter(count__gt=1)
        .order_by("company_id", "name")
    )
    for row in list(duplicated):
        company_groups = GroupSetting.objects.filter(company_id=row["company_id"])
        taken = set(company_groups.values_list("name", flat=True))
        same_name = company_groups.filter(name=row["name"]).order_by("created_at", "pk")
        suffix = 2
        for pk in list(same_name.values_list("pk", flat=True))[1:]:
            new_name, suffix = _free_name(row["name"], taken, suffix)
            taken.add(new_name)
            suffix += 1
            GroupSetting.objects.filter(pk=pk).update(name=new_name)


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0005_drop_redundant_fk_indexes"),
    ]

    operations = [
        migrations.RunPython(rename_duplicate_group_names, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="groupsetting",
            constraint=models.UniqueConstraint(
                fields=("company", "name"),
                name="group_name_unique_in_company",
                violation_error_message="The name has already been taken.",
            ),
        ),
        migrations.RemoveIndex(
            model_name="groupsetting",
            name="group_company_name",
        ),
    ]
