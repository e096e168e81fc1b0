"""Trigram indexes of the searched names' folded text, on PostgreSQL (moulin.core.search.trigram_indexes): the
site search and the list search read them instead of folding every row."""

from django.db import migrations

from moulin.core.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("care", "0004_list_sort_indexes"), ("core", "0005_search_fold_tiers")]

    operations = [
        trigram_indexes("care_beneficiary", "last_name", "first_name", "address"),
    ]
