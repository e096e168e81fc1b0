"""Environmental teams in the field: the sites of a commune, the recurring work orders planned on them, the
work orders themselves, the hours worked (time entries) and each team's calendar feed."""

import calendar
import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import ScopedQuerySet
from moulin.core.models import TimeStampedModel
from moulin.core.workflow import Transition, Workflow
from moulin.formats import short_date

#: no worker records more than this many hours on one day
MAX_HOURS_PER_DAY = Decimal("10")


class FieldworkRefused(ValidationError):
    """A rule of field work refused the change; its message says why. Nothing was saved."""


class SiteKind(models.TextChoices):
    PLAYGROUND = "playground", _("Playground")
    PARK = "park", _("Public park")
    PATH = "path", _("Path")
    RECYCLING_ROUTE = "recycling_route", _("Recycling route")
    PUBLIC_BUILDING = "public_building", _("Public building")


class HolidayRule(models.TextChoices):
    SKIP = "skip", _("Skipped")
    NEXT = "next", _("Moved to the next working day")
    PREVIOUS = "previous", _("Moved to the previous working day")


class WorkOrderStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    MOVED = "moved", _("Moved")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = frozenset({WorkOrderStatus.PLANNED, WorkOrderStatus.MOVED})


class EntryKind(models.TextChoices):
    WORK_ORDER = "work_order", _("Work order")
    TRAINING = "training", _("Training")
    COACHING = "coaching", _("Coaching")
    INTERVENTION = "intervention", _("Care intervention")


class IncidentKind(models.TextChoices):
    ACCIDENT = "accident", _("Accident")
    NEAR_MISS = "near_miss", _("Near miss")
    DANGEROUS_SITUATION = "dangerous", _("Dangerous situation")
    AGGRESSION = "aggression", _("Aggression")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor (no care needed)")
    FIRST_AID = "first_aid", _("First aid on the spot")
    MEDICAL = "medical", _("Seen by a doctor")
    SERIOUS = "serious", _("Serious (hospital, lost days)")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", _("Closed")


#: a checklist line starting with this mark is required before the work order is done
REQUIRED_MARK = "!"


def checklist_from_text(text: str) -> list[dict]:
    """The checklist of a work order from its text, one item a line (``!`` before a required item)."""
    items = []
    for line in (text or "").splitlines():
        line = line.strip()
        required = line.startswith(REQUIRED_MARK)
        label = line.lstrip(REQUIRED_MARK).strip()
        if label:
            items.append({"item": label, "required": required, "done": False})
    return items


def check_geometry(value) -> None:
    """A site is drawn as one GeoJSON point or line, in longitude/latitude within Luxembourg and around it."""
    message = _("Draw the site on the map: one point or one line.")
    if not isinstance(value, dict) or value.get("type") not in ("Point", "LineString"):
        raise ValidationError(message)
    coords = value.get("coordinates")
    points = [coords] if value["type"] == "Point" else coords
    if not isinstance(points, list) or not points or (value["type"] == "LineString" and len(points) < 2):
        raise ValidationError(message)
    for point in points:
        if not (isinstance(point, list | tuple) and len(point) == 2):
            raise ValidationError(message)
        try:
            lon, lat = float(point[0]), float(point[1])
        except (TypeError, ValueError):
            raise ValidationError(message) from None
        if not (5.5 <= lon <= 6.7 and 49.3 <= lat <= 50.3):
            raise ValidationError(_("The site lies outside Luxembourg: check the point or line on the map."))


class SiteQuerySet(ScopedQuerySet):
    policy_name = "moulin.fieldwork.policies.SitePolicy"


class Site(TimeStampedModel):
    """A place of a commune where an environmental team works: a playground, a park, a path, a recycling route,
    a public building; drawn on the map as a point or a line."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="sites", verbose_name=_("project"),
        limit_choices_to={"service_line": "environmental_team"},
    )  # fmt: skip
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="work_sites", verbose_name=_("commune")
    )
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    geometry = models.JSONField(
        _("on the map"), validators=[check_geometry], help_text=_("Click once for a point, or draw a line.")
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["commune__name", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "name"],
                name="unique_site_name_per_commune",
                violation_error_message=_("This commune already has a site with this name."),
            ),
        ]
        indexes = [models.Index(fields=["name", "id"], name="site_sort")]  # the list's default sort

    def __str__(self) -> str:
        return f"{self.name} ({self.commune.name})"

    breadcrumb_list = (_("Sites"), "fieldwork:site_list")

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:site_detail", args=[self.pk])


class RecurringOrderQuerySet(ScopedQuerySet):
    policy_name = "moulin.fieldwork.policies.RecurringOrderPolicy"


class RecurringOrder(TimeStampedModel):
    """Work that comes back on a site by an iCalendar rule (every Tuesday, the first Monday of the month…); its
    work orders are generated from the rule, again and again without duplicates."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="recurring_orders", verbose_name=_("site"))
    team = models.ForeignKey(
        "projects.Team", on_delete=models.PROTECT, related_name="recurring_orders", verbose_name=_("team")
    )
    title = models.CharField(_("work"), max_length=160)
    rule = models.CharField(
        _("recurrence"), max_length=255,
        help_text=_("An iCalendar rule, e.g. FREQ=WEEKLY;BYDAY=TU (every Tuesday) or "
                    "FREQ=MONTHLY;BYDAY=1MO (the first Monday of the month)."),
    )  # fmt: skip
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    holiday_rule = models.CharField(
        _("on a public holiday"), max_length=10, choices=HolidayRule.choices, default=HolidayRule.NEXT
    )
    planned_hours = models.DecimalField(
        _("planned duration (hours)"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(MAX_HOURS_PER_DAY)],
    )  # fmt: skip
    checklist = models.TextField(
        _("checklist"), blank=True, help_text=_("One item a line; start a line with ! for an item required before "
                                                "the work is done."),
    )  # fmt: skip
    is_active = models.BooleanField(_("active"), default=True)

    objects = RecurringOrderQuerySet.as_manager()

    class Meta:
        ordering = ["site__name", "title"]
        verbose_name = _("recurring work order")
        verbose_name_plural = _("recurring work orders")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="recurring_order_ends_after_start",
                violation_error_message=_("A recurrence cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.site.name}"

    breadcrumb_parent = "site"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:recurring_detail", args=[self.pk])

    def checklist_items(self) -> list[dict]:
        return checklist_from_text(self.checklist)

    def clean(self) -> None:
        from moulin.fieldwork.recurrence import check_rule

        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A recurrence cannot end before it starts.")
        if self.team_id and self.site_id and self.team.project_id != self.site.project_id:
            errors["team"] = _("Choose a team of the site's project.")
        if errors:
            raise ValidationError(errors)
        if self.rule and self.starts_on:
            check_rule(self.rule, self.starts_on, self.ends_on)


class WorkOrderQuerySet(ScopedQuerySet):
    policy_name = "moulin.fieldwork.policies.WorkOrderPolicy"

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def on_day(self, day: datetime.date):
        return self.filter(date=day).exclude(status=WorkOrderStatus.CANCELLED)

    def led_by(self, user):
        """The work orders of the teams ``user`` leads, the teams read first (``team IN (their ids)``): joined
        instead, SQLite, which plans without statistics, read every work order of the day and looked up each one's
        team (2,520 of them at ten times the network, 6.6 ms, for a user who leads none)."""
        teams = self.model._meta.get_field("team").related_model._base_manager.filter(leader=user)
        return self.filter(team__in=teams.values("pk"))


def _not_done_in_the_future(order, fields) -> None:
    if order.date > timezone.localdate():
        raise FieldworkRefused({"transition": _("A work order planned for a later day cannot be done yet.")})


def _done(order, fields) -> None:
    _not_done_in_the_future(order, fields)
    if order.pk:  # the checklist as ticked now (on another phone, maybe), not as this copy was read
        order.checklist = WorkOrder.objects.filter(pk=order.pk).values_list("checklist", flat=True).first() or []
    unticked = order.unticked_required()
    if unticked and not (fields.get("unticked_reason") or "").strip():
        raise FieldworkRefused(
            {
                "unticked_reason": _(
                    "Required items of the checklist are not ticked (%(items)s): tick them, or say why the work "
                    "is done without them."
                )
                % {"items": ", ".join(unticked)}
            }
        )


def _moved_to_another_day(order, fields) -> None:
    day = fields.get("date")
    if day is not None and day == order.moved_from:
        raise FieldworkRefused({"date": _("Choose another day than the one planned.")})


class WorkOrder(TimeStampedModel):
    """One day's work of a team on a site: its checklist, its planned duration and its status."""

    recurring = models.ForeignKey(
        RecurringOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="work_orders",
        verbose_name=_("recurring work order"),
    )  # fmt: skip
    occurrence = models.DateField(
        _("day given by the rule"), null=True, blank=True, help_text=_("Before any move or holiday shift.")
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="work_orders", verbose_name=_("site"))
    team = models.ForeignKey(
        "projects.Team", on_delete=models.PROTECT, related_name="work_orders", verbose_name=_("team")
    )
    title = models.CharField(_("work"), max_length=160)
    date = models.DateField(_("day"))
    start_time = models.TimeField(_("from (time)"), null=True, blank=True)
    planned_hours = models.DecimalField(
        _("planned duration (hours)"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(MAX_HOURS_PER_DAY)],
    )  # fmt: skip
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    unticked_reason = models.CharField(
        _("why required items are not ticked"), max_length=255, blank=True,
        help_text=_("Only when the work is done with required checklist items left unticked."),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=WorkOrderStatus.choices, default=WorkOrderStatus.PLANNED
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    moved_from = models.DateField(_("first planned for"), null=True, blank=True)
    report = models.TextField(_("report"), blank=True)

    workflow = Workflow(
        Transition("done", _("Mark as done"), OPEN_STATUSES, WorkOrderStatus.DONE,
                   optional=("report", "unticked_reason"), guard=_done),
        Transition("cancel", _("Cancel"), OPEN_STATUSES, WorkOrderStatus.CANCELLED,
                   required={"cancel_reason": _("A work order is cancelled with a reason: say why.")}),
        Transition("move", _("Move to another day"), OPEN_STATUSES, WorkOrderStatus.MOVED,
                   required={"date": _("Give the day the work moves to.")}, optional=("moved_from", "start_time"),
                   guard=_moved_to_another_day),
        Transition("reopen", _("Reopen"), {WorkOrderStatus.DONE, WorkOrderStatus.CANCELLED}, WorkOrderStatus.PLANNED,
                   sets={"cancel_reason": ""}),
        stamp="status_changed_on", error=FieldworkRefused, error_field="transition",
    )  # fmt: skip

    objects = WorkOrderQuerySet.as_manager()

    class Meta:
        ordering = ["date", "site__name"]
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        constraints = [
            models.UniqueConstraint(
                fields=["recurring", "occurrence"],
                name="one_work_order_per_occurrence",
                violation_error_message=_("This recurrence already has a work order for this day."),
            ),
            models.CheckConstraint(
                condition=~Q(status=WorkOrderStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="cancelled_work_order_has_reason",
                violation_error_message=_("A work order is cancelled with a reason: say why."),
            ),
        ]
        # the list's default sort and the network's schedule read work orders by day over years of them
        indexes = [models.Index(fields=["team", "date"]), models.Index(fields=["date", "id"], name="work_order_sort")]

    def __str__(self) -> str:
        return f"{self.title} — {self.site.name}, {short_date(self.date)}"

    breadcrumb_parent = "site"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:work_order_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def unticked_required(self) -> list[str]:
        return [i["item"] for i in self.checklist if i.get("required") and not i.get("done")]

    def clean(self) -> None:
        if self.team_id and self.site_id and self.team.project_id != self.site.project_id:
            raise ValidationError({"team": _("Choose a team of the site's project.")})


class TimeEntryQuerySet(ScopedQuerySet):
    policy_name = "moulin.fieldwork.policies.TimeEntryPolicy"

    def hours(self) -> Decimal:
        return self.aggregate(total=models.Sum("hours"))["total"] or Decimal("0")


class TimeEntry(TimeStampedModel):
    """Hours a worker spent on one day: on a work order, in training or in coaching. Sent from a phone, possibly
    twice: the idempotency key makes the second sending a no-op."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="time_entries", verbose_name=_("worker")
    )
    date = models.DateField(_("day"))
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(MAX_HOURS_PER_DAY)],
    )  # fmt: skip
    kind = models.CharField(_("for"), max_length=12, choices=EntryKind.choices, default=EntryKind.WORK_ORDER)
    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="time_entries",
        verbose_name=_("work order"),
    )  # fmt: skip
    intervention = models.ForeignKey(
        "care.Intervention", on_delete=models.PROTECT, null=True, blank=True, related_name="time_entries",
        verbose_name=_("care intervention"),
    )  # fmt: skip
    team = models.ForeignKey(
        "projects.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="time_entries",
        verbose_name=_("team"),
    )  # fmt: skip
    idempotency_key = models.UUIDField(_("idempotency key"), null=True, blank=True, unique=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = TimeEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "participant__last_name"]
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=MAX_HOURS_PER_DAY),
                name="time_entry_hours_range",
                violation_error_message=_("An entry lies between a quarter of an hour and 10 hours."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.WORK_ORDER) | Q(work_order__isnull=False),
                name="work_order_entry_names_its_order",
                violation_error_message=_("Choose the work order the hours were spent on."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.INTERVENTION) | Q(intervention__isnull=False),
                name="intervention_entry_names_its_intervention",
                violation_error_message=_("Choose the care intervention the hours were spent on."),
            ),
        ]
        # the list's default sort and the dashboards' hours by period read entries by day, whoever worked
        indexes = [
            models.Index(fields=["participant", "date"]),
            models.Index(fields=["date", "id"], name="time_entry_sort"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {short_date(self.date)} {self.hours} h"

    breadcrumb_list = (_("Time entries"), "fieldwork:time_entry_list")

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:time_entry_detail", args=[self.pk])

    def clean(self) -> None:
        from moulin.fieldwork.services import check_time_entry

        check_time_entry(self)


class TeamFeedQuerySet(ScopedQuerySet):
    policy_name = "moulin.fieldwork.policies.TeamFeedPolicy"

    def active(self):
        return self.filter(revoked_on__isnull=True)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class TeamFeed(TimeStampedModel):
    """The secret address of a team's calendar, which phones subscribe to. Revoked, it answers 404; a new one
    replaces it."""

    team = models.ForeignKey("projects.Team", on_delete=models.CASCADE, related_name="feeds", verbose_name=_("team"))
    token = models.CharField(_("secret"), max_length=64, unique=True, default=new_token, editable=False)
    revoked_on = models.DateTimeField(_("revoked on"), null=True, blank=True)

    objects = TeamFeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("team calendar feed")
        verbose_name_plural = _("team calendar feeds")

    def __str__(self) -> str:
        return str(self.team)

    breadcrumb_parent = "team"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:team_schedule", args=[self.team_id])


# --- safety -----------------------------------------------------------------------------------------------------


class RequiredTrainingQuerySet(ScopedQuerySet):
    policy_name = "moulin.fieldwork.policies.RequiredTrainingPolicy"

    def in_force(self, day):
        return self.filter(applies_from__lte=day)


class RequiredTraining(TimeStampedModel):
    """A safety training a kind of site (or a kind of care work) requires: a worker without a valid certificate
    of the course is not put on such work. A certificate is valid for ``valid_months`` after it was issued (for
    ever when empty)."""

    course = models.ForeignKey(
        "training.Course", on_delete=models.PROTECT, related_name="required_for", verbose_name=_("safety training")
    )
    site_kind = models.CharField(_("kind of site"), max_length=20, choices=SiteKind.choices, blank=True)
    work_kind = models.ForeignKey(
        "care.WorkKind", on_delete=models.PROTECT, null=True, blank=True, related_name="required_trainings",
        verbose_name=_("kind of care work"),
    )  # fmt: skip
    valid_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("How long a certificate stays valid; empty: it does not expire."),
    )  # fmt: skip
    applies_from = models.DateField(
        _("required from"), default=timezone.localdate,
        help_text=_("Hours recorded from this day on are checked; earlier ones stay as they were."),
    )  # fmt: skip
    note = models.CharField(_("why"), max_length=255, blank=True)

    objects = RequiredTrainingQuerySet.as_manager()

    class Meta:
        ordering = ["site_kind", "course__title"]
        verbose_name = _("required safety training")
        verbose_name_plural = _("required safety trainings")
        constraints = [
            models.CheckConstraint(
                condition=(~Q(site_kind="") & Q(work_kind__isnull=True))
                | (Q(site_kind="") & Q(work_kind__isnull=False)),
                name="required_training_for_one_kind",
                violation_error_message=_("Name either a kind of site or a kind of care work."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} — {self.applies_to}"

    @property
    def applies_to(self) -> str:
        return str(self.get_site_kind_display()) if self.site_kind else str(self.work_kind)

    breadcrumb_list = (_("Required safety trainings"), "fieldwork:required_training_list")

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:required_training_update", args=[self.pk])

    def valid_from(self, day: datetime.date) -> datetime.date | None:
        """The earliest issue date of a certificate still valid on ``day`` (None: any certificate)."""
        if not self.valid_months:
            return None
        month = day.month - self.valid_months
        year = day.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

    def clean(self) -> None:
        if bool(self.site_kind) == bool(self.work_kind_id):
            raise ValidationError({"site_kind": _("Name either a kind of site or a kind of care work.")})


class SafetyIncidentQuerySet(ScopedQuerySet):
    policy_name = "moulin.fieldwork.policies.SafetyIncidentPolicy"

    def open(self):
        return self.exclude(status=IncidentStatus.CLOSED)


class SafetyIncident(TimeStampedModel):
    """An accident, a near miss or a dangerous situation in the field: on a work order, a site or a care
    intervention; who was involved, how serious, what happened, the first aid and the actions taken. Followed up,
    then closed."""

    team = models.ForeignKey(
        "projects.Team", on_delete=models.PROTECT, related_name="safety_incidents", verbose_name=_("team")
    )
    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents",
        verbose_name=_("work order"),
    )  # fmt: skip
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents", verbose_name=_("site")
    )
    intervention = models.ForeignKey(
        "care.Intervention", on_delete=models.PROTECT, null=True, blank=True, related_name="incidents",
        verbose_name=_("care intervention"),
    )  # fmt: skip
    occurred_at = models.DateTimeField(_("when"))
    kind = models.CharField(_("kind"), max_length=12, choices=IncidentKind.choices)
    severity = models.CharField(_("severity"), max_length=12, choices=Severity.choices)
    involved = models.ManyToManyField(
        "participants.Participant", related_name="safety_incidents", blank=True, verbose_name=_("workers involved")
    )
    others_involved = models.CharField(
        _("others involved"), max_length=255, blank=True,
        help_text=_("A passer-by, a beneficiary, a colleague of another team…"),
    )  # fmt: skip
    description = models.TextField(_("what happened"))
    first_aid = models.TextField(_("first aid given"), blank=True)
    actions = models.TextField(_("actions taken"), blank=True)
    lost_days = models.PositiveSmallIntegerField(_("days of work lost"), default=0,
                                                 validators=[MaxValueValidator(365)])  # fmt: skip
    follow_up = models.TextField(_("follow-up"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("reported by"),
    )  # fmt: skip

    workflow = Workflow(
        Transition("follow_up", _("Record the follow-up"), {IncidentStatus.OPEN}, IncidentStatus.FOLLOWED_UP,
                   required={"follow_up": _("Say what was done after the incident.")}, optional=("actions",)),
        Transition("close", _("Close"), {IncidentStatus.FOLLOWED_UP}, IncidentStatus.CLOSED,
                   refusals={IncidentStatus.OPEN: _("Record the follow-up before closing the incident.")}),
        Transition("reopen", _("Reopen"), {IncidentStatus.CLOSED}, IncidentStatus.FOLLOWED_UP),
        stamp="status_changed_on", error=FieldworkRefused, error_field="transition",
    )  # fmt: skip

    objects = SafetyIncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("safety incident")
        verbose_name_plural = _("safety incidents")
        indexes = [models.Index(fields=["occurred_at", "id"], name="safety_incident_sort")]  # the list's default sort

    def __str__(self) -> str:
        from django.utils.formats import date_format

        when = date_format(timezone.localtime(self.occurred_at), "SHORT_DATE_FORMAT") if self.occurred_at else ""
        return f"{self.get_kind_display()} — {self.team.name}, {when}"

    breadcrumb_list = (_("Safety incidents"), "fieldwork:incident_list")

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:incident_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.occurred_at and self.occurred_at > timezone.now() + datetime.timedelta(minutes=5):
            errors["occurred_at"] = _("An incident is reported once it happened, not in advance.")
        if self.work_order_id and self.team_id and self.work_order.team_id != self.team_id:
            errors["work_order"] = _("This work order is another team's.")
        if self.intervention_id and self.team_id and self.intervention.team_id != self.team_id:
            errors["intervention"] = _("This intervention is another team's.")
        if self.site_id and self.team_id and self.site.project_id != self.team.project_id:
            errors["site"] = _("This site is not one of the team's project.")
        if errors:
            raise ValidationError(errors)


class HoursSummaryQuerySet(ScopedQuerySet):
    policy_name = "moulin.fieldwork.policies.HoursSummaryPolicy"


class HoursSummary(models.Model):
    """The hours of the time entries of one month, added up by team, site and the worker's organisation: what the
    dashboards read instead of every entry (decision 0010). Derived data, kept by the database itself: triggers
    on the time entries (and on a worker's organisation or a work order's site, which the keys follow) add and
    take away every change in the same transaction, whatever wrote it (``moulin.fieldwork.summary``). Never
    written by the application; ``summary.rebuild()`` recomputes it from the entries and ``summary.drift()`` says
    where it would differ."""

    key = models.CharField(max_length=80, unique=True, editable=False)
    month = models.DateField(_("month"))
    team = models.ForeignKey(
        "projects.Team", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+",
        verbose_name=_("team"),
    )  # fmt: skip
    site = models.ForeignKey(
        Site, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+", verbose_name=_("site")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip
    hours = models.DecimalField(_("hours"), max_digits=14, decimal_places=2)
    entries = models.IntegerField(_("time entries"))

    objects = HoursSummaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly hours summary")
        verbose_name_plural = _("monthly hours summaries")
        indexes = [models.Index(fields=["month"], name="hours_summary_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.hours} h"
