from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from moulin.core.reference import load_all
from moulin.territory.reference import load_territory


class Command(BaseCommand):
    help = "Load (or refresh) the reference data the product needs: communes, cantons, domains and more."

    def add_arguments(self, parser):
        parser.add_argument("--communes", type=Path, help="CSV of communes in the shape of lu_communes_2023.csv")
        parser.add_argument("--cantons", type=Path, help="CSV of cantons in the shape of lu_cantons.csv")
        parser.add_argument("--boundaries", type=Path, help="GeoJSON of commune boundaries (property lau2)")

    @transaction.atomic
    def handle(self, *args, communes=None, cantons=None, boundaries=None, **options):
        if communes or cantons:
            if not (communes and cantons):
                self.stderr.write("Give both --communes and --cantons.")
                raise SystemExit(2)
            result = load_territory(communes, cantons, boundaries, None)
            self.stdout.write(f"  territory: {result}")
            return
        load_all(self.stdout)
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
