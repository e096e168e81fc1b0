"""The web cafés in the JSON API, under the same policies as the pages: venues with their weekly opening hours,
the opening of a given week (public holidays and closures included), public courses with their places, the daily
visit counts, and the visits by month and age band (counted like the figures page, for every role that counts)."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from moulin.core.api import BoundedPageNumberPagination, error_responses
from moulin.webcafe import services
from moulin.webcafe.models import OpeningSlot, PublicCourse, Venue, VisitDay

router = Router(tags=["web cafés"])


class OpeningSlotOut(Schema):
    weekday: int
    opens: datetime.time
    closes: datetime.time
    valid_from: datetime.date
    valid_until: datetime.date | None


class VenueOut(Schema):
    id: int
    name: str
    organisation: str
    commune_code: str
    address: str
    postcode: str
    locality: str
    computers: int
    has_printer: bool
    has_wifi: bool
    step_free: bool
    accessibility: str
    is_active: bool
    opening_hours: list[OpeningSlotOut]

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.display_name

    @staticmethod
    def resolve_commune_code(obj) -> str:
        return obj.premises.commune.code

    @staticmethod
    def resolve_address(obj) -> str:
        return obj.premises.address

    @staticmethod
    def resolve_postcode(obj) -> str:
        return obj.premises.postcode

    @staticmethod
    def resolve_locality(obj) -> str:
        return obj.premises.locality

    @staticmethod
    def resolve_opening_hours(obj) -> list:
        return list(obj.slots.all())


class OpeningDayOut(Schema):
    date: datetime.date
    open: bool
    closed_because: str
    slots: list[tuple[datetime.time, datetime.time]]


class CourseOut(Schema):
    id: int
    venue: int
    title: str
    topic: str
    level: str
    language: str
    first_day: datetime.date
    last_day: datetime.date
    days: list[datetime.date]
    starts_at: datetime.time
    ends_at: datetime.time
    places: int
    taken: int
    waiting: int

    @staticmethod
    def resolve_venue(obj) -> int:
        return obj.venue_id

    @staticmethod
    def resolve_first_day(obj) -> datetime.date:
        return obj.session.start_date

    @staticmethod
    def resolve_last_day(obj) -> datetime.date:
        return obj.session.end_date

    @staticmethod
    def resolve_days(obj) -> list:
        return obj.session.days()

    @staticmethod
    def resolve_places(obj) -> int:
        return obj.session.capacity

    @staticmethod
    def resolve_taken(obj) -> int:
        return obj.n_registered

    @staticmethod
    def resolve_waiting(obj) -> int:
        return obj.n_waiting


class VisitDayOut(Schema):
    venue: int
    day: datetime.date
    under_25: int
    age_25_49: int
    age_50_64: int
    age_65_plus: int
    total: int

    @staticmethod
    def resolve_venue(obj) -> int:
        return obj.venue_id


class MonthVisitsOut(Schema):
    month: int
    under_25: int
    age_25_49: int
    age_50_64: int
    age_65_plus: int
    total: int


def _venues(user):
    return Venue.objects.visible_to(user).select_related("organisation", "premises__commune").prefetch_related("slots")


@router.get("/venues", response=list[VenueOut], openapi_extra=error_responses(401, 422))
@paginate(BoundedPageNumberPagination, page_size=50)
def list_venues(request, commune: str | None = None):
    qs = _venues(request.auth).order_by("name", "pk")
    if commune:
        qs = qs.filter(premises__commune__code=commune)
    return qs


@router.get("/venues/{venue_id}", response=VenueOut, openapi_extra=error_responses(401, 404))
def get_venue(request, venue_id: int):
    return get_object_or_404(_venues(request.auth), pk=venue_id)


@router.get("/venues/{venue_id}/opening", response=list[OpeningDayOut], openapi_extra=error_responses(401, 404, 422))
def venue_opening(request, venue_id: int, week_of: datetime.date | None = None):
    """The venue's opening day by day for the week of ``week_of`` (this week by default): its hours, or why it is
    closed (a public holiday, a closure)."""
    venue = get_object_or_404(Venue.objects.visible_to(request.auth), pk=venue_id)
    first, last = services.week_of(week_of or timezone.localdate())
    slots = OpeningSlot.objects.visible_to(request.auth).filter(venue=venue)
    return [
        {"date": d.day, "open": d.is_open, "closed_because": d.closed_because,
         "slots": [(s.opens, s.closes) for s in d.slots] if not d.closed_because else []}
        for d in services.opening_days(venue, first, last, slots=slots)
    ]  # fmt: skip


@router.get("/courses", response=list[CourseOut], openapi_extra=error_responses(401, 422))
@paginate(BoundedPageNumberPagination, page_size=50)
def list_courses(request, venue: int | None = None, upcoming: bool = False):
    qs = (
        PublicCourse.objects.visible_to(request.auth).with_counts().select_related("session__course")
        .order_by("session__start_date", "pk")
    )  # fmt: skip
    if venue:
        qs = qs.filter(venue_id=venue)
    if upcoming:
        qs = qs.upcoming()
    return qs


@router.get("/visits", response=list[VisitDayOut], openapi_extra=error_responses(401, 422))
@paginate(BoundedPageNumberPagination, page_size=100)
def list_visits(request, venue: int | None = None, date_from: datetime.date | None = None,
                date_to: datetime.date | None = None):  # fmt: skip
    qs = VisitDay.objects.visible_to(request.auth).order_by("-day", "venue_id")
    if venue:
        qs = qs.filter(venue_id=venue)
    if date_from:
        qs = qs.filter(day__gte=date_from)
    if date_to:
        qs = qs.filter(day__lte=date_to)
    return qs


@router.get("/visits/by-month", response=list[MonthVisitsOut], openapi_extra=error_responses(401, 422))
def visits_by_month(request, year: int | None = Query(None, ge=2000, le=2100)):  # noqa: B008
    """The visits of ``year`` (this year by default) by month and age band, over what the role counts: the whole
    network for network staff and the ministry, the web cafés it reads for everyone else."""
    months = services.visits_by_month(VisitDay.objects.counted_for(request.auth), year or timezone.localdate().year)
    return [{"month": m.month, **m.bands, "total": m.total} for m in months]
