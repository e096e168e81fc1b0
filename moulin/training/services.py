"""The rules of training: enrolment within capacity (or on the waiting list), a whole day's attendance in one
write, completion with its certificate and skills, and the figures pages show."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from moulin.core.calendar import holiday_name
from moulin.core.models import AuditEvent
from moulin.core.services import audit
from moulin.sequences.services import Series, register
from moulin.training.enums import HOLDS_PLACE, AttendanceStatus, EnrolmentStatus, SkillSource
from moulin.training.models import Attendance, Certificate, Enrolment, Session, TrainingRefused

__all__ = ["TrainingRefused"]  # raised by the rules below and by ``Enrolment.workflow``


# ---------------------------------------------------------------- enrolment and the waiting list


def places_taken(session: Session) -> int:
    return session.enrolments.filter(status__in=HOLDS_PLACE).count()


@transaction.atomic
def enrol(*, session: Session, actor, participant=None, public_name: str = "", public_email: str = "",
          public_phone: str = "", note: str = "", on: datetime.date | None = None) -> Enrolment:  # fmt: skip
    """Enrol a worker, or a member of the public in a course open to them. A full session puts the person
    on the waiting list (the returned enrolment says so); they are promoted when a place frees."""
    session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
    on = on or timezone.localdate()
    if session.end_date < on:
        raise TrainingRefused(_("This session is over: enrol the person in a later session."))
    if participant is None and not public_name.strip():
        raise TrainingRefused(_("Choose a worker, or give the name of the member of the public."))
    if participant is None and not session.course.open_to_public:
        raise TrainingRefused(_("This course is not open to the public: only workers can be enrolled."))
    if participant is not None:
        already = session.enrolments.filter(participant=participant).exclude(status=EnrolmentStatus.CANCELLED)
        if already.exists():
            raise TrainingRefused(
                _("%(name)s is already enrolled in this session.") % {"name": participant.display_name}
            )
    full = places_taken(session) >= session.capacity
    enrolment = Enrolment(
        session=session,
        public_name=public_name.strip() if participant is None else "",
        public_email=public_email if participant is None else "",
        public_phone=public_phone if participant is None else "",
        status=EnrolmentStatus.WAITING if full else EnrolmentStatus.ENROLLED,
        enrolled_on=on,
        note=note,
    )
    enrolment.participant = participant
    enrolment.full_clean()
    enrolment.save()
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=enrolment, detail={"status": enrolment.status})
    return enrolment


@transaction.atomic
def cancel_enrolment(*, enrolment: Enrolment, actor) -> Enrolment | None:
    """Cancel an enrolment; a place it held goes to the first person waiting, who is returned."""
    Enrolment.workflow.transition(enrolment, "cancel", actor=actor)
    promoted = promote_waiting(session=enrolment.session, actor=actor)
    return promoted[0] if promoted else None


@transaction.atomic
def promote_waiting(*, session: Session, actor) -> list[Enrolment]:
    """Give free places to the people waiting, first come first served."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    free = session.capacity - places_taken(session)
    promoted = list(session.enrolments.waiting()[: max(free, 0)])
    for enrolment in promoted:
        Enrolment.workflow.transition(enrolment, "promote", actor=actor)
    return promoted


# ---------------------------------------------------------------- attendance


def default_day(session: Session, today: datetime.date | None = None) -> datetime.date | None:
    """The day the attendance screen opens on: today if the session meets today, else its last day so far,
    else its first day."""
    today = today or timezone.localdate()
    days = session.days()
    if not days:
        return None
    if today in days:
        return today
    past = [d for d in days if d <= today]
    return past[-1] if past else days[0]


def attendance_sheet(session: Session, day: datetime.date, enrolments=None):
    """(enrolment, status, recorded) for everyone holding a place: recorded status, else present by default."""
    enrolments = (
        list(enrolments)
        if enrolments is not None
        else list(session.enrolments.holding_place().select_related("participant"))
    )
    recorded = dict(
        Attendance.objects.filter(enrolment__in=[e.pk for e in enrolments], date=day).values_list(
            "enrolment_id", "status"
        )
    )
    rows = [(e, recorded.get(e.pk, AttendanceStatus.PRESENT), e.pk in recorded) for e in enrolments]
    rows.sort(key=lambda row: row[0].person_name.lower())
    return rows


@transaction.atomic
def record_day(*, session: Session, day: datetime.date, statuses: dict[int, str], actor) -> dict[str, int]:
    """Write a whole day's attendance in one transaction. ``statuses`` maps enrolment ids to absent or excused;
    everyone else holding a place is present. Refused, with nothing saved, for a day outside the session or a
    day still to come."""
    if session.start_date <= day <= session.end_date and holiday_name(day):
        raise TrainingRefused(
            _("%(day)s is a public holiday (%(name)s): the session does not meet that day. No attendance was saved.")
            % {"day": _fmt(day), "name": holiday_name(day)}
        )
    if not session.is_day(day):
        raise TrainingRefused(
            _("%(day)s is not a day of this session (%(start)s – %(end)s): no attendance was saved.")
            % {"day": _fmt(day), "start": _fmt(session.start_date), "end": _fmt(session.end_date)}
        )
    if day > timezone.localdate():
        raise TrainingRefused(_("Attendance is taken on the day or after, not in advance: nothing was saved."))
    enrolments = list(session.enrolments.holding_place())
    ids = {e.pk for e in enrolments}
    unknown = set(statuses) - ids
    if unknown:
        raise TrainingRefused(
            _("Some people on the sheet are no longer enrolled: reload the page. Nothing was saved.")
        )
    valid = set(AttendanceStatus.values)
    existing = {a.enrolment_id: a for a in Attendance.objects.filter(enrolment__in=ids, date=day)}
    to_create, to_update = [], []
    counts = {status: 0 for status in AttendanceStatus.values}
    for enrolment in enrolments:
        status = statuses.get(enrolment.pk, AttendanceStatus.PRESENT)
        if status not in valid:
            raise TrainingRefused(_("Unknown attendance status: nothing was saved."))
        counts[status] += 1
        row = existing.get(enrolment.pk)
        if row is None:
            to_create.append(Attendance(enrolment=enrolment, date=day, status=status, recorded_by=actor))
        elif row.status != status:
            row.status, row.recorded_by = status, actor
            to_update.append(row)
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["status", "recorded_by", "recorded_at"])
    audit(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=session,
        detail={"attendance": day.isoformat(), **counts},
    )  # fmt: skip
    return counts


def _fmt(day: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "SHORT_DATE_FORMAT")


# ---------------------------------------------------------------- completion, certificates, skills


@dataclass
class AttendanceRate:
    days: int
    present: int

    @property
    def percent(self) -> Decimal:
        if not self.days:
            return Decimal(0)
        return (Decimal(self.present) * 100 / self.days).quantize(Decimal("0.1"))


def attendance_rate(enrolment: Enrolment) -> AttendanceRate:
    days = len(enrolment.session.days())
    present = enrolment.attendance.filter(status=AttendanceStatus.PRESENT).count()
    return AttendanceRate(days=days, present=present)


#: certificates are numbered across the network, one gapless series a year: CERT-2026-00042
CERTIFICATES = register(Series("certificate", "CERT-{year}-{number:05d}", per_organisation=False))


def next_certificate_number(year: int) -> str:
    """Take the next certificate number of ``year``: call it in the transaction that saves the certificate."""
    return CERTIFICATES.issue(year=year)


@transaction.atomic
def complete_enrolment(*, enrolment: Enrolment, actor, on: datetime.date | None = None) -> Enrolment:
    """Mark an enrolment completed when the person attended enough of the session: issue the certificate if
    the course gives one, and add the course's skills to a worker's skills record."""
    on = on or timezone.localdate()
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",)).select_related("session__course").get(pk=enrolment.pk)
    )
    session, course = enrolment.session, enrolment.session.course
    Enrolment.workflow.check(enrolment, "complete", completed_on=on)
    days = session.days()
    if days and days[-1] > on:
        raise TrainingRefused(_("The session is not over yet: it ends on %(day)s.") % {"day": _fmt(days[-1])})
    rate = attendance_rate(enrolment)
    if rate.percent < course.attendance_threshold:
        raise TrainingRefused(
            _("Attendance is %(rate)s %% (%(present)s of %(days)s days); this course needs %(needed)s %%. "
              "Correct the attendance if it is wrong; nothing was saved.")
            % {"rate": rate.percent, "present": rate.present, "days": rate.days, "needed": course.attendance_threshold}
        )  # fmt: skip
    Enrolment.workflow.transition(enrolment, "complete", actor=actor, completed_on=on)
    if course.gives_certificate:
        Certificate.objects.create(
            enrolment=enrolment, number=next_certificate_number(on.year), issued_on=on, issued_by=actor
        )
    if enrolment.participant_id:
        add_skills(
            participant=enrolment.participant, skills=course.skills.all(), on=on, enrolment=enrolment, actor=actor
        )
    return enrolment


def completion_preview(session: Session):
    """(ready, short): the enrolled people who attended enough to complete, and those who did not, with rates."""
    threshold = session.course.attendance_threshold
    ready, short = [], []
    for enrolment in session.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related("participant"):
        rate = attendance_rate(enrolment)
        (ready if rate.percent >= threshold else short).append((enrolment, rate))
    return ready, short


@transaction.atomic
def complete_session(*, session: Session, actor, on: datetime.date | None = None) -> tuple[list, list]:
    """Close a finished session: complete everyone who attended enough (certificates, skills); the others stay
    enrolled, for their attendance to be corrected or the enrolment to be cancelled."""
    ready, short = completion_preview(session)
    done = [complete_enrolment(enrolment=e, actor=actor, on=on) for e, _rate in ready]
    return done, short


def add_skills(*, participant, skills, on, enrolment=None, actor=None, source=SkillSource.TRAINING) -> int:
    """Add skills to a worker's skills record (those already there are kept as they are)."""
    from moulin.training.models import ParticipantSkill

    have = set(ParticipantSkill.objects.filter(participant=participant).values_list("skill_id", flat=True))
    new = [
        ParticipantSkill(
            participant=participant,
            skill=skill,
            source=source,
            acquired_on=on,
            enrolment=enrolment,
            recorded_by=actor if actor is not None and actor.is_authenticated else None,
        )  # fmt: skip
        for skill in skills
        if skill.pk not in have
    ]
    ParticipantSkill.objects.bulk_create(new)
    return len(new)


# ---------------------------------------------------------------- figures


@dataclass
class CourseFigures:
    sessions: int
    capacity: int
    enrolled: int
    waiting: int
    finished_enrolled: int
    completed: int

    @property
    def fill_rate(self) -> Decimal | None:
        if not self.capacity:
            return None
        return (Decimal(self.enrolled) * 100 / self.capacity).quantize(Decimal("0.1"))

    @property
    def completion_rate(self) -> Decimal | None:
        if not self.finished_enrolled:
            return None
        return (Decimal(self.completed) * 100 / self.finished_enrolled).quantize(Decimal("0.1"))


def course_figures(course, *, today=None) -> CourseFigures:
    """Fill rate (places taken over places offered, all sessions) and completion rate (completed over people
    holding a place in sessions that are over)."""
    today = today or timezone.localdate()
    sessions = Session.objects.filter(course=course)
    capacity = sessions.aggregate(c=Sum("capacity"))["c"] or 0
    counts = Enrolment.objects.filter(session__course=course).aggregate(
        enrolled=Count("pk", filter=Q(status__in=HOLDS_PLACE)),
        waiting=Count("pk", filter=Q(status=EnrolmentStatus.WAITING)),
        finished=Count("pk", filter=Q(status__in=HOLDS_PLACE, session__end_date__lt=today)),
        completed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
    )
    return CourseFigures(
        sessions=sessions.count(),
        capacity=capacity,
        enrolled=counts["enrolled"],
        waiting=counts["waiting"],
        finished_enrolled=counts["finished"],
        completed=counts["completed"],
    )


def _present_hours(qs):
    hours = ExpressionWrapper(F("enrolment__session__hours_per_day"), output_field=DecimalField())
    return qs.filter(status=AttendanceStatus.PRESENT).aggregate(h=Sum(hours))["h"] or Decimal(0)


def training_hours_this_year(participant, *, today=None) -> Decimal:
    """Hours of training a worker attended this calendar year (days present × the session's hours per day)."""
    today = today or timezone.localdate()
    return _present_hours(Attendance.objects.filter(enrolment__participant=participant, date__year=today.year))


def skills_of(participant):
    """A worker's skills record, oldest first."""
    from moulin.training.models import ParticipantSkill

    return ParticipantSkill.objects.filter(participant=participant).select_related(
        "skill", "enrolment__session__course"
    )


def training_timeline(participant, user):
    """A worker's enrolments the user may read, newest first (for the worker's page and timeline)."""
    return (
        Enrolment.objects.visible_to(user)
        .filter(participant=participant)
        .select_related("session__course", "certificate")
        .prefetch_related("session__course__skills")
        .order_by("-session__start_date")
    )
