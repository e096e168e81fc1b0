"""The rules of community care as the people who take requests notice them: the craft check, the social tariff,
the income proof, reference numbers and the request's status moves."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from moulin.care import services
from moulin.care.enums import Channel, RequestStatus
from moulin.care.models import Request, SocialTariff, Survey
from moulin.core.workflow import transition


def take(beneficiary, service, actor, **kwargs):
    kwargs.setdefault("description", "Fix a dripping tap in the kitchen")
    return services.record_request(actor=actor, beneficiary=beneficiary, service_type=service, **kwargs)


def test_a_request_within_the_craft_rules_is_accepted_with_a_reference(june_2026, beneficiary, repairs, demo_user):
    request = take(beneficiary, repairs, demo_user("manager"), estimated_hours=Decimal("2"))
    assert request.status == RequestStatus.ACCEPTED
    assert re.fullmatch(r"REQ-2026-\d{5}", request.reference)
    second = take(beneficiary, repairs, demo_user("manager"))
    assert int(second.reference[-5:]) == int(request.reference[-5:]) + 1


def test_an_excluded_kind_of_work_is_referred_with_the_chamber_directory(beneficiary, repairs, electrical, demo_user):
    request = take(beneficiary, repairs, demo_user("manager"), work_kind=electrical)
    assert request.status == RequestStatus.REFERRED
    assert "cdm.lu" in request.referral_text
    assert "Electrical installation" in request.reason


def test_an_excluded_kind_named_only_in_the_description_is_still_referred(beneficiary, repairs, electrical, demo_user):
    request = take(beneficiary, repairs, demo_user("manager"), description="Replace the old FUSE BOX in the cellar")
    assert request.status == RequestStatus.REFERRED


@pytest.mark.parametrize("field,value", [("estimated_hours", Decimal("6")),
                                         ("estimated_material_value", Decimal("400"))])  # fmt: skip
def test_a_job_above_the_limits_is_referred_never_accepted(field, value, beneficiary, repairs, demo_user):
    request = take(beneficiary, repairs, demo_user("manager"), **{field: value})
    assert request.status == RequestStatus.REFERRED
    assert request.referral_text == repairs.referral_text
    assert str(value) in request.reason


def test_a_service_not_offered_in_the_commune_is_declined_with_the_reason(beneficiary, repairs, demo_user):
    repairs.communes.clear()
    request = take(beneficiary, repairs, demo_user("manager"), channel=Channel.COUNTER)
    assert request.status == RequestStatus.DECLINED
    assert "not offered in Esch-sur-Alzette" in request.reason


def test_a_refused_request_rolls_its_number_back(beneficiary, repairs, home_org, other_org, demo_user):
    first = take(beneficiary, repairs, demo_user("manager"))
    repairs.organisation = other_org
    with pytest.raises(ValidationError):
        take(beneficiary, repairs, demo_user("manager"))
    repairs.organisation = home_org
    again = take(beneficiary, repairs, demo_user("manager"))
    assert int(again.reference[-5:]) == int(first.reference[-5:]) + 1


def test_declining_needs_a_reason_and_a_referred_request_cannot_be_scheduled(beneficiary, repairs, electrical, team,
                                                                             demo_user):  # fmt: skip
    manager = demo_user("manager")
    accepted = take(beneficiary, repairs, manager)
    with pytest.raises(ValidationError) as error:
        services.decline_request(accepted, actor=manager, reason="")
    assert "reason" in error.value.message_dict
    referred = take(beneficiary, repairs, manager, work_kind=electrical)
    with pytest.raises(ValidationError):
        transition(referred, "schedule", actor=manager)
    with pytest.raises(ValidationError):
        services.schedule(referred, actor=manager, team=team, date=datetime.date(2026, 6, 17), planned_hours=2)
    assert Request.objects.get(pk=referred.pk).status == RequestStatus.REFERRED


def test_scheduling_then_completing_opens_a_survey(june_2026, beneficiary, repairs, team, demo_user, team_worker):
    manager = demo_user("manager")
    request = take(beneficiary, repairs, manager)
    with pytest.raises(ValidationError) as error:
        services.schedule(request, actor=manager, team=team, date=datetime.date(2026, 6, 23), planned_hours=2)
    assert "public holiday" in error.value.message_dict["date"][0]  # National Day
    with pytest.raises(ValidationError) as error:
        services.schedule(request, actor=manager, team=team, date=datetime.date(2026, 6, 16), planned_hours=9)
    assert "planned_hours" in error.value.message_dict
    intervention = services.schedule(request, actor=manager, team=team, date=datetime.date(2026, 6, 15),
                                     planned_hours=Decimal("2"))  # fmt: skip
    assert Request.objects.get(pk=request.pk).status == RequestStatus.SCHEDULED
    leader = demo_user("teamleader")
    with pytest.raises(ValidationError) as error:
        services.complete_intervention(intervention, actor=leader, hours=Decimal("5"), on=datetime.date(2026, 6, 15))
    assert "hours" in error.value.message_dict
    services.complete_intervention(intervention, actor=leader, hours=Decimal("2.5"), on=datetime.date(2026, 6, 15),
                                   materials="Tap washer", material_value=Decimal("3.20"),
                                   worker=team_worker(june_2026))  # fmt: skip
    assert Request.objects.get(pk=request.pk).status == RequestStatus.COMPLETED
    survey = Survey.objects.get(request=request)
    services.answer_survey(survey, satisfaction=5, channel="phone", would_recommend=True)
    with pytest.raises(ValidationError):
        services.answer_survey(survey, satisfaction=1, channel="link")
    results = list(services.survey_results(Survey.objects.filter(pk=survey.pk)))
    assert results[0]["answers"] == 1 and results[0]["satisfaction"] == 5


@pytest.mark.parametrize("income,size,day,price", [
    ("1800", 1, datetime.date(2026, 6, 15), "12.00"),
    ("2000", 1, datetime.date(2026, 6, 15), "18.00"),  # the band's lower bound is in it
    ("5000", 2, datetime.date(2026, 6, 15), "24.00"),  # two people: the band of one
    ("1800", 4, datetime.date(2026, 6, 15), "9.00"),   # four people: the band of three or more
    ("2500", 3, datetime.date(2025, 3, 1), "13.00"),   # last year's tariff
])  # fmt: skip
def test_the_tariff_follows_income_household_size_and_date(income, size, day, price, tariff, home_org):
    band = services.tariff_for(organisation=home_org, monthly_income=Decimal(income), household_size=size, on=day)
    assert band.hourly_price == Decimal(price)


def test_no_tariff_before_the_first_period(tariff, home_org):
    assert services.tariff_for(organisation=home_org, monthly_income=1000, household_size=1,
                               on=datetime.date(2024, 12, 31)) is None  # fmt: skip


def test_an_overlapping_band_is_refused_next_to_the_income(tariff, home_org):
    band = SocialTariff(
        organisation=home_org, household_size=1, income_from=Decimal("1500"), income_to=Decimal("2500"),
        hourly_price=Decimal("5"), valid_from=datetime.date(2026, 3, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        band.full_clean()
    assert "overlaps" in error.value.message_dict["income_from"][0]


def test_an_income_band_without_proof_or_past_review_is_flagged_and_blocks_the_price(beneficiary, tariff):
    today = datetime.date(2026, 6, 15)
    assert services.hourly_price_for(beneficiary, on=today) == Decimal("12.00")
    beneficiary.income_review_on = datetime.date(2026, 6, 1)
    assert "due for review" in beneficiary.income_problem(today)
    with pytest.raises(ValidationError) as error:
        services.hourly_price_for(beneficiary, on=today)
    assert "due for review" in error.value.message_dict["monthly_income"][0]
    beneficiary.income_proof = ""
    assert "no proof" in beneficiary.income_problem(today)
    beneficiary.save()
    assert beneficiary.__class__.objects.income_flagged(today).filter(pk=beneficiary.pk).exists()


def test_a_photo_must_be_an_image_of_limited_size():
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    assert services.check_photo(SimpleUploadedFile("a.png", png)) == "image/png"
    with pytest.raises(ValidationError):
        services.check_photo(SimpleUploadedFile("a.jpg", b"<html><script>alert(1)</script>"))
    with pytest.raises(ValidationError):
        services.check_photo(SimpleUploadedFile("big.png", png + b"\x00" * services.MAX_PHOTO_BYTES))
