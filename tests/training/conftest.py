import datetime

import pytest
from django.utils import timezone

from moulin.core.calendar import is_working_day, next_working_days
from moulin.organisations.enums import OrganisationKind
from moulin.organisations.models import Organisation
from moulin.participants.models import Participant
from moulin.training.models import Course, Session


@pytest.fixture
def worker(home_org):
    """A worker of the home organisation (the demo's own participants when there are some)."""
    existing = Participant.objects.filter(organisation=home_org, anonymised_at__isnull=True).order_by("pk").first()
    return existing or Participant.objects.create(organisation=home_org, first_name="Ana", last_name="Testelli")


@pytest.fixture
def make_worker():
    def make(org, first="Jo", last="Worker"):
        return Participant.objects.create(organisation=org, first_name=first, last_name=last)

    return make


@pytest.fixture
def home_course(home_org):
    return Course.objects.filter(organisation=home_org, gives_certificate=True, provider__isnull=True).order_by("pk")[
        0
    ]


@pytest.fixture
def other_course(other_org):
    course = Course.objects.filter(organisation=other_org).first()
    return course or Course.objects.create(organisation=other_org, title="Other org course", kind="technical", hours=8)


@pytest.fixture
def centre():
    return Organisation.objects.get(kind=OrganisationKind.RESOURCE_CENTRE)


@pytest.fixture
def new_session(home_course):
    """A fresh session of the home course meeting every day: five session days ending yesterday (public holidays
    are not session days, so the dates widen around them), 3 places, 4 hours a day."""

    def make(*, capacity=3, start=None, days=5):
        every_day = range(7)
        if start is None:
            held, day = [], timezone.localdate() - datetime.timedelta(days=1)
            while len(held) < days:
                if is_working_day(day, every_day):
                    held.insert(0, day)
                day -= datetime.timedelta(days=1)
        else:
            held = next_working_days(start, days, every_day)
        return Session.objects.create(
            course=home_course, start_date=held[0], end_date=held[-1],
            weekdays="0,1,2,3,4,5,6", hours_per_day=4, capacity=capacity,
        )  # fmt: skip

    return make
