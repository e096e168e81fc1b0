"""The computed indicator sources (moulin.reporting.indicator_sources): the hours worked come from the monthly hours
summary (decision 0010) and are, to the tenth of an hour, what the project's teams' time entries add up to."""

from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from moulin.fieldwork.models import EntryKind, TimeEntry
from moulin.projects.models import Project, Team
from moulin.reporting import indicator_sources

TODAY = timezone.localdate()


def entries_by_year(project) -> dict[int, Decimal]:
    rows = (
        TimeEntry.objects.filter(team__project=project)
        .annotate(year=ExtractYear("date"))
        .values_list("year")
        .annotate(h=Sum("hours"))
        .order_by()
    )
    return {year: indicator_sources.tenths(hours) for year, hours in rows}


def test_hours_worked_are_the_time_entries_of_the_projects_teams():
    projects = Project.objects.filter(teams__time_entries__isnull=False).distinct().order_by("pk")
    assert projects.count() >= 3
    for project in projects:
        expected = entries_by_year(project)
        years = [*expected, min(expected) - 1]  # and a year without entries
        figures = indicator_sources.hours_worked_years(project, years)
        assert figures == {**expected, min(expected) - 1: 0}, project
        assert indicator_sources.hours_worked(project, max(expected)) == expected[max(expected)]


def test_an_entry_added_and_a_team_moved_show_in_the_figure():
    team = Team.objects.filter(time_entries__isnull=False).order_by("pk").first()
    project, year = team.project, TODAY.year
    worker = TimeEntry.objects.filter(team=team).order_by("pk").first().participant
    before = indicator_sources.hours_worked(project, year)
    TimeEntry.objects.create(participant=worker, team=team, date=TODAY, hours=Decimal("3.25"), kind=EntryKind.TRAINING)
    after = indicator_sources.hours_worked(project, year)
    assert after == entries_by_year(project)[year]
    assert Decimal("3.2") <= after - before <= Decimal("3.3")
    other = Project.objects.exclude(pk=project.pk).order_by("pk").first()
    years = [*entries_by_year(project)]
    Team.objects.filter(pk=team.pk).update(project=other)  # the summary is by team: the hours follow it
    left = entries_by_year(project)
    assert indicator_sources.hours_worked_years(project, years) == {year: left.get(year, 0) for year in years}
    assert indicator_sources.hours_worked(other, year) == entries_by_year(other)[year]
