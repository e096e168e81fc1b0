"""Demo step: two years of monthly invoices of every organisation — to beneficiaries (their completed care
interventions × their social tariff) and to the counterparties of their contracts (by each contract's billing
rule) — with the payments that followed, a few credit notes, overdue invoices and their reminders.

The month's work comes from the same functions a real batch uses (``services.month_work``); everything is then
written in bulk, numbered in order of issue per organisation and year, and the counters are advanced to follow
(``advance_to``). The last complete month is left unbilled (the next batch to prepare) and the month before it
is still partly unpaid."""

import datetime
from collections import defaultdict
from decimal import Decimal

from moulin.billing import services
from moulin.billing.enums import BatchStatus, InvoiceStatus, PaymentMethod, VatCategory
from moulin.billing.models import Batch, CreditNote, Invoice, InvoiceLine, Payment, Reminder, money, month_end
from moulin.core.calendar import is_public_holiday
from moulin.organisations.models import Organisation
from moulin.sequences.services import advance_to

MONTHS = 24
CREDIT_REASONS = [
    "Hours billed twice for the same visit: corrected.",
    "The social tariff band was updated after a new proof of income.",
    "Intervention cancelled on the day: not due.",
    "Agreed reduction after a complaint about the delay.",
]


def working_day(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5 or is_public_holiday(day):
        day += datetime.timedelta(days=1)
    return day


def previous_month(first: datetime.date) -> datetime.date:
    return (first - datetime.timedelta(days=1)).replace(day=1)


def generate(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    unbilled = previous_month(today.replace(day=1))
    months = [unbilled]
    for _n in range(MONTHS):
        months.append(previous_month(months[-1]))
    months = sorted(months[1:])
    organisations = list(Organisation.objects.filter(is_active=True).order_by("pk"))

    from moulin.care.services import organisation_bands

    # the work of every month, read once: the same drafts a batch makes (services.beneficiary_drafts, contract_drafts)
    by_org_month = defaultdict(list)
    for intervention in services.completed_interventions([o.pk for o in organisations], months[0],
                                                         month_end(months[-1])):  # fmt: skip
        by_org_month[(intervention.request.organisation_id, intervention.completed_on.replace(day=1))].append(
            intervention
        )
    contracts_of = defaultdict(list)
    for contract in services.running_contracts([o.pk for o in organisations], months[0], month_end(months[-1])):
        contracts_of[contract.organisation_id].append(contract)
    batches, drafts_by_batch = [], {}
    for organisation in organisations:
        bands = organisation_bands(organisation.pk)
        for first in months:
            work = services.beneficiary_drafts(organisation, by_org_month.get((organisation.pk, first), []),
                                               bands=bands)  # fmt: skip
            contract_work = services.contract_drafts(contracts_of.get(organisation.pk, []), first)
            work.drafts += contract_work.drafts
            work.problems += contract_work.problems
            if not work.drafts:
                continue
            issued_on = working_day(month_end(first) + datetime.timedelta(days=rng.randint(2, 6)))
            if issued_on > today:
                continue
            batch = Batch(organisation=organisation, month=first, status=BatchStatus.ISSUED, issued_on=issued_on,
                          status_changed_on=issued_on, problems=work.problems)  # fmt: skip
            batches.append(batch)
            drafts_by_batch[id(batch)] = work.drafts
    Batch.objects.bulk_create(batches)

    invoices, lines_for, numbering = [], [], []
    counters = defaultdict(int)
    for batch in sorted(batches, key=lambda b: (b.issued_on, b.organisation_id)):
        code = services.org_code(batch.organisation)
        for draft in sorted(drafts_by_batch[id(batch)], key=lambda d: d.buyer["buyer_name"]):
            if draft.vat_category in (VatCategory.STANDARD, VatCategory.EXEMPT) and not batch.organisation.vat_number:
                continue
            key = (batch.organisation_id, batch.issued_on.year)
            counters[key] += 1
            net = draft.net_total
            standard = draft.vat_category == VatCategory.STANDARD
            vat = services.vat_amount(net, draft.vat_rate) if standard else Decimal(0)
            invoice = Invoice(
                organisation_id=batch.organisation_id, batch=batch, kind=draft.kind, beneficiary=draft.beneficiary,
                contract=draft.contract, commune=draft.commune, period_start=batch.month,
                period_end=month_end(batch.month), vat_category=draft.vat_category, vat_rate=draft.vat_rate,
                net_total=net, vat_total=vat, total=net + vat, is_public_body=draft.is_public_body,
                status=InvoiceStatus.DRAFT, **draft.buyer,
            )  # fmt: skip
            numbering.append({
                "number": services.INVOICES.format(counters[key], year=key[1], org=code), "sequence_year": key[1],
                "sequence_number": counters[key], "issued_on": batch.issued_on, "status": InvoiceStatus.ISSUED,
                "due_on": batch.issued_on + datetime.timedelta(days=services.PAYMENT_DAYS),
                "status_changed_on": batch.issued_on,
            })  # fmt: skip
            invoices.append(invoice)
            lines_for.append(draft.lines)
    Invoice.objects.bulk_create(invoices, batch_size=500)
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=invoice,
                position=n,
                description=line.description[:250],
                day=line.day,
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                amount=line.amount,
                source=line.source,
            )  # fmt: skip
            for invoice, lines in zip(invoices, lines_for, strict=True)
            for n, line in enumerate(lines, start=1)
        ],
        batch_size=1000,
    )
    # numbered once their lines are written (the database refuses a line added to an issued invoice)
    for invoice, fields in zip(invoices, numbering, strict=True):
        for name, value in fields.items():
            setattr(invoice, name, value)
    Invoice.objects.bulk_update(invoices, list(numbering[0]) if numbering else ["status"], batch_size=300)

    payments, notes, reminders, settled = [], [], [], {}
    note_counters = defaultdict(int)
    for invoice in invoices:
        age = (today - invoice.issued_on).days
        credited = Decimal(0)
        roll = rng.random()
        if roll < 0.02 and age > 20:  # a partial credit note
            credited = money(invoice.total * Decimal(rng.choice(["0.1", "0.25", "0.5"])))
        elif roll < 0.03 and age > 20:  # credited in full
            credited = invoice.total
        if credited > 0:
            day = invoice.issued_on + datetime.timedelta(days=rng.randint(3, 20))
            key = (invoice.organisation_id, day.year)
            note_counters[key] += 1
            rate = invoice.vat_rate if invoice.vat_category == VatCategory.STANDARD else Decimal(0)
            if credited == invoice.total:
                net, vat = invoice.net_total, invoice.vat_total
            else:
                try:
                    net, vat = services.split_gross(credited, rate)
                except services.BillingRefused:
                    net = money(credited * 100 / (100 + rate))
                    vat = services.vat_amount(net, rate)
                    credited = net + vat
            notes.append(CreditNote(
                organisation_id=invoice.organisation_id, invoice=invoice, issued_on=day,
                reason=rng.choice(CREDIT_REASONS), net_total=net, vat_total=vat, total=credited,
                sequence_year=key[1], sequence_number=note_counters[key],
                number=services.CREDIT_NOTES.format(note_counters[key], year=key[1],
                                                    org=services.org_code(invoice.organisation)),
            ))  # fmt: skip
        due = invoice.total - credited
        if due <= 0:
            settled[invoice.pk] = InvoiceStatus.CREDITED
            continue
        pays = rng.random() < (0.94 if age > 60 else 0.5 if age > 25 else 0.2)
        if pays:
            day = invoice.issued_on + datetime.timedelta(days=rng.randint(4, 40))
            if day > today:
                day = today
            method = (PaymentMethod.TRANSFER if invoice.contract_id else
                      rng.choices([PaymentMethod.TRANSFER, PaymentMethod.DIRECT_DEBIT, PaymentMethod.CASH],
                                  weights=[60, 30, 10])[0])  # fmt: skip
            reference = invoice.number if method != PaymentMethod.CASH else ""
            payments.append(Payment(invoice=invoice, paid_on=day, amount=due, method=method, reference=reference))
            settled[invoice.pk] = InvoiceStatus.PAID
        elif invoice.due_on < today:
            for level, after in enumerate((7, 21, 35), start=1):
                day = invoice.due_on + datetime.timedelta(days=after)
                if day <= today:
                    reminders.append(Reminder(invoice=invoice, level=level, sent_on=day, email=invoice.buyer_email,
                                              balance=due))  # fmt: skip
    CreditNote.objects.bulk_create(notes, batch_size=500)
    Payment.objects.bulk_create(payments, batch_size=1000)
    Reminder.objects.bulk_create(reminders, batch_size=1000)
    for status in (InvoiceStatus.PAID, InvoiceStatus.CREDITED):
        ids = [pk for pk, s in settled.items() if s == status]
        for start in range(0, len(ids), 500):
            Invoice.objects.filter(pk__in=ids[start : start + 500]).update(status=status)
    for (organisation_id, year), last in counters.items():
        advance_to(services.INVOICES, organisation_id=organisation_id, year=year, last=last)
    for (organisation_id, year), last in note_counters.items():
        advance_to(services.CREDIT_NOTES, organisation_id=organisation_id, year=year, last=last)
    ctx.store["billing"] = {"invoices": len(invoices), "payments": len(payments), "credit_notes": len(notes)}
