"""Trigram indexes of the searched names' folded text, on PostgreSQL (moulin.core.search.trigram_indexes): the
site search and the list search read them instead of folding every row."""

from django.db import migrations

from moulin.core.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("organisations", "0003_volunteer_hours_date_index"), ("core", "0005_search_fold_tiers")]

    operations = [
        trigram_indexes("organisations_organisation", "name", "short_name", "locality", "legal_number"),
    ]
