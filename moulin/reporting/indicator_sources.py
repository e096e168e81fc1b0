"""Computed sources of project indicator actuals over the service-delivery records (``fn(project, year) ->
Decimal``, and ``*_years(project, years) -> {year: Decimal}`` for several years in one grouped query), declared in
this app's capability (``indicator_sources``): the hours the project's teams worked, the sites maintained, the
interventions completed and the beneficiaries served. An indicator with one of these sources is never typed in
(``Indicator.actual_for``)."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from moulin.care.models import Beneficiary, Intervention
from moulin.fieldwork.models import HoursSummary, Site, WorkOrderStatus


def _years(model, where: dict, field: str, years, value) -> dict[int, Decimal]:
    """The rows of ``model`` matching ``where``, grouped by the year of the date ``field`` over ``years`` (one
    query; ``where`` and the dates in one ``filter`` so that a many-valued path is joined once), ``value`` the
    aggregate: every year asked for has its figure (0 when no record)."""
    years = sorted(set(years))
    if not years:
        return {}
    rows = (
        model.objects.filter(
            **where, **{f"{field}__gte": date(years[0], 1, 1), f"{field}__lte": date(years[-1], 12, 31)}
        )
        .values_list(f"{field}__year")
        .annotate(v=value)
        .order_by()
    )
    found = dict(rows)
    return {year: found.get(year) or 0 for year in years}


def hours_worked(project, year: int) -> Decimal:
    """Hours recorded in the year by the workers of the project's teams (time entries)."""
    return hours_worked_years(project, [year])[year]


def hours_worked_years(project, years) -> dict[int, Decimal]:
    """Read from the monthly hours summary (by team and month, kept by the database: decision 0010), not from
    every time entry: the same figure, whatever the years of field work."""
    found = _years(HoursSummary, {"team__project": project}, "month", years, Sum("hours"))
    return {year: tenths(h) for year, h in found.items()}


def tenths(hours) -> Decimal:
    """Hours to the tenth, from a sum of hours of two decimals. SQLite adds decimals as floats, and the same
    hours added in another order (by entry, by month) may land either side of a half tenth: the sum is first
    brought back to the hundredth it is."""
    return Decimal(hours).quantize(Decimal("0.01")).quantize(Decimal("0.1"))


def sites_maintained(project, year: int) -> Decimal:
    """The project's sites with at least one work order done in the year."""
    return sites_maintained_years(project, [year])[year]


def sites_maintained_years(project, years) -> dict[int, Decimal]:
    done = {"project": project, "work_orders__status": WorkOrderStatus.DONE}
    found = _years(Site, done, "work_orders__date", years, Count("pk", distinct=True))
    return {year: Decimal(n) for year, n in found.items()}


def interventions(project, year: int) -> Decimal:
    """Community-care interventions completed in the year by the project's teams."""
    return interventions_years(project, [year])[year]


def interventions_years(project, years) -> dict[int, Decimal]:
    found = _years(Intervention, {"team__project": project}, "completed_on", years, Count("pk"))
    return {year: Decimal(n) for year, n in found.items()}


def beneficiaries_served(project, year: int) -> Decimal:
    """People for whom the project's teams completed at least one intervention in the year."""
    return beneficiaries_served_years(project, [year])[year]


def beneficiaries_served_years(project, years) -> dict[int, Decimal]:
    served = {"requests__intervention__team__project": project}
    found = _years(Beneficiary, served, "requests__intervention__completed_on", years, Count("pk", distinct=True))
    return {year: Decimal(n) for year, n in found.items()}
