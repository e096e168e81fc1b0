"""The rules of the web cafés: when a venue is open (its weekly hours, public holidays, exceptional closures),
visit counts by age band (never negative, never in advance, one row per day), public courses planned inside the
opening hours, and registrations of the public (a full course puts the person on the waiting list).

Courses and registrations stand on the training capability: a public course is a ``training.Session`` of a
course open to the public, a registration a ``training.Enrolment`` of a member of the public, so that the
waiting list, its promotion when a place frees, attendance and certificates are the training rules, not a copy.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from moulin.core.calendar import holiday_name, working_days
from moulin.core.models import AuditEvent
from moulin.core.services import audit
from moulin.training import services as training
from moulin.training.enums import HOLDS_PLACE, EnrolmentStatus
from moulin.training.models import Session
from moulin.webcafe.enums import BAND_FIELDS, AgeBand, Channel
from moulin.webcafe.models import (
    MAX_VISITS,
    Closure,
    PublicCourse,
    Registration,
    Venue,
    VisitDay,
    WebcafeRefused,
)

__all__ = ["WebcafeRefused"]


def _fmt(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# ---------------------------------------------------------------- opening hours


@dataclass
class OpeningDay:
    day: datetime.date
    slots: list = field(default_factory=list)
    #: why the venue is closed all day (a public holiday's name, a closure's reason), else ""
    closed_because: str = ""

    @property
    def is_open(self) -> bool:
        return bool(self.slots) and not self.closed_because


def opening_days(venue: Venue, first: datetime.date, last: datetime.date, *, slots=None, closures=None):
    """Each day from ``first`` to ``last``: the venue's opening slots valid that day, or why it is closed. Two
    queries at most (none when ``slots`` and ``closures`` are given, e.g. prefetched)."""
    slots = list(venue.slots.all() if slots is None else slots)
    if closures is None:
        closures = list(Closure.objects.filter(venue=venue, first_day__lte=last, last_day__gte=first))
    days = []
    day = first
    while day <= last:
        holiday = holiday_name(day)
        closure = next((c for c in closures if c.first_day <= day <= c.last_day), None)
        valid = sorted(
            (s for s in slots if s.weekday == day.weekday() and s.valid_from <= day
             and (s.valid_until is None or s.valid_until >= day)),
            key=lambda s: s.opens,
        )  # fmt: skip
        reason = holiday or (closure.reason if closure else "")
        days.append(OpeningDay(day=day, slots=valid, closed_because=reason))
        day += datetime.timedelta(days=1)
    return days


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


# ---------------------------------------------------------------- visits


@transaction.atomic
def record_visits(*, venue: Venue, day: datetime.date, counts: dict[str, int], actor) -> VisitDay:
    """Write the visits of one day by age band: a day already recorded is corrected, not counted twice.
    Refused, with nothing saved, for a count below zero or a day still to come."""
    errors = {}
    for band in BAND_FIELDS:
        value = counts.get(band, 0)
        if value is None or int(value) < 0:
            errors[band] = _("A count of visits is zero or more.")
        elif int(value) > MAX_VISITS:
            errors[band] = _("More than 10,000 visits in a day: check the count.")
    if day > timezone.localdate():
        errors["day"] = _("Visits are counted on the day or after, never in advance.")
    if errors:
        raise WebcafeRefused(errors)
    row = VisitDay.objects.select_for_update().filter(venue=venue, day=day).first()
    created = row is None
    if created:
        row = VisitDay(venue=venue, day=day)
    for band in BAND_FIELDS:
        setattr(row, band, int(counts.get(band, 0)))
    row.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    row.full_clean()
    row.save()
    audit(actor=actor, action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, obj=row,
          detail={band: getattr(row, band) for band in BAND_FIELDS})  # fmt: skip
    return row


# ---------------------------------------------------------------- public courses


#: a course runs over at most this many days (the training sessions' rule)
MAX_COURSE_SPAN = 366


def check_course_schedule(*, venue: Venue, start_date, end_date, weekdays, starts_at, ends_at) -> list:
    """The days a course would meet at ``venue``, checked against its opening hours: refused (keyed by field) when
    a day is a public holiday at either end, the course meets on no day, or a day falls outside the opening
    hours or on a closure. Returns the days."""
    errors = {}
    if ends_at <= starts_at:
        raise WebcafeRefused({"ends_at": _("A course ends after it starts: check the two times.")})
    for name, day in (("start_date", start_date), ("end_date", end_date)):
        holiday = holiday_name(day)
        if holiday:
            errors[name] = _("%(day)s is a public holiday (%(name)s): the web café is closed. Choose another day.") % {
                "day": _fmt(day), "name": holiday}  # fmt: skip
    if errors:
        raise WebcafeRefused(errors)
    if (end_date - start_date).days > MAX_COURSE_SPAN:
        raise WebcafeRefused({"end_date": _("A course runs for a year at most: plan a longer cycle as several "
                                            "courses.")})  # fmt: skip
    days = working_days(start_date, end_date, weekdays) if end_date >= start_date else []
    if not days:
        raise WebcafeRefused({"weekdays": _(
            "The course never meets: none of its weekdays falls between its dates (public holidays are left out). "
            "Widen the dates or choose other weekdays.")})  # fmt: skip
    opening = {d.day: d for d in opening_days(venue, days[0], days[-1])}
    for day in days:
        found = opening[day]
        if found.closed_because:
            raise WebcafeRefused({"start_date": _(
                "The web café is closed on %(day)s (%(reason)s): move the course or choose other weekdays."
            ) % {"day": _fmt(day), "reason": found.closed_because}})  # fmt: skip
        if not any(s.opens <= starts_at and ends_at <= s.closes for s in found.slots):
            hours = ", ".join(f"{s.opens:%H:%M}–{s.closes:%H:%M}" for s in found.slots) or _("closed")
            raise WebcafeRefused(
                {
                    "starts_at": _(
                        "On %(day)s the web café is open %(hours)s: a course from %(start)s to %(end)s falls "
                        "outside its opening hours. Change the times or the days."
                    )
                    % {"day": _fmt(day), "hours": hours, "start": f"{starts_at:%H:%M}", "end": f"{ends_at:%H:%M}"}
                }
            )
    return days


def _hours_between(starts_at: datetime.time, ends_at: datetime.time) -> Decimal:
    minutes = (ends_at.hour * 60 + ends_at.minute) - (starts_at.hour * 60 + starts_at.minute)
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"))


@transaction.atomic
def plan_course(*, venue: Venue, course, start_date, end_date, weekdays, starts_at, ends_at, capacity: int,
                topic, level, language, trainer_name: str = "", actor) -> PublicCourse:  # fmt: skip
    """Plan a public course at a web café: a session of ``course`` (a training course open to the public) at the
    venue's premises, inside its opening hours."""
    if not course.open_to_public:
        raise WebcafeRefused({"course": _("This course is not open to the public: choose a course that is.")})
    check_course_schedule(venue=venue, start_date=start_date, end_date=end_date, weekdays=weekdays,
                          starts_at=starts_at, ends_at=ends_at)  # fmt: skip
    session = Session(
        course=course, start_date=start_date, end_date=end_date, weekdays=",".join(str(d) for d in sorted(weekdays)),
        hours_per_day=_hours_between(starts_at, ends_at), place=venue.premises, trainer_name=trainer_name,
        capacity=capacity,
    )  # fmt: skip
    session.full_clean()
    session.save()
    public = PublicCourse(venue=venue, session=session, topic=topic, level=level, language=language,
                          starts_at=starts_at, ends_at=ends_at)  # fmt: skip
    public.full_clean()
    public.save()
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=public, detail={"session": session.pk})
    return public


@transaction.atomic
def update_course(*, public: PublicCourse, start_date, end_date, weekdays, starts_at, ends_at, capacity: int,
                  topic, level, language, trainer_name: str = "", actor) -> PublicCourse:  # fmt: skip
    """Change a public course's dates, hours or places, checked again against the opening hours; the session
    keeps room for the people holding a place (the training rule)."""
    check_course_schedule(venue=public.venue, start_date=start_date, end_date=end_date, weekdays=weekdays,
                          starts_at=starts_at, ends_at=ends_at)  # fmt: skip
    session = Session.objects.select_for_update().get(pk=public.session_id)
    session.start_date, session.end_date = start_date, end_date
    session.weekdays = ",".join(str(d) for d in sorted(weekdays))
    session.hours_per_day, session.capacity, session.trainer_name = (
        _hours_between(starts_at, ends_at),
        capacity,
        (trainer_name),
    )
    session.full_clean()
    session.save()
    public.topic, public.level, public.language, public.starts_at, public.ends_at = (
        topic,
        level,
        language,
        starts_at,
        ends_at,
    )
    public.full_clean()
    public.save()
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=public, detail={"session": session.pk})
    training.promote_waiting(session=session, actor=actor)  # more places: the people waiting get them
    return public


@transaction.atomic
def register(*, course: PublicCourse, name: str, phone: str = "", email: str = "", consent: bool,
             channel: str = Channel.COUNTER, actor=None) -> Registration:  # fmt: skip
    """Register a member of the public for a course. A full course puts them on the waiting list (the returned
    registration's enrolment says so); they get the first place that frees."""
    if not consent:
        raise WebcafeRefused({"consent": _("Registration needs the person's agreement to keep their details.")})
    if not (phone or email):
        raise WebcafeRefused({"phone": _("Give a phone number (or an email) to reach the person about the course.")})
    try:
        enrolment = training.enrol(session=course.session, actor=actor, public_name=name, public_phone=phone,
                                   public_email=email)  # fmt: skip
    except training.TrainingRefused as exc:
        raise WebcafeRefused(exc.messages) from exc
    registration = Registration(course=course, enrolment=enrolment, channel=channel, consent_on=timezone.localdate())
    registration.full_clean()
    registration.save()
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=registration,
          detail={"status": enrolment.status, "channel": channel})  # fmt: skip
    return registration


@transaction.atomic
def cancel_registration(*, registration: Registration, actor) -> Registration | None:
    """Cancel a registration; the place it held goes to the first person waiting, whose registration is
    returned."""
    try:
        promoted = training.cancel_enrolment(enrolment=registration.enrolment, actor=actor)
    except training.TrainingRefused as exc:
        raise WebcafeRefused(exc.messages) from exc
    if promoted is None:
        return None
    return Registration.objects.filter(enrolment=promoted).first()


# ---------------------------------------------------------------- figures


@dataclass
class MonthVisits:
    month: int
    bands: dict

    @property
    def total(self) -> int:
        return sum(self.bands.values())


def visits_by_month(visits, year: int) -> list[MonthVisits]:
    """Visits of ``year`` per month and age band, over the rows ``visits`` (a ``counted_for`` queryset): twelve
    months, in one query."""
    rows = (
        visits.filter(day__year=year)
        .annotate(month=ExtractMonth("day"))
        .values("month")
        .annotate(**{band: Sum(band) for band in BAND_FIELDS})
        .order_by("month")
    )
    found = {r["month"]: {band: r[band] or 0 for band in BAND_FIELDS} for r in rows}
    return [MonthVisits(month=m, bands=found.get(m, dict.fromkeys(BAND_FIELDS, 0))) for m in range(1, 13)]


def band_labels() -> list[tuple[str, str]]:
    return [(band, label) for band, label in AgeBand.choices]


@dataclass
class CourseFill:
    courses: int
    places: int
    registered: int
    waiting: int

    @property
    def fill_rate(self):
        from moulin.training.models import percent

        return percent(self.registered, self.places)


def course_fill(courses, year: int) -> list[tuple[str, CourseFill]]:
    """Fill rates of the public courses starting in ``year`` (a ``counted_for`` queryset), per topic and for all:
    places offered, places taken, people waiting."""
    from moulin.webcafe.enums import Topic

    rows = (
        courses.filter(session__start_date__year=year)
        .values("topic")
        .annotate(
            n=Count("pk", distinct=True),
            places=Sum("session__capacity", distinct=False),
        )
        .order_by("topic")
    )
    places = {r["topic"]: (r["n"], r["places"] or 0) for r in rows}
    enrolments = (
        courses.filter(session__start_date__year=year)
        .values("topic")
        .annotate(
            registered=Count("session__enrolments", filter=Q(session__enrolments__status__in=HOLDS_PLACE)),
            waiting=Count("session__enrolments", filter=Q(session__enrolments__status=EnrolmentStatus.WAITING)),
        )
        .order_by("topic")
    )
    people = {r["topic"]: (r["registered"], r["waiting"]) for r in enrolments}
    labels = dict(Topic.choices)
    found = []
    for topic in sorted(places, key=lambda t: str(labels.get(t, t))):
        n, offered = places[topic]
        registered, waiting = people.get(topic, (0, 0))
        found.append((labels.get(topic, topic), CourseFill(n, offered, registered, waiting)))
    total = CourseFill(
        sum(f.courses for _t, f in found), sum(f.places for _t, f in found),
        sum(f.registered for _t, f in found), sum(f.waiting for _t, f in found),
    )  # fmt: skip
    return [*found, (_("All topics"), total)]
