from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (preview)")
    ISSUED = "issued", _("Issued")
    PAID = "paid", _("Paid")
    CREDITED = "credited", _("Credited")
    DISCARDED = "discarded", _("Discarded")


#: invoices whose number is taken: they are never changed again, only paid or credited
NUMBERED_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PAID, InvoiceStatus.CREDITED)
#: invoices that still hold their period: a beneficiary or a contract is not billed twice for one month
HOLDING_STATUSES = (InvoiceStatus.DRAFT, *NUMBERED_STATUSES)


class BatchStatus(models.TextChoices):
    PREVIEW = "preview", _("Preview")
    ISSUED = "issued", _("Issued")
    DISCARDED = "discarded", _("Discarded")


class RecipientKind(models.TextChoices):
    BENEFICIARY = "beneficiary", _("Beneficiary")
    CONTRACT = "contract", _("Contract counterparty")


class VatCategory(models.TextChoices):
    """The VAT categories of EN 16931 Moulin invoices with (UNCL 5305)."""

    STANDARD = "S", _("Standard rate (17 %)")
    EXEMPT = "E", _("Exempt (art. 44 of the VAT law)")
    NOT_SUBJECT = "O", _("Not subject to VAT")


#: Luxembourg's standard VAT rate
STANDARD_RATE = Decimal("17.00")


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer")
    CASH = "cash", _("Cash")
    DIRECT_DEBIT = "direct_debit", _("Direct debit")


class LineUnit(models.TextChoices):
    """UN/ECE recommendation 20 codes, as the UBL needs them."""

    HOUR = "HUR", _("hour")
    PIECE = "C62", _("intervention")
    LUMP_SUM = "LS", _("lump sum")
