import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from moulin.care.enums import ServiceLine
from moulin.care.models import Beneficiary, ServiceType, SocialTariff, WorkKind
from moulin.projects.models import Team
from moulin.territory.models import Commune
from tests.picking import pick

CHAMBER = "Find a craftsman in the Chambre des Métiers' directory: www.cdm.lu/annuaire."


@pytest.fixture
def esch():
    return Commune.objects.get(name="Esch-sur-Alzette")


@pytest.fixture
def repairs(home_org, esch):
    service = ServiceType.objects.create(
        organisation=home_org, service_line=ServiceLine.COMMUNITY_CARE, name="Small repairs (test)",
        max_hours=Decimal("4"), max_material_value=Decimal("150"), referral_text=CHAMBER,
    )  # fmt: skip
    service.communes.add(esch)
    return service


@pytest.fixture
def electrical():
    return WorkKind.objects.create(name="Electrical installation (test)", excluded=True,
                                   keywords="wiring, fuse box", referral_text=CHAMBER)  # fmt: skip


@pytest.fixture
def beneficiary(home_org, esch):
    return Beneficiary.objects.create(
        organisation=home_org, first_name="Berthe", last_name="Zahlenmeyer", address="12, rue du Canal",
        commune=esch, household_size=1, monthly_income=Decimal("1800"), income_proof="Pension statement 2026",
        income_review_on=datetime.date(2026, 12, 31), consent=True, consent_on=datetime.date(2026, 5, 2),
    )  # fmt: skip


@pytest.fixture
def tariff(home_org):
    """Two periods; households of 1 and of 3 or more; three income bands (in place of the demo's tariff)."""
    SocialTariff.objects.filter(organisation=home_org).delete()
    rows = []
    for valid_from, valid_until, base in [
        (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), Decimal("10")),
        (datetime.date(2026, 1, 1), None, Decimal("12")),
    ]:
        for size, discount in [(1, Decimal("0")), (3, Decimal("3"))]:
            for low, high, step in [(0, 2000, 0), (2000, 3500, 6), (3500, None, 12)]:
                rows.append(SocialTariff(
                    organisation=home_org, household_size=size, income_from=Decimal(low),
                    income_to=None if high is None else Decimal(high), valid_from=valid_from,
                    valid_until=valid_until, hourly_price=base + step - discount,
                ))  # fmt: skip
    return SocialTariff.objects.bulk_create(rows)


@pytest.fixture
def team(home_org, demo_user):
    leader = demo_user("teamleader")
    return pick(Team.objects.filter(project__organisation=home_org, leader=leader, is_active=True),
                "active team of the home organisation led by the demo team leader")  # fmt: skip


@pytest.fixture
def june_2026():
    """For the tests that name the days of June 2026 (National Day, Tuesday 23 June): the clock on Monday 15 June
    2026, whatever the test day. Ask for it first, so that the records the other fixtures make are of that day."""
    moment = datetime.datetime(2026, 6, 15, 10, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(moment, tick=True):
        yield moment.date()


@pytest.fixture
def team_worker(team):
    """``team_worker(day)``: a worker under contract in the team on ``day`` with nothing recorded that day (an
    intervention's hours are recorded as the time entry of the worker who did the job)."""
    from django.db.models import Q

    from moulin.fieldwork.models import TimeEntry
    from moulin.participants.models import EmploymentContract

    def make(day):
        covering = EmploymentContract.objects.filter(team=team, start__lte=day).filter(
            Q(last_day__isnull=True) | Q(last_day__gte=day)
        )
        contract = covering.order_by("pk").first()
        if contract is None:  # the team's workers of another period: one of them is hired again for the test
            contract = pick(EmploymentContract.objects.filter(team=team).order_by("pk"), "a contract in the team")
            contract.pk = None
            contract.start, contract.planned_end, contract.ended_on, contract.end_reason = day, None, None, ""
            contract.save()
        TimeEntry.objects.filter(participant=contract.participant, date=day).delete()
        return contract.participant

    return make
