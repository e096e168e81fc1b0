"""The data version's table (moulin/core/dataversion.py, decision 0011): one row, read and written in plain SQL,
no model (no view, policy or admin reads it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0003_search_fold_functions")]

    operations = [
        migrations.RunSQL(
            "CREATE TABLE core_dataversion (id integer NOT NULL PRIMARY KEY, token bigint NOT NULL)",
            "DROP TABLE core_dataversion",
            elidable=False,
        )
    ]
