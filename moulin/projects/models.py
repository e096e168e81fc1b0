"""Local strategic planning: needs raised in a commune, the projects that answer them, their indicators
and their field teams. The chain need → project → teams (→ jobs, services, results later)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, ProtectedError, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import ScopedQuerySet
from moulin.core.models import TimeStampedModel
from moulin.core.workflow import Transition, Workflow
from moulin.projects.enums import OPEN_NEED_STATUSES, NeedStatus, Priority, ProjectStatus, RaisedBy, ServiceLine, Term

#: a need still open (``NeedQuerySet.open``, ``Need.is_open``), as a condition for a filter or a count
OPEN_NEEDS = Q(status__in=OPEN_NEED_STATUSES)


class NeedQuerySet(ScopedQuerySet):
    policy_name = "moulin.projects.policies.NeedPolicy"

    def open(self):
        """Needs still open (see ``Need.is_open``)."""
        return self.filter(OPEN_NEEDS)

    def raised_in(self, year: int):
        return self.filter(raised_on__year=year)


class Need(TimeStampedModel):
    """A need named by local officials, partners, boards or residents of a commune."""

    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="needs", verbose_name=_("commune")
    )
    title = models.CharField(_("title"), max_length=200)
    raised_by = models.CharField(_("raised by"), max_length=12, choices=RaisedBy.choices)
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="needs_raised",
        verbose_name=_("partner who raised it"),
    )  # fmt: skip
    raised_on = models.DateField(_("raised on"))
    domain = models.ForeignKey(
        "organisations.Domain", on_delete=models.PROTECT, related_name="needs", verbose_name=_("domain")
    )
    description = models.TextField(_("description"))
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(_("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.IDENTIFIED)
    status_changed_on = models.DateField(_("status since"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="needs",
        verbose_name=_("organisation following it up"),
    )  # fmt: skip

    objects = NeedQuerySet.as_manager()

    #: identified → assessed → addressed (by saving a project that answers it) or declined (with a reason)
    workflow = Workflow(
        Transition("assess", _("Mark as assessed"), {NeedStatus.IDENTIFIED}, NeedStatus.ASSESSED),
        Transition("decline", _("Decline"), set(OPEN_NEED_STATUSES), NeedStatus.DECLINED,
                   required={"decline_reason": _("A need is declined with a reason: say why.")}),
        Transition("reopen", _("Reopen"), {NeedStatus.DECLINED}, NeedStatus.IDENTIFIED, sets={"decline_reason": ""}),
        Transition("address", _("Addressed by a project"), set(OPEN_NEED_STATUSES),
                   NeedStatus.ADDRESSED, manual=False),
        Transition("unaddress", _("No project answers it any more"), {NeedStatus.ADDRESSED}, NeedStatus.ASSESSED,
                   manual=False),
        stamp="status_changed_on",
        refused=_("A need that is “%(status)s” cannot be moved this way."),
        error_field="transition",
    )  # fmt: skip

    class Meta:
        ordering = ["-raised_on", "title"]
        verbose_name = _("local need")
        verbose_name_plural = _("local needs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=NeedStatus.DECLINED) | ~Q(decline_reason=""),
                name="declined_need_has_reason",
                violation_error_message=_("A need is declined with a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(raised_by=RaisedBy.PARTNER) | Q(partner__isnull=False),
                name="need_raised_by_partner_names_it",
                violation_error_message=_("Name the partner who raised this need."),
            ),
        ]
        indexes = [models.Index(fields=["raised_on", "id"], name="need_sort")]  # the list's default sort

    def __str__(self) -> str:
        return f"{self.title} ({self.commune})"

    breadcrumb_list = (_("Local needs"), "projects:need_list")

    @property
    def breadcrumb_label(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:need_detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        """A need answered by projects is not deleted (the link would vanish silently): decline it instead."""
        answering = list(self.projects.all()[:10])
        if answering:
            raise ProtectedError(
                _("This need is answered by projects: decline it or unlink it from them first."), answering
            )
        return super().delete(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        """Identified or assessed: no project answers it yet and it is not declined."""
        return self.status in OPEN_NEED_STATUSES

    def clean(self) -> None:
        errors = {}
        if self.status == NeedStatus.DECLINED and not (self.decline_reason or "").strip():
            errors["decline_reason"] = _("A need is declined with a reason: say why.")
        if self.raised_by == RaisedBy.PARTNER and not self.partner_id:
            errors["partner"] = _("Name the partner who raised this need.")
        if self.raised_on and self.raised_on > timezone.localdate():
            errors["raised_on"] = _("A need is recorded once it has been raised, not in advance.")
        if errors:
            raise ValidationError(errors)


class ProjectQuerySet(ScopedQuerySet):
    policy_name = "moulin.projects.policies.ProjectPolicy"

    def running_in(self, year: int):
        """Projects that ran during at least part of ``year`` (planned ones excluded)."""
        return (
            self.exclude(status=ProjectStatus.PLANNED)
            .filter(start__lte=datetime.date(year, 12, 31))
            .filter(Q(end__isnull=True) | Q(end__gte=datetime.date(year, 1, 1)))
        )

    def with_list_data(self):
        return self.select_related("organisation", "domain")


class Project(TimeStampedModel):
    """A project of a lead organisation, answering local needs in the communes it serves."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="projects",
        verbose_name=_("lead organisation"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    domain = models.ForeignKey(
        "organisations.Domain", on_delete=models.PROTECT, related_name="projects", verbose_name=_("domain")
    )
    service_line = models.CharField(
        _("service line"), max_length=24, choices=ServiceLine.choices, blank=True,
        help_text=_("Set when the project runs one of the network's service lines."),
    )  # fmt: skip
    term = models.CharField(_("term"), max_length=8, choices=Term.choices, default=Term.LONG)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("Required for a short-term project."))
    status = models.CharField(_("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    communes = models.ManyToManyField(
        "territory.Commune", related_name="projects", verbose_name=_("communes served"), blank=True
    )
    needs = models.ManyToManyField(Need, related_name="projects", verbose_name=_("needs answered"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    description = models.TextField(_("description"), blank=True)
    budget = models.DecimalField(_("yearly budget (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="project_ends_after_start",
                violation_error_message=_("A project cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(term=Term.SHORT) | Q(end__isnull=False),
                name="short_term_project_has_end",
                violation_error_message=_("A short-term project has an end date."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="project_budget_positive",
                violation_error_message=_("A budget cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["name", "id"], name="project_sort")]  # the list's default sort

    def __str__(self) -> str:
        return self.name

    breadcrumb_list = (_("Projects"), "projects:project_list")

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("A project cannot end before it starts.")
        elif self.term == Term.SHORT and not self.end:
            errors["end"] = _("A short-term project has an end date.")
        if errors:
            raise ValidationError(errors)

    @property
    def first_year(self) -> int:
        return self.start.year

    @property
    def last_year(self) -> int | None:
        """The last year of the project's life (None while a project is ongoing)."""
        return self.end.year if self.end else None

    def years(self, until: int | None = None) -> list[int]:
        last = self.last_year or until or timezone.localdate().year
        return list(range(self.first_year, last + 1))

    def covers_year(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


class IndicatorQuerySet(ScopedQuerySet):
    policy_name = "moulin.projects.policies.ProjectPartPolicy"


class Indicator(TimeStampedModel):
    """What a project measures: a unit, a yearly target and a yearly actual, entered or computed."""

    ENTERED = "entered"

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=150)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("e.g. jobs, hours, visits, km of paths"))
    source = models.CharField(
        _("source of the actual"), max_length=40, default=ENTERED,
        help_text=_("Entered by hand, or computed from the records where Moulin holds them."),
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["project", "position", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="unique_indicator_per_project",
                violation_error_message=_("This project already has an indicator with this name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    breadcrumb_parent = "project"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url() + "#indicators"

    @property
    def is_computed(self) -> bool:
        return self.source != self.ENTERED

    def clean(self) -> None:
        from moulin.projects.indicators import source_keys

        if self.source not in source_keys():
            raise ValidationError({"source": _("Choose how the actual is obtained.")})
        if (
            self.project_id
            and Indicator.objects.filter(project_id=self.project_id, name=self.name).exclude(pk=self.pk).exists()
        ):
            raise ValidationError({"name": _("This project already has an indicator with this name.")})

    def actual_for(self, year: int, entered: Decimal | None = None) -> Decimal | None:
        """The actual of ``year``: the entered value, or what the computed source returns."""
        if not self.is_computed:
            return entered
        from moulin.projects.indicators import compute

        return compute(self.source, self.project, year)

    def series(self, computed: dict | None = None) -> list[dict]:
        """Targets and actuals per year (uses prefetched ``values`` when present). The computed actuals are asked
        for all the years at once, unless given (``computed``: ``{year: actual}``, see ``indicators.series_of``)."""
        values = list(self.values.all())
        if self.is_computed and computed is None:
            from moulin.projects.indicators import compute_years

            computed = compute_years(self.source, self.project, [v.year for v in values])
        rows = []
        for value in values:
            actual = computed.get(value.year) if self.is_computed else value.actual
            rows.append({"year": value.year, "target": value.target, "actual": actual, "value": value})
        return sorted(rows, key=lambda r: r["year"])


class IndicatorValueQuerySet(ScopedQuerySet):
    policy_name = "moulin.projects.policies.IndicatorValuePolicy"


class IndicatorValue(TimeStampedModel):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(
        _("actual"), max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("Leave empty until the year is under way; computed indicators fill it themselves."),
    )  # fmt: skip

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="unique_indicator_year",
                violation_error_message=_("This indicator already has figures for this year: edit them instead."),
            ),
            models.CheckConstraint(
                condition=(Q(target__isnull=True) | Q(target__gte=0)) & (Q(actual__isnull=True) | Q(actual__gte=0)),
                name="indicator_value_positive",
                violation_error_message=_("Targets and actuals cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.year}"

    breadcrumb_parent = "indicator"

    def get_absolute_url(self) -> str:
        return self.indicator.get_absolute_url()

    def clean(self) -> None:
        if not self.indicator_id or not self.year:
            return
        same = IndicatorValue.objects.filter(indicator_id=self.indicator_id, year=self.year).exclude(pk=self.pk)
        if same.exists():
            raise ValidationError({"year": _("This indicator already has figures for this year: edit them instead.")})
        project = self.indicator.project
        if not project.covers_year(self.year):
            last = project.last_year or "…"
            raise ValidationError(
                {"year": _("%(year)s lies outside the project's life (%(first)s–%(last)s).")
                 % {"year": self.year, "first": project.first_year, "last": last}}
            )  # fmt: skip
        if self.actual is not None and self.year > timezone.localdate().year:
            raise ValidationError({"actual": _("An actual is entered once the year has begun.")})
        if self.actual is not None and self.indicator.is_computed:
            raise ValidationError({"actual": _("This indicator's actual is computed from the records.")})


class TeamQuerySet(ScopedQuerySet):
    policy_name = "moulin.projects.policies.TeamPolicy"


class Team(TimeStampedModel):
    """A field team of a project, with its leader. Workers join it with the pathways capability; until then
    the team records its size."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="teams", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=150)
    leader = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="led_teams",
        verbose_name=_("team leader"),
    )  # fmt: skip
    size = models.PositiveSmallIntegerField(_("size"), default=0, help_text=_("Workers in the team, leader excluded."))
    communes = models.ManyToManyField(
        "territory.Commune", related_name="teams", verbose_name=_("communes worked in"), blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = TeamQuerySet.as_manager()

    #: the fields its ``__str__`` reads: a filter select reads only these (moulin.core.forms.ValuesChoiceIterator)
    label_fields = ("name",)

    class Meta:
        ordering = ["project", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="unique_team_name_per_project",
                violation_error_message=_("This project already has a team with this name."),
            ),
        ]
        indexes = [models.Index(fields=["name", "id"], name="team_sort")]  # the list's default sort

    def __str__(self) -> str:
        return self.name

    breadcrumb_list = (_("Teams"), "projects:team_list")

    def get_absolute_url(self) -> str:
        return reverse("projects:team_detail", args=[self.pk])

    @property
    def organisation(self):
        return self.project.organisation

    def clean(self) -> None:
        if (
            self.project_id
            and Team.objects.filter(project_id=self.project_id, name=self.name).exclude(pk=self.pk).exists()
        ):
            raise ValidationError({"name": _("This project already has a team with this name.")})
