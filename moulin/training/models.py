import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import ScopedQuerySet
from moulin.core.calendar import is_working_day, public_holidays, working_days
from moulin.core.fields import PhoneField
from moulin.core.models import TimeStampedModel
from moulin.core.workflow import Transition, Workflow
from moulin.formats import short_date
from moulin.training.enums import (
    HOLDS_PLACE,
    AttendanceStatus,
    CourseKind,
    EnrolmentStatus,
    ProviderKind,
    SkillSource,
)


class TrainingRefused(ValidationError):
    """A rule of training refused the change; its message says why. Nothing was saved."""


#: a session runs over at most this many calendar days (a longer cycle is several sessions)
MAX_SESSION_SPAN = 366


def percent(part, whole):
    """``part`` of ``whole`` in %, one decimal; None when there is no whole."""
    if not whole:
        return None
    return round(100 * (part or 0) / whole, 1)


class SkillQuerySet(ScopedQuerySet):
    policy_name = "moulin.training.policies.SkillPolicy"


class Skill(models.Model):
    """Something a person can do, given by courses and recorded in a worker's skills record."""

    name = models.CharField(
        _("name"), max_length=120, unique=True,
        error_messages={"unique": _("A skill with this name already exists.")},
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=12, choices=CourseKind.choices, default=CourseKind.TECHNICAL)
    description = models.TextField(_("description"), blank=True)

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("training:skill_list") + f"?q={self.name}"


class CourseQuerySet(ScopedQuerySet):
    policy_name = "moulin.training.policies.CoursePolicy"

    def with_figures(self, today=None):
        """Each course's figures over all its sessions: ``n_sessions``, ``n_capacity`` (places), ``n_enrolled``
        (holding a place), ``n_finished`` (of those, in sessions over by ``today``) and ``n_completed``; the
        fill and completion rates follow (``Course.fill_rate``, ``Course.completion_rate``)."""
        today = today or timezone.localdate()
        sessions = Session.objects.filter(course=OuterRef("pk")).values("course")
        holding = Enrolment.objects.filter(session__course=OuterRef("pk"), status__in=HOLDS_PLACE)
        holding = holding.values("session__course")

        def count(qs, condition=None):
            counted = Count("pk", filter=condition) if condition is not None else Count("pk")
            return Coalesce(Subquery(qs.annotate(n=counted).values("n"), models.IntegerField()), 0)

        return self.annotate(
            n_sessions=count(sessions),
            n_capacity=Coalesce(Subquery(sessions.annotate(c=Sum("capacity")).values("c")), 0),
            n_enrolled=count(holding),
            n_finished=count(holding, Q(session__end_date__lt=today)),
            n_completed=count(holding, Q(status=EnrolmentStatus.COMPLETED)),
        )


def add_figures(courses, today=None) -> None:
    """The figures of ``with_figures`` on courses already read without them (a list page's rows): two grouped
    queries over these courses only, instead of five subqueries for each (the catalogue's page statement took
    most of its SQL time in them). Courses read ``with_figures`` keep theirs."""
    missing = {course.pk: course for course in courses if not hasattr(course, "n_enrolled")}
    if not missing:
        return
    today = today or timezone.localdate()
    sessions = {
        row["course"]: row
        for row in Session.objects.filter(course__in=list(missing))
        .order_by()
        .values("course")
        .annotate(n=Count("pk"), places=Sum("capacity"))
    }
    holding = {
        row["session__course"]: row
        for row in Enrolment.objects.filter(session__course__in=list(missing), status__in=HOLDS_PLACE)
        .order_by()
        .values("session__course")
        .annotate(
            enrolled=Count("pk"),
            finished=Count("pk", filter=Q(session__end_date__lt=today)),
            completed=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        )
    }
    for pk, course in missing.items():
        offered, held = sessions.get(pk, {}), holding.get(pk, {})
        course.n_sessions = offered.get("n", 0)
        course.n_capacity = offered.get("places") or 0
        course.n_enrolled = held.get("enrolled", 0)
        course.n_finished = held.get("finished", 0)
        course.n_completed = held.get("completed", 0)


class Course(TimeStampedModel):
    """A course of the training catalogue: what it teaches, for how long, who gives it, what it certifies."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="courses",
        verbose_name=_("organised by"),
        help_text=_("Courses of the resource centre are open to the whole network."),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=160)
    code = models.CharField(_("code"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=CourseKind.choices)
    description = models.TextField(_("description"), blank=True)
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("Length of the whole course, in hours."),
    )  # fmt: skip
    provider_kind = models.CharField(
        _("provider"), max_length=10, choices=ProviderKind.choices, default=ProviderKind.INTERNAL
    )
    provider = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="courses",
        verbose_name=_("external provider"), help_text=_("The partner who gives the course, when external."),
    )  # fmt: skip
    gives_certificate = models.BooleanField(_("gives a certificate"), default=True)
    attendance_threshold = models.PositiveSmallIntegerField(
        _("attendance needed to complete (%)"), default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of the session days a person must attend for the course to count as completed."),
    )  # fmt: skip
    skills = models.ManyToManyField(Skill, related_name="courses", blank=True, verbose_name=_("skills given"))
    open_to_public = models.BooleanField(
        _("open to the public"), default=False,
        help_text=_("Members of the public may enrol (web café computer courses)."),
    )  # fmt: skip
    is_active = models.BooleanField(_("in the catalogue"), default=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="course_hours_positive",
                violation_error_message=_("A course lasts at least half an hour."),
            ),
            models.CheckConstraint(
                condition=Q(attendance_threshold__gte=1) & Q(attendance_threshold__lte=100),
                name="course_threshold_percent",
                violation_error_message=_("The attendance needed lies between 1 % and 100 %."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "title"],
                name="unique_course_title_per_organisation",
                violation_error_message=_("This organisation already has a course with this title."),
            ),
        ]
        indexes = [models.Index(fields=["title", "id"], name="course_sort")]  # the list's default sort

    def __str__(self) -> str:
        return self.title

    breadcrumb_list = (_("Training"), "training:course_list")

    def get_absolute_url(self) -> str:
        return reverse("training:course_detail", args=[self.pk])

    @property
    def fill_rate(self):
        """Places taken over places offered, in % (on a queryset ``with_figures``)."""
        return percent(self.n_enrolled, self.n_capacity)

    @property
    def completion_rate(self):
        """Completed over enrolled in finished sessions, in % (on a queryset ``with_figures``)."""
        return percent(self.n_completed, self.n_finished)

    def clean(self) -> None:
        if self.provider_kind == ProviderKind.EXTERNAL and not self.provider_id:
            raise ValidationError({"provider": _("Choose the partner who gives this external course.")})
        if self.provider_kind == ProviderKind.INTERNAL and self.provider_id:
            raise ValidationError({"provider": _("An internal course has no external provider: clear it.")})


class SessionQuerySet(ScopedQuerySet):
    policy_name = "moulin.training.policies.SessionPolicy"

    def with_counts(self):
        """``n_enrolled`` (holding a place), ``n_waiting`` and ``n_completed`` per session, each counted in a
        subquery: a join of the enrolments grouped by every selected column sorted all sessions before the page's
        25 were taken (the sessions list was twice as slow)."""

        def count(**condition):
            rows = Enrolment.objects.filter(session=OuterRef("pk"), **condition).order_by().values("session")
            return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), models.IntegerField()), 0)

        return self.annotate(
            n_enrolled=count(status__in=HOLDS_PLACE),
            n_waiting=count(status=EnrolmentStatus.WAITING),
            n_completed=count(status=EnrolmentStatus.COMPLETED),
        )

    def upcoming(self, on=None):
        return self.filter(end_date__gte=on or timezone.localdate())


class Session(TimeStampedModel):
    """One run of a course: dates, the weekdays it meets, place, trainer and capacity."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course"))
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    weekdays = models.CharField(
        _("meets on"), max_length=13, default="0,1,2,3,4",
        help_text=_("The weekdays on which the session meets between its first and last day."),
    )  # fmt: skip
    hours_per_day = models.DecimalField(
        _("hours per day"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(12))],
    )  # fmt: skip
    place = models.ForeignKey(
        "organisations.Premises", on_delete=models.SET_NULL, null=True, blank=True, related_name="training_sessions",
        verbose_name=_("place"),
    )  # fmt: skip
    location = models.CharField(
        _("other place"), max_length=200, blank=True, help_text=_("When the session is held elsewhere.")
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="training_sessions", verbose_name=_("trainer"),
    )  # fmt: skip
    trainer_name = models.CharField(
        _("external trainer"), max_length=150, blank=True, help_text=_("When the trainer has no Moulin login.")
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1)], help_text=_("Places; further enrolments wait.")
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        # the sessions' and the enrolments' default sort (a join: the enrolments come in session order)
        indexes = [models.Index(fields=["start_date", "id"], name="training_session_sort")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="session_ends_after_start",
                violation_error_message=_("A session cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="session_capacity_positive",
                violation_error_message=_("A session has at least one place."),
            ),
            models.CheckConstraint(
                condition=Q(hours_per_day__gt=0) & Q(hours_per_day__lte=12),
                name="session_hours_per_day",
                violation_error_message=_("A session day lasts between half an hour and 12 hours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.title} — {short_date(self.start_date)}"

    breadcrumb_parent = "course"

    @property
    def breadcrumb_label(self) -> str:
        return date_format(self.start_date, "SHORT_DATE_FORMAT")

    def get_absolute_url(self) -> str:
        return reverse("training:session_detail", args=[self.pk])

    @property
    def weekday_numbers(self) -> set[int]:
        return {int(d) for d in self.weekdays.split(",") if d.strip().isdigit()}

    def days(self) -> list[datetime.date]:
        """The days the session meets, in order: its weekdays between its first and last day, Luxembourg's
        public holidays left out (``moulin.core.calendar``)."""
        if not (self.start_date and self.end_date) or self.end_date < self.start_date:
            return []
        span = min((self.end_date - self.start_date).days, MAX_SESSION_SPAN)
        return working_days(self.start_date, self.start_date + datetime.timedelta(days=span), self.weekday_numbers)

    def is_day(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date and is_working_day(day, self.weekday_numbers)

    def holidays_skipped(self) -> list[tuple[datetime.date, str]]:
        """The public holidays on the session's weekdays between its dates (days it does not meet), with their
        names in the active language."""
        if not (self.start_date and self.end_date) or self.end_date < self.start_date:
            return []
        wanted = self.weekday_numbers
        return [
            (day, name)
            for year in range(self.start_date.year, self.end_date.year + 1)
            for day, name in sorted(public_holidays(year).items())
            if self.start_date <= day <= self.end_date and day.weekday() in wanted
        ]

    @property
    def total_hours(self) -> Decimal:
        return self.hours_per_day * len(self.days())

    @property
    def place_label(self) -> str:
        if self.place_id:
            return str(self.place)
        return self.location

    @property
    def trainer_label(self) -> str:
        return str(self.trainer) if self.trainer_id else self.trainer_name

    def is_over(self, on=None) -> bool:
        return self.end_date < (on or timezone.localdate())

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                errors["end_date"] = _("A session cannot end before it starts.")
            elif (self.end_date - self.start_date).days > MAX_SESSION_SPAN:
                errors["end_date"] = _("A session runs for a year at most: plan a longer cycle as several sessions.")
            elif not self.days():
                errors["weekdays"] = _(
                    "The session never meets: none of its weekdays falls between its dates (public holidays are "
                    "left out). Widen the dates or choose other weekdays."
                )
        if not self.weekday_numbers:
            errors["weekdays"] = _("Choose at least one weekday.")
        if self.place_id and self.location:
            errors["location"] = _("Give either premises or another place, not both.")
        if self.trainer_id and self.trainer_name:
            errors["trainer_name"] = _("Give either a trainer with a login or an external trainer, not both.")
        if self.pk and not errors:
            errors.update(self._clean_against_records())
        if errors:
            raise ValidationError(errors)

    def _clean_against_records(self) -> dict:
        """A saved session keeps room for the people holding a place and the days already recorded."""
        errors = {}
        taken = self.enrolments.filter(status__in=HOLDS_PLACE).count()
        if self.capacity is not None and self.capacity < taken:
            errors["capacity"] = _(
                "%(taken)s people hold a place in this session: the capacity cannot go below that. Cancel "
                "enrolments first."
            ) % {"taken": taken}
        if self.start_date and self.end_date:
            days = set(self.days())
            recorded = Attendance.objects.filter(enrolment__session=self).values_list("date", flat=True).distinct()
            lost = sorted(d for d in recorded if d not in days)
            if lost:
                errors["start_date"] = _(
                    "Attendance is recorded on %(days)s, which these dates or weekdays would leave out."
                ) % {"days": ", ".join(short_date(d) for d in lost[:5])}
        return errors


class EnrolmentQuerySet(ScopedQuerySet):
    policy_name = "moulin.training.policies.EnrolmentPolicy"

    def holding_place(self):
        return self.filter(status__in=HOLDS_PLACE)

    def waiting(self):
        return self.filter(status=EnrolmentStatus.WAITING).order_by("created_at", "pk")


class Enrolment(TimeStampedModel):
    """A person in a session: a worker (participant) or, for courses open to the public, a member of the public."""

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("session")
    )
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments",
        verbose_name=_("worker"),
    )  # fmt: skip
    public_name = models.CharField(_("name (member of the public)"), max_length=150, blank=True)
    public_email = models.EmailField(_("email"), blank=True)
    public_phone = PhoneField(_("phone"))
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    enrolled_on = models.DateField(_("enrolled on"), default=timezone.localdate)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    #: enrolled (or on the waiting list, promoted when a place frees) → completed, or cancelled
    workflow = Workflow(
        Transition("promote", _("Give the freed place"), {EnrolmentStatus.WAITING}, EnrolmentStatus.ENROLLED,
                   manual=False),
        Transition("cancel", _("Cancel the enrolment"), {EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING},
                   EnrolmentStatus.CANCELLED,
                   refusals={EnrolmentStatus.COMPLETED: _("A completed enrolment cannot be cancelled."),
                             EnrolmentStatus.CANCELLED: _("This enrolment is already cancelled.")}),
        Transition("complete", _("Complete the course"), {EnrolmentStatus.ENROLLED}, EnrolmentStatus.COMPLETED,
                   required={"completed_on": _("Give the day the course was completed.")}),
        refused=_("Only an enrolled person can complete the course (this enrolment is: %(status)s)."),
        error=TrainingRefused,
    )  # fmt: skip

    class Meta:
        ordering = ["session", "public_name", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.CheckConstraint(
                condition=Q(participant__isnull=False, public_name="")
                | Q(participant__isnull=True) & ~Q(public_name=""),
                name="enrolment_worker_or_public",
                violation_error_message=_("Enrol either a worker or a member of the public (with their name)."),
            ),
            models.UniqueConstraint(
                fields=["session", "participant"],
                condition=Q(participant__isnull=False) & ~Q(status=EnrolmentStatus.CANCELLED),
                name="unique_worker_per_session",
                violation_error_message=_("This worker is already enrolled in this session."),
            ),
            models.CheckConstraint(
                condition=Q(status=EnrolmentStatus.COMPLETED, completed_on__isnull=False)
                | (~Q(status=EnrolmentStatus.COMPLETED) & Q(completed_on__isnull=True)),
                name="enrolment_completed_has_date",
                violation_error_message=_("A completed enrolment has a completion date, and only then."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} — {self.session}"

    breadcrumb_parent = "session"

    def get_absolute_url(self) -> str:
        return reverse("training:session_detail", args=[self.session_id]) + f"#enrolment-{self.pk}"

    @property
    def person_name(self) -> str:
        if self.participant_id:
            return self.participant.display_name
        return self.public_name

    @property
    def is_public(self) -> bool:
        return not self.participant_id

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDS_PLACE


class AttendanceQuerySet(ScopedQuerySet):
    policy_name = "moulin.training.policies.AttendancePolicy"

    def present(self):
        return self.filter(status=AttendanceStatus.PRESENT)


class Attendance(models.Model):
    """Whether an enrolled person attended one day of their session."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("enrolment")
    )
    date = models.DateField(_("day"))
    status = models.CharField(
        _("attendance"), max_length=8, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["date", "enrolment"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "date"],
                name="one_attendance_per_day",
                violation_error_message=_("Attendance for this person on this day is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.person_name} {self.date}: {self.get_status_display()}"

    def clean(self) -> None:
        if self.enrolment_id and self.date and not self.enrolment.session.is_day(self.date):
            raise ValidationError({"date": _("This day is not one of the session's days.")})


class CertificateQuerySet(ScopedQuerySet):
    policy_name = "moulin.training.policies.CertificatePolicy"


class Certificate(models.Model):
    """The certificate of a completed enrolment. Its PDF is produced on request, in the reader's language."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("enrolment")
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("issued by"),
    )  # fmt: skip

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("training:certificate_pdf", args=[self.pk])


class ParticipantSkillQuerySet(ScopedQuerySet):
    policy_name = "moulin.training.policies.SkillRecordPolicy"


class ParticipantSkill(TimeStampedModel):
    """One line of a worker's skills record: from a completed course, or recorded by a coach."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="skills", verbose_name=_("worker")
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="holders", verbose_name=_("skill"))
    source = models.CharField(_("source"), max_length=10, choices=SkillSource.choices, default=SkillSource.COACH)
    acquired_on = models.DateField(_("acquired on"), default=timezone.localdate)
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.SET_NULL, null=True, blank=True, related_name="skills_given",
        verbose_name=_("from the course"),
    )  # fmt: skip
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip

    objects = ParticipantSkillQuerySet.as_manager()

    class Meta:
        ordering = ["skill__name"]
        verbose_name = _("skill of a worker")
        verbose_name_plural = _("skills record")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "skill"],
                name="unique_skill_per_worker",
                violation_error_message=_("This skill is already in the worker's skills record."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.participant})"

    def get_absolute_url(self) -> str:
        return reverse("training:worker", args=[self.participant.public_id])

    def clean(self) -> None:
        if self.acquired_on and self.acquired_on > timezone.localdate():
            raise ValidationError({"acquired_on": _("A skill is recorded once acquired, not in advance.")})
        if self.participant_id and self.skill_id:
            same = ParticipantSkill.objects.filter(participant_id=self.participant_id, skill_id=self.skill_id)
            if same.exclude(pk=self.pk).exists():
                raise ValidationError({"skill": _("This skill is already in the worker's skills record.")})
