"""The home page's reporting panel: the year's jobs created against target and the active workers, linked to
the dashboards and the annual report (counts only, through ``counted_for``)."""

from django.utils import timezone

from moulin.reporting.figures import Query, suppress
from moulin.reporting.period import Period
from moulin.reporting.sections import ACTIVE, HIRES


def home_reporting_panel(request):
    user = request.user
    if not user.is_authenticated:
        return None
    scope = user.scope
    query = Query(user, "network", None, Period(timezone.localdate().year))
    hires = suppress(HIRES.figure(query), scope)
    active = suppress(ACTIVE.figure(query), scope)
    return {
        "template": "reporting/home_panel.html",
        "year": query.year,
        "hires": hires,
        "active": active,
        "reports": scope.reads_network_aggregates or bool(scope.member_org_ids),
    }
