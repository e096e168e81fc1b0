"""The choices of the money side: counterparties, contract states and billing rules, funding sources and the
funding-mix categories the network reports, budget categories."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CounterpartyKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    MINISTRY = "ministry", _("Ministry")
    PUBLIC_BODY = "public_body", _("Other public body")
    PRIVATE = "private", _("Private body")


#: counterparties that sign through a political and an administrative signatory and receive Peppol e-invoices
PUBLIC_KINDS = frozenset({CounterpartyKind.COMMUNE, CounterpartyKind.MINISTRY, CounterpartyKind.PUBLIC_BODY})


class PeppolScheme(models.TextChoices):
    """Peppol participant identifier schemes (ISO 6523 ICD codes) a Luxembourg counterparty may use."""

    LU_VAT = "9938", _("9938 — Luxembourg VAT number")
    LU_RPM = "0240", _("0240 — Luxembourg register of legal persons")
    GLN = "0088", _("0088 — GLN (GS1)")
    DUNS = "0060", _("0060 — DUNS number")
    BE_CBE = "0208", _("0208 — Belgian enterprise number")
    FR_SIRENE = "0009", _("0009 — French SIRET")
    DE_LEITWEG = "0204", _("0204 — German Leitweg-ID")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_SIGNATURES = "awaiting_signatures", _("Awaiting signatures")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class BillingRule(models.TextChoices):
    LUMP_SUM = "lump_sum", _("Lump sum on a schedule")
    PER_HOUR = "per_hour", _("Per hour, from time entries")
    PER_INTERVENTION = "per_intervention", _("Per intervention")


class BillingSchedule(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every six months")
    YEARLY = "yearly", _("Yearly")


#: instalments per year of a lump sum billed on each schedule
INSTALMENTS = {
    BillingSchedule.MONTHLY: 12,
    BillingSchedule.QUARTERLY: 4,
    BillingSchedule.HALF_YEARLY: 2,
    BillingSchedule.YEARLY: 1,
}


class SourceKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry (state)")
    COMMUNES = "communes", _("Communes")
    ESF_PLUS = "esf_plus", _("ESF+")
    EU_OTHER = "eu_other", _("Other EU funds")
    FEES = "fees", _("Beneficiary fees")
    PRIVATE_CONTRACTS = "private_contracts", _("Private contracts")
    DONATIONS = "donations", _("Donations")
    IN_KIND = "in_kind", _("Volunteer time in kind")


class MixCategory(models.TextChoices):
    """The categories the real network reported its funding in."""

    STATE = "state", _("State")
    COMMUNES = "communes", _("Communes")
    EU = "eu", _("EU")
    FEES = "fees", _("Fees")
    PRIVATE = "private", _("Private")
    IN_KIND = "in_kind", _("In kind")


MIX_CATEGORY_OF = {
    SourceKind.MINISTRY: MixCategory.STATE,
    SourceKind.COMMUNES: MixCategory.COMMUNES,
    SourceKind.ESF_PLUS: MixCategory.EU,
    SourceKind.EU_OTHER: MixCategory.EU,
    SourceKind.FEES: MixCategory.FEES,
    SourceKind.PRIVATE_CONTRACTS: MixCategory.PRIVATE,
    SourceKind.DONATIONS: MixCategory.PRIVATE,
    SourceKind.IN_KIND: MixCategory.IN_KIND,
}


class FundingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class BudgetCategory(models.TextChoices):
    STAFF = "staff", _("Staff")
    MATERIALS = "materials", _("Materials")
    OVERHEADS = "overheads", _("Overheads")
