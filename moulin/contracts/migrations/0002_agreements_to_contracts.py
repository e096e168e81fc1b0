"""Every commune agreement made before contracts becomes carried by a commune contract (decision 0008)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from moulin.contracts.agreements import carry_agreements

    carry_agreements(apps, schema_editor)


def backwards(apps, schema_editor):
    from moulin.contracts.agreements import uncarry_agreements

    uncarry_agreements(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0001_initial"),
        ("organisations", "0003_volunteer_hours_date_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
