"""Computed indicator actuals on the project page: each source is asked once for every year shown (the page's
queries do not grow with the years or the indicators), and the figures are those counted from the raw records."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moulin.care.models import Beneficiary, Intervention
from moulin.fieldwork.models import Site, TimeEntry, WorkOrderStatus
from moulin.participants.models import EmploymentContract
from moulin.projects.indicators import sources
from moulin.projects.models import Indicator, IndicatorValue, Project

TODAY = timezone.localdate()


def _raw(key, project, year):
    """The source's figure of one year, counted from the raw records."""
    if key == "hours_worked":
        h = TimeEntry.objects.filter(team__project=project, date__year=year).aggregate(h=Sum("hours"))["h"]
        return Decimal(h or 0).quantize(Decimal("0.1"))
    if key == "sites_maintained":
        done = Site.objects.filter(
            project=project, work_orders__status=WorkOrderStatus.DONE, work_orders__date__year=year
        )
        return Decimal(len(set(done.values_list("pk", flat=True))))
    if key == "interventions":
        return Decimal(Intervention.objects.filter(team__project=project, completed_on__year=year).count())
    if key == "beneficiaries_served":
        served = Beneficiary.objects.filter(
            requests__intervention__team__project=project, requests__intervention__completed_on__year=year
        )
        return Decimal(len(set(served.values_list("pk", flat=True))))
    if key == "hires":
        return Decimal(
            EmploymentContract.objects.filter(project=project, start__year=year, renewal_of__isnull=True).count()
        )
    if key == "team_size":
        day = min(TODAY, date(year, 12, 31))
        running = [
            c.participant_id
            for c in EmploymentContract.objects.filter(project=project, start__lte=day)
            if c.last_day is None or c.last_day >= day
        ]
        return Decimal(len(set(running)))
    raise AssertionError(key)


def _projects_with(key):
    """The projects of the demo network holding records of the source, the most first."""
    counted = {
        "hours_worked": ("teams__time_entries", Count),
        "sites_maintained": ("sites__work_orders", Count),
        "interventions": ("teams__care_interventions", Count),
        "beneficiaries_served": ("teams__care_interventions", Count),
        "hires": ("employment_contracts", Count),
        "team_size": ("employment_contracts", Count),
    }
    path, agg = counted[key]
    return list(Project.objects.annotate(n=agg(path)).filter(n__gt=0).order_by("-n", "pk"))


def _project_and_years(key):
    """A project holding records of the source in its life, and four years of it ending with the last such year."""
    for project in _projects_with(key)[:10]:
        lived = [y for y in project.years(until=TODAY.year) if TODAY.year - 10 <= y <= TODAY.year]
        held = [y for y in lived if _raw(key, project, y)]
        if held:
            return project, [y for y in lived if held[-1] - 3 <= y <= held[-1]]
    raise AssertionError(f"no project of the demo holds records of {key} in its life")


def _years(project, n):
    last = min(project.last_year or TODAY.year, TODAY.year)
    return [y for y in range(last - n + 1, last + 1) if y >= project.first_year] or [last]


def _add(project, key, years, name):
    indicator = Indicator.objects.create(project=project, name=name, unit="u", source=key, position=99)
    for year in years:
        IndicatorValue.objects.create(indicator=indicator, year=year, target=Decimal(10))
    return indicator


def _chart(client, project):
    response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<script id="indicator-data" type="application/json">') + len(
        '<script id="indicator-data" type="application/json">'
    )
    return {i["id"]: i for i in json.loads(html[start : html.index("</script>", start)])["indicators"]}


def test_every_source_is_declared_for_several_years():
    """Each computed source answers for several years at once, and it gives what it gives year by year."""
    for key, source in sources().items():
        assert source.for_years is not None, key
        project, years = _project_and_years(key)
        assert source.for_years(project, years) == {y: source.fn(project, y) for y in years}, key


@pytest.mark.parametrize("key", sorted(sources()))
def test_computed_actuals_are_the_counts_of_the_records(key, client_as):
    project, years = _project_and_years(key)
    indicator = _add(project, key, years, f"Computed {key}")
    shown = _chart(client_as("staff"), project)[indicator.pk]
    assert shown["years"] == years
    expected = [float(_raw(key, project, y)) for y in years]
    assert shown["actual"] == expected
    assert any(expected), f"the demo's {key} are all zero over {years}"
    for year in years:  # the one-year answer is the same
        assert indicator.actual_for(year) == _raw(key, project, year)


def test_the_project_page_asks_each_source_once_whatever_the_years_and_indicators(client_as):
    project = (
        Project.objects.annotate(n=Count("teams__time_entries"))
        .filter(n__gt=0, start__year__lte=TODAY.year - 3)
        .order_by("-n", "pk")
        .first()
    )
    assert project is not None
    client = client_as("staff")
    for key in sorted(sources()):  # one indicator of each source, one year
        _add(project, key, _years(project, 1), f"One {key}")
    with CaptureQueriesContext(connection) as small:
        shown = _chart(client, project)
    assert len(shown) >= len(sources())
    for key in sorted(sources()):  # two more of each source, over four years
        _add(project, key, _years(project, 4), f"Two {key}")
        _add(project, key, _years(project, 4), f"Three {key}")
    with CaptureQueriesContext(connection) as big:
        shown = _chart(client, project)
    assert sum(len(i["years"]) for i in shown.values()) > len(sources()) * 8
    assert len(big.captured_queries) == len(small.captured_queries), [q["sql"][:120] for q in big.captured_queries]
