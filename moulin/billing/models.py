"""Invoices and the money that follows them: monthly batches (previewed, then issued), invoices with their lines,
credit notes, payments and reminders.

An invoice is a draft while its batch is previewed; it takes its gapless number (per issuing organisation and
year, ``moulin/sequences``) when it is issued and from then on never changes: what it bills, to whom and for how
much are frozen (the model refuses, and so does the database, see migration 0002). It is corrected by credit notes
and settled by payments; its status moves through its declared workflow only.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import ScopedQuerySet
from moulin.billing.enums import (
    HOLDING_STATUSES,
    NUMBERED_STATUSES,
    BatchStatus,
    InvoiceStatus,
    LineUnit,
    PaymentMethod,
    RecipientKind,
    VatCategory,
)
from moulin.core.models import TimeStampedModel
from moulin.core.workflow import Transition, Workflow

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")
POSITIVE = [MinValueValidator(Decimal("0.01"))]


class BillingRefused(ValidationError):
    """A rule of billing refused the change; its message says why. Nothing was saved."""


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def month_end(first: datetime.date) -> datetime.date:
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


# --- batches --------------------------------------------------------------------------------------------------


class BatchQuerySet(ScopedQuerySet):
    policy_name = "moulin.billing.policies.BatchPolicy"


class Batch(TimeStampedModel):
    """One organisation's invoices for one month: generated as drafts for a preview, then issued together in one
    transaction (all numbered, or none)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="invoice_batches",
        verbose_name=_("issuing organisation"),
    )  # fmt: skip
    month = models.DateField(_("month"), help_text=_("The first day of the month billed."))
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PREVIEW)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("prepared by"),
    )  # fmt: skip
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    #: what could not be billed, with the reason: [{"who": ..., "reason": ...}]
    problems = models.JSONField(_("not billed"), default=list, blank=True)

    workflow = Workflow(
        Transition("issue", _("Issue the invoices"), {BatchStatus.PREVIEW}, BatchStatus.ISSUED, manual=False,
                   optional=("issued_on",)),
        Transition("discard", _("Discard the preview"), {BatchStatus.PREVIEW}, BatchStatus.DISCARDED, manual=False),
        stamp="status_changed_on", error=BillingRefused, error_field="transition",
    )  # fmt: skip

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "organisation__name"]
        verbose_name = _("invoice batch")
        verbose_name_plural = _("invoice batches")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month"], condition=~Q(status="discarded"), name="one_batch_per_month",
                violation_error_message=_("This organisation already has a batch for this month."),
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["month", "id"], name="batch_sort")]  # the list's default sort

    breadcrumb_list = (_("Invoice batches"), "billing:batch_list")

    def __str__(self) -> str:
        return f"{self.organisation.display_name} · {date_format(self.month, 'F Y')}"

    def get_absolute_url(self) -> str:
        return reverse("billing:batch_detail", args=[self.pk])

    @property
    def period_end(self) -> datetime.date:
        return month_end(self.month)


# --- invoices -------------------------------------------------------------------------------------------------


class InvoiceQuerySet(ScopedQuerySet):
    policy_name = "moulin.billing.policies.InvoicePolicy"

    def numbered(self):
        return self.filter(status__in=NUMBERED_STATUSES)

    def open(self):
        return self.filter(status=InvoiceStatus.ISSUED)

    def overdue(self, on=None):
        on = on or timezone.localdate()
        return self.open().filter(due_on__lt=on)

    def issued_between(self, start, end):
        return self.numbered().filter(issued_on__gte=start, issued_on__lte=end)

    def with_balance(self):
        """``paid`` and ``credited`` (gross) on each row, in two sub-queries (no join that would multiply)."""
        paid = Payment.objects.filter(invoice=models.OuterRef("pk")).values("invoice")
        paid = paid.annotate(t=Sum("amount")).values("t")
        credited = CreditNote.objects.filter(invoice=models.OuterRef("pk")).values("invoice")
        credited = credited.annotate(t=Sum("total")).values("t")
        return self.annotate(
            paid_sum=models.functions.Coalesce(models.Subquery(paid), ZERO, output_field=models.DecimalField()),
            credited_sum=models.functions.Coalesce(models.Subquery(credited), ZERO,
                                                   output_field=models.DecimalField()),
        ).annotate(balance_due=F("total") - F("paid_sum") - F("credited_sum"))  # fmt: skip


#: fields an issued invoice never changes (its status moves; nothing else)
FROZEN_FIELDS = (
    "organisation_id", "kind", "beneficiary_id", "contract_id", "commune_id", "number", "sequence_year",
    "sequence_number", "issued_on", "due_on", "period_start", "period_end", "buyer_name", "buyer_address",
    "buyer_postcode", "buyer_locality", "buyer_country", "buyer_email", "buyer_vat_number", "buyer_peppol_scheme",
    "buyer_peppol_id", "buyer_reference", "vat_category", "vat_rate", "net_total", "vat_total", "total",
)  # fmt: skip


class Invoice(TimeStampedModel):
    """An invoice of an organisation to a beneficiary (hours × social tariff) or to a contract's counterparty (by
    the contract's billing rule). The recipient's details are copied at generation, so that the invoice keeps
    saying what was sent."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="invoices",
        verbose_name=_("issuing organisation"),
    )  # fmt: skip
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices",
                              verbose_name=_("batch"))  # fmt: skip
    kind = models.CharField(_("billed to"), max_length=12, choices=RecipientKind.choices)
    beneficiary = models.ForeignKey(
        "care.Beneficiary", on_delete=models.PROTECT, null=True, blank=True, related_name="invoices",
        verbose_name=_("beneficiary"),
    )  # fmt: skip
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="invoices",
        verbose_name=_("contract"),
    )  # fmt: skip
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="invoices",
        verbose_name=_("commune billed"),
    )  # fmt: skip
    number = models.CharField(_("number"), max_length=40, blank=True, editable=False)
    sequence_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    sequence_number = models.PositiveIntegerField(null=True, blank=True, editable=False)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    buyer_name = models.CharField(_("recipient"), max_length=200)
    buyer_address = models.CharField(_("address"), max_length=200)
    buyer_postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    buyer_locality = models.CharField(_("locality"), max_length=100, blank=True)
    buyer_country = models.CharField(_("country"), max_length=2, default="LU")
    buyer_email = models.EmailField(_("email"), blank=True)
    buyer_language = models.CharField(_("language"), max_length=5, default="fr")
    buyer_vat_number = models.CharField(_("recipient's VAT number"), max_length=20, blank=True)
    buyer_peppol_scheme = models.CharField(_("Peppol scheme"), max_length=4, blank=True)
    buyer_peppol_id = models.CharField(_("Peppol identifier"), max_length=60, blank=True)
    buyer_reference = models.CharField(_("recipient's reference"), max_length=60, blank=True)
    is_public_body = models.BooleanField(_("public body (Peppol e-invoice)"), default=False)
    vat_category = models.CharField(_("VAT"), max_length=1, choices=VatCategory.choices, default=VatCategory.EXEMPT)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=ZERO)
    net_total = models.DecimalField(_("total without VAT"), max_digits=12, decimal_places=2, default=ZERO)
    vat_total = models.DecimalField(_("VAT"), max_digits=12, decimal_places=2, default=ZERO)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2, default=ZERO)
    status = models.CharField(_("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)

    workflow = Workflow(
        Transition("issue", _("Issue"), {InvoiceStatus.DRAFT}, InvoiceStatus.ISSUED, manual=False,
                   optional=("number", "sequence_year", "sequence_number", "issued_on", "due_on")),
        Transition("discard", _("Discard"), {InvoiceStatus.DRAFT}, InvoiceStatus.DISCARDED, manual=False),
        Transition("settle", _("Paid in full"), {InvoiceStatus.ISSUED}, InvoiceStatus.PAID, manual=False),
        Transition("credit", _("Credited in full"), {InvoiceStatus.ISSUED}, InvoiceStatus.CREDITED, manual=False),
        stamp="status_changed_on", error=BillingRefused, error_field="transition",
    )  # fmt: skip

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], condition=~Q(number=""), name="invoice_number_unique",
                violation_error_message=_("This invoice number is already taken."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "sequence_year", "sequence_number"],
                condition=Q(sequence_number__isnull=False), name="invoice_sequence_unique",
                violation_error_message=_("This invoice number is already taken."),
            ),
            models.UniqueConstraint(
                fields=["beneficiary", "period_start"], condition=Q(status__in=list(HOLDING_STATUSES)),
                name="one_invoice_per_beneficiary_and_month",
                violation_error_message=_("This beneficiary is already billed for this month."),
            ),
            models.UniqueConstraint(
                fields=["contract", "period_start"], condition=Q(status__in=list(HOLDING_STATUSES)),
                name="one_invoice_per_contract_and_month",
                violation_error_message=_("This contract is already billed for this month."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="contract") | Q(contract__isnull=False), name="contract_invoice_names_it",
                violation_error_message=_("Choose the contract billed."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="invoice_period_order",
                violation_error_message=_("The period ends after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="discarded") | (~Q(number="") & Q(issued_on__isnull=False)),
                name="issued_invoice_is_numbered",
                violation_error_message=_("An issued invoice carries its number and date."),
            ),
            models.CheckConstraint(  # to the cent (SQLite compares decimals as floating point)
                condition=Q(total__gt=F("net_total") + F("vat_total") - HALF_CENT)
                & Q(total__lt=F("net_total") + F("vat_total") + HALF_CENT),
                name="invoice_total_adds_up",
                violation_error_message=_("The total is the amount without VAT plus the VAT."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="beneficiary") | Q(beneficiary__isnull=False), name="beneficiary_invoice_names_them",
                violation_error_message=_("Choose the beneficiary billed."),
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["issued_on", "id"], name="invoice_sort"),
        ]

    breadcrumb_list = (_("Invoices"), "billing:list")

    def __str__(self) -> str:
        if self.number:
            return self.number
        return str(_("Draft invoice to %(who)s") % {"who": self.buyer_name})

    def get_absolute_url(self) -> str:
        return reverse("billing:detail", args=[self.pk])

    # --- immutability -----------------------------------------------------------------------------------------

    def save(self, *args, **kwargs):
        if self.pk is not None:
            before = Invoice.objects.filter(pk=self.pk).values(*FROZEN_FIELDS, "status").first()
            if before is not None and before["status"] in NUMBERED_STATUSES:
                changed = [f for f in FROZEN_FIELDS if before[f] != getattr(self, f)]
                if changed:
                    raise BillingRefused(
                        _("Invoice %(number)s is issued: it is never changed, only credited (a credit note) or paid.")
                        % {"number": before["number"]}  # fmt: skip
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.number:
            raise BillingRefused(_("An issued invoice is never deleted: credit it with a credit note."))
        return super().delete(*args, **kwargs)

    # --- figures ----------------------------------------------------------------------------------------------

    @property
    def is_numbered(self) -> bool:
        return self.status in NUMBERED_STATUSES

    @property
    def paid(self) -> Decimal:
        if hasattr(self, "paid_sum"):
            return money(self.paid_sum)
        return money(self.payments.aggregate(t=Sum("amount"))["t"])

    @property
    def credited(self) -> Decimal:
        if hasattr(self, "credited_sum"):
            return money(self.credited_sum)
        return money(self.credit_notes.aggregate(t=Sum("total"))["t"])

    @property
    def credited_net(self) -> Decimal:
        return money(self.credit_notes.aggregate(t=Sum("net_total"))["t"])

    @property
    def remaining(self) -> Decimal:
        """What may still be credited: the total less the credit notes already issued."""
        return self.total - self.credited

    @property
    def balance(self) -> Decimal:
        """What is still owed: the total less the credit notes and the payments."""
        return self.total - self.credited - self.paid

    def is_overdue(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.status == InvoiceStatus.ISSUED and self.due_on is not None and self.due_on < on

    @property
    def sends_ubl(self) -> bool:
        """A Peppol e-invoice is made for a public body (always) and for any recipient with a Peppol address."""
        return self.is_public_body or bool(self.buyer_peppol_id)


class InvoiceLineQuerySet(ScopedQuerySet):
    policy_name = "moulin.billing.policies.InvoiceLinePolicy"


class InvoiceLine(models.Model):
    """One line of an invoice: what was done, how much of it and at what price. ``source`` names the records the
    line bills (interventions, time entries, an instalment) so that nothing is billed twice."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines", verbose_name=_("invoice"))
    position = models.PositiveSmallIntegerField(_("line"), default=1)
    description = models.CharField(_("description"), max_length=250)
    day = models.DateField(_("day"), null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=9, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=3, choices=LineUnit.choices, default=LineUnit.HOUR)
    unit_price = models.DecimalField(_("unit price (EUR)"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    source = models.CharField(_("billed records"), max_length=60, blank=True)

    objects = InvoiceLineQuerySet.as_manager()

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(unit_price__gte=0), name="invoice_line_positive",
                violation_error_message=_("A line bills a positive quantity at a price that is not negative."),
            ),
        ]  # fmt: skip

    breadcrumb_parent = "invoice"

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return self.invoice.get_absolute_url() + "#lines"


# --- credit notes ---------------------------------------------------------------------------------------------


class CreditNoteQuerySet(ScopedQuerySet):
    policy_name = "moulin.billing.policies.CreditNotePolicy"

    def issued_between(self, start, end):
        return self.filter(issued_on__gte=start, issued_on__lte=end)


class CreditNote(TimeStampedModel):
    """A correction of an issued invoice, in part or in full: numbered in its own gapless series, never above what
    remains of the invoice, never changed once issued."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="credit_notes",
        verbose_name=_("issuing organisation"),
    )  # fmt: skip
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes",
                                verbose_name=_("invoice"))  # fmt: skip
    number = models.CharField(_("number"), max_length=40, editable=False)
    sequence_year = models.PositiveSmallIntegerField(editable=False)
    sequence_number = models.PositiveIntegerField(editable=False)
    issued_on = models.DateField(_("issued on"))
    reason = models.CharField(_("reason"), max_length=250)
    net_total = models.DecimalField(_("amount without VAT"), max_digits=12, decimal_places=2)
    vat_total = models.DecimalField(_("VAT"), max_digits=12, decimal_places=2, default=ZERO)
    total = models.DecimalField(_("amount credited"), max_digits=12, decimal_places=2, validators=POSITIVE)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("issued by"))  # fmt: skip

    objects = CreditNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sequence_year", "sequence_number"], name="credit_note_number_unique",
                violation_error_message=_("This credit note number is already taken."),
            ),
            models.CheckConstraint(
                condition=Q(total__gt=0) & Q(total__gt=F("net_total") + F("vat_total") - HALF_CENT)
                & Q(total__lt=F("net_total") + F("vat_total") + HALF_CENT),
                name="credit_note_adds_up",
                violation_error_message=_("A credit note credits a positive amount: without VAT plus VAT."),
            ),
        ]  # fmt: skip

    breadcrumb_parent = "invoice"
    breadcrumb_label = "number"

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("billing:detail", args=[self.invoice_id]) + "#credit-notes"

    def save(self, *args, **kwargs):
        if self.pk is not None and CreditNote.objects.filter(pk=self.pk).exists():
            raise BillingRefused(_("A credit note is never changed once issued."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise BillingRefused(_("A credit note is never deleted."))


# --- payments -------------------------------------------------------------------------------------------------


class PaymentQuerySet(ScopedQuerySet):
    policy_name = "moulin.billing.policies.PaymentPolicy"

    def received_between(self, start, end):
        return self.filter(paid_on__gte=start, paid_on__lte=end)


class Payment(TimeStampedModel):
    """Money received for an invoice: never above what the invoice still asks."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice"))
    paid_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2, validators=POSITIVE)
    method = models.CharField(_("method"), max_length=12, choices=PaymentMethod.choices,
                              default=PaymentMethod.TRANSFER)  # fmt: skip
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))  # fmt: skip

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="payment_positive",
                violation_error_message=_("A payment is a positive amount."),
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["paid_on", "id"], name="payment_sort")]  # the list's default sort

    breadcrumb_parent = "invoice"

    def __str__(self) -> str:
        return str(_("%(amount)s EUR on %(day)s") % {"amount": self.amount, "day": date_format(self.paid_on)})

    def get_absolute_url(self) -> str:
        return reverse("billing:detail", args=[self.invoice_id]) + "#payments"

    def save(self, *args, **kwargs):
        if self.pk is not None and Payment.objects.filter(pk=self.pk).exists():
            raise BillingRefused(_("A payment is never changed: record a correction with a credit note."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise BillingRefused(_("A payment is never deleted."))


# --- reminders ------------------------------------------------------------------------------------------------


class ReminderQuerySet(ScopedQuerySet):
    policy_name = "moulin.billing.policies.ReminderPolicy"


class Reminder(models.Model):
    """A reminder of an overdue invoice: sent by email when the recipient has an address, else to be posted."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="reminders",
                                verbose_name=_("invoice"))  # fmt: skip
    level = models.PositiveSmallIntegerField(_("reminder"), default=1)
    sent_on = models.DateField(_("on"))
    email = models.EmailField(_("sent to"), blank=True)
    balance = models.DecimalField(_("amount due"), max_digits=12, decimal_places=2)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "level"], name="one_reminder_per_level",
                                    violation_error_message=_("This reminder was already sent.")),
        ]  # fmt: skip

    breadcrumb_parent = "invoice"

    def __str__(self) -> str:
        return str(_("Reminder %(level)s of %(invoice)s") % {"level": self.level, "invoice": self.invoice})

    def get_absolute_url(self) -> str:
        return reverse("billing:detail", args=[self.invoice_id]) + "#reminders"
