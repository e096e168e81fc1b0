"""Peppol BIS Billing 3.0 UBL: the official examples keep passing and the negative one keeps failing; every
document Moulin makes — invoices and credit notes in VAT categories S, E and O, and every one the demo holds —
passes the UBL 2.1 schema and both rule sets (EN 16931, Peppol)."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from moulin.billing import documents, services, validation
from moulin.billing.enums import VatCategory
from moulin.billing.models import BillingRefused, CreditNote, Invoice
from moulin.contracts.enums import CounterpartyKind
from moulin.contracts.models import Counterparty
from tests.billing.conftest import add_contract, add_public_body
from tests.factories import OrganisationFactory

EXAMPLES = Path(__file__).parent / "peppol_examples"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"


@pytest.mark.parametrize("name", ["peppol-base-example.xml", "peppol-base-creditnote-correction.xml",
                                  "peppol-vat-category-E.xml"])  # fmt: skip
def test_the_official_examples_pass(name):
    report = validation.validate((EXAMPLES / name).read_bytes())
    assert report.valid, [str(f) for f in report.errors]


def test_the_negative_example_fails_the_peppol_rules_only():
    report = validation.validate((EXAMPLES / "cen-ubl-tc434-example1.xml").read_bytes())
    codes = {f.code for f in report.errors}
    assert {"PEPPOL-EN16931-R001", "PEPPOL-EN16931-R003", "PEPPOL-EN16931-R010", "PEPPOL-EN16931-R020"} <= codes
    assert {f.rule_set for f in report.errors} <= {"Peppol BIS Billing 3.0"}
    assert all(f.message for f in report.errors)


def _without(name, tag):
    tree = etree.fromstring((EXAMPLES / name).read_bytes())
    element = tree.find(f"{CBC}{tag}")
    element.getparent().remove(element)
    return etree.tostring(tree)


def test_a_broken_document_names_its_rules_in_words():
    no_date = validation.validate(_without("peppol-base-example.xml", "IssueDate"))
    assert not no_date.valid and {f.code for f in no_date.errors} == {"XSD"}
    no_reference = validation.validate(_without("peppol-base-example.xml", "BuyerReference"))
    failed = {f.code: f.message for f in no_reference.errors}
    assert "buyer reference or purchase order reference MUST be provided" in failed["PEPPOL-EN16931-R003"]


def _issued(org, party, month, actor, **contract):
    add_contract(org, party, **contract)
    batch = services.prepare_batch(actor=actor, organisation=org, month=month)
    services.issue_batch(batch, actor=actor, on=month + datetime.timedelta(days=35))
    return Invoice.objects.get(batch=batch)


def _assert_valid(document):
    xml, report = documents.ubl_for(document)
    assert report.valid, [str(f) for f in report.errors]
    return etree.fromstring(xml)


@pytest.mark.parametrize("category", ["E", "O", "S"])
def test_invoices_and_credit_notes_of_each_vat_category_pass(category, month, demo_user):
    actor = demo_user("staff")
    org = OrganisationFactory(vat_number="" if category == "O" else "LU15027442", email="compta@test.lu")
    if category == "S":
        party = Counterparty.objects.create(name="Clinique privée SA", kind=CounterpartyKind.PRIVATE,
                                            address="1, rue de la Santé", postcode="L-1210", locality="Luxembourg",
                                            vat_number="LU20260743", peppol_scheme="9938",
                                            peppol_id="LU20260743")  # fmt: skip
    else:
        party = add_public_body(f"Syndicat {category}")
    invoice = _issued(org, party, month, actor, amount="1234.56")
    assert invoice.vat_category == category
    tree = _assert_valid(invoice)
    assert tree.findtext(f".//{CBC}ID") == invoice.number
    if category == "S":
        assert invoice.vat_total == services.vat_amount(invoice.net_total, Decimal("17"))
    partial = services.issue_credit_note(invoice, actor=actor, amount="33.93", reason="Correction of one visit",
                                         on=invoice.issued_on)  # fmt: skip
    _assert_valid(partial)
    rest = services.issue_credit_note(invoice, actor=actor, amount=invoice.remaining, reason="Cancelled",
                                      on=invoice.issued_on)  # fmt: skip
    tree = _assert_valid(rest)
    assert tree.tag.endswith("CreditNote")


def test_an_invoice_that_breaks_a_rule_is_refused_with_the_rule_code(org, month, demo_user):
    actor = demo_user("staff")
    add_contract(org, add_public_body())
    batch = services.prepare_batch(actor=actor, organisation=org, month=month)
    Invoice.objects.filter(batch=batch).update(buyer_peppol_scheme="9999")
    with pytest.raises(BillingRefused) as refused:
        services.issue_batch(batch, actor=actor, on=month + datetime.timedelta(days=35))
    assert any("[BR-CL-25]" in m or "[PEPPOL-" in m for m in refused.value.messages), refused.value.messages
    assert not Invoice.objects.filter(batch=batch).exclude(number="").exists()


def test_every_e_invoice_of_the_demo_passes():
    invoices = list(Invoice.objects.numbered().filter(buyer_peppol_id__gt="").select_related("organisation"))
    notes = list(CreditNote.objects.filter(invoice__in=invoices).select_related("invoice__organisation"))
    assert invoices, "the demo holds invoices to public bodies"
    categories = {i.vat_category for i in invoices}
    assert VatCategory.EXEMPT in categories
    for document in invoices + notes:
        _assert_valid(document)
