"""The money side of the network: counterparties (communes, the ministry, other bodies), contracts with them and
their signatures, funding sources and agreements, receipts, budgets with their lines and the general-ledger
entries imported as actuals. Nothing here is ever deleted: contracts are terminated, funding agreements and
receipts cancelled, ledger imports reversed by a new import."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import ScopedQuerySet
from moulin.contracts.enums import (
    PUBLIC_KINDS,
    BillingRule,
    BillingSchedule,
    BudgetCategory,
    ContractStatus,
    CounterpartyKind,
    FundingStatus,
    PeppolScheme,
    SourceKind,
)
from moulin.core.models import TimeStampedModel
from moulin.core.validators import normalise_vat, validate_vat
from moulin.core.workflow import Transition, Workflow
from moulin.formats import DEFAULT_LEDGER_DATE_FORMAT, short_date

ZERO = Decimal("0")


class ContractsRefused(ValidationError):
    """A rule of contracts, funding or budgets refused the change; its message says why. Nothing was saved."""


def money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


# ------------------------------------------------------------------------------------------------ counterparties


class CounterpartyQuerySet(ScopedQuerySet):
    policy_name = "moulin.contracts.policies.CounterpartyPolicy"

    def public(self):
        return self.filter(kind__in=PUBLIC_KINDS)


validate_peppol_value = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9.:_\-]{0,49}$",
    _("A Peppol identifier is letters, digits and . : _ - only, without the scheme (e.g. LU15027442)."),
)


class Counterparty(TimeStampedModel):
    """Who a contract is made with: a commune, the ministry, another public body or a private one."""

    name = models.CharField(
        _("name"), max_length=200, unique=True,
        error_messages={"unique": _("A counterparty with this name already exists.")},
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=12, choices=CounterpartyKind.choices)
    commune = models.OneToOneField(
        "territory.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="counterparty",
        verbose_name=_("commune"), help_text=_("For a commune: the commune itself."),
    )  # fmt: skip
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    locality = models.CharField(_("locality"), max_length=100, blank=True)
    country = models.CharField(
        _("country"), max_length=2, default="LU",
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters, e.g. LU."))],
    )  # fmt: skip
    vat_number = models.CharField(
        _("VAT number"), max_length=14, blank=True, validators=[validate_vat],
        help_text=_("With the country code in front, e.g. LU15027442."),
    )  # fmt: skip
    peppol_scheme = models.CharField(_("Peppol identifier scheme"), max_length=4, choices=PeppolScheme.choices,
                                     blank=True)  # fmt: skip
    peppol_id = models.CharField(
        _("Peppol identifier"), max_length=50, blank=True, validators=[validate_peppol_value],
        help_text=_("The electronic address public bodies receive e-invoices at (without the scheme)."),
    )  # fmt: skip
    email = models.EmailField(_("invoice email"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = CounterpartyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("counterparty")
        verbose_name_plural = _("counterparties")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=CounterpartyKind.COMMUNE) | Q(commune__isnull=True),
                name="counterparty_commune_only_for_communes",
                violation_error_message=_("Only a commune counterparty is linked to a commune."),
            ),
            models.CheckConstraint(
                condition=(Q(peppol_scheme="") & Q(peppol_id="")) | (~Q(peppol_scheme="") & ~Q(peppol_id="")),
                name="counterparty_peppol_scheme_and_value",
                violation_error_message=_("A Peppol identifier has both a scheme and a value."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    breadcrumb_list = (_("Counterparties"), "contracts:counterparty_list")

    def get_absolute_url(self) -> str:
        return reverse("contracts:counterparty_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.kind in PUBLIC_KINDS

    @property
    def peppol_endpoint(self) -> str:
        """``scheme:value`` as Peppol writes it, or empty."""
        return f"{self.peppol_scheme}:{self.peppol_id}" if self.peppol_scheme and self.peppol_id else ""

    def clean(self) -> None:
        if self.vat_number:
            self.vat_number = normalise_vat(self.vat_number)
        self.peppol_id = (self.peppol_id or "").strip()
        if self.kind == CounterpartyKind.COMMUNE and not self.commune_id:
            raise ValidationError({"commune": _("Choose the commune this counterparty is.")})
        if self.kind != CounterpartyKind.COMMUNE and self.commune_id:
            raise ValidationError({"commune": _("Only a commune counterparty is linked to a commune.")})
        if bool(self.peppol_scheme) != bool(self.peppol_id):
            field = "peppol_id" if self.peppol_scheme else "peppol_scheme"
            raise ValidationError({field: _("A Peppol identifier has both a scheme and a value.")})


# ------------------------------------------------------------------------------------------------ contracts


class ContractQuerySet(ScopedQuerySet):
    policy_name = "moulin.contracts.policies.ContractPolicy"

    def in_force(self, on=None):
        """Contracts in force on a day: signed into force, started, not past their end."""
        on = on or timezone.localdate()
        return self.filter(status=ContractStatus.IN_FORCE, start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))

    def with_communes(self):
        return self.filter(counterparty__kind=CounterpartyKind.COMMUNE)

    def ending_within(self, days: int, on=None):
        on = on or timezone.localdate()
        return self.filter(status=ContractStatus.IN_FORCE, end__gte=on, end__lte=on + datetime.timedelta(days=days))

    def with_list_data(self):
        return self.select_related("organisation", "counterparty")


def _both_signatures(contract, fields) -> None:
    """A public body's contract enters force only once both its political and administrative signatories signed."""
    if not contract.counterparty.is_public:
        return
    missing = {}
    for prefix, label in (("political", _("political")), ("administrative", _("administrative"))):
        if not getattr(contract, f"{prefix}_signatory"):
            missing[f"{prefix}_signatory"] = _("The %(who)s signatory's name is missing.") % {"who": label}
        if not getattr(contract, f"{prefix}_signed_on"):
            missing[f"{prefix}_signed_on"] = _("The %(who)s signature's date is missing.") % {"who": label}
    if missing:
        raise ContractsRefused(
            {
                "transition": _(
                    "A contract with a public body enters force only with both signatures, political and "
                    "administrative (name and date each)."
                ),
                **missing,
            }
        )


def _not_before_its_end(contract, fields) -> None:
    if contract.end is None or contract.end >= timezone.localdate():
        raise ContractsRefused({"transition": _("A contract expires only once its end date has passed.")})


class Contract(TimeStampedModel):
    """A contract of a member organisation with a commune, the ministry or another body: its period, amount,
    billing rule, deliverables, signatures and state. Commune contracts in force are what covers a commune."""

    reference = models.CharField(_("reference"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="contracts",
        verbose_name=_("organisation"),
    )  # fmt: skip
    counterparty = models.ForeignKey(
        Counterparty, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("counterparty")
    )
    projects = models.ManyToManyField(
        "projects.Project", related_name="contracts", blank=True, verbose_name=_("projects")
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("Leave empty for an open-ended contract."))
    annual_amount = money(_("annual amount (EUR)"), null=True, blank=True,
                          validators=[MinValueValidator(ZERO)])  # fmt: skip
    billing_rule = models.CharField(_("billing rule"), max_length=20, choices=BillingRule.choices,
                                    default=BillingRule.LUMP_SUM)  # fmt: skip
    billing_schedule = models.CharField(
        _("billing schedule"), max_length=12, choices=BillingSchedule.choices, blank=True,
        help_text=_("For a lump sum: how often it is billed."),
    )  # fmt: skip
    rate = money(_("rate (EUR)"), null=True, blank=True, validators=[MinValueValidator(ZERO)],
                 help_text=_("Per hour or per intervention, for those billing rules."))  # fmt: skip
    deliverables = models.TextField(_("deliverables"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ContractStatus.choices,
                              default=ContractStatus.DRAFT)  # fmt: skip
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    political_signatory = models.CharField(_("political signatory"), max_length=150, blank=True,
                                           help_text=_("e.g. the mayor, or the minister"))  # fmt: skip
    political_signed_on = models.DateField(_("political signature on"), null=True, blank=True)
    administrative_signatory = models.CharField(_("administrative signatory"), max_length=150, blank=True,
                                                help_text=_("e.g. the commune secretary"))  # fmt: skip
    administrative_signed_on = models.DateField(_("administrative signature on"), null=True, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.CharField(_("reason for terminating"), max_length=255, blank=True)
    renewed_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewal",
        verbose_name=_("renewal of"),
    )  # fmt: skip
    agreement = models.OneToOneField(
        "organisations.Agreement", on_delete=models.PROTECT, null=True, blank=True, related_name="contract",
        verbose_name=_("commune agreement carried"),
        help_text=_("For a commune contract: the agreement that makes the commune covered while it is in force."),
    )  # fmt: skip
    notes = models.TextField(_("notes"), blank=True)

    workflow = Workflow(
        Transition("submit", _("Send for signature"), {ContractStatus.DRAFT}, ContractStatus.AWAITING_SIGNATURES),
        Transition("enter_force", _("Enter into force"),
                   {ContractStatus.DRAFT, ContractStatus.AWAITING_SIGNATURES}, ContractStatus.IN_FORCE,
                   guard=_both_signatures),
        Transition("back_to_draft", _("Back to draft"), {ContractStatus.AWAITING_SIGNATURES}, ContractStatus.DRAFT),
        Transition("expire", _("Mark as expired"), {ContractStatus.IN_FORCE}, ContractStatus.EXPIRED,
                   manual=False, guard=_not_before_its_end),
        Transition("terminate", _("Terminate"),
                   {ContractStatus.DRAFT, ContractStatus.AWAITING_SIGNATURES, ContractStatus.IN_FORCE},
                   ContractStatus.TERMINATED,
                   required={"termination_reason": _("A contract is terminated with a reason: say why."),
                             "terminated_on": _("Give the day the contract ends.")}),
        stamp="status_changed_on", error=ContractsRefused, error_field="transition",
    )  # fmt: skip

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "counterparty__name"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="contract_end_after_start",
                violation_error_message=_("A contract cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ContractStatus.TERMINATED)
                | (~Q(termination_reason="") & Q(terminated_on__isnull=False)),
                name="terminated_contract_has_reason",
                violation_error_message=_("A contract is terminated with a reason: say why."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "reference"], condition=~Q(reference=""),
                name="unique_contract_reference",
                violation_error_message=_("This organisation already has a contract with this reference."),
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["status", "end"]), models.Index(fields=["start", "id"], name="contract_sort")]

    def __str__(self) -> str:
        return f"{self.title} — {self.counterparty}"

    breadcrumb_list = (_("Contracts"), "contracts:list")

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.pk])

    @property
    def effective_end(self) -> datetime.date | None:
        """The last day the contract runs: its end, or the day it was terminated."""
        if self.status == ContractStatus.TERMINATED and self.terminated_on:
            return min(self.terminated_on, self.end) if self.end else self.terminated_on
        return self.end

    def is_in_force(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.status == ContractStatus.IN_FORCE and self.start <= on and (self.end is None or self.end >= on)

    @property
    def is_signed(self) -> bool:
        return all(
            (self.political_signatory, self.political_signed_on, self.administrative_signatory,
             self.administrative_signed_on)
        )  # fmt: skip

    def days_left(self, on=None) -> int | None:
        on = on or timezone.localdate()
        return (self.end - on).days if self.end else None

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("A contract cannot end before it starts.")})
        if self.billing_rule == BillingRule.LUMP_SUM:
            if self.annual_amount is None:
                raise ValidationError({"annual_amount": _("A lump-sum contract gives its annual amount.")})
            if not self.billing_schedule:
                raise ValidationError({"billing_schedule": _("Say how often the lump sum is billed.")})
        elif self.rate is None:
            raise ValidationError({"rate": _("Give the rate billed per hour or per intervention.")})
        for prefix in ("political", "administrative"):
            day = getattr(self, f"{prefix}_signed_on")
            if day and day > timezone.localdate():
                raise ValidationError({f"{prefix}_signed_on": _("A signature is recorded once given, not ahead.")})
            if day and not getattr(self, f"{prefix}_signatory"):
                raise ValidationError({f"{prefix}_signatory": _("Name the person who signed.")})


def contract_document_upload_to(instance, filename: str) -> str:
    return f"contracts/{instance.contract_id}/{filename}"


class ContractDocumentQuerySet(ScopedQuerySet):
    policy_name = "moulin.contracts.policies.ContractDocumentPolicy"


class ContractDocument(TimeStampedModel):
    """A document of a contract: the signed contract, an amendment, an annex."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="documents",
                                 verbose_name=_("contract"))  # fmt: skip
    title = models.CharField(_("title"), max_length=160)
    file = models.FileField(_("file"), upload_to=contract_document_upload_to)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))  # fmt: skip

    objects = ContractDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "-created_at"]
        verbose_name = _("contract document")
        verbose_name_plural = _("contract documents")

    def __str__(self) -> str:
        return self.title

    breadcrumb_parent = "contract"

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.contract_id]) + "#documents"


# ------------------------------------------------------------------------------------------------ funding


class FundingSourceQuerySet(ScopedQuerySet):
    policy_name = "moulin.contracts.policies.FundingSourcePolicy"


class FundingSource(TimeStampedModel):
    """Where money comes from: the ministry, the communes, ESF+ or another EU fund, fees, private contracts,
    donations, or volunteer time valued in kind."""

    name = models.CharField(
        _("name"), max_length=200, unique=True,
        error_messages={"unique": _("A funding source with this name already exists.")},
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    counterparty = models.ForeignKey(Counterparty, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="funding_sources", verbose_name=_("funder"))  # fmt: skip
    notes = models.TextField(_("notes"), blank=True)

    objects = FundingSourceQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self) -> str:
        return self.name

    breadcrumb_list = (_("Funding sources"), "contracts:funding_source_list")

    def get_absolute_url(self) -> str:
        return reverse("contracts:funding_source_list") + f"#source-{self.pk}"


class FundingAgreementQuerySet(ScopedQuerySet):
    policy_name = "moulin.contracts.policies.FundingAgreementPolicy"

    def esf_plus(self):
        return self.filter(source__kind=SourceKind.ESF_PLUS)

    def active(self):
        return self.filter(status=FundingStatus.ACTIVE)

    def in_year(self, year: int):
        return self.filter(start__year__lte=year, end__year__gte=year)


class FundingAgreement(TimeStampedModel):
    """An award of funding from one source to one organisation for some of its projects, over a period: the
    amount awarded, the co-financing rate, the eligible costs and the reporting dates. An ESF+ agreement is
    what defines an ESF+ operation."""

    reference = models.CharField(_("reference"), max_length=60, blank=True,
                                 help_text=_("The funder's reference; for ESF+, the operation number."))  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="agreements",
                               verbose_name=_("funding source"))  # fmt: skip
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="funding_agreements", verbose_name=_("organisation"))  # fmt: skip
    projects = models.ManyToManyField("projects.Project", related_name="funding_agreements", blank=True,
                                      verbose_name=_("projects funded"))  # fmt: skip
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    amount_awarded = money(_("amount awarded (EUR)"), validators=[MinValueValidator(ZERO)])
    co_financing_rate = models.DecimalField(
        _("co-financing rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
        help_text=_("The share of the eligible costs this source pays."),
    )  # fmt: skip
    eligible_costs = money(_("eligible costs (EUR)"), null=True, blank=True, validators=[MinValueValidator(ZERO)])
    status = models.CharField(_("status"), max_length=10, choices=FundingStatus.choices,
                              default=FundingStatus.ACTIVE)  # fmt: skip
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    workflow = Workflow(
        Transition("close", _("Close"), {FundingStatus.ACTIVE}, FundingStatus.CLOSED),
        Transition("cancel", _("Cancel"), {FundingStatus.ACTIVE}, FundingStatus.CANCELLED,
                   required={"cancel_reason": _("A funding agreement is cancelled with a reason: say why.")}),
        Transition("reopen", _("Reopen"), {FundingStatus.CLOSED}, FundingStatus.ACTIVE),
        stamp="status_changed_on", error=ContractsRefused, error_field="transition",
    )  # fmt: skip

    objects = FundingAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "title"]
        verbose_name = _("funding agreement")
        verbose_name_plural = _("funding agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="funding_end_after_start",
                violation_error_message=_("A funding agreement cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(status=FundingStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="cancelled_funding_has_reason",
                violation_error_message=_("A funding agreement is cancelled with a reason: say why."),
            ),
        ]
        indexes = [models.Index(fields=["start", "id"], name="funding_agreement_sort")]  # the list's default sort

    def __str__(self) -> str:
        return self.title

    breadcrumb_list = (_("Funding agreements"), "contracts:funding_list")

    def get_absolute_url(self) -> str:
        return reverse("contracts:funding_detail", args=[self.pk])

    @property
    def is_esf_plus(self) -> bool:
        return self.source.kind == SourceKind.ESF_PLUS

    def received(self) -> Decimal:
        return self.receipts.filter(cancelled_on__isnull=True).aggregate(t=Sum("amount"))["t"] or ZERO

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("A funding agreement cannot end before it starts.")})
        if self.co_financing_rate is not None and self.eligible_costs is not None and self.amount_awarded is not None:
            ceiling = (self.eligible_costs * self.co_financing_rate / 100).quantize(Decimal("0.01"))
            if self.amount_awarded > ceiling:
                raise ValidationError(
                    {
                        "amount_awarded": _(
                            "The amount awarded is above the co-financing rate of the eligible costs (%(ceiling)s)."
                        )
                        % {"ceiling": ceiling}
                    }
                )


class ReportingDateQuerySet(ScopedQuerySet):
    policy_name = "moulin.contracts.policies.ReportingDatePolicy"


class ReportingDate(TimeStampedModel):
    """A report owed to the funder: interim or final, by a date."""

    agreement = models.ForeignKey(FundingAgreement, on_delete=models.PROTECT, related_name="reporting_dates",
                                  verbose_name=_("funding agreement"))  # fmt: skip
    label = models.CharField(_("report"), max_length=120)
    due_on = models.DateField(_("due on"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)

    objects = ReportingDateQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "due_on"]
        verbose_name = _("reporting date")
        verbose_name_plural = _("reporting dates")

    def __str__(self) -> str:
        return f"{self.label} ({short_date(self.due_on)})"

    breadcrumb_parent = "agreement"

    def get_absolute_url(self) -> str:
        return reverse("contracts:funding_detail", args=[self.agreement_id]) + "#reporting"


class ReceiptQuerySet(ScopedQuerySet):
    policy_name = "moulin.contracts.policies.ReceiptPolicy"

    def valid(self):
        return self.filter(cancelled_on__isnull=True)

    def in_year(self, year: int):
        return self.filter(received_on__year=year)


class Receipt(TimeStampedModel):
    """Money an organisation received from a source: under a funding agreement or a contract, or on its own
    (fees, donations). Cancelled, never deleted. A receipt may name the project and commune it is for: that is
    how the funding mix of a project or a commune is read."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="receipts", verbose_name=_("organisation"))  # fmt: skip
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="receipts",
                               verbose_name=_("funding source"))  # fmt: skip
    agreement = models.ForeignKey(FundingAgreement, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="receipts", verbose_name=_("funding agreement"))  # fmt: skip
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="receipts",
                                 verbose_name=_("contract"))  # fmt: skip
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="receipts", verbose_name=_("project"))  # fmt: skip
    commune = models.ForeignKey("territory.Commune", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="receipts", verbose_name=_("commune"))  # fmt: skip
    received_on = models.DateField(_("received on"))
    amount = money(_("amount (EUR)"), validators=[MinValueValidator(Decimal("0.01"))])
    reference = models.CharField(
        _("reference"), max_length=80, blank=True, help_text=_("e.g. the bank statement line")
    )
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive",
                                   violation_error_message=_("A receipt is a positive amount.")),
            models.CheckConstraint(
                condition=Q(cancelled_on__isnull=True) | ~Q(cancel_reason=""),
                name="cancelled_receipt_has_reason",
                violation_error_message=_("A receipt is cancelled with a reason: say why."),
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["organisation", "received_on"]),
            models.Index(fields=["received_on", "id"], name="contracts_receipt_sort"),  # the list's sort
        ]

    def __str__(self) -> str:
        return f"{self.source} — {self.amount} EUR, {short_date(self.received_on)}"

    breadcrumb_list = (_("Receipts"), "contracts:receipt_list")

    def get_absolute_url(self) -> str:
        return reverse("contracts:receipt_detail", args=[self.pk])

    def clean(self) -> None:
        if self.received_on and self.received_on > timezone.localdate():
            raise ValidationError({"received_on": _("A receipt is recorded once the money is in, not ahead.")})
        if self.agreement_id and self.organisation_id and self.agreement.organisation_id != self.organisation_id:
            raise ValidationError({"agreement": _("This funding agreement is another organisation's.")})
        if self.agreement_id and self.source_id and self.agreement.source_id != self.source_id:
            raise ValidationError({"agreement": _("This funding agreement is from another source.")})
        if self.contract_id and self.organisation_id and self.contract.organisation_id != self.organisation_id:
            raise ValidationError({"contract": _("This contract is another organisation's.")})
        if self.project_id and self.organisation_id and self.project.organisation_id != self.organisation_id:
            raise ValidationError({"project": _("This project is another organisation's.")})


# ------------------------------------------------------------------------------------------------ budgets


class ClosedYearQuerySet(ScopedQuerySet):
    policy_name = "moulin.contracts.policies.BudgetPolicy"


class ClosedYear(TimeStampedModel):
    """A financial year an organisation has closed: its budget lines and actuals no longer change."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="closed_years", verbose_name=_("organisation"))  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))  # fmt: skip

    objects = ClosedYearQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-year"]
        verbose_name = _("closed year")
        verbose_name_plural = _("closed years")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="unique_closed_year",
                                    violation_error_message=_("This year is already closed.")),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    breadcrumb_parent = "organisation"

    def get_absolute_url(self) -> str:
        return reverse("contracts:budget_list") + f"?organisation={self.organisation_id}&year={self.year}"


def is_closed(organisation_id: int, year: int) -> bool:
    return ClosedYear.objects.filter(organisation_id=organisation_id, year=year).exists()


class BudgetQuerySet(ScopedQuerySet):
    policy_name = "moulin.contracts.policies.BudgetPolicy"

    def with_list_data(self):
        return self.select_related("organisation", "project")


class Budget(TimeStampedModel):
    """An organisation's budget for one year: for one project, or its general budget (no project)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="budgets", verbose_name=_("organisation"))  # fmt: skip
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="budgets", verbose_name=_("project"),
                                help_text=_("Leave empty for the organisation's general budget."))  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    notes = models.TextField(_("notes"), blank=True)

    objects = BudgetQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "organisation", "project"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "project", "year"], name="unique_budget",
                                    violation_error_message=_("This budget already exists for that year.")),
            models.UniqueConstraint(fields=["organisation", "year"], condition=Q(project__isnull=True),
                                    name="unique_general_budget",
                                    violation_error_message=_("This organisation already has a general budget "
                                                              "for that year.")),
        ]  # fmt: skip
        indexes = [models.Index(fields=["year", "id"], name="budget_sort")]  # the list's default sort

    def __str__(self) -> str:
        what = self.project.name if self.project_id else _("general budget")
        return f"{self.organisation.display_name} — {what} {self.year}"

    breadcrumb_list = (_("Budgets"), "contracts:budget_list")

    def get_absolute_url(self) -> str:
        return reverse("contracts:budget_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return is_closed(self.organisation_id, self.year)

    def clean(self) -> None:
        if self.project_id and self.organisation_id and self.project.organisation_id != self.organisation_id:
            raise ValidationError({"project": _("This project is another organisation's.")})


class BudgetLineQuerySet(ScopedQuerySet):
    policy_name = "moulin.contracts.policies.BudgetLinePolicy"

    def with_actuals(self):
        return self.annotate(actual_amount=Sum("ledger_entries__amount"))


class BudgetLine(TimeStampedModel):
    """One category of a budget (staff, materials, overheads): what is planned, and what the general ledger shows
    was spent (its imported entries). ``financed_by`` says which kind of money pays for it: the lines financed by
    beneficiary fees are what fee revenue was reinvested in."""

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="lines", verbose_name=_("budget"))
    category = models.CharField(_("category"), max_length=10, choices=BudgetCategory.choices)
    planned = money(_("planned (EUR)"), validators=[MinValueValidator(ZERO)])
    financed_by = models.CharField(_("financed by"), max_length=20, choices=SourceKind.choices, blank=True)
    notes = models.CharField(_("notes"), max_length=255, blank=True)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        ordering = ["budget", "category"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["budget", "category"], name="unique_budget_line",
                                    violation_error_message=_("This budget already has a line for this category.")),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.budget} — {self.get_category_display()}"

    breadcrumb_parent = "budget"

    def get_absolute_url(self) -> str:
        return reverse("contracts:budget_detail", args=[self.budget_id]) + f"#line-{self.pk}"

    def clean(self) -> None:
        if self.budget_id and is_closed(self.budget.organisation_id, self.budget.year):
            raise ValidationError(
                {"planned": _("The year %(year)s is closed for this organisation: its budget no longer changes.")
                 % {"year": self.budget.year}}
            )  # fmt: skip

    def actual(self) -> Decimal:
        if hasattr(self, "actual_amount"):
            return self.actual_amount or ZERO
        return self.ledger_entries.aggregate(t=Sum("amount"))["t"] or ZERO


class LedgerMappingQuerySet(ScopedQuerySet):
    policy_name = "moulin.contracts.policies.BudgetPolicy"


class LedgerMapping(TimeStampedModel):
    """How an organisation's general-ledger CSV reads: which column holds what. Mapped once, kept for next time."""

    organisation = models.OneToOneField("organisations.Organisation", on_delete=models.CASCADE,
                                        related_name="ledger_mapping", verbose_name=_("organisation"))  # fmt: skip
    columns = models.JSONField(_("columns"), default=dict)
    delimiter = models.CharField(_("column separator"), max_length=1, default=";")
    decimal_comma = models.BooleanField(_("decimal comma"), default=True)
    date_format = models.CharField(_("date format"), max_length=20, default=DEFAULT_LEDGER_DATE_FORMAT)

    objects = LedgerMappingQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger column mapping")
        verbose_name_plural = _("ledger column mappings")

    def __str__(self) -> str:
        return str(self.organisation)

    breadcrumb_parent = "organisation"

    def get_absolute_url(self) -> str:
        return reverse("contracts:ledger_import")


class LedgerImportQuerySet(ScopedQuerySet):
    policy_name = "moulin.contracts.policies.BudgetPolicy"


class LedgerImport(TimeStampedModel):
    """One committed import of a general-ledger CSV: its entries became the budget lines' actuals."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="ledger_imports", verbose_name=_("organisation"))  # fmt: skip
    file_name = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(_("file fingerprint"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    total = money(_("total (EUR)"), default=ZERO)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("imported by"))  # fmt: skip

    objects = LedgerImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sha256"], name="ledger_file_imported_once",
                                    violation_error_message=_("This file has already been imported.")),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows})"

    breadcrumb_parent = "organisation"

    def get_absolute_url(self) -> str:
        return reverse("contracts:ledger_import")


class LedgerEntryQuerySet(ScopedQuerySet):
    policy_name = "moulin.contracts.policies.LedgerEntryPolicy"


class LedgerEntry(models.Model):
    """One booking of the general ledger, counted as actual spending of one budget line."""

    ledger_import = models.ForeignKey(LedgerImport, on_delete=models.PROTECT, related_name="entries",
                                      verbose_name=_("import"))  # fmt: skip
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="ledger_entries",
                             verbose_name=_("budget line"))  # fmt: skip
    booked_on = models.DateField(_("booked on"))
    account = models.CharField(_("account"), max_length=20)
    description = models.CharField(_("description"), max_length=255, blank=True)
    amount = money(_("amount (EUR)"))
    row = models.PositiveIntegerField(_("row in the file"))

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["booked_on", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"{self.account} {self.amount} ({short_date(self.booked_on)})"

    breadcrumb_parent = "line"

    def get_absolute_url(self) -> str:
        return self.line.get_absolute_url()
