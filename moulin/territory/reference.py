"""Load the territory reference data (cantons, communes, boundaries) shipped in ``territory/data``."""

import csv
import json
from pathlib import Path

from django.db import transaction

from moulin.territory.models import Canton, Commune

DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def load_territory(
    communes_csv: Path = DATA_DIR / "lu_communes_2023.csv",
    cantons_csv: Path = DATA_DIR / "lu_cantons.csv",
    commune_boundaries: Path = DATA_DIR / "lu_communes_2023_simplified.geojson",
    canton_boundaries: Path = DATA_DIR / "lu_cantons_simplified.geojson",
) -> tuple[int, int]:
    """Create or update every canton and commune. Safe to run again: rows are matched on their codes."""
    canton_shapes = _shapes(canton_boundaries, "lau1")
    commune_shapes = _shapes(commune_boundaries, "lau2")
    cantons = {}
    with open(cantons_csv, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            canton, _ = Canton.objects.update_or_create(
                code=row["lau1_code"],
                defaults={
                    "name": row["name"],
                    "iso_code": row["iso_3166_2"],
                    "boundary": canton_shapes.get(row["lau1_code"]),
                },
            )
            cantons[canton.code] = canton
    n = 0
    with open(communes_csv, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            Commune.objects.update_or_create(
                code=row["lau2_code"],
                defaults={
                    "name": row["name"],
                    "canton": cantons[row["lau1_canton_code"]],
                    "population": int(row["population_2026_01_01"]),
                    "population_previous": int(row["population_2025_01_01"]),
                    "population_year": 2026,
                    "has_city_status": row["has_city_status"] == "true",
                    "boundary": commune_shapes.get(row["lau2_code"]),
                },
            )
            n += 1
    return len(cantons), n


def _shapes(path: Path, key: str) -> dict:
    if not path or not Path(path).exists():
        return {}
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {f["properties"][key]: f["geometry"] for f in data["features"]}
