"""Trigram indexes of the searched names' folded text, on PostgreSQL (moulin.core.search.trigram_indexes): the
site search and the list search read them instead of folding every row."""

from django.db import migrations

from moulin.core.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_frozen_documents"), ("core", "0005_search_fold_tiers")]

    operations = [
        trigram_indexes("billing_invoice", "number", "buyer_name"),
    ]
