"""Coverage: a commune is covered when an organisation holds a current agreement with it. It belongs with the
agreements; the territory pages (commune list, commune page, coverage map) show it."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from moulin.organisations.models import Agreement, Organisation

# the communes, reached through the agreements (the territory app, which shows coverage, sits above this one)
Commune = Agreement._meta.get_field("commune").related_model
# the 116 communes before the 2012–2023 mergers, reached through today's communes
FormerCommune = Commune._meta.get_field("former_communes").related_model

PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363",
    "#6baed6", "#fd8d3c", "#74c476", "#9e9ac8", "#969696", "#9c9ede", "#cedb9c", "#e7ba52", "#e7969c", "#de9ed6",
]  # fmt: skip


@dataclass
class Coverage:
    """Communes covered, against today's communes and against the 116 communes before the 2012–2023 mergers
    (the seed's "48 of 116"), both counted from the same current agreements."""

    covered: int
    total: int
    former_covered: int = 0
    former_total: int = 0

    @property
    def share(self) -> float:
        return 100 * self.covered / self.total if self.total else 0.0


def has_current_agreement(on=None, ref="pk") -> Exists:
    """For a commune queryset: whether the commune has a current agreement with at least one organisation (for
    former communes, ``ref="successor"``: whether the commune they are part of today has one)."""
    return Exists(Agreement.objects.current(on).filter(commune=OuterRef(ref)))


def coverage_figure(on=None, *, communes=None, organisations=None) -> Coverage:
    """The network's coverage; ``communes`` limits it to those communes (a commune officer's), ``organisations``
    to the agreements of those organisations (a manager's own part of the network). Two queries."""
    on = on or timezone.localdate()
    served = Agreement.objects.current(on)
    if organisations is not None:
        served = served.filter(organisation__in=organisations)
    served = served.values("commune")
    today_qs, former_qs = Commune.objects.all(), FormerCommune.objects.all()
    if communes is not None:
        today_qs, former_qs = today_qs.filter(pk__in=communes), former_qs.filter(successor__in=communes)
    now = today_qs.aggregate(total=Count("pk"), covered=Count("pk", filter=Q(pk__in=served)))
    before = former_qs.aggregate(total=Count("pk"), covered=Count("pk", filter=Q(successor__in=served)))
    return Coverage(
        covered=now["covered"], total=now["total"], former_covered=before["covered"], former_total=before["total"]
    )


def present_organisations(communes, on=None):
    """Organisations present in a commune (or in any of several): those holding a current agreement with it, so
    a commune is covered exactly when at least one organisation is present."""
    on = on or timezone.localdate()
    if isinstance(communes, Commune | int):
        communes = [communes]
    holders = Agreement.objects.current(on).filter(commune__in=communes).values("organisation")
    return Organisation.objects.filter(pk__in=holders)


def organisation_colours(organisations) -> dict[int, str]:
    return {org.pk: PALETTE[i % len(PALETTE)] for i, org in enumerate(sorted(organisations, key=lambda o: o.name))}


def coverage_geojson(*, user, on=None, agreements=None, communes=None) -> dict:
    """Every commune with its boundary, whether it is covered and by which organisations (those the user sees).
    ``agreements``: the agreements that cover (by default every current one; a dashboard passes those its figure
    counts), ``communes``: only these communes' features. Three queries."""
    on = on or timezone.localdate()
    if agreements is None:
        agreements = Agreement.objects.current(on)
    visible_orgs = Organisation.objects.visible_to(user).only("pk", "name", "short_name", "slug")
    colours = organisation_colours(visible_orgs)
    names = {o.pk: (o.display_name, o.get_absolute_url()) for o in visible_orgs}
    by_commune: dict[int, list[int]] = {}
    present: dict[int, set[int]] = {}  # every organisation present, seen or not: the same count as the commune page
    for commune_id, org_id in agreements.values_list("commune_id", "organisation_id"):
        present.setdefault(commune_id, set()).add(org_id)
        if org_id in names and org_id not in by_commune.setdefault(commune_id, []):
            by_commune[commune_id].append(org_id)
    features = []
    shown = Commune.objects.with_boundary()
    shown = shown if communes is None else shown.filter(pk__in=communes)
    for commune in shown.select_related("canton").defer("canton__boundary").order_by("name"):
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
                    "covered": commune.pk in present,
                    "present": len(present.get(commune.pk, ())),
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
