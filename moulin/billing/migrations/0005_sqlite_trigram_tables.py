"""The searched names' trigram tables on SQLite (moulin.core.search.trigram_indexes), filled from the rows there:
the site search and the list search read them instead of folding every row. PostgreSQL has had its trigram
indexes since the earlier search migration."""

from django.db import migrations

from moulin.core.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_list_sort_index"), ("core", "0007_trigram_indexes_without_pending_list")]

    operations = [
        trigram_indexes("billing_invoice", "number", "buyer_name", vendors=("sqlite",)),
    ]
