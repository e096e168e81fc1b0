"""Trigram indexes of the searched names' folded text, on PostgreSQL (moulin.core.search.trigram_indexes): the
site search and the list search read them instead of folding every row."""

from django.db import migrations

from moulin.core.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("territory", "0002_former_communes_and_mergers"), ("core", "0005_search_fold_tiers")]

    operations = [
        trigram_indexes("territory_commune", "name", "code"),
    ]
