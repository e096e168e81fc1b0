"""Local strategic planning for one commune and one year: what the network's planning function brings to a
commune council meeting. Every figure is read through the user's scope."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from moulin.organisations.models import Agreement, Organisation
from moulin.projects.enums import NeedStatus
from moulin.projects.models import Need, Project


@dataclass
class CommunePlan:
    commune: object
    year: int
    needs_raised: list = field(default_factory=list)
    needs_addressed: list = field(default_factory=list)
    needs_open: list = field(default_factory=list)
    projects_running: list = field(default_factory=list)
    organisations_present: list = field(default_factory=list)
    #: set for roles that see counts only: the figures stand, the lists stay empty
    counts_only: dict | None = None

    @property
    def figures(self):
        if self.counts_only is not None:
            return self.counts_only
        return {
            "raised": len(self.needs_raised),
            "addressed": len(self.needs_addressed),
            "open": len(self.needs_open),
            "projects": len(self.projects_running),
            "organisations": len(self.organisations_present),
        }


def commune_plan(commune, year: int, user) -> CommunePlan:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    counts_only = user.scope.aggregate_only
    reach = "counted_for" if counts_only else "visible_to"
    visible_projects = getattr(Project.objects, reach)(user).select_related("organisation")
    needs = (
        getattr(Need.objects, reach)(user)
        .filter(commune=commune)
        .select_related("domain", "partner")
        .prefetch_related(Prefetch("projects", queryset=visible_projects))
        .order_by("-priority", "raised_on", "pk")
    )
    needs = list(needs)
    served = Project.communes.through.objects.filter(commune=commune).values("project")
    projects = (
        getattr(Project.objects, reach)(user)
        .filter(pk__in=served)
        .running_in(year)
        .select_related("organisation", "domain")
        .prefetch_related(Prefetch("needs", queryset=getattr(Need.objects, reach)(user).filter(commune=commune)))
        .order_by("organisation__name", "name")
    )
    agreements = Agreement.objects.filter(commune=commune, start__lte=last).filter(
        Q(end__isnull=True) | Q(end__gte=first)
    )
    organisations = (
        Organisation.objects.visible_to(user).filter(pk__in=agreements.values("organisation")).order_by("name")
    )
    plan = CommunePlan(
        commune=commune,
        year=year,
        needs_raised=[n for n in needs if n.raised_on.year == year],
        needs_addressed=[
            n
            for n in needs
            if n.status == NeedStatus.ADDRESSED and n.status_changed_on and n.status_changed_on.year == year
        ],  # fmt: skip
        needs_open=[n for n in needs if n.is_open and n.raised_on <= last],
        projects_running=list(projects),
        organisations_present=list(organisations),
    )
    if counts_only:
        return CommunePlan(commune=commune, year=year, counts_only=plan.figures)
    return plan
