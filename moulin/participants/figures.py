"""Pathway figures, counted from the records (never typed in). They read only statistical facts (dates,
statuses, measures, outcomes, age at entry, ESF+ categories), never names or birth dates, so anonymising
or erasing a person changes none of them."""

from collections import Counter
from datetime import date
from decimal import Decimal

from django.db.models import Count

from moulin.participants import enums
from moulin.participants.models import (
    ContractQuerySet,
    EmploymentContract,
    EntryData,
    Exit,
    FollowUp,
    Participant,
    Referral,
)


def hires_in_year(project, year: int) -> Decimal:
    """Indicator source "hires": contracts started in the year on the project (renewals are not new hires)."""
    return hires_in_years(project, [year])[year]


def hires_in_years(project, years) -> dict[int, Decimal]:
    """``hires_in_year`` for several years, in one query grouped by the year of the start."""
    years = sorted(set(years))
    if not years:
        return {}
    started = EmploymentContract.objects.hires().filter(
        project=project, start__gte=date(years[0], 1, 1), start__lte=date(years[-1], 12, 31)
    )
    found = dict(started.values_list("start__year").annotate(n=Count("pk")).order_by())
    return {year: Decimal(found.get(year, 0)) for year in years}


def team_size(project, year: int) -> Decimal:
    """Indicator source "team_size": workers under contract on the project on the year's last day (this year:
    today), counted from the contracts rather than typed in."""
    return team_size_years(project, [year])[year]


def team_size_years(project, years) -> dict[int, Decimal]:
    """``team_size`` for several years, in one query (a distinct count per year's day)."""
    from django.utils import timezone

    today = timezone.localdate()
    days = {year: min(today, date(year, 12, 31)) for year in set(years)}
    if not days:
        return {}
    counts = EmploymentContract.objects.filter(project=project).aggregate(
        **{
            f"y{year}": Count("participant", distinct=True, filter=ContractQuerySet.current_q(day))
            for year, day in days.items()
        }
    )
    return {year: Decimal(counts[f"y{year}"]) for year in days}


def age_band(age) -> str:
    if age is None:
        return "unknown"
    if age < 30:
        return "under 30"
    if age < 55:
        return "30-54"
    return "55 and over"


def pathway_figures(year: int, *, user=None) -> dict:
    """The year's pathway figures: what ``user`` may count (each family's ``counted_for``), or without a user the
    whole network (for services and reports)."""

    def counted(model):
        return model.objects.counted_for(user) if user is not None else model.objects.all()

    contracts = counted(EmploymentContract)
    referrals = counted(Referral)
    exits = counted(Exit)
    people = counted(Participant).active()
    hires = contracts.hires().filter(start__year=year)
    hired_people = people.filter(contracts__in=hires).distinct()
    year_exits = exits.filter(date__year=year)
    entry = EntryData.objects.filter(participant__in=hired_people)
    return {
        "referrals": referrals.filter(date__year=year).count(),
        "hires": hires.count(),
        "renewals": contracts.filter(start__year=year, renewal_of__isnull=False).count(),
        "hired_people": hired_people.count(),
        "hires_by_gender": dict(Counter(hired_people.values_list("gender", flat=True))),
        "hires_by_age": dict(Counter(age_band(a) for a in hired_people.values_list("age_at_entry", flat=True))),
        "hires_by_status": dict(entry.values_list("labour_market_status").annotate(n=Count("pk")).order_by()),
        "hires_by_isced": dict(entry.values_list("education_level").annotate(n=Count("pk")).order_by()),
        "exits": year_exits.count(),
        "exits_by_situation": dict(year_exits.values_list("situation").annotate(n=Count("pk")).order_by()),
        "exits_to_employment": year_exits.filter(situation__in=enums.EMPLOYED_SITUATIONS).count(),
        "follow_ups_done": FollowUp.objects.filter(exit__in=year_exits, done_on__isnull=False).count(),
        "follow_ups_employed": FollowUp.objects.filter(
            exit__in=year_exits, situation__in=enums.EMPLOYED_SITUATIONS
        ).count(),  # fmt: skip
        "waiting": people.filter(status=enums.PathwayStatus.WAITING).count(),
    }
