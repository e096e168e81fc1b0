import datetime
from decimal import Decimal

import pytest
from django.db.models import Q
from django.utils import timezone

from moulin.fieldwork.models import RecurringOrder, Site, SiteKind
from moulin.participants.models import EmploymentContract
from moulin.projects.models import Team
from tests.picking import pick


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def team(demo_user):
    """A team the demo team leader leads, with a worker under contract today."""
    today = timezone.localdate()
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
