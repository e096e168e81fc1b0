"""The worker pathway: a participant (the person), their referrals and intake, employment contracts,
ESF+ entry data, development plan, coaching sessions, exit and six-month follow-up.

Every model names its policy (``participants/policies.py``); every row is personal data.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import ScopedQuerySet
from moulin.core.fields import PhoneField
from moulin.core.models import TimeStampedModel
from moulin.formats import short_date
from moulin.participants import enums
from moulin.participants.enums import Gender, PathwayStatus
from moulin.participants.validators import check_age, normalise_jobseeker_number, validate_jobseeker_number


class ParticipantQuerySet(ScopedQuerySet):
    policy_name = "moulin.participants.policies.ParticipantPolicy"

    def active(self):
        return self.filter(merged_into__isnull=True)

    def not_anonymised(self):
        return self.filter(anonymised_at__isnull=True)


class Participant(TimeStampedModel):
    """A person on a pathway with the network: referred, interviewed, hired, followed after leaving."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("organisation responsible"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    jobseeker_number = models.CharField(
        _("ADEM jobseeker number"),
        max_length=14,
        blank=True,
        validators=[validate_jobseeker_number],
        help_text=_("6 to 10 digits, as on the ADEM registration letter."),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = PhoneField(_("phone"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    locality = models.CharField(_("locality"), max_length=100, blank=True)
    residence_commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune of residence"),
    )
    status = models.CharField(
        _("pathway status"), max_length=12, choices=PathwayStatus.choices, default=PathwayStatus.REFERRED
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_participants",
        verbose_name=_("job coach"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_records",
        verbose_name=_("merged into"),
        db_index=False,  # indexed where set (Meta): a record in use has none, and the lists read those
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    #: statistical facts kept after anonymisation (reports read these, never the birth date)
    age_at_entry = models.PositiveSmallIntegerField(_("age at first referral"), null=True, blank=True, editable=False)
    first_referred_on = models.DateField(_("first referred on"), null=True, blank=True, editable=False)
    #: the date of the person's latest intake interview, kept by the database (triggers on the intakes, migration
    #: participants 0007): the waiting list sorts on it through an index instead of every waiting person's intakes
    waiting_since = models.DateField(_("waiting since"), null=True, blank=True, editable=False)

    objects = ParticipantQuerySet.as_manager()

    #: columns the database writes itself: a save never writes back the value it read (a trigger may have changed it)
    DATABASE_KEPT = frozenset({"waiting_since"})

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [
            models.Index(fields=["last_name", "first_name", "birth_date"]),
            models.Index(fields=["jobseeker_number"]),
            models.Index(fields=["status", "organisation"], name="participant_status_org_idx"),  # waiting list
            models.Index(fields=["status", "waiting_since", "id"], name="participant_waiting_since_idx"),
            # the list's default sort over the records in use (a merged duplicate is never listed): without it
            # SQLite read every row through the merged_into index and sorted them all
            models.Index(fields=["last_name", "id"], condition=Q(merged_into__isnull=True), name="participant_sort"),
            # the duplicates merged into a record; an index of every row's NULL made SQLite read the list through
            # it (a lookup of NULL looks selective to a planner without statistics) and sort every row
            models.Index(
                fields=["merged_into"], condition=Q(merged_into__isnull=False), name="participant_merged_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(jobseeker_number="") | Q(jobseeker_number__regex=r"^[0-9]{6,10}$"),
                name="participant_jobseeker_number_format",
                violation_error_message=_("An ADEM jobseeker number has 6 to 10 digits."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None and not self._state.adding and self.pk is not None:
            kwargs["update_fields"] = [
                f.attname for f in self._meta.concrete_fields if not f.primary_key and f.name not in self.DATABASE_KEPT
            ]
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        if self.anonymised_at:
            return str(_("Anonymised participant %(ref)s") % {"ref": str(self.public_id)[:8]})
        return f"{self.first_name} {self.last_name}".strip()

    breadcrumb_list = (_("Participants"), "participants:list")

    def get_absolute_url(self) -> str:
        return reverse("participants:detail", args=[self.public_id])

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    def clean(self) -> None:
        if self.jobseeker_number:
            self.jobseeker_number = normalise_jobseeker_number(self.jobseeker_number)
        if self.birth_date and self.pk is None:
            check_age(self.birth_date)
        if self.first_name:
            self.first_name = self.first_name.strip()
        if self.last_name:
            self.last_name = self.last_name.strip()
        if self.merged_into_id and self.merged_into_id == self.pk:
            raise ValidationError(_("A record cannot be merged into itself."))


class RecordQuerySet(ScopedQuerySet):
    """Rows that hang under a participant: read like the participant's full record (no team leader)."""

    policy_name = "moulin.participants.policies.ParticipantRecordPolicy"


class ParticipantRecord(TimeStampedModel):
    """Base of every pathway record: it belongs to one participant and shows on their page."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="%(class)ss", verbose_name=_("participant")
    )

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    breadcrumb_parent = "participant"

    def get_absolute_url(self) -> str:
        return self.participant.get_absolute_url() + f"#{self._meta.model_name}-{self.pk}"


# --- 1. referral and intake ----------------------------------------------------------------------


class Referral(ParticipantRecord):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("referred to")
    )
    date = models.DateField(_("referral date"))
    source = models.CharField(_("referred by"), max_length=16, choices=enums.ReferralSource.choices)
    referrer = models.CharField(
        _("referring office or person"), max_length=150, blank=True, help_text=_("e.g. ADEM Esch, Office social Sanem")
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.get_source_display()} — {short_date(self.date)}"


class Intake(ParticipantRecord):
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="intakes", verbose_name=_("referral")
    )
    date = models.DateField(_("interview date"))
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("coach")
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=enums.IntakeOutcome.choices)
    redirect_reason = models.CharField(_("redirected because / to"), max_length=255, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("intake interview")
        verbose_name_plural = _("intake interviews")
        # the waiting list sorts by each person's latest intake: read from this index, never from the table
        indexes = [models.Index(fields=["participant", "-date"], name="intake_participant_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="redirect") | ~Q(redirect_reason=""),
                name="intake_redirect_has_reason",
                violation_error_message=_("Say why, or to whom, the person is redirected."),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Intake')} {short_date(self.date)} — {self.get_outcome_display()}"

    def clean(self) -> None:
        if self.outcome == enums.IntakeOutcome.REDIRECT and not self.redirect_reason.strip():
            raise ValidationError({"redirect_reason": _("Say why, or to whom, the person is redirected.")})


# --- 2. employment measures and contracts -------------------------------------------------------


class EmploymentMeasureQuerySet(ScopedQuerySet):
    policy_name = "moulin.participants.policies.MeasurePolicy"


class EmploymentMeasure(models.Model):
    """A public employment measure a contract is concluded under (reference data, editable by administrators)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_local = models.CharField(_("official name"), max_length=300, blank=True)
    max_months = models.PositiveSmallIntegerField(
        _("maximum duration (months)"),
        null=True,
        blank=True,
        help_text=_("Total of a worker's successive contracts under this measure. Empty: no maximum."),
    )
    target_group = models.TextField(_("target group"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = EmploymentMeasureQuerySet.as_manager()

    #: the fields its ``__str__`` reads: a filter select reads only these (moulin.core.forms.ValuesChoiceIterator)
    label_fields = ("code", "name", "name_local")

    class Meta:
        ordering = ["code"]
        verbose_name = _("employment measure")
        verbose_name_plural = _("employment measures")

    def __str__(self) -> str:
        return f"{self.code} — {self.display_name}"

    def get_absolute_url(self) -> str:
        return reverse("participants:measure_list")

    @property
    def display_name(self) -> str:
        """The measure's name in the reader's language: the English reference name in English, the official
        (French) name of the Luxembourg texts in French and German."""
        from django.utils.translation import get_language

        if self.name_local and not (get_language() or "en").startswith("en"):
            return self.name_local
        return self.name


#: a first contract, a hire, not a renewal of another. Written ``NOT (renewal_of IS NOT NULL)``, which PostgreSQL
#: reads as ``IS NULL``: the one-to-one's unique index holds every first contract under NULL, and SQLite, which
#: plans without statistics, takes ``IS NULL`` on a unique index for one row, reads every first contract through it
#: and sorts them (the records list at ten times the network: 7,000 contracts for 50, 1.4 -> 7.2 ms), instead of
#: reading the year's range of the start index
FIRST_CONTRACT = ~Q(renewal_of__isnull=False)


class ContractQuerySet(ScopedQuerySet):
    policy_name = "moulin.participants.policies.ContractPolicy"

    def current(self, on=None):
        return self.filter(self.current_q(on))

    def hires(self):
        """First contracts, not renewals (``FIRST_CONTRACT``)."""
        return self.filter(FIRST_CONTRACT)

    @staticmethod
    def current_q(on=None) -> Q:
        """The contracts running on ``on`` (by default today)."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return Q(start__lte=on) & (Q(last_day__isnull=True) | Q(last_day__gte=on))

    def ending_between(self, first, last):
        return self.filter(last_day__gte=first, last_day__lte=last, ended_on__isnull=True)


class EmploymentContract(TimeStampedModel):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="contracts", verbose_name=_("worker")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="employment_contracts",
        verbose_name=_("employer"),
    )  # fmt: skip
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="employment_contracts", verbose_name=_("project")
    )
    team = models.ForeignKey(
        "projects.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="employment_contracts",
        verbose_name=_("team"),
    )  # fmt: skip
    contract_type = models.CharField(_("contract type"), max_length=12, choices=enums.ContractType.choices)
    measure = models.ForeignKey(
        EmploymentMeasure, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("employment measure")
    )
    start = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    ended_on = models.DateField(_("ended early on"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=16, choices=enums.EndReason.choices, blank=True)
    last_day = models.GeneratedField(
        expression=Coalesce("ended_on", "planned_end"),
        output_field=models.DateField(),
        db_persist=True,
        verbose_name=_("last day"),
    )
    weekly_hours = models.DecimalField(_("weekly hours"), max_digits=4, decimal_places=1)
    funder = models.CharField(_("funder"), max_length=150, blank=True, help_text=_("e.g. Fonds pour l'emploi"))
    renewal_of = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewal",
        verbose_name=_("renews"),
    )  # fmt: skip
    exceeds_maximum = models.BooleanField(
        _("exception to the measure's maximum"),
        default=False,
        help_text=_("Tick only with the ministry's written agreement: the exception is logged."),
    )
    exception_reason = models.CharField(_("reason for the exception"), max_length=255, blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("employment contract")
        verbose_name_plural = _("employment contracts")
        indexes = [
            models.Index(fields=["-start", "-id"], name="contract_start_idx"),  # the list's default sort
            # "ending soon" (the coaches' list and home): the open contracts by their last day, not every contract
            models.Index(fields=["last_day"], condition=Q(ended_on__isnull=True), name="contract_open_last_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_end__gte=F("start")),
                name="contract_planned_end_after_start",
                violation_error_message=_("A contract cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("start")),
                name="contract_ended_after_start",
                violation_error_message=_("A contract cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__gt=0) & Q(weekly_hours__lte=48),
                name="contract_weekly_hours_range",
                violation_error_message=_("Weekly hours lie between 1 and 48."),
            ),
            models.CheckConstraint(
                condition=~Q(contract_type="fixed_term") | Q(planned_end__isnull=False),
                name="fixed_term_has_planned_end",
                violation_error_message=_("A fixed-term contract needs a planned end."),
            ),
            models.CheckConstraint(
                condition=Q(exceeds_maximum=False) | ~Q(exception_reason=""),
                name="contract_exception_has_reason",
                violation_error_message=_("Give the reason for the exception to the measure's maximum."),
            ),
        ]

    def __str__(self) -> str:
        end = self.ended_on or self.planned_end
        until = f"{short_date(end)}" if end else _("open-ended")
        return f"{self.measure.code} {short_date(self.start)} – {until}"

    breadcrumb_parent = "participant"

    def get_absolute_url(self) -> str:
        return self.participant.get_absolute_url() + f"#contract-{self.pk}"

    @property
    def effective_end(self):
        return self.ended_on or self.planned_end

    def months(self) -> int:
        """Length in calendar months, a started month counting whole: what counts against a measure's maximum."""
        return months_between(self.start, self.effective_end)

    def clean(self) -> None:
        from moulin.participants.rules import check_contract

        check_contract(self)


def months_between(start, end) -> int:
    """Calendar months from start to end, both included, a started month counting whole (see
    ``validators.calendar_months``): what counts against a measure's maximum."""
    from moulin.participants.validators import calendar_months

    return calendar_months(start, end)


# --- 3. ESF+ entry data --------------------------------------------------------------------------


class EntryData(ParticipantRecord):
    """The participant's situation at the start of the pathway, as ESF+ asks (non-sensitive part)."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="entry_data", verbose_name=_("participant")
    )
    recorded_on = models.DateField(_("recorded on"))
    labour_market_status = models.CharField(
        _("labour-market status"), max_length=24, choices=enums.LabourMarketStatus.choices
    )
    unemployed_since = models.DateField(_("unemployed since"), null=True, blank=True)
    education_level = models.CharField(_("education level (ISCED)"), max_length=2, choices=enums.Isced.choices)
    household = models.CharField(_("household situation"), max_length=24, choices=enums.Household.choices, blank=True)

    class Meta:
        verbose_name = _("ESF+ entry data")
        verbose_name_plural = _("ESF+ entry data")

    def __str__(self) -> str:
        return f"{_('Entry data')} {short_date(self.recorded_on)}"

    def clean(self) -> None:
        if self.unemployed_since and self.recorded_on and self.unemployed_since > self.recorded_on:
            raise ValidationError({"unemployed_since": _("This date is after the entry date.")})


SENSITIVE_FIELDS = ["disability", "third_country_national", "foreign_background", "minority", "homeless"]


class SensitiveQuerySet(ScopedQuerySet):
    policy_name = "moulin.participants.policies.SensitivePolicy"


def _sensitive(label):
    return models.CharField(label, max_length=8, choices=enums.Sensitive.choices, blank=True)


def _consent(label):
    return models.DateField(label, null=True, blank=True)


class SensitiveData(TimeStampedModel):
    """The ESF+ special categories: each optional, each with the date the person consented; readable only by the
    roles that report them (``ParticipantPolicy.can_read_sensitive``)."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="sensitive_data", verbose_name=_("participant")
    )
    disability = _sensitive(_("disability"))
    disability_consent = _consent(_("consent to record disability given on"))
    third_country_national = _sensitive(_("third-country national"))
    third_country_national_consent = _consent(_("consent to record nationality given on"))
    foreign_background = _sensitive(_("foreign background"))
    foreign_background_consent = _consent(_("consent to record foreign background given on"))
    minority = _sensitive(_("minority (including marginalised communities)"))
    minority_consent = _consent(_("consent to record minority given on"))
    homeless = _sensitive(_("homeless or affected by housing exclusion"))
    homeless_consent = _consent(_("consent to record housing situation given on"))

    objects = SensitiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("sensitive ESF+ data")
        verbose_name_plural = _("sensitive ESF+ data")

    def __str__(self) -> str:
        return str(_("Sensitive data of %(name)s") % {"name": self.participant.display_name})

    breadcrumb_parent = "participant"

    def get_absolute_url(self) -> str:
        return self.participant.get_absolute_url() + "#sensitive"

    def clean(self) -> None:
        errors = {}
        for name in SENSITIVE_FIELDS:
            value, consent = getattr(self, name), getattr(self, f"{name}_consent")
            if value in (enums.Sensitive.YES, enums.Sensitive.NO) and not consent:
                errors[f"{name}_consent"] = _("Record the date of the person's consent, or leave the answer empty.")
        if errors:
            raise ValidationError(errors)

    def answers(self):
        return [(self._meta.get_field(n).verbose_name, getattr(self, f"get_{n}_display")()) for n in SENSITIVE_FIELDS]


# --- 4. development plan -------------------------------------------------------------------------


class PlanObstacle(ParticipantRecord):
    kind = models.CharField(_("obstacle"), max_length=16, choices=enums.Obstacle.choices)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    identified_on = models.DateField(_("identified on"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    class Meta:
        ordering = ["identified_on", "pk"]
        verbose_name = _("obstacle to employment")
        verbose_name_plural = _("obstacles to employment")

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        if self.resolved_on and self.identified_on and self.resolved_on < self.identified_on:
            raise ValidationError(
                {"resolved_on": _("An obstacle is resolved after it was identified: check the two dates.")}
            )


class PlanGoal(ParticipantRecord):
    title = models.CharField(_("goal"), max_length=200)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)

    class Meta:
        ordering = ["target_date", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title


class PlanActionQuerySet(RecordQuerySet):
    def overdue(self, on=None):
        from django.utils import timezone

        return self.filter(status=enums.ActionStatus.OPEN, due_date__lt=on or timezone.localdate())


class PlanAction(ParticipantRecord):
    goal = models.ForeignKey(
        PlanGoal, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions", verbose_name=_("goal")
    )
    description = models.CharField(_("action"), max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("owner (staff)"),
    )  # fmt: skip
    owner_is_participant = models.BooleanField(_("the worker carries it out"), default=False)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=8, choices=enums.ActionStatus.choices, default=enums.ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        # overdue actions on the coach's home: only open actions, a small part of the table once plans age
        indexes = [
            models.Index(
                fields=["due_date", "id"], condition=Q(status=enums.ActionStatus.OPEN), name="plan_action_open_idx"
            )
        ]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        if self.status == enums.ActionStatus.DONE and not self.done_on:
            raise ValidationError({"done_on": _("Say when the action was done.")})
        if self.goal_id and self.participant_id and self.goal.participant_id != self.participant_id:
            raise ValidationError({"goal": _("This goal belongs to another person's plan.")})


class PlanReview(ParticipantRecord):
    date = models.DateField(_("review date"))
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("coach")
    )
    summary = models.TextField(_("summary"))

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")

    def __str__(self) -> str:
        return f"{_('Plan review')} {short_date(self.date)}"


# --- 5. coaching sessions ------------------------------------------------------------------------


class CoachingSession(ParticipantRecord):
    date = models.DateField(_("date"))
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("coach")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=enums.SessionKind.choices)
    notes = models.TextField(
        _("notes (confidential)"),
        blank=True,
        help_text=_("Read only by coaches and the manager of the worker's organisation."),
    )
    next_steps = models.CharField(_("next steps"), max_length=255, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {short_date(self.date)}"


# --- 7. exit and follow-up -----------------------------------------------------------------------


class Exit(ParticipantRecord):
    date = models.DateField(_("exit date"))
    reason = models.CharField(_("reason"), max_length=16, choices=enums.ExitReason.choices)
    situation = models.CharField(
        _("situation upon leaving"), max_length=24, choices=enums.Situation.choices, blank=True,
        help_text=_("ESF+: the situation within four weeks of leaving."),
    )  # fmt: skip
    situation_recorded_on = models.DateField(_("situation recorded on"), null=True, blank=True)
    employer = models.CharField(_("employer"), max_length=150, blank=True)
    qualification_gained = models.BooleanField(_("gained a qualification"), default=False)
    next_steps = models.TextField(_("next steps (for the exit summary)"), blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("exit")
        verbose_name_plural = _("exits")

    def __str__(self) -> str:
        return f"{_('Exit')} {short_date(self.date)} — {self.get_reason_display()}"

    def clean(self) -> None:
        from moulin.participants.rules import check_exit

        check_exit(self)


class FollowUpQuerySet(RecordQuerySet):
    def due(self, on=None):
        from django.utils import timezone

        return self.filter(done_on__isnull=True, due_on__lte=on or timezone.localdate())


class FollowUp(ParticipantRecord):
    """The six-month follow-up after exit: scheduled with the exit, a task for the coach until recorded."""

    exit = models.OneToOneField(Exit, on_delete=models.CASCADE, related_name="follow_up", verbose_name=_("exit"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("recorded on"), null=True, blank=True)
    situation = models.CharField(_("situation six months after"), max_length=24, choices=enums.Situation.choices,
                                 blank=True)  # fmt: skip
    employer = models.CharField(_("employer"), max_length=150, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("six-month follow-up")
        verbose_name_plural = _("six-month follow-ups")
        indexes = [models.Index(fields=["due_on", "id"], condition=Q(done_on__isnull=True), name="follow_up_open_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(situation=""),
                name="follow_up_done_has_situation",
                violation_error_message=_("Record the person's situation with the follow-up."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Follow-up due %(day)s") % {"day": f"{short_date(self.due_on)}"})

    def clean(self) -> None:
        if self.done_on and not self.situation:
            raise ValidationError({"situation": _("Record the person's situation with the follow-up.")})
        if self.done_on and self.exit_id and self.done_on < self.exit.date:
            raise ValidationError({"done_on": _("A follow-up is recorded after the exit.")})


class PathwaySettingsQuerySet(ScopedQuerySet):
    policy_name = "moulin.participants.policies.PathwaySettingsPolicy"


class PathwaySettings(models.Model):
    """The network's rules for personal data of participants (one row, edited by administrators)."""

    retention_months = models.PositiveSmallIntegerField(
        _("retention after exit (months)"),
        default=60,
        help_text=_(
            "After this many months from a person's last exit (and their follow-up), the nightly job anonymises "
            "them: name, contact, identifiers and notes removed; statistical facts kept."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PathwaySettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("pathway settings")
        verbose_name_plural = _("pathway settings")

    def __str__(self) -> str:
        return str(_("Pathway settings"))

    def get_absolute_url(self) -> str:
        return reverse("participants:settings")

    @classmethod
    def load(cls) -> "PathwaySettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj
