"""Load the territory reference data (cantons, communes, boundaries) shipped in ``territory/data``."""

import csv
import datetime
import json
from pathlib import Path

from django.db import transaction

from moulin.territory.models import Canton, Commune, CommuneMerger, FormerCommune

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
    if communes_csv == DATA_DIR / "lu_communes_2023.csv":  # the merger history belongs to Luxembourg's own list
        load_former_communes()
    return len(cantons), n


def load_former_communes(
    former_csv: Path = DATA_DIR / "lu_communes_116_pre2012.csv",
    mergers_csv: Path = DATA_DIR / "lu_commune_mergers_2012_2023.csv",
) -> tuple[int, int]:
    """The 116 communes before the 2012–2023 mergers and the mergers themselves, matched on names and codes."""
    communes = {c.code: c for c in Commune.objects.all()}
    with open(former_csv, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        FormerCommune.objects.update_or_create(
            name=row["name_2011"],
            defaults={
                "canton_name": row["canton_2011"],
                "successor": communes[row["current_lau2"]],
                "absorbed_on": datetime.date.fromisoformat(row["absorbed_on"]) if row["absorbed_on"] else None,
                "merger_law": row["merger_law"][:255],
            },
        )
    with open(mergers_csv, newline="", encoding="utf-8") as fh:
        mergers = list(csv.DictReader(fh))
    for row in mergers:
        CommuneMerger.objects.update_or_create(
            commune=communes[row["new_lau2"]],
            effective_date=datetime.date.fromisoformat(row["effective_date"]),
            defaults={
                "former_communes": row["former_communes"].replace("; ", ", "),
                "legal_act": row["legal_act"][:255],
            },
        )
    return len(rows), len(mergers)


def _shapes(path: Path, key: str) -> dict:
    if not path or not Path(path).exists():
        return {}
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {f["properties"][key]: f["geometry"] for f in data["features"]}
