"""Community care: the service catalogue with its craft rules and social tariffs, the beneficiaries, their
requests, the interventions that answer them and the satisfaction surveys that follow."""

import datetime
import secrets
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import ScopedQuerySet
from moulin.care.enums import (
    OPEN_REQUEST_STATUSES,
    BeneficiaryKind,
    Channel,
    RequestStatus,
    ServiceLine,
    SurveyChannel,
    Unit,
)
from moulin.core.fields import PhoneField
from moulin.core.models import TimeStampedModel
from moulin.core.workflow import Transition, Workflow


class CareRefused(ValidationError):
    """A rule of community care refused the change; its message says why. Nothing was saved."""


POSITIVE = [MinValueValidator(Decimal("0"))]


# --- the catalogue --------------------------------------------------------------------------------------------


class ServiceTypeQuerySet(ScopedQuerySet):
    policy_name = "moulin.care.policies.ServiceTypePolicy"

    def offered_in(self, commune):
        return self.filter(is_active=True, communes=commune)


class ServiceType(TimeStampedModel):
    """A service an organisation offers (small repairs, gardening, shopping...), in a unit, with the craft limits
    of one intervention."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="service_types",
        verbose_name=_("organisation"),
    )  # fmt: skip
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="service_types",
        verbose_name=_("project"), help_text=_("The project whose teams deliver the service."),
    )  # fmt: skip
    service_line = models.CharField(_("service line"), max_length=20, choices=ServiceLine.choices)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    how_to_ask = models.CharField(
        _("how to ask"), max_length=250, blank=True, help_text=_("Shown on the public directory (phone, hours).")
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.HOUR)
    max_hours = models.DecimalField(
        _("maximum hours per intervention"), max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("Craft rule: a longer job is referred to a craftsman."),
    )  # fmt: skip
    max_material_value = models.DecimalField(
        _("maximum material value per intervention (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True,
        validators=POSITIVE, help_text=_("Craft rule: a job needing more material is referred to a craftsman."),
    )  # fmt: skip
    referral_text = models.TextField(
        _("referral text"), blank=True,
        help_text=_("Told to the beneficiary when a job is too large: where to find a craftsman."),
    )  # fmt: skip
    communes = models.ManyToManyField(
        "territory.Commune", related_name="care_services", blank=True, verbose_name=_("communes served")
    )
    is_active = models.BooleanField(_("offered"), default=True)

    objects = ServiceTypeQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unique_service_name_per_organisation",
                violation_error_message=_("This organisation already offers a service with this name."),
            ),
        ]  # fmt: skip

    breadcrumb_list = (_("Services"), "care:service_list")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("care:service_detail", args=[self.pk])

    def clean(self) -> None:
        if (self.max_hours or self.max_material_value) and not self.referral_text.strip():
            raise ValidationError({"referral_text": _("Say where a larger job is referred (the craft chamber's "
                                                      "directory of craftsmen).")})  # fmt: skip
        if self.project_id and self.organisation_id and self.project.organisation_id != self.organisation_id:
            raise ValidationError({"project": _("Choose a project of the same organisation.")})


class WorkKindQuerySet(ScopedQuerySet):
    policy_name = "moulin.care.policies.WorkKindPolicy"

    def excluded(self):
        return self.filter(excluded=True)


class WorkKind(models.Model):
    """A kind of work a request may name; the excluded kinds (electrical installations, roofing...) belong to
    the craftsmen and are always referred, with their referral text."""

    name = models.CharField(_("name"), max_length=120, unique=True,
                            error_messages={"unique": _("A kind of work with this name already exists.")})  # fmt: skip
    excluded = models.BooleanField(_("left to craftsmen"), default=False)
    keywords = models.CharField(
        _("keywords"), max_length=300, blank=True,
        help_text=_("Comma-separated words that, in a request's description, show this kind of work."),
    )  # fmt: skip
    referral_text = models.TextField(_("referral text"), blank=True)

    objects = WorkKindQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kind of work")
        verbose_name_plural = _("kinds of work")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("care:work_kind_list")

    def clean(self) -> None:
        if self.excluded and not self.referral_text.strip():
            raise ValidationError({"referral_text": _("Say where this work is referred (the craft chamber's "
                                                      "directory of craftsmen).")})  # fmt: skip

    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in self.keywords.split(",") if k.strip()]


class SocialTariffQuerySet(ScopedQuerySet):
    policy_name = "moulin.care.policies.SocialTariffPolicy"

    def valid_on(self, day):
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day), valid_from__lte=day)


class SocialTariff(TimeStampedModel):
    """One band of an organisation's social tariff: the hourly price for a household of ``household_size`` people
    or more (up to the next band's size) whose monthly income lies in [``income_from``, ``income_to``)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="social_tariffs",
        verbose_name=_("organisation"),
    )  # fmt: skip
    household_size = models.PositiveSmallIntegerField(
        _("household size (from)"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Applies to households of this size or more, up to the next size given."),
    )  # fmt: skip
    income_from = models.DecimalField(_("monthly income from (EUR)"), max_digits=9, decimal_places=2,
                                      validators=POSITIVE)  # fmt: skip
    income_to = models.DecimalField(
        _("monthly income below (EUR)"), max_digits=9, decimal_places=2, null=True, blank=True,
        help_text=_("Leave empty for the highest band."),
    )  # fmt: skip
    hourly_price = models.DecimalField(_("hourly price (EUR)"), max_digits=7, decimal_places=2, validators=POSITIVE)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = SocialTariffQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-valid_from", "household_size", "income_from"]
        verbose_name = _("social tariff band")
        verbose_name_plural = _("social tariff")
        constraints = [
            models.CheckConstraint(
                condition=Q(income_to__isnull=True) | Q(income_to__gt=models.F("income_from")),
                name="tariff_income_range", violation_error_message=_("The upper income lies above the lower one."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="tariff_validity_range", violation_error_message=_("The tariff ends after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(hourly_price__gte=0), name="tariff_price_positive",
                violation_error_message=_("A price is not negative."),
            ),
        ]  # fmt: skip

    breadcrumb_list = (_("Social tariff"), "care:tariff_list")

    def __str__(self) -> str:
        upper = f"–{self.income_to}" if self.income_to is not None else "+"
        return f"{self.household_size}+ · {self.income_from}{upper} EUR · {self.hourly_price} EUR/h"

    def get_absolute_url(self) -> str:
        return reverse("care:tariff_update", args=[self.pk])

    def overlaps(self):
        """Bands of the same organisation and household size that share an income and a day with this one."""
        if not (self.organisation_id and self.valid_from and self.income_from is not None):
            return SocialTariff.objects.none()
        far = datetime.date.max
        others = SocialTariff.objects.filter(organisation_id=self.organisation_id,
                                             household_size=self.household_size).exclude(pk=self.pk)  # fmt: skip
        others = others.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from))
        others = others.filter(valid_from__lte=self.valid_until or far)
        others = others.filter(Q(income_to__isnull=True) | Q(income_to__gt=self.income_from))
        if self.income_to is not None:
            others = others.filter(income_from__lt=self.income_to)
        return others

    def clean(self) -> None:
        clash = self.overlaps().first()
        if clash is not None:
            raise ValidationError({"income_from": _("This band overlaps another band of the same household size "
                                                    "and period: %(band)s.") % {"band": clash}})  # fmt: skip


# --- beneficiaries --------------------------------------------------------------------------------------------


class BeneficiaryQuerySet(ScopedQuerySet):
    policy_name = "moulin.care.policies.BeneficiaryPolicy"

    def not_anonymised(self):
        return self.filter(anonymised_at__isnull=True)

    def income_flagged(self, on=None):
        """Beneficiaries whose income band cannot be billed: no proof, or its review date has passed."""
        on = on or timezone.localdate()
        return self.filter(Q(income_proof="") | Q(income_review_on__isnull=True) | Q(income_review_on__lt=on))


class Beneficiary(TimeStampedModel):
    """A person the community-care service helps (an elderly person, a person in need). Personal data."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="beneficiaries",
        verbose_name=_("organisation"),
    )  # fmt: skip
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=BeneficiaryKind.choices, default=BeneficiaryKind.ELDERLY)
    address = models.CharField(_("address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="beneficiaries", verbose_name=_("commune")
    )
    phone = PhoneField(_("phone"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    household_size = models.PositiveSmallIntegerField(
        _("household size"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    monthly_income = models.DecimalField(
        _("household monthly income (EUR)"), max_digits=9, decimal_places=2, null=True, blank=True,
        validators=POSITIVE,
    )  # fmt: skip
    income_proof = models.CharField(
        _("proof of income"), max_length=150, blank=True,
        help_text=_("The document seen (pension statement, social office certificate...)."),
    )  # fmt: skip
    income_review_on = models.DateField(_("income to be reviewed by"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_phone = PhoneField(_("contact person's phone"), blank=True)
    consent = models.BooleanField(_("consents to the processing of their data"), default=False)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        indexes = [models.Index(fields=["last_name", "id"], name="care_beneficiary_sort")]  # the list's sort
        constraints = [
            models.CheckConstraint(
                condition=Q(consent=False) | Q(consent_on__isnull=False), name="beneficiary_consent_dated",
                violation_error_message=_("Give the day consent was given."),
            ),
        ]  # fmt: skip

    breadcrumb_list = (_("Beneficiaries"), "care:beneficiary_list")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.anonymised_at:
            return str(_("Anonymised beneficiary %(ref)s") % {"ref": str(self.public_id)[:8]})
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("care:beneficiary_detail", args=[self.pk])

    def clean(self) -> None:
        if self.consent and not self.consent_on:
            raise ValidationError({"consent_on": _("Give the day consent was given.")})

    def income_problem(self, on=None) -> str:
        """Why the income band cannot be billed yet ("" when it can): it blocks billing at the social tariff."""
        on = on or timezone.localdate()
        if self.monthly_income is None:
            return str(_("No household income recorded: the social tariff cannot be applied."))
        if not self.income_proof.strip():
            return str(_("The income band has no proof: record the document seen before billing."))
        if self.income_review_on is None or self.income_review_on < on:
            when = date_format(self.income_review_on) if self.income_review_on else "—"
            return str(_("The proof of income was due for review on %(date)s: see a new proof before billing.")
                       % {"date": when})  # fmt: skip
        return ""


# --- requests -------------------------------------------------------------------------------------------------


class RequestQuerySet(ScopedQuerySet):
    policy_name = "moulin.care.policies.RequestPolicy"

    def open(self):
        return self.filter(status__in=OPEN_REQUEST_STATUSES)


class Request(TimeStampedModel):
    """A beneficiary's request for a service: taken by phone, at the counter or from the public form, checked
    against the craft rules at once, then scheduled and completed."""

    reference = models.CharField(_("reference"), max_length=24, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="care_requests",
        verbose_name=_("organisation"),
    )  # fmt: skip
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="requests", verbose_name=_("beneficiary")
    )
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="care_requests", verbose_name=_("commune")
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="requests", verbose_name=_("service")
    )
    work_kind = models.ForeignKey(
        WorkKind, on_delete=models.PROTECT, null=True, blank=True, related_name="requests",
        verbose_name=_("kind of work"),
    )  # fmt: skip
    channel = models.CharField(_("taken"), max_length=12, choices=Channel.choices, default=Channel.PHONE)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    description = models.TextField(_("what is asked"))
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
    )  # fmt: skip
    estimated_material_value = models.DecimalField(
        _("estimated material value (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True,
        validators=POSITIVE,
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.RECEIVED)  # fmt: skip
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why the request was referred or declined."))
    referral_text = models.TextField(_("referral given"), blank=True)

    objects = RequestQuerySet.as_manager()

    workflow = Workflow(
        Transition("accept", _("Accept"), {RequestStatus.RECEIVED}, RequestStatus.ACCEPTED, manual=False),
        Transition("refer", _("Refer to a craftsman"), {RequestStatus.RECEIVED, RequestStatus.ACCEPTED},
                   RequestStatus.REFERRED, manual=False,
                   required={"reason": _("Say which craft rule the job breaks."),
                             "referral_text": _("Give the referral text.")}),
        Transition("decline", _("Decline"), {RequestStatus.RECEIVED, RequestStatus.ACCEPTED},
                   RequestStatus.DECLINED, required={"reason": _("Give the reason for declining.")}),
        Transition("schedule", _("Schedule"), {RequestStatus.ACCEPTED}, RequestStatus.SCHEDULED, manual=False),
        Transition("complete", _("Complete"), {RequestStatus.SCHEDULED}, RequestStatus.COMPLETED, manual=False),
        Transition("cancel", _("Cancel"), {RequestStatus.RECEIVED, RequestStatus.ACCEPTED, RequestStatus.SCHEDULED},
                   RequestStatus.CANCELLED, optional=("reason",)),
        refused=_("This request cannot move from its status: %(status)s."),
        stamp="status_changed_on",
        error=CareRefused,
    )  # fmt: skip

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        # the figures per service count a service's requests by status (moulin.care.services.service_figures)
        indexes = [
            models.Index(fields=["service_type", "status"], name="care_request_service_status"),
            models.Index(fields=["received_on", "id"], name="care_request_sort"),  # the list's sort, either way
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=[RequestStatus.REFERRED, RequestStatus.DECLINED]) | ~Q(reason=""),
                name="request_refusal_has_reason",
                violation_error_message=_("A referred or declined request gives its reason."),
            ),
        ]  # fmt: skip

    breadcrumb_list = (_("Requests"), "care:request_list")

    def __str__(self) -> str:
        return self.reference or str(_("new request"))

    def get_absolute_url(self) -> str:
        return reverse("care:request_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES


class InterventionQuerySet(ScopedQuerySet):
    policy_name = "moulin.care.policies.InterventionPolicy"


class Intervention(TimeStampedModel):
    """The visit that answers an accepted request: planned for a team on a day, then completed with the hours and
    materials used."""

    request = models.OneToOneField(Request, on_delete=models.PROTECT, related_name="intervention",
                                   verbose_name=_("request"))  # fmt: skip
    team = models.ForeignKey("projects.Team", on_delete=models.PROTECT, related_name="care_interventions",
                             verbose_name=_("team"))  # fmt: skip
    date = models.DateField(_("date"))
    planned_hours = models.DecimalField(_("planned hours"), max_digits=5, decimal_places=1,
                                        validators=[MinValueValidator(Decimal("0.5"))])  # fmt: skip
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    hours = models.DecimalField(_("hours worked"), max_digits=5, decimal_places=1, null=True, blank=True,
                                validators=[MinValueValidator(Decimal("0.5"))])  # fmt: skip
    materials = models.CharField(_("materials used"), max_length=300, blank=True)
    material_value = models.DecimalField(_("material value (EUR)"), max_digits=8, decimal_places=2, null=True,
                                         blank=True, validators=POSITIVE)  # fmt: skip
    note = models.TextField(_("note"), blank=True)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        indexes = [models.Index(fields=["date", "id"], name="care_intervention_sort")]  # the list's sort
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(hours__isnull=False), name="intervention_done_has_hours",
                violation_error_message=_("A completed intervention records its hours."),
            ),
        ]  # fmt: skip

    breadcrumb_list = (_("Interventions"), "care:intervention_list")

    def __str__(self) -> str:
        return f"{self.request.reference} · {date_format(self.date)}"

    def get_absolute_url(self) -> str:
        return reverse("care:intervention_detail", args=[self.pk])

    @property
    def organisation(self):
        return self.request.organisation


def photo_upload_to(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"care/photos/{instance.intervention_id}/{secrets.token_hex(8)}.{extension}"


class InterventionPhotoQuerySet(ScopedQuerySet):
    policy_name = "moulin.care.policies.InterventionPhotoPolicy"


class InterventionPhoto(models.Model):
    """A photo of the work done, served only through a scoped download (never from a public media URL)."""

    intervention = models.OneToOneField(Intervention, on_delete=models.CASCADE, related_name="photo",
                                        verbose_name=_("intervention"))  # fmt: skip
    image = models.FileField(_("photo"), upload_to=photo_upload_to)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()

    objects = InterventionPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    breadcrumb_parent = "intervention"

    def __str__(self) -> str:
        return str(_("Photo of %(intervention)s") % {"intervention": self.intervention})

    def get_absolute_url(self) -> str:
        return reverse("care:intervention_photo", args=[self.pk])


# --- satisfaction ---------------------------------------------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SurveyQuerySet(ScopedQuerySet):
    policy_name = "moulin.care.policies.SurveyPolicy"

    def answered(self):
        return self.filter(answered_on__isnull=False)


class Survey(TimeStampedModel):
    """The satisfaction survey after a completed request: answered once, through a one-time link or by phone."""

    request = models.OneToOneField(Request, on_delete=models.PROTECT, related_name="survey",
                                   verbose_name=_("request"))  # fmt: skip
    token = models.CharField(max_length=48, unique=True, default=new_token, editable=False)
    channel = models.CharField(_("answered"), max_length=6, choices=SurveyChannel.choices, default=SurveyChannel.LINK)
    sent_on = models.DateField(_("sent on"), default=timezone.localdate)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1 to 5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    on_time = models.BooleanField(_("the team came on the day agreed"), null=True, blank=True)
    would_recommend = models.BooleanField(_("would recommend the service"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        # the figures per service read the answered surveys' satisfaction from the index alone
        indexes = [
            models.Index(fields=["request", "answered_on", "satisfaction"], name="care_survey_answered"),
            models.Index(fields=["sent_on", "id"], name="care_survey_sort"),  # the list's sort, either way
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(satisfaction__isnull=False),
                name="survey_answer_has_satisfaction",
                violation_error_message=_("An answered survey gives the satisfaction."),
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | (Q(satisfaction__gte=1) & Q(satisfaction__lte=5)),
                name="survey_satisfaction_range",
                violation_error_message=_("Satisfaction is between 1 and 5."),
            ),
        ]  # fmt: skip

    breadcrumb_parent = "request"

    def __str__(self) -> str:
        return str(_("Survey of %(request)s") % {"request": self.request.reference})

    def get_absolute_url(self) -> str:
        return reverse("care:request_detail", args=[self.request_id]) + "#survey"

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None


# --- settings -------------------------------------------------------------------------------------------------


class CareSettingsQuerySet(ScopedQuerySet):
    policy_name = "moulin.care.policies.CareSettingsPolicy"


class CareSettings(models.Model):
    """The network's rules for the personal data of beneficiaries (one row, edited by administrators)."""

    retention_years = models.PositiveSmallIntegerField(
        _("retention after the last intervention (years)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_(
            "After this many years from a beneficiary's last intervention (or last request, when none was done), "
            "with no request still open, the nightly job anonymises them: name, address, contact and free text "
            "removed; the statistical facts (commune, household, services, hours, surveys) kept."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CareSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("community-care settings")
        verbose_name_plural = _("community-care settings")

    def __str__(self) -> str:
        return str(_("Community-care settings"))

    def get_absolute_url(self) -> str:
        return reverse("care:settings")

    @classmethod
    def load(cls) -> "CareSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj
