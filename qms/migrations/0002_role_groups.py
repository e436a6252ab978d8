"""Create the role groups of Księga Jakości §10. Names are data and must match ``qms.roles``."""

from django.db import migrations

ROLES = [
    "Prezydent",
    "Najwyższe Kierownictwo",
    "Pełnomocnik ds. SZJ",
    "Koordynator WOU",
    "Zespół ds. Rozwoju SZJ",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("qms", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
