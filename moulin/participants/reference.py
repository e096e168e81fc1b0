"""Employment measures (reference data), loaded from ``data/lu_employment_measures.csv`` (see SOURCE.md)."""

import csv
from pathlib import Path

from moulin.participants.models import EmploymentMeasure

DATA = Path(__file__).resolve().parent / "data" / "lu_employment_measures.csv"

#: maximum months under each measure, read from the CSV's duration column (see data/SOURCE.md)
MAX_MONTHS = {"ISE": 24, "CAE": 18, "CIE": 18, "CRE": 12, "SP": 2, "EIC": None, "OTI": None, "AIP": None,
              "REVIS": None}  # fmt: skip


def load_measures() -> int:
    with DATA.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        code = row["code"].strip()
        measure, created = EmploymentMeasure.objects.get_or_create(
            code=code,
            defaults={"max_months": MAX_MONTHS.get(code), "name": row["name_en"]},
        )
        measure.name = row["name_en"][:200]
        measure.name_local = row["name_fr"][:300]
        measure.target_group = row["target_group"]
        measure.legal_basis = row["legal_basis"][:300]
        measure.save()
    return len(rows)
