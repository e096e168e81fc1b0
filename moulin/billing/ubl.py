"""Peppol BIS Billing 3.0 (EN 16931) UBL 2.1 documents for public bodies: an invoice, or a credit note that
corrects one. Built with lxml from the frozen invoice (never from live records), validated by
``validation.validate`` before anyone downloads it.

VAT categories (UNCL 5305): ``S`` standard rate (the seller's VAT number, the rate on each line), ``E`` exempt
under art. 44 of the Luxembourg VAT law (rate 0, an exemption reason: Directive 2006/112/EC art. 132(1)(g),
social welfare) and ``O`` outside the scope of VAT (no VAT number at all, no rate).
"""

from decimal import Decimal

from lxml import etree

from moulin.billing.enums import VatCategory
from moulin.billing.models import CreditNote, Invoice

CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ROOTS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
CURRENCY = "EUR"
#: the exemption of social services (art. 44 of the law of 12 February 1979 transposes art. 132(1)(g))
EXEMPTION_CODE = {VatCategory.EXEMPT: "VATEX-EU-132-1G", VatCategory.NOT_SUBJECT: "VATEX-EU-O"}
EXEMPTION_TEXT = {
    VatCategory.EXEMPT: "Exonération de TVA, article 44, paragraphe 1er, de la loi modifiée du 12 février 1979 "
    "concernant la taxe sur la valeur ajoutée",
    VatCategory.NOT_SUBJECT: "Non assujetti à la TVA",
}
#: Peppol participant schemes of the issuing organisation: its VAT number, else its register number
SELLER_VAT_SCHEME, SELLER_REGISTER_SCHEME = "9938", "0240"


def amount(value) -> str:
    return f"{Decimal(value):.2f}"


def quantity(value) -> str:
    return f"{Decimal(value).normalize():f}"


class Builder:
    def __init__(self, root: str):
        self.root = etree.Element(f"{{{ROOTS[root]}}}{root}", nsmap={None: ROOTS[root], "cac": CAC, "cbc": CBC})

    def cbc(self, parent, name, text, **attrs):
        element = etree.SubElement(parent, f"{{{CBC}}}{name}", **attrs)
        element.text = str(text)
        return element

    def cac(self, parent, name):
        return etree.SubElement(parent, f"{{{CAC}}}{name}")

    def money(self, parent, name, value):
        return self.cbc(parent, name, amount(value), currencyID=CURRENCY)

    def bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def seller_endpoint(organisation) -> tuple[str, str]:
    if organisation.vat_number:
        return SELLER_VAT_SCHEME, organisation.vat_number
    return SELLER_REGISTER_SCHEME, organisation.legal_number


def _address(b, party, *, street, postcode, city, country):
    address = b.cac(party, "PostalAddress")
    b.cbc(address, "StreetName", street)
    if city:
        b.cbc(address, "CityName", city)
    if postcode:
        b.cbc(address, "PostalZone", postcode)
    b.cbc(b.cac(address, "Country"), "IdentificationCode", country)


def _tax_category(b, parent, name, invoice, *, with_reason):
    category = b.cac(parent, name)
    b.cbc(category, "ID", invoice.vat_category)
    if invoice.vat_category != VatCategory.NOT_SUBJECT:
        b.cbc(category, "Percent", amount(invoice.vat_rate))
    if with_reason and invoice.vat_category in EXEMPTION_CODE:
        b.cbc(category, "TaxExemptionReasonCode", EXEMPTION_CODE[invoice.vat_category])
        b.cbc(category, "TaxExemptionReason", EXEMPTION_TEXT[invoice.vat_category])
    b.cbc(b.cac(category, "TaxScheme"), "ID", "VAT")


def _parties(b, invoice: Invoice):
    organisation = invoice.organisation
    supplier = b.cac(b.cac(b.root, "AccountingSupplierParty"), "Party")
    scheme, value = seller_endpoint(organisation)
    b.cbc(supplier, "EndpointID", value, schemeID=scheme)
    b.cbc(b.cac(supplier, "PartyName"), "Name", organisation.name)
    _address(b, supplier, street=organisation.address, postcode=organisation.postcode,
             city=organisation.locality, country="LU")  # fmt: skip
    if organisation.vat_number and invoice.vat_category != VatCategory.NOT_SUBJECT:
        tax = b.cac(supplier, "PartyTaxScheme")
        b.cbc(tax, "CompanyID", organisation.vat_number)
        b.cbc(b.cac(tax, "TaxScheme"), "ID", "VAT")
    legal = b.cac(supplier, "PartyLegalEntity")
    b.cbc(legal, "RegistrationName", organisation.name)
    b.cbc(legal, "CompanyID", organisation.legal_number)
    if organisation.email:
        contact = b.cac(supplier, "Contact")
        b.cbc(contact, "ElectronicMail", organisation.email)

    customer = b.cac(b.cac(b.root, "AccountingCustomerParty"), "Party")
    b.cbc(customer, "EndpointID", invoice.buyer_peppol_id, schemeID=invoice.buyer_peppol_scheme)
    b.cbc(b.cac(customer, "PartyName"), "Name", invoice.buyer_name)
    _address(b, customer, street=invoice.buyer_address, postcode=invoice.buyer_postcode,
             city=invoice.buyer_locality, country=invoice.buyer_country)  # fmt: skip
    if invoice.buyer_vat_number and invoice.vat_category != VatCategory.NOT_SUBJECT:
        tax = b.cac(customer, "PartyTaxScheme")
        b.cbc(tax, "CompanyID", invoice.buyer_vat_number)
        b.cbc(b.cac(tax, "TaxScheme"), "ID", "VAT")
    b.cbc(b.cac(customer, "PartyLegalEntity"), "RegistrationName", invoice.buyer_name)


def _payment_means(b, invoice: Invoice, reference: str):
    means = b.cac(b.root, "PaymentMeans")
    b.cbc(means, "PaymentMeansCode", "30")
    b.cbc(means, "PaymentID", reference)
    account = b.cac(means, "PayeeFinancialAccount")
    b.cbc(account, "ID", invoice.organisation.iban.replace(" ", ""))
    b.cbc(account, "Name", invoice.organisation.name)
    if invoice.organisation.bic:
        b.cbc(b.cac(account, "FinancialInstitutionBranch"), "ID", invoice.organisation.bic)


def _totals(b, invoice: Invoice, net, vat):
    tax_total = b.cac(b.root, "TaxTotal")
    b.money(tax_total, "TaxAmount", vat)
    subtotal = b.cac(tax_total, "TaxSubtotal")
    b.money(subtotal, "TaxableAmount", net)
    b.money(subtotal, "TaxAmount", vat)
    _tax_category(b, subtotal, "TaxCategory", invoice, with_reason=True)
    totals = b.cac(b.root, "LegalMonetaryTotal")
    b.money(totals, "LineExtensionAmount", net)
    b.money(totals, "TaxExclusiveAmount", net)
    b.money(totals, "TaxInclusiveAmount", Decimal(net) + Decimal(vat))
    b.money(totals, "PayableAmount", Decimal(net) + Decimal(vat))


def _line(b, name, invoice, *, position, qty, unit, price, line_amount, description, period=None):
    line = b.cac(b.root, name)
    b.cbc(line, "ID", position)
    b.cbc(line, "InvoicedQuantity" if name == "InvoiceLine" else "CreditedQuantity", quantity(qty), unitCode=unit)
    b.money(line, "LineExtensionAmount", line_amount)
    if period is not None:
        invoice_period = b.cac(line, "InvoicePeriod")
        b.cbc(invoice_period, "StartDate", period[0].isoformat())
        b.cbc(invoice_period, "EndDate", period[1].isoformat())
    item = b.cac(line, "Item")
    b.cbc(item, "Name", description[:100])
    _tax_category(b, item, "ClassifiedTaxCategory", invoice, with_reason=False)
    b.money(b.cac(line, "Price"), "PriceAmount", price)


def invoice_xml(invoice: Invoice) -> bytes:
    """The Peppol BIS Billing 3.0 invoice (type 380) of an issued invoice."""
    b = Builder("Invoice")
    root = b.root
    b.cbc(root, "CustomizationID", CUSTOMIZATION)
    b.cbc(root, "ProfileID", PROFILE)
    b.cbc(root, "ID", invoice.number)
    b.cbc(root, "IssueDate", invoice.issued_on.isoformat())
    if invoice.due_on:
        b.cbc(root, "DueDate", invoice.due_on.isoformat())
    b.cbc(root, "InvoiceTypeCode", "380")
    if invoice.vat_category in EXEMPTION_TEXT:
        b.cbc(root, "Note", EXEMPTION_TEXT[invoice.vat_category])
    b.cbc(root, "DocumentCurrencyCode", CURRENCY)
    b.cbc(root, "BuyerReference", invoice.buyer_reference or invoice.number)
    period = b.cac(root, "InvoicePeriod")
    b.cbc(period, "StartDate", invoice.period_start.isoformat())
    b.cbc(period, "EndDate", invoice.period_end.isoformat())
    _parties(b, invoice)
    _payment_means(b, invoice, invoice.number)
    _totals(b, invoice, invoice.net_total, invoice.vat_total)
    for line in invoice.lines.all():
        _line(b, "InvoiceLine", invoice, position=line.position, qty=line.quantity, unit=line.unit,
              price=line.unit_price, line_amount=line.amount, description=line.description)  # fmt: skip
    return b.bytes()


def credit_note_xml(note: CreditNote) -> bytes:
    """The Peppol BIS Billing 3.0 credit note (type 381) correcting an invoice: one line, the amount credited."""
    invoice = note.invoice
    b = Builder("CreditNote")
    root = b.root
    b.cbc(root, "CustomizationID", CUSTOMIZATION)
    b.cbc(root, "ProfileID", PROFILE)
    b.cbc(root, "ID", note.number)
    b.cbc(root, "IssueDate", note.issued_on.isoformat())
    b.cbc(root, "CreditNoteTypeCode", "381")
    b.cbc(root, "Note", note.reason)
    b.cbc(root, "DocumentCurrencyCode", CURRENCY)
    b.cbc(root, "BuyerReference", invoice.buyer_reference or invoice.number)
    reference = b.cac(b.cac(root, "BillingReference"), "InvoiceDocumentReference")
    b.cbc(reference, "ID", invoice.number)
    b.cbc(reference, "IssueDate", invoice.issued_on.isoformat())
    _parties(b, invoice)
    _payment_means(b, invoice, note.number)
    _totals(b, invoice, note.net_total, note.vat_total)
    _line(b, "CreditNoteLine", invoice, position=1, qty=1, unit="C62", price=note.net_total,
          line_amount=note.net_total, description=f"{invoice.number}: {note.reason}",
          period=(invoice.period_start, invoice.period_end))  # fmt: skip
    return b.bytes()
