"""A fresh organisation of its own for the billing tests (the demo's months are already billed): one care service
with a social tariff, a beneficiary with a documented income and an intervention completed last month, and a
public body under a lump-sum contract."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from moulin.care.enums import RequestStatus, ServiceLine
from moulin.care.models import Beneficiary, Intervention, Request, ServiceType, SocialTariff
from moulin.contracts.enums import BillingRule, BillingSchedule, ContractStatus, CounterpartyKind
from moulin.contracts.models import Contract, Counterparty
from moulin.projects.models import Team
from tests.factories import OrganisationFactory
from tests.picking import pick

VAT = "LU15027442"
_refs = itertools.count(1)


def last_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@pytest.fixture
def month():
    return last_month()


@pytest.fixture
def org():
    return OrganisationFactory(vat_number=VAT, email="factures@testville.lu", bic="BCEELULL")


@pytest.fixture
def service(org):
    return ServiceType.objects.create(organisation=org, service_line=ServiceLine.COMMUNITY_CARE, name="Small repairs")


@pytest.fixture
def tariff(org):
    return SocialTariff.objects.create(
        organisation=org,
        household_size=1,
        income_from=Decimal("0"),
        hourly_price=Decimal("12.50"),
        valid_from=datetime.date(2020, 1, 1),
    )


def add_beneficiary(org, *, last_name="Zahlenmeyer", proof="Pension statement", email="berthe@example.lu"):
    from moulin.territory.models import Commune

    return Beneficiary.objects.create(
        organisation=org, first_name="Berthe", last_name=last_name, address="12, rue du Canal",
        commune=Commune.objects.get(name="Esch-sur-Alzette"), household_size=1, monthly_income=Decimal("1500"),
        income_proof=proof, income_review_on=timezone.localdate() + datetime.timedelta(days=200), email=email,
    )  # fmt: skip


def add_intervention(beneficiary, service, day, hours="2.5"):
    request = Request.objects.create(
        reference=f"REQ-TEST-{next(_refs):05d}", organisation=beneficiary.organisation, beneficiary=beneficiary,
        commune=beneficiary.commune, service_type=service, received_on=day - datetime.timedelta(days=3),
        description="Fix a dripping tap", status=RequestStatus.COMPLETED,
    )  # fmt: skip
    team = pick(Team.objects.order_by("pk"), "team")
    return Intervention.objects.create(
        request=request, team=team, date=day, planned_hours=Decimal(hours), completed_on=day, hours=Decimal(hours)
    )


@pytest.fixture
def beneficiary(org):
    return add_beneficiary(org)


@pytest.fixture
def care_work(org, service, tariff, beneficiary, month):
    """Two interventions of the beneficiary in the month billed."""
    return [add_intervention(beneficiary, service, month + datetime.timedelta(days=4)),
            add_intervention(beneficiary, service, month + datetime.timedelta(days=11), hours="1.5")]  # fmt: skip


def add_public_body(name="Syndicat intercommunal de test", *, peppol=True):
    return Counterparty.objects.create(
        name=name, kind=CounterpartyKind.PUBLIC_BODY, address="2, place de la Gare", postcode="L-4001",
        locality="Esch-sur-Alzette", email="factures@syndicat.lu",
        peppol_scheme="0240" if peppol else "", peppol_id="9123456789" if peppol else "",
    )  # fmt: skip


def add_contract(org, party, *, rule=BillingRule.LUMP_SUM, amount="24000", rate=None, month=None):
    start = (month or last_month()).replace(month=1, day=1) - datetime.timedelta(days=365)
    return Contract.objects.create(
        reference=f"CT-{next(_refs)}", title="Entretien des espaces verts", organisation=org, counterparty=party,
        start=start, end=None, annual_amount=Decimal(amount) if amount else None, billing_rule=rule,
        billing_schedule=BillingSchedule.MONTHLY if rule == BillingRule.LUMP_SUM else "",
        rate=Decimal(rate) if rate else None, status=ContractStatus.IN_FORCE,
    )  # fmt: skip


@pytest.fixture
def public_contract(org):
    return add_contract(org, add_public_body())
