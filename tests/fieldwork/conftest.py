import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Q
from django.utils import timezone

from moulin.core.calendar import is_working_day
from moulin.fieldwork.models import RecurringOrder, Site, SiteKind, TimeEntry
from moulin.participants.models import EmploymentContract
from moulin.projects.models import Team
from tests.picking import pick


@pytest.fixture
def today():
    """The day these tests work on: the test day, or the working day before it when the test day is a weekend or
    a public holiday (the demo plans no field work then); the clock is moved there for the test."""
    day = timezone.localdate()
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    if day == timezone.localdate():
        yield day
        return
    with time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())
    ):
        yield day


@pytest.fixture
def june_2026():
    """For the tests that name the days of June 2026 (National Day, Tuesday 23 June): the clock on Monday 15 June
    2026, whatever the test day."""
    moment = datetime.datetime(2026, 6, 15, 10, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(moment, tick=True):
        yield moment.date()


@pytest.fixture
def team(demo_user, today):
    """A team the demo team leader leads, with a worker under contract today."""
    current = EmploymentContract.objects.filter(start__lte=today).filter(
        Q(last_day__isnull=True) | Q(last_day__gte=today)
    )
    teams = Team.objects.filter(
        leader=demo_user("teamleader"), project__service_line="environmental_team", employment_contracts__in=current
    ).distinct()
    return pick(teams.order_by("pk"), "environmental team of the demo team leader with a worker under contract today")


@pytest.fixture
def worker(team, today):
    contract = pick(
        EmploymentContract.objects.filter(team=team, start__lte=today)
        .filter(Q(last_day__isnull=True) | Q(last_day__gte=today))
        .order_by("pk"),
        "worker under contract today in the team",
    )
    # the tests record this worker's day themselves: when the day is in the past, the demo already holds hours
    TimeEntry.objects.filter(participant=contract.participant, date=today).delete()
    return contract.participant


@pytest.fixture
def site(team):
    commune = pick(team.project.communes.order_by("name"), "commune served by the team's project")
    return Site.objects.create(
        project=team.project, commune=commune, name="Test playground", kind=SiteKind.PLAYGROUND,
        geometry={"type": "Point", "coordinates": [6.1, 49.6]},
    )  # fmt: skip


@pytest.fixture
def recurring(site, team):
    order = RecurringOrder(
        site=site, team=team, title="Empty bins", rule="FREQ=WEEKLY;BYDAY=TU", starts_on=datetime.date(2026, 1, 1),
        planned_hours=Decimal("3"), checklist="Bins\nBenches",
    )  # fmt: skip
    order.full_clean()
    order.save()
    return order
