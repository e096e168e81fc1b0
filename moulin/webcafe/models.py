"""Web cafés: the venues that give free internet access to everyone, their opening hours and closures, the daily
visit counts by age band (head counts, no names), and the public computer courses they hold.

A public course is a session of the training capability (``training.Session`` of a course open to the public) held
at the venue, with what the public needs to know on top: topic, level, language and the hours of the day; people
register through the training enrolments (waiting list and promotion included), and ``Registration`` keeps how
they registered and their consent.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, ProtectedError, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import ScopedQuerySet
from moulin.core.calendar import is_public_holiday
from moulin.core.models import TimeStampedModel
from moulin.formats import short_date
from moulin.webcafe.enums import BAND_FIELDS, Channel, Language, Level, Topic, Weekday


class WebcafeRefused(ValidationError):
    """A rule of the web cafés refused the change; its message says why. Nothing was saved."""


class VenueQuerySet(ScopedQuerySet):
    policy_name = "moulin.webcafe.policies.VenuePolicy"

    def active(self):
        return self.filter(is_active=True)

    def in_commune(self, commune):
        return self.filter(premises__commune=commune)


class Venue(TimeStampedModel):
    """A web café: premises of an organisation where anyone uses a computer and the internet for free."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="web_cafes",
        verbose_name=_("organisation"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=120)
    premises = models.OneToOneField(
        "organisations.Premises", on_delete=models.PROTECT, related_name="web_cafe", verbose_name=_("premises"),
        help_text=_("The organisation's premises where the web café is: its address and commune."),
    )  # fmt: skip
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_web_cafes",
        verbose_name=_("leader"),
        help_text=_("The team leader who runs the web café day to day (opening, visits, courses); their home page "
                    "shows the web café's day."),
    )  # fmt: skip
    computers = models.PositiveSmallIntegerField(_("computers"), default=0)
    has_printer = models.BooleanField(_("printer and scanner"), default=False)
    has_wifi = models.BooleanField(_("free Wi-Fi"), default=True)
    step_free = models.BooleanField(_("step-free access"), default=False)
    accessibility = models.CharField(
        _("accessibility"), max_length=300, blank=True,
        help_text=_("Anything a visitor with reduced mobility, sight or hearing should know."),
    )  # fmt: skip
    is_active = models.BooleanField(_("open"), default=True)

    objects = VenueQuerySet.as_manager()

    #: the fields its ``__str__`` reads: a filter select reads only these (moulin.core.forms.ValuesChoiceIterator)
    label_fields = ("name",)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("web café")
        verbose_name_plural = _("web cafés")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="unique_web_cafe_name_per_organisation",
                violation_error_message=_("This organisation already has a web café with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    breadcrumb_list = (_("Web cafés"), "webcafe:venue_list")

    def get_absolute_url(self) -> str:
        return reverse("webcafe:venue_detail", args=[self.pk])

    @property
    def commune(self):
        return self.premises.commune

    def delete(self, *args, **kwargs):
        """A web café with visits recorded is not deleted (its figures are in the reports): close it instead."""
        recorded = list(self.visit_days.order_by("-day")[:10])
        if recorded:
            raise ProtectedError(
                _("Visits are recorded at this web café and count in the reports: mark it closed instead."), recorded
            )
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        if self.premises_id and self.organisation_id and self.premises.organisation_id != self.organisation_id:
            raise ValidationError({"premises": _("Choose premises of the web café's own organisation.")})


class OpeningSlotQuerySet(ScopedQuerySet):
    policy_name = "moulin.webcafe.policies.OpeningSlotPolicy"

    def valid_on(self, day: datetime.date):
        return self.filter(Q(valid_from__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day)))

    def on_day(self, day: datetime.date):
        return self.valid_on(day).filter(weekday=day.weekday())


class OpeningSlot(models.Model):
    """One weekly opening of a venue (Tuesday 14:00–18:00), valid from a day, until a day or for good."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="slots", verbose_name=_("web café"))
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(_("closes at"))
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = OpeningSlotQuerySet.as_manager()

    class Meta:
        ordering = ["venue", "weekday", "opens", "pk"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="opening_slot_closes_after_opening",
                violation_error_message=_("A web café closes after it opens: check the two times."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="opening_slot_valid_period",
                violation_error_message=_("The hours cannot stop being valid before they start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    breadcrumb_parent = "venue"

    def get_absolute_url(self) -> str:
        return reverse("webcafe:venue_detail", args=[self.venue_id]) + "#hours"

    def overlapping(self):
        """The venue's other slots on the same weekday whose hours and validity overlap this one's."""
        end = self.valid_until or datetime.date.max
        others = OpeningSlot.objects.filter(venue_id=self.venue_id, weekday=self.weekday)
        others = others.filter(opens__lt=self.closes, closes__gt=self.opens, valid_from__lte=end)
        others = others.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from))
        return others.exclude(pk=self.pk)

    def clean(self) -> None:
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("A web café closes after it opens: check the two times.")})
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The hours cannot stop being valid before they start.")})
        if self.venue_id and self.weekday is not None and self.opens and self.closes and self.valid_from:
            clash = self.overlapping().first()
            if clash is not None:
                raise ValidationError({"opens": _(
                    "These hours overlap the opening %(slot)s (valid from %(from)s): change the times, or end "
                    "the other opening's validity first."
                ) % {"slot": clash, "from": short_date(clash.valid_from)}})  # fmt: skip


class ClosureQuerySet(ScopedQuerySet):
    policy_name = "moulin.webcafe.policies.ClosurePolicy"

    def covering(self, day: datetime.date):
        return self.filter(first_day__lte=day, last_day__gte=day)


class Closure(models.Model):
    """An exceptional closure of a venue (holidays of the team, works, an event), beyond the public holidays,
    on which every web café is closed anyway."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="closures", verbose_name=_("web café"))
    first_day = models.DateField(_("closed from"))
    last_day = models.DateField(_("closed until"))
    reason = models.CharField(_("reason"), max_length=200)

    objects = ClosureQuerySet.as_manager()

    class Meta:
        ordering = ["venue", "-first_day", "pk"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")),
                name="closure_ends_after_start",
                violation_error_message=_("A closure cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        if self.first_day == self.last_day:
            return f"{short_date(self.first_day)}: {self.reason}"
        return f"{short_date(self.first_day)} – {short_date(self.last_day)}: {self.reason}"

    breadcrumb_parent = "venue"

    def get_absolute_url(self) -> str:
        return reverse("webcafe:venue_detail", args=[self.venue_id]) + "#closures"

    def clean(self) -> None:
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": _("A closure cannot end before it starts.")})
        if self.first_day and self.last_day and (self.last_day - self.first_day).days > 366:
            raise ValidationError({"last_day": _("A closure lasts a year at most: close the web café instead.")})


class VisitDayQuerySet(ScopedQuerySet):
    policy_name = "moulin.webcafe.policies.VisitDayPolicy"

    def totals(self) -> dict:
        """The visits of these days per age band (``{band: n}``) and ``total``, in one query."""
        sums = self.aggregate(**{band: Sum(band) for band in BAND_FIELDS})
        found = {band: sums[band] or 0 for band in BAND_FIELDS}
        found["total"] = sum(found.values())
        return found


#: a day's count above this is a typing slip
MAX_VISITS = 10_000


def _count_field(label):
    return models.IntegerField(
        label, default=0,
        validators=[MinValueValidator(0, message=_("A count of visits is zero or more.")),
                    MaxValueValidator(MAX_VISITS, message=_("More than 10,000 visits in a day: check the count."))],
    )  # fmt: skip


class VisitDay(models.Model):
    """The visits of one day at a venue, counted by age band: head counts only, nobody is named."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="visit_days", verbose_name=_("web café"))
    day = models.DateField(_("day"))
    under_25 = _count_field(_("under 25"))
    age_25_49 = _count_field(_("25–49"))
    age_50_64 = _count_field(_("50–64"))
    age_65_plus = _count_field(_("65 and over"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip

    objects = VisitDayQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "venue", "pk"]
        verbose_name = _("visits of a day")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["day", "id"], name="webcafe_visitday_sort")]  # the list's sort
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "day"],
                name="one_visit_count_per_venue_and_day",
                violation_error_message=_("The visits of this day are already recorded: correct that day instead."),
            ),
            models.CheckConstraint(
                condition=Q(under_25__gte=0, age_25_49__gte=0, age_50_64__gte=0, age_65_plus__gte=0),
                name="visit_counts_not_negative",
                violation_error_message=_("A count of visits is zero or more."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue} — {short_date(self.day)}"

    breadcrumb_parent = "venue"

    def get_absolute_url(self) -> str:
        return reverse("webcafe:venue_detail", args=[self.venue_id]) + "#visits"

    @property
    def total(self) -> int:
        return sum(getattr(self, band) or 0 for band in BAND_FIELDS)

    def clean(self) -> None:
        if self.day and self.day > timezone.localdate():
            raise ValidationError({"day": _("Visits are counted on the day or after, never in advance.")})


class PublicCourseQuerySet(ScopedQuerySet):
    policy_name = "moulin.webcafe.policies.PublicCoursePolicy"

    def upcoming(self, on=None):
        return self.filter(session__end_date__gte=on or timezone.localdate())

    def with_counts(self):
        """``n_registered`` (holding a place) and ``n_waiting`` per course, from its session's enrolments."""
        from django.db.models import Count

        from moulin.training.enums import HOLDS_PLACE, EnrolmentStatus

        enrolments = "session__enrolments__status"
        return self.annotate(
            n_registered=Count("session__enrolments", filter=Q(**{f"{enrolments}__in": HOLDS_PLACE})),
            n_waiting=Count("session__enrolments", filter=Q(**{enrolments: EnrolmentStatus.WAITING})),
        )


class PublicCourse(TimeStampedModel):
    """A computer course for the public at a web café: a training session of a course open to the public, with
    its topic, level, language and the hours it meets on each of its days."""

    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="courses", verbose_name=_("web café"))
    session = models.OneToOneField(
        "training.Session", on_delete=models.PROTECT, related_name="web_cafe_course", verbose_name=_("session")
    )
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.BEGINNER)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.LUXEMBOURGISH)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))

    objects = PublicCourseQuerySet.as_manager()

    class Meta:
        ordering = ["-session__start_date", "pk"]
        verbose_name = _("public course")
        verbose_name_plural = _("public courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="public_course_ends_after_start",
                violation_error_message=_("A course ends after it starts: check the two times."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session.course.title} — {short_date(self.session.start_date)}"

    breadcrumb_parent = "venue"

    def get_absolute_url(self) -> str:
        return reverse("webcafe:public_course_detail", args=[self.pk])

    @property
    def title(self) -> str:
        return self.session.course.title

    @property
    def places_left(self) -> int | None:
        """Free places (on a queryset ``with_counts``)."""
        registered = getattr(self, "n_registered", None)
        return None if registered is None else max(self.session.capacity - registered, 0)

    @property
    def fill_rate(self):
        from moulin.training.models import percent

        return percent(getattr(self, "n_registered", 0), self.session.capacity)

    def is_open_for_registration(self, on=None) -> bool:
        return self.session.end_date >= (on or timezone.localdate())


class RegistrationQuerySet(ScopedQuerySet):
    policy_name = "moulin.webcafe.policies.RegistrationPolicy"


class Registration(TimeStampedModel):
    """A member of the public registered for a public course: the training enrolment (name, phone, place or
    waiting list), how they registered, and their consent to keep their details for the course."""

    course = models.ForeignKey(
        PublicCourse, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("course")
    )
    enrolment = models.OneToOneField(
        "training.Enrolment", on_delete=models.PROTECT, related_name="web_cafe_registration",
        verbose_name=_("enrolment"),
    )  # fmt: skip
    channel = models.CharField(_("registered"), max_length=12, choices=Channel.choices, default=Channel.COUNTER)
    consent_on = models.DateField(_("consent given on"))

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["course", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["created_at", "id"], name="registration_sort")]  # the list's default sort

    def __str__(self) -> str:
        return f"{self.enrolment.public_name} — {self.course}"

    breadcrumb_parent = "course"

    def get_absolute_url(self) -> str:
        return reverse("webcafe:public_course_detail", args=[self.course_id]) + f"#registration-{self.pk}"


def is_closed_on(venue, day: datetime.date, closures=None) -> bool:
    """Whether ``venue`` is closed all day on ``day``: a public holiday, or one of its closures."""
    if is_public_holiday(day):
        return True
    if closures is None:
        return Closure.objects.filter(venue=venue).covering(day).exists()
    return any(c.first_day <= day <= c.last_day for c in closures)
