"""Every trigram index of the search without a pending list (``search.GIN_OPTIONS``, docs/performance.md).

PostgreSQL's GIN indexes keep new rows in a pending list by default, read row by row by every search until a
vacuum merges it into the index. The indexes built before this migration get the option and their pending list
merged; those built after it are created with the option (``search.trigram_indexes``). Nothing on SQLite.
"""

from django.db import migrations


def settle(apps, schema_editor):
    from moulin.core.search import settle_trigram_indexes

    settle_trigram_indexes(schema_editor.connection)


def unsettle(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexdef LIKE %s",
            ["%gin_trgm_ops%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'ALTER INDEX "{name}" RESET (fastupdate)')


class Migration(migrations.Migration):
    dependencies = [("core", "0006_list_sort_index")]

    operations = [migrations.RunPython(settle, unsettle, elidable=False)]
