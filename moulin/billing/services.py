"""Billing: monthly batches (prepared as drafts for a preview, then issued in one transaction), credit notes,
payments and reminders. Every write is one transaction with its audit event; a refusal leaves nothing behind.

Numbers come from ``moulin/sequences`` at issue (per issuing organisation and year, gapless, never reused): a
batch that fails to issue rolls back with its numbers, so the next batch takes them.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from moulin.billing.enums import (
    HOLDING_STATUSES,
    NUMBERED_STATUSES,
    STANDARD_RATE,
    BatchStatus,
    InvoiceStatus,
    LineUnit,
    RecipientKind,
    VatCategory,
)
from moulin.billing.models import (
    ZERO,
    Batch,
    BillingRefused,
    CreditNote,
    Invoice,
    InvoiceLine,
    Payment,
    Reminder,
    money,
    month_end,
)
from moulin.core.models import AuditEvent
from moulin.core.services import audit
from moulin.core.workflow import transition
from moulin.sequences.services import Series, register

INVOICES = register(Series("invoice", "{org}-{year}-{number:05d}"))
CREDIT_NOTES = register(Series("credit_note", "{org}-AV-{year}-{number:04d}"))

#: days an invoice gives to pay
PAYMENT_DAYS = 30
#: days between reminders of an overdue invoice, and how many are sent at most
REMINDER_EVERY_DAYS = 14
MAX_REMINDERS = 3


def org_code(organisation) -> str:
    return (organisation.slug or str(organisation.pk)).upper()[:16]


def vat_amount(net: Decimal, rate: Decimal) -> Decimal:
    return (Decimal(net) * Decimal(rate) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def default_vat_category(organisation) -> str:
    """Social services are exempt (art. 44 of the VAT law) for an organisation registered for VAT; one that is
    not registered invoices outside the scope of VAT."""
    return VatCategory.EXEMPT if organisation.vat_number else VatCategory.NOT_SUBJECT


def check_vat(organisation, category: str) -> None:
    if category in (VatCategory.STANDARD, VatCategory.EXEMPT) and not organisation.vat_number:
        raise BillingRefused(
            {"vat_category": _("%(org)s has no VAT number: it cannot invoice with VAT or under the art. 44 "
                               "exemption. Record its VAT number first.") % {"org": organisation.display_name}}
        )  # fmt: skip


# --- what a month bills ---------------------------------------------------------------------------------------


@dataclass
class DraftLine:
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    day: datetime.date | None = None
    source: str = ""

    @property
    def amount(self) -> Decimal:
        return money(self.quantity * self.unit_price)


@dataclass
class Draft:
    """One invoice a batch would issue, before anything is written."""

    kind: str
    buyer: dict
    lines: list[DraftLine] = field(default_factory=list)
    beneficiary: object = None
    contract: object = None
    commune: object = None
    vat_category: str = VatCategory.EXEMPT
    vat_rate: Decimal = ZERO
    is_public_body: bool = False

    @property
    def net_total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


@dataclass
class MonthWork:
    drafts: list[Draft] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)


def _billed_sources(organisation, kind_prefix: str) -> set[str]:
    return set(
        InvoiceLine.objects.filter(invoice__organisation=organisation, invoice__status__in=HOLDING_STATUSES,
                                   source__startswith=kind_prefix).values_list("source", flat=True)
    )  # fmt: skip


def beneficiary_work(organisation, first: datetime.date) -> MonthWork:
    """The month's completed care interventions of the organisation, one invoice per beneficiary: hours × the
    beneficiary's social tariff on the day. A beneficiary whose tariff cannot be applied (no proof of income, a
    review date passed, no band) is not billed, and the preview says why."""
    from moulin.care.models import CareRefused, Intervention
    from moulin.care.services import hourly_price_for

    last = month_end(first)
    done = (
        Intervention.objects.filter(request__organisation=organisation, completed_on__gte=first,
                                    completed_on__lte=last, hours__isnull=False)
        .select_related("request__beneficiary__commune", "request__service_type")
        .order_by("request__beneficiary__last_name", "request__beneficiary_id", "completed_on", "pk")
    )  # fmt: skip
    already = _billed_sources(organisation, "care.intervention:")
    held = set(
        Invoice.objects.filter(organisation=organisation, period_start=first, status__in=HOLDING_STATUSES,
                               beneficiary__isnull=False).values_list("beneficiary_id", flat=True)
    )  # fmt: skip
    by_beneficiary = defaultdict(list)
    for intervention in done:
        if f"care.intervention:{intervention.pk}" in already:
            continue
        by_beneficiary[intervention.request.beneficiary].append(intervention)
    work = MonthWork()
    category = default_vat_category(organisation)
    for beneficiary, interventions in by_beneficiary.items():
        if beneficiary.pk in held:
            continue
        lines = []
        try:
            for intervention in interventions:
                price = hourly_price_for(beneficiary, on=intervention.completed_on)
                lines.append(DraftLine(
                    description=f"{intervention.request.service_type.name} — {date_format(intervention.completed_on)}",
                    quantity=Decimal(intervention.hours), unit=LineUnit.HOUR, unit_price=price,
                    day=intervention.completed_on, source=f"care.intervention:{intervention.pk}",
                ))  # fmt: skip
        except CareRefused as refused:
            work.problems.append({"who": str(beneficiary), "reason": " ".join(refused.messages)})
            continue
        buyer = {
            "buyer_name": str(beneficiary), "buyer_address": beneficiary.address,
            "buyer_postcode": beneficiary.postcode, "buyer_locality": beneficiary.commune.name,
            "buyer_email": beneficiary.email,
        }  # fmt: skip
        work.drafts.append(Draft(RecipientKind.BENEFICIARY, buyer, lines, beneficiary=beneficiary,
                                 vat_category=category))  # fmt: skip
    return work


#: later sources of the month's billable work: ``(organisation, first_day) -> MonthWork`` (contracts)
WORK_SOURCES = [beneficiary_work]


def month_work(organisation, first: datetime.date) -> MonthWork:
    work = MonthWork()
    for source in WORK_SOURCES:
        found = source(organisation, first)
        work.drafts.extend(found.drafts)
        work.problems.extend(found.problems)
    return work


# --- batches --------------------------------------------------------------------------------------------------


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@transaction.atomic
def prepare_batch(*, actor, organisation, month: datetime.date) -> Batch:
    """The month's draft invoices of an organisation, for a preview: no number is taken yet. Refuses a month in
    the future, a month that already has a batch, and a month with no billable work (saying what could not be
    billed, if anything)."""
    first = first_of_month(month)
    today = timezone.localdate()
    if first > first_of_month(today):
        raise BillingRefused({"month": _("A month is billed once it has begun: choose %(month)s or earlier.")
                              % {"month": date_format(first_of_month(today), "F Y")}})  # fmt: skip
    if Batch.objects.filter(organisation=organisation, month=first).exclude(status=BatchStatus.DISCARDED).exists():
        raise BillingRefused({"month": _("%(org)s already has a batch for %(month)s: open it, or discard its "
                                         "preview first.") % {"org": organisation.display_name,
                                                              "month": date_format(first, "F Y")}})  # fmt: skip
    work = month_work(organisation, first)
    if not work.drafts:
        reasons = "; ".join(f"{p['who']}: {p['reason']}" for p in work.problems)
        message = _("There is no billable work for %(org)s in %(month)s.") % {
            "org": organisation.display_name, "month": date_format(first, "F Y")}  # fmt: skip
        if reasons:
            message = f"{message} {_('Not billable:')} {reasons}"
        raise BillingRefused({"month": message})
    batch = Batch.objects.create(organisation=organisation, month=first, created_by=actor, problems=work.problems)
    write_drafts(batch, work.drafts)
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=batch,
          detail={"invoices": len(work.drafts), "not_billed": len(work.problems)})  # fmt: skip
    return batch


def write_drafts(batch: Batch, drafts: list[Draft]) -> list[Invoice]:
    """The draft invoices and their lines, in bulk (two inserts, whatever the number of invoices)."""
    invoices = []
    for draft in drafts:
        check_vat(batch.organisation, draft.vat_category)
        net = draft.net_total
        vat = vat_amount(net, draft.vat_rate) if draft.vat_category == VatCategory.STANDARD else ZERO
        invoices.append(Invoice(
            organisation=batch.organisation, batch=batch, kind=draft.kind, beneficiary=draft.beneficiary,
            commune=draft.commune, period_start=batch.month, period_end=batch.period_end,
            vat_category=draft.vat_category, vat_rate=draft.vat_rate, net_total=net, vat_total=vat, total=net + vat,
            is_public_body=draft.is_public_body, **contract_fields(draft), **draft.buyer,
        ))  # fmt: skip
    Invoice.objects.bulk_create(invoices)
    if not all(i.pk for i in invoices):  # a backend that does not return keys: read them back
        invoices = list(Invoice.objects.filter(batch=batch).order_by("pk"))
    InvoiceLine.objects.bulk_create([
        InvoiceLine(invoice=invoice, position=n, description=line.description[:250], day=line.day,
                    quantity=line.quantity, unit=line.unit, unit_price=line.unit_price, amount=line.amount,
                    source=line.source)
        for invoice, draft in zip(invoices, drafts, strict=True) for n, line in enumerate(draft.lines, start=1)
    ])  # fmt: skip
    return invoices


def contract_fields(draft: Draft) -> dict:
    """Hook for the contract a draft bills (set by the contracts' work source)."""
    return {"contract": draft.contract} if draft.contract is not None else {}


@transaction.atomic
def issue_batch(batch: Batch, *, actor, on: datetime.date | None = None, validate_ubl: bool = True) -> Batch:
    """Issue every draft of the batch in one transaction: each takes the next number of its organisation's
    series for the year of issue. A public body's invoice is validated as a Peppol document first; one failure
    and nothing is issued, no number is spent."""
    on = on or timezone.localdate()
    batch = Batch.objects.select_for_update().select_related("organisation").get(pk=batch.pk)
    if batch.status != BatchStatus.PREVIEW:
        raise BillingRefused({"transition": _("This batch is %(status)s: only a preview is issued.")
                              % {"status": batch.get_status_display()}})  # fmt: skip
    drafts = list(
        batch.invoices.filter(status=InvoiceStatus.DRAFT).select_related("organisation").order_by("buyer_name", "pk")
    )
    if not drafts:
        raise BillingRefused({"transition": _("This batch has no invoice left to issue.")})
    for invoice in drafts:
        issue_invoice(invoice, actor=actor, on=on, validate_ubl=validate_ubl)
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.ISSUED, issued_on=on, status_changed_on=on)
    batch.refresh_from_db()
    audit(actor=actor, action=AuditEvent.Action.UPDATE, obj=batch,
          detail={"transition": "issue", "from": "preview", "to": "issued", "invoices": len(drafts)})  # fmt: skip
    return batch


def issue_invoice(invoice: Invoice, *, actor, on: datetime.date, validate_ubl: bool = True) -> Invoice:
    """Number and issue one draft (inside the caller's transaction). Refuses an invoice to a public body without
    its Peppol identifier, and (``validate_ubl``) one whose UBL breaks a rule."""
    if invoice.is_public_body and not (invoice.buyer_peppol_scheme and invoice.buyer_peppol_id):
        raise BillingRefused({"transition": _("%(who)s is a public body and receives e-invoices over Peppol: "
                                              "record its Peppol identifier (scheme and value) before issuing.")
                              % {"who": invoice.buyer_name}})  # fmt: skip
    number = INVOICES.next_number(year=on.year, organisation_id=invoice.organisation_id)
    transition(
        invoice, "issue", actor=actor, on=on, number=INVOICES.format(number, year=on.year,
                                                                     org=org_code(invoice.organisation)),
        sequence_year=on.year, sequence_number=number, issued_on=on, due_on=on + datetime.timedelta(days=PAYMENT_DAYS),
    )  # fmt: skip
    if validate_ubl and invoice.is_public_body:
        check_ubl(invoice)
    return invoice


def check_ubl(document) -> bytes:
    """The document's UBL, validated (schema and both rule sets); refuses with each failed rule in words."""
    from moulin.billing.documents import ubl_for

    xml, report = ubl_for(document)
    if not report.valid:
        raise BillingRefused({"transition": [_("%(number)s cannot be sent over Peppol: %(rule)s")
                                             % {"number": document.number, "rule": str(failure)}
                                             for failure in report.errors]})  # fmt: skip
    return xml


@transaction.atomic
def discard_batch(batch: Batch, *, actor) -> Batch:
    """Drop a preview: its drafts are kept as discarded (never numbered), the month may be prepared again."""
    batch = transition(batch, "discard", actor=actor)
    batch.invoices.filter(status=InvoiceStatus.DRAFT).update(status=InvoiceStatus.DISCARDED,
                                                             status_changed_on=timezone.localdate())  # fmt: skip
    return batch


# --- payments and credit notes --------------------------------------------------------------------------------


def _locked(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=invoice.pk)


def _settle_if_done(invoice: Invoice, *, actor, on) -> None:
    if invoice.status == InvoiceStatus.ISSUED and invoice.balance <= 0:
        transition(invoice, "settle" if invoice.paid > 0 else "credit", actor=actor, on=on)


@transaction.atomic
def record_payment(invoice: Invoice, *, actor, amount, paid_on: datetime.date, method: str,
                   reference: str = "") -> Payment:  # fmt: skip
    """Money received for an issued invoice; never above its balance. The invoice is paid when nothing is left."""
    invoice = _locked(invoice)
    amount = money(amount)
    if invoice.status not in NUMBERED_STATUSES:
        raise BillingRefused({"amount": _("Only an issued invoice is paid.")})
    if amount <= 0:
        raise BillingRefused({"amount": _("A payment is a positive amount.")})
    balance = invoice.balance
    if amount > balance:
        raise BillingRefused({"amount": _("%(amount)s EUR is more than the balance of %(number)s: %(balance)s EUR.")
                              % {"amount": amount, "number": invoice.number, "balance": balance}})  # fmt: skip
    if paid_on < invoice.issued_on:
        raise BillingRefused({"paid_on": _("The payment comes after the invoice was issued (%(day)s).")
                              % {"day": date_format(invoice.issued_on)}})  # fmt: skip
    payment = Payment(invoice=invoice, amount=amount, paid_on=paid_on, method=method, reference=reference,
                      recorded_by=actor if getattr(actor, "is_authenticated", False) else None)  # fmt: skip
    payment.full_clean()
    payment.save()
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=payment,
          detail={"invoice": invoice.number, "amount": str(amount), "method": method,
                  "balance_before": str(balance), "balance_after": str(balance - amount)})  # fmt: skip
    _settle_if_done(invoice, actor=actor, on=paid_on)
    return payment


def split_gross(gross: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """Amount without VAT and VAT of a gross amount, such that VAT = net × rate rounded (EN 16931 BR-CO-17)."""
    if not rate:
        return gross, ZERO
    guess = money(gross * 100 / (100 + rate))
    for net in (guess, guess - Decimal("0.01"), guess + Decimal("0.01")):
        if net + vat_amount(net, rate) == gross:
            return net, gross - net
    raise BillingRefused({"amount": _("%(amount)s EUR cannot be split into an amount and %(rate)s %% VAT to the "
                                      "cent: try %(other)s EUR.") % {"amount": gross, "rate": rate,
                                                                      "other": guess + vat_amount(guess, rate)}})


@transaction.atomic
def issue_credit_note(invoice: Invoice, *, actor, amount, reason: str, on: datetime.date | None = None,
                      validate_ubl: bool = True) -> CreditNote:  # fmt: skip
    """Correct an issued invoice, in part or in full: never above what remains of it (its total less the
    credit notes already issued). Numbered in the organisation's credit-note series."""
    on = on or timezone.localdate()
    invoice = _locked(invoice)
    amount = money(amount)
    if invoice.status not in NUMBERED_STATUSES:
        raise BillingRefused({"amount": _("Only an issued invoice is credited; a draft is simply discarded.")})
    if not reason.strip():
        raise BillingRefused({"reason": _("Say why the invoice is corrected.")})
    if amount <= 0:
        raise BillingRefused({"amount": _("A credit note credits a positive amount.")})
    remaining = invoice.remaining
    if amount > remaining:
        raise BillingRefused({"amount": _("%(amount)s EUR is more than what remains of %(number)s: %(remaining)s "
                                          "EUR.") % {"amount": amount, "number": invoice.number,
                                                     "remaining": remaining}})  # fmt: skip
    if on < invoice.issued_on:
        raise BillingRefused({"amount": _("A credit note comes after its invoice (%(day)s).")
                              % {"day": date_format(invoice.issued_on)}})  # fmt: skip
    if amount == remaining:
        net = invoice.net_total - invoice.credited_net
        vat = amount - net
    else:
        net, vat = split_gross(amount, invoice.vat_rate if invoice.vat_category == VatCategory.STANDARD else ZERO)
    number = CREDIT_NOTES.next_number(year=on.year, organisation_id=invoice.organisation_id)
    note = CreditNote(
        organisation_id=invoice.organisation_id, invoice=invoice, issued_on=on, reason=reason.strip(),
        net_total=net, vat_total=vat, total=amount, sequence_year=on.year, sequence_number=number,
        number=CREDIT_NOTES.format(number, year=on.year, org=org_code(invoice.organisation)),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    note.full_clean()
    note.save()
    if validate_ubl and invoice.is_public_body:
        check_ubl(note)
    audit(actor=actor, action=AuditEvent.Action.CREATE, obj=note,
          detail={"invoice": invoice.number, "amount": str(amount), "reason": note.reason,
                  "remaining_before": str(remaining), "remaining_after": str(remaining - amount)})  # fmt: skip
    _settle_if_done(invoice, actor=actor, on=on)
    return note


# --- reminders ------------------------------------------------------------------------------------------------


def reminders_due(on: datetime.date):
    """Overdue invoices with a balance, whose last reminder (if any) is at least two weeks old, at most three."""
    invoices = Invoice.objects.overdue(on).with_balance().filter(balance_due__gt=0).select_related("organisation")
    last = defaultdict(lambda: (0, None))
    for invoice_id, level, sent_on in Reminder.objects.filter(invoice__in=invoices).values_list(
        "invoice_id", "level", "sent_on"
    ):
        if level > last[invoice_id][0]:
            last[invoice_id] = (level, sent_on)
    due = []
    for invoice in invoices.order_by("due_on", "pk"):
        level, sent_on = last[invoice.pk]
        if level >= MAX_REMINDERS:
            continue
        if sent_on is not None and (on - sent_on).days < REMINDER_EVERY_DAYS:
            continue
        due.append((invoice, level + 1))
    return due


def record_reminder(invoice: Invoice, *, level: int, on: datetime.date) -> Reminder:
    reminder = Reminder.objects.create(invoice=invoice, level=level, sent_on=on, email=invoice.buyer_email,
                                       balance=invoice.balance)  # fmt: skip
    audit(actor=None, action=AuditEvent.Action.CREATE, obj=reminder,
          detail={"invoice": invoice.number, "level": level, "email": bool(invoice.buyer_email)})  # fmt: skip
    return reminder


# --- figures --------------------------------------------------------------------------------------------------


def invoice_figures(invoices) -> dict:
    """Totals of a set of invoices (already read through the policy)."""
    from django.db.models import Count, Sum

    rows = invoices.numbered().with_balance()
    totals = rows.aggregate(n=Count("pk"), total=Sum("total"), paid=Sum("paid_sum"), credited=Sum("credited_sum"))
    overdue = invoices.overdue().count()
    total = money(totals["total"])
    paid, credited = money(totals["paid"]), money(totals["credited"])
    return {"count": totals["n"] or 0, "total": total, "paid": paid, "credited": credited,
            "balance": total - paid - credited, "overdue": overdue}  # fmt: skip
