"""Coverage: a commune is covered when an organisation holds a current agreement with it. It belongs with the
agreements; the territory pages (commune list, commune page, coverage map) show it."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from moulin.organisations.models import Agreement, Organisation

# the communes, reached through the agreements (the territory app, which shows coverage, sits above this one)
Commune = Agreement._meta.get_field("commune").related_model

PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363",
    "#6baed6", "#fd8d3c", "#74c476", "#9e9ac8", "#969696", "#9c9ede", "#cedb9c", "#e7ba52", "#e7969c", "#de9ed6",
]  # fmt: skip


@dataclass
class Coverage:
    covered: int
    total: int

    @property
    def share(self) -> float:
        return 100 * self.covered / self.total if self.total else 0.0


def has_current_agreement(on=None) -> Exists:
    """For a commune queryset: whether the commune has a current agreement with at least one organisation."""
    return Exists(Agreement.objects.current(on).filter(commune=OuterRef("pk")))


def coverage_figure(on=None) -> Coverage:
    return Coverage(covered=Commune.objects.covered(on).count(), total=Commune.objects.count())


def organisation_colours(organisations) -> dict[int, str]:
    return {org.pk: PALETTE[i % len(PALETTE)] for i, org in enumerate(sorted(organisations, key=lambda o: o.name))}


def coverage_geojson(*, user, on=None) -> dict:
    """Every commune with its boundary, whether it is covered and by which organisations (those the user sees)."""
    on = on or timezone.localdate()
    visible_orgs = Organisation.objects.visible_to(user).only("pk", "name", "short_name", "slug")
    colours = organisation_colours(visible_orgs)
    names = {o.pk: (o.display_name, o.get_absolute_url()) for o in visible_orgs}
    by_commune: dict[int, list[int]] = {}
    all_covered: set[int] = set()
    for commune_id, org_id in Agreement.objects.current(on).values_list("commune_id", "organisation_id"):
        all_covered.add(commune_id)
        if org_id in names and org_id not in by_commune.setdefault(commune_id, []):
            by_commune[commune_id].append(org_id)
    features = []
    for commune in Commune.objects.with_boundary().select_related("canton").defer("canton__boundary").order_by("name"):
        orgs = sorted(by_commune.get(commune.pk, []), key=lambda pk: names[pk][0])
        features.append(
            {
                "type": "Feature",
                "geometry": commune.boundary,
                "properties": {
                    "code": commune.code,
                    "name": commune.name,
                    "canton": commune.canton.name,
                    "population": commune.population,
                    "url": commune.get_absolute_url(),
                    "covered": commune.pk in all_covered,
                    "organisations": [{"name": names[pk][0], "url": names[pk][1]} for pk in orgs],
                    "colour": colours[orgs[0]] if orgs else None,
                },
            }
        )
    legend = [
        {"name": names[pk][0], "colour": colours[pk], "url": names[pk][1]}
        for pk in sorted({pk for ids in by_commune.values() for pk in ids}, key=lambda pk: names[pk][0])
    ]
    return {"type": "FeatureCollection", "features": features, "legend": legend}
