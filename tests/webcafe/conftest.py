import datetime

import pytest
from django.utils import timezone

from moulin.core.calendar import is_public_holiday
from moulin.organisations.enums import PremisesKind
from moulin.organisations.models import Premises
from moulin.territory.models import Commune
from moulin.training.models import Course
from moulin.webcafe.models import OpeningSlot, Venue
from tests.picking import pick

T = datetime.time


@pytest.fixture
def esch():
    return Commune.objects.get(name="Esch-sur-Alzette")


@pytest.fixture
def venue(home_org, esch, demo_user):
    """A web café of the home organisation in Esch-sur-Alzette, led by the demo team leader, open Monday to
    Friday 13:30–18:00 and Tuesday morning, valid for years either side of the test day."""
    premises = Premises.objects.create(organisation=home_org, kind=PremisesKind.WEB_CAFE, name="Web café (test)",
                                       address="5, rue du Test", postcode="L-4001", locality="Esch-sur-Alzette",
                                       commune=esch)  # fmt: skip
    venue = Venue.objects.create(organisation=home_org, name="Web café Test", premises=premises,
                                 leader=demo_user("teamleader"), computers=8)  # fmt: skip
    since = timezone.localdate() - datetime.timedelta(days=800)
    OpeningSlot.objects.bulk_create(
        [OpeningSlot(venue=venue, weekday=d, opens=T(13, 30), closes=T(18), valid_from=since) for d in range(5)]
        + [OpeningSlot(venue=venue, weekday=1, opens=T(9), closes=T(12), valid_from=since)]
    )
    return venue


@pytest.fixture
def public_course_of_catalogue():
    return pick(Course.objects.filter(open_to_public=True, is_active=True).order_by("pk"), "course open to the public")


def next_weekday(weekday: int, after_days: int = 7) -> datetime.date:
    """The first ``weekday`` at least ``after_days`` from today that is no public holiday."""
    day = timezone.localdate() + datetime.timedelta(days=after_days)
    while day.weekday() != weekday or is_public_holiday(day):
        day += datetime.timedelta(days=1)
    return day


def last_open_day(venue) -> datetime.date:
    """The last day up to today (yesterday at the latest, so today stays free) that is a weekday, no holiday."""
    day = timezone.localdate() - datetime.timedelta(days=1)
    while day.weekday() > 4 or is_public_holiday(day):
        day -= datetime.timedelta(days=1)
    return day
