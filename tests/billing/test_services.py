"""Billing as the people who bill notice it: a month's batch previewed then issued with gapless numbers, drafts
that take no number, issued invoices that never change, payments and credit notes within what is owed, and the
bad inputs refused with nothing half-written."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import DatabaseError, connection, transaction

from moulin.billing import services
from moulin.billing.enums import BatchStatus, InvoiceStatus, PaymentMethod, VatCategory
from moulin.billing.models import Batch, BillingRefused, CreditNote, Invoice, InvoiceLine, Payment, Reminder
from moulin.contracts.enums import BillingRule
from moulin.core.models import AuditEvent
from moulin.sequences.services import last_number
from tests.billing.conftest import add_beneficiary, add_contract, add_intervention, add_public_body


def prepare(org, month, actor):
    return services.prepare_batch(actor=actor, organisation=org, month=month)


def issue_day(month):
    return month.replace(day=28) + datetime.timedelta(days=6)


def test_a_batch_is_previewed_without_numbers_then_issued_with_gapless_numbers(org, care_work, public_contract,
                                                                                month, demo_user):  # fmt: skip
    actor = demo_user("staff")
    batch = prepare(org, month, actor)
    drafts = list(batch.invoices.order_by("buyer_name"))
    assert [i.status for i in drafts] == [InvoiceStatus.DRAFT] * 2
    assert all(i.number == "" for i in drafts)
    assert last_number(services.INVOICES, organisation_id=org.pk, year=issue_day(month).year) == 0
    care = next(i for i in drafts if i.beneficiary_id)
    assert care.net_total == Decimal("50.00")  # (2.5 + 1.5) h × 12.50
    assert care.vat_category == VatCategory.EXEMPT and care.vat_total == 0
    lump = next(i for i in drafts if i.contract_id)
    assert lump.total == Decimal("2000.00") and lump.is_public_body

    services.issue_batch(batch, actor=actor, on=issue_day(month))
    issued = list(Invoice.objects.filter(batch=batch).order_by("sequence_number"))
    year = issue_day(month).year
    assert [i.sequence_number for i in issued] == [1, 2]
    assert all(re.fullmatch(rf"{services.org_code(org)}-{year}-0000[12]", i.number) for i in issued)
    assert all(i.due_on == issue_day(month) + datetime.timedelta(days=30) for i in issued)
    assert Batch.objects.get(pk=batch.pk).status == BatchStatus.ISSUED
    moves = AuditEvent.objects.filter(object_type="billing.invoice", detail__transition="issue",
                                      detail__organisation=org.pk)  # fmt: skip
    assert moves.count() == 2 and moves.filter(detail__money=True).count() == 2


def test_the_same_month_is_not_billed_twice(org, care_work, month, demo_user):
    prepare(org, month, demo_user("staff"))
    with pytest.raises(BillingRefused, match="already has a batch"):
        prepare(org, month, demo_user("staff"))


def test_a_month_without_billable_work_is_refused(org, month, demo_user):
    with pytest.raises(BillingRefused, match="no billable work"):
        prepare(org, month, demo_user("staff"))
    assert not Batch.objects.filter(organisation=org).exists()


def test_a_beneficiary_without_proof_of_income_is_not_billed_and_the_preview_says_why(org, service, tariff, month,
                                                                                       demo_user):  # fmt: skip
    billed = add_beneficiary(org, last_name="Proven")
    unproven = add_beneficiary(org, last_name="Unproven", proof="")
    add_intervention(billed, service, month + datetime.timedelta(days=3))
    add_intervention(unproven, service, month + datetime.timedelta(days=3))
    batch = prepare(org, month, demo_user("staff"))
    assert list(batch.invoices.values_list("beneficiary", flat=True)) == [billed.pk]
    assert batch.problems == [{"who": str(unproven), "reason": unproven.income_problem(month)}]
    assert "has no proof" in batch.problems[0]["reason"]


def test_only_unproven_work_is_refused_with_the_tariff_message(org, service, tariff, month, demo_user):
    unproven = add_beneficiary(org, proof="")
    add_intervention(unproven, service, month + datetime.timedelta(days=3))
    with pytest.raises(BillingRefused, match="has no proof"):
        prepare(org, month, demo_user("staff"))


def test_a_public_body_without_its_peppol_identifier_is_refused(org, month, demo_user):
    add_contract(org, add_public_body("Office social sans Peppol", peppol=False))
    with pytest.raises(BillingRefused, match="record its Peppol identifier"):
        prepare(org, month, demo_user("staff"))
    assert not Invoice.objects.filter(organisation=org).exists()


def test_a_failed_batch_consumes_no_number(org, care_work, public_contract, month, demo_user):
    """The public body loses its Peppol identifier between preview and issue: the batch refuses as a whole, the
    care invoice issued before it in the same transaction rolls back with its number."""
    actor = demo_user("staff")
    batch = prepare(org, month, actor)
    Invoice.objects.filter(batch=batch, contract__isnull=False).update(buyer_peppol_id="", buyer_peppol_scheme="")
    year = issue_day(month).year
    with pytest.raises(BillingRefused, match="Peppol identifier"):
        services.issue_batch(batch, actor=actor, on=issue_day(month))
    assert last_number(services.INVOICES, organisation_id=org.pk, year=year) == 0
    assert not Invoice.objects.filter(batch=batch).exclude(number="").exists()
    assert Batch.objects.get(pk=batch.pk).status == BatchStatus.PREVIEW
    Invoice.objects.filter(batch=batch, contract__isnull=False).update(buyer_peppol_id="9123456789",
                                                                       buyer_peppol_scheme="0240")  # fmt: skip
    services.issue_batch(batch, actor=actor, on=issue_day(month))
    assert sorted(Invoice.objects.filter(batch=batch).values_list("sequence_number", flat=True)) == [1, 2]


def test_a_discarded_preview_takes_no_number_and_frees_the_month(org, care_work, month, demo_user):
    actor = demo_user("staff")
    batch = prepare(org, month, actor)
    services.discard_batch(batch, actor=actor)
    assert set(Invoice.objects.filter(batch=batch).values_list("status", flat=True)) == {InvoiceStatus.DISCARDED}
    again = prepare(org, month, actor)
    services.issue_batch(again, actor=actor, on=issue_day(month))
    assert Invoice.objects.get(batch=again).sequence_number == 1


@pytest.fixture
def issued(org, care_work, public_contract, month, demo_user):
    batch = prepare(org, month, demo_user("staff"))
    services.issue_batch(batch, actor=demo_user("staff"), on=issue_day(month))
    return {i.kind: i for i in Invoice.objects.filter(batch=batch)}


def test_an_issued_invoice_never_changes(issued):
    invoice = issued["contract"]
    invoice.total = invoice.net_total = Decimal("1.00")
    with pytest.raises(BillingRefused, match="never changed"):
        invoice.save()
    with pytest.raises(BillingRefused):
        invoice.delete()


def test_the_database_refuses_to_change_an_issued_invoice_its_lines_or_a_payment(issued, demo_user):
    invoice = issued["beneficiary"]
    for statement in [
        f"UPDATE billing_invoice SET total = 1, net_total = 1 WHERE id = {invoice.pk}",
        f"DELETE FROM billing_invoice WHERE id = {invoice.pk}",
        f"UPDATE billing_invoiceline SET amount = 1 WHERE invoice_id = {invoice.pk}",
    ]:
        with pytest.raises(Exception, match="never changed"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    payment = services.record_payment(invoice, actor=demo_user("staff"), amount="10", paid_on=invoice.issued_on,
                                      method=PaymentMethod.CASH)  # fmt: skip
    with pytest.raises(Exception, match="never changed"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE billing_payment SET amount = 1 WHERE id = {payment.pk}")
    assert InvoiceLine.objects.filter(invoice=invoice, amount=1).count() == 0


def test_payments_up_to_the_balance_then_the_invoice_is_paid(issued, demo_user):
    invoice = issued["beneficiary"]
    actor = demo_user("staff")
    services.record_payment(invoice, actor=actor, amount="20.00", paid_on=invoice.issued_on,
                            method=PaymentMethod.CASH)  # fmt: skip
    with pytest.raises(BillingRefused, match=r"more than the balance of .*: 30.00 EUR"):
        services.record_payment(invoice, actor=actor, amount="30.01", paid_on=invoice.issued_on,
                                method=PaymentMethod.TRANSFER)  # fmt: skip
    assert Payment.objects.filter(invoice=invoice).count() == 1
    services.record_payment(invoice, actor=actor, amount="30", paid_on=invoice.issued_on,
                            method=PaymentMethod.DIRECT_DEBIT)  # fmt: skip
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.balance == 0
    event = AuditEvent.objects.filter(object_type="billing.payment", detail__money=True).latest("pk")
    assert event.detail["before"] == {"balance": "30.00"} and event.detail["after"]["balance"] == "0.00"


def test_credit_notes_never_above_what_remains(issued, demo_user):
    invoice = issued["contract"]
    actor = demo_user("staff")
    first = services.issue_credit_note(invoice, actor=actor, amount="500", reason="One month not worked",
                                       on=invoice.issued_on)  # fmt: skip
    assert first.number == f"{services.org_code(invoice.organisation)}-AV-{invoice.issued_on.year}-0001"
    with pytest.raises(BillingRefused, match=r"more than what remains of .*: 1500.00 EUR"):
        services.issue_credit_note(invoice, actor=actor, amount="1500.01", reason="Too much", on=invoice.issued_on)
    assert CreditNote.objects.filter(invoice=invoice).count() == 1
    services.issue_credit_note(invoice, actor=actor, amount="1500", reason="Contract suspended", on=invoice.issued_on)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CREDITED and invoice.remaining == 0 and invoice.balance == 0
    assert last_number(services.CREDIT_NOTES, organisation_id=invoice.organisation_id,
                       year=invoice.issued_on.year) == 2  # fmt: skip


def test_a_draft_is_neither_paid_nor_credited(org, care_work, month, demo_user):
    draft = prepare(org, month, demo_user("staff")).invoices.get()
    with pytest.raises(BillingRefused):
        services.record_payment(draft, actor=None, amount="1", paid_on=month, method=PaymentMethod.CASH)
    with pytest.raises(BillingRefused):
        services.issue_credit_note(draft, actor=None, amount="1", reason="x")


def test_standard_rate_for_a_private_contract_splits_the_vat(org, month, demo_user):
    from moulin.contracts.enums import CounterpartyKind
    from moulin.contracts.models import Counterparty

    private = Counterparty.objects.create(
        name="Garage Muller SARL",
        kind=CounterpartyKind.PRIVATE,
        address="3, rue du Fort",
        postcode="L-1111",
        locality="Luxembourg",
    )
    add_contract(org, private, amount="1200")
    invoice = prepare(org, month, demo_user("staff")).invoices.get()
    assert (invoice.vat_category, invoice.vat_rate) == (VatCategory.STANDARD, Decimal("17.00"))
    assert (invoice.net_total, invoice.vat_total, invoice.total) == (Decimal("100.00"), Decimal("17.00"),
                                                                     Decimal("117.00"))  # fmt: skip
    assert services.split_gross(Decimal("58.50"), Decimal("17")) == (Decimal("50.00"), Decimal("8.50"))


def test_per_hour_and_per_intervention_contracts_bill_the_month_s_work(month):
    from moulin.fieldwork.models import TimeEntry
    from moulin.organisations.models import Organisation
    from tests.picking import pick

    entry = pick(TimeEntry.objects.filter(work_order__isnull=False).order_by("-date"), "time entry on a work order")
    org = Organisation.objects.get(pk=entry.work_order.site.project.organisation_id)
    first = entry.date.replace(day=1)
    party = add_public_body("Syndicat des heures")
    per_hour = add_contract(org, party, rule=BillingRule.PER_HOUR, amount=None, rate="30", month=first)
    lines = services.contract_lines(per_hour, first)
    hours = TimeEntry.objects.filter(work_order__site__project__organisation=org, date__gte=first,
                                     date__lte=services.month_end(first)).hours()  # fmt: skip
    assert sum(line.quantity for line in lines) == hours > 0
    assert all(line.unit_price == Decimal("30.00") for line in lines)
    per_visit = add_contract(org, add_public_body("Syndicat des visites"), rule=BillingRule.PER_INTERVENTION,
                             amount=None, rate="45", month=first)  # fmt: skip
    assert sum(line.quantity for line in services.contract_lines(per_visit, first)) > 0


def test_overdue_invoices_are_reminded_by_email_in_the_recipient_language(issued, demo_user):
    from moulin.billing.tasks import send_overdue_reminders

    invoice = issued["beneficiary"]
    Invoice.objects.filter(pk=invoice.pk).update(buyer_language="de")
    day = invoice.due_on + datetime.timedelta(days=1)
    mail.outbox.clear()
    result = send_overdue_reminders(on=day)
    sent = [m for m in mail.outbox if invoice.number in m.body]
    assert len(sent) == 1 and sent[0].to == ["berthe@example.lu"]
    assert invoice.number in sent[0].subject
    assert invoice.due_on.strftime("%Y") in sent[0].body
    german = {1: "Januar", 2: "Februar", 3: "März", 4: "April", 5: "Mai", 6: "Juni", 7: "Juli", 8: "August",
              9: "September", 10: "Oktober", 11: "November", 12: "Dezember"}  # fmt: skip
    assert german[invoice.due_on.month] in sent[0].body  # rendered in German
    assert Reminder.objects.filter(invoice=invoice, level=1).exists()
    assert "reminders" in result
    send_overdue_reminders(on=day + datetime.timedelta(days=3))  # too early for the second one
    assert Reminder.objects.filter(invoice=invoice).count() == 1


def test_no_line_is_added_to_an_issued_invoice(issued):
    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        InvoiceLine.objects.create(invoice=issued["beneficiary"], description="x", quantity=1, unit_price=1, amount=1)
