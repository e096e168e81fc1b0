"""Figures of the home page, counted from the records the user may count (each family's ``counted_for``; never
typed in)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from moulin.core.capabilities import collected
from moulin.core.models import NetworkSettings
from moulin.organisations.coverage import coverage_figure, present_organisations
from moulin.organisations.enums import Level, OrganisationKind
from moulin.organisations.models import BoardMandate, Organisation, VolunteerHours


@dataclass
class HomeFigures:
    year: int
    organisations_by_level: dict = field(default_factory=dict)
    resource_centres: int = 0
    members: int = 0
    communes_covered: int = 0
    communes_total: int = 0
    former_communes_covered: int = 0
    former_communes_total: int = 0
    coverage_of: str = "network"  # whose coverage the figure counts: "network", "organisations" or "communes"
    present_organisations: int | None = None  # a commune officer's: organisations present in their communes
    board_members: int = 0
    volunteer_hours: Decimal = Decimal(0)
    volunteer_value: Decimal = Decimal(0)
    network_wide: bool = False


def home_figures(user, *, today=None) -> HomeFigures:
    today = today or timezone.localdate()
    scope = user.scope
    orgs = Organisation.objects.counted_for(user).filter(is_active=True)
    present = None  # organisations present in a commune officer's communes: the commune page's figure
    if scope.reads_network_aggregates:
        coverage, coverage_of = coverage_figure(today), "network"
    elif scope.member_org_ids:  # the part of the network their organisations cover
        coverage, coverage_of = coverage_figure(today, organisations=scope.member_org_ids), "organisations"
    else:  # a commune officer: their commune, and the organisations present there (the commune page's figure)
        coverage, coverage_of = coverage_figure(today, communes=scope.commune_ids), "communes"
        present = present_organisations(scope.commune_ids, today).count()
    # members by level and resource centres in one statement
    counts = list(
        orgs.filter(kind__in=(OrganisationKind.MEMBER, OrganisationKind.RESOURCE_CENTRE))
        .values_list("kind", "level")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    by_level = {level: n for kind, level, n in counts if kind == OrganisationKind.MEMBER}
    hours = (
        VolunteerHours.objects.counted_for(user)
        .filter(organisation__is_active=True, date__year=today.year)
        .aggregate(t=Sum("hours"))
    )
    total_hours = hours["t"] or Decimal(0)
    rate = NetworkSettings.load().volunteer_hour_rate
    figures = HomeFigures(
        year=today.year,
        organisations_by_level=[(label, by_level.get(value, 0)) for value, label in Level.choices],
        resource_centres=sum(n for kind, _level, n in counts if kind == OrganisationKind.RESOURCE_CENTRE),
        members=sum(by_level.values()),
        communes_covered=coverage.covered,
        communes_total=coverage.total,
        former_communes_covered=coverage.former_covered,
        former_communes_total=coverage.former_total,
        coverage_of=coverage_of,
        present_organisations=present,
        board_members=BoardMandate.objects.counted_for(user)
        .filter(organisation__is_active=True)
        .current(today)
        .count(),
        volunteer_hours=total_hours,
        volunteer_value=(total_hours * rate).quantize(Decimal("0.01")),
        network_wide=scope.reads_network_aggregates,
    )
    return figures


def home_panels(request):
    """The panels every app declares in its capability (``home_panels``) that have something to show."""
    panels = []
    for panel in collected("home_panels"):
        result = panel(request)
        if result:
            panels.append(result)
    return panels
