"""Computed sources of project indicator actuals over the service-delivery records (``fn(project, year) ->
Decimal``), declared in this app's capability (``indicator_sources``): the hours the project's teams worked, the
sites maintained, the interventions completed and the beneficiaries served. An indicator with one of these sources
is never typed in (``Indicator.actual_for``)."""

from decimal import Decimal

from django.db.models import Sum

from moulin.care.models import Beneficiary, Intervention
from moulin.fieldwork.models import Site, TimeEntry, WorkOrderStatus


def hours_worked(project, year: int) -> Decimal:
    """Hours recorded in the year by the workers of the project's teams (time entries)."""
    total = TimeEntry.objects.filter(team__project=project, date__year=year).aggregate(h=Sum("hours"))["h"]
    return Decimal(total or 0).quantize(Decimal("0.1"))


def sites_maintained(project, year: int) -> Decimal:
    """The project's sites with at least one work order done in the year."""
    done = Site.objects.filter(project=project, work_orders__status=WorkOrderStatus.DONE,
                               work_orders__date__year=year)  # fmt: skip
    return Decimal(done.values("pk").distinct().count())


def interventions(project, year: int) -> Decimal:
    """Community-care interventions completed in the year by the project's teams."""
    return Decimal(Intervention.objects.filter(team__project=project, completed_on__year=year).count())


def beneficiaries_served(project, year: int) -> Decimal:
    """People for whom the project's teams completed at least one intervention in the year."""
    served = Beneficiary.objects.filter(requests__intervention__team__project=project,
                                        requests__intervention__completed_on__year=year)  # fmt: skip
    return Decimal(served.values("pk").distinct().count())
