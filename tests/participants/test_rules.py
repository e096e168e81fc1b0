"""Bad input on the pathway: each refused with a clear message, nothing half-saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from moulin.core.models import AuditEvent
from moulin.participants import enums, services
from moulin.participants.models import EmploymentContract, Exit, FollowUp, Participant, Referral
from moulin.participants.validators import add_months, validate_jobseeker_number
from tests.participants.helpers import contract_for, new_person, today

D = datetime.timedelta


class TestContracts:
    def test_overlapping_contracts_are_refused(self, home_org):
        person = new_person(home_org)
        start = today() - D(days=30)
        services.save_contract(actor=None, contract=contract_for(person, start=start, end=add_months(start, 6)))
        second = contract_for(person, start=start + D(days=60), end=add_months(start, 12))
        with pytest.raises(ValidationError) as exc:
            services.save_contract(actor=None, contract=second)
        assert "overlaps" in str(exc.value.message_dict["start"])
        assert EmploymentContract.objects.filter(participant=person).count() == 1

    def test_successive_contracts_are_accepted_and_renewal_follows(self, home_org):
        person = new_person(home_org)
        start = today() - D(days=200)
        first = services.save_contract(actor=None, contract=contract_for(person, start=start, end=start + D(days=99)))
        first.refresh_from_db()
        renewal = services.renew_contract(actor=None, contract=first, new_end=add_months(start, 12))
        assert renewal.start == first.last_day + D(days=1)
        assert renewal.renewal_of == first

    def test_measure_maximum_needs_a_logged_exception(self, home_org):
        person = new_person(home_org)
        start = today() - D(days=400)
        year = contract_for(person, start=start, end=add_months(start, 12) - D(days=1))
        first = services.save_contract(actor=None, contract=year)
        first.refresh_from_db()
        too_long = contract_for(person, start=first.last_day + D(days=1), end=add_months(start, 30))
        with pytest.raises(ValidationError) as exc:
            services.save_contract(actor=None, contract=too_long)
        assert "at most 24" in str(exc.value.message_dict["planned_end"])
        allowed = contract_for(person, start=first.last_day + D(days=1), end=add_months(start, 30),
                               exceeds_maximum=True, exception_reason="Ministry letter 2026-114")  # fmt: skip
        services.save_contract(actor=None, contract=allowed)
        event = AuditEvent.objects.filter(object_type="participants.employmentcontract",
                                          object_id=str(allowed.pk)).get()  # fmt: skip
        assert event.detail["exception"] == "Ministry letter 2026-114"

    def test_contract_end_before_start_is_refused(self, home_org):
        person = new_person(home_org)
        contract = contract_for(person, start=today(), end=today() - D(days=3))
        with pytest.raises(ValidationError) as exc:
            contract.full_clean()
        assert "cannot end before it starts" in str(exc.value)


class TestExit:
    def test_exit_before_contract_start_is_refused(self, home_org):
        person = new_person(home_org)
        start = today() - D(days=20)
        services.save_contract(actor=None, contract=contract_for(person, start=start, end=add_months(start, 6)))
        with pytest.raises(ValidationError) as exc:
            services.record_exit(actor=None, exit=Exit(participant=person, date=start - D(days=5),
                                                       reason=enums.ExitReason.OTHER))  # fmt: skip
        assert "before the start of the contract" in str(exc.value.message_dict["date"])
        assert not Exit.objects.filter(participant=person).exists()
        assert not FollowUp.objects.filter(participant=person).exists()

    def test_exit_schedules_the_follow_up_and_ends_the_contract(self, home_org):
        person = new_person(home_org)
        start = today() - D(days=100)
        contract = services.save_contract(actor=None, contract=contract_for(person, start=start,
                                                                            end=add_months(start, 12)))  # fmt: skip
        exit = services.record_exit(actor=None, exit=Exit(participant=person, date=today() - D(days=2),
                                                          reason=enums.ExitReason.JOB_FOUND))  # fmt: skip
        contract.refresh_from_db()
        assert contract.last_day == exit.date
        assert exit.follow_up.due_on == add_months(exit.date, 6)
        person.refresh_from_db()
        assert person.status == enums.PathwayStatus.EXITED


class TestReferral:
    def post(self, client, home_org, **over):
        data = {"organisation": home_org.pk, "date": today().isoformat(), "source": "pes", "referrer": "ADEM Esch",
                "first_name": "Jemp", "last_name": "Nouveau", "birth_date": "1988-03-04",
                "jobseeker_number": "7 654 321", "gender": "man"}  # fmt: skip
        data.update(over)
        return client.post(reverse("participants:refer"), data)

    @pytest.mark.parametrize("years", [12, 112])
    def test_an_impossible_age_is_refused(self, client_as, home_org, years):
        born = today().replace(year=today().year - years) - D(days=1)
        before = Participant.objects.count()
        response = self.post(client_as("coach"), home_org, birth_date=born.isoformat())
        assert response.status_code == 422
        assert f"{years} years old" in response.content.decode()
        assert Participant.objects.count() == before

    @pytest.mark.parametrize("number", ["12345", "12AB5678", "12345678901"])
    def test_a_jobseeker_number_in_the_wrong_format_is_refused(self, client_as, home_org, number):
        response = self.post(client_as("coach"), home_org, jobseeker_number=number)
        assert response.status_code == 422
        assert "6 to 10 digits" in response.content.decode()
        with pytest.raises(ValidationError):
            validate_jobseeker_number(number)

    def test_a_new_person_is_referred(self, client_as, home_org):
        response = self.post(client_as("coach"), home_org)
        assert response.status_code == 302
        person = Participant.objects.get(jobseeker_number="7654321")
        assert response["Location"] == person.get_absolute_url()
        assert person.age_at_entry is not None and person.referrals.count() == 1

    def test_a_duplicate_is_shown_and_the_referral_attached(self, client_as, home_org):
        existing = new_person(home_org, first="Jemp", last="Nouveau", birth=datetime.date(1988, 3, 4))
        client = client_as("coach")
        before = Participant.objects.count()
        response = self.post(client, home_org, jobseeker_number="", source="self")
        body = response.content.decode()
        assert response.status_code == 422
        assert "already recorded" in body and existing.get_absolute_url() in body
        assert Participant.objects.count() == before
        response = self.post(client, home_org, jobseeker_number="", source="self", duplicate=str(existing.public_id))
        assert response.status_code == 302
        assert Participant.objects.count() == before
        assert Referral.objects.filter(participant=existing).count() == 2

    def test_the_same_jobseeker_number_cannot_create_a_second_person(self, client_as, home_org):
        new_person(home_org, first="Other", last="Name", number="5550001")
        response = self.post(client_as("coach"), home_org, jobseeker_number="5550001", duplicate="new")
        assert response.status_code == 422
        assert "jobseeker number is already recorded" in response.content.decode()


class TestReferralRulesInTheService:
    """The referral rules hold for every way in (API, commands), not only for the page's form."""

    def refer(self, org, *, born=datetime.date(1990, 5, 17), number="", source=enums.ReferralSource.SELF, **kw):
        person = Participant(first_name="Servi", last_name="Cerule", birth_date=born, jobseeker_number=number)
        return services.refer(actor=None, person=person, organisation=org, date=today(), source=source, **kw)

    def test_an_impossible_age_is_refused(self, home_org):
        before = Participant.objects.count()
        with pytest.raises(ValidationError) as exc:
            self.refer(home_org, born=today().replace(year=today().year - 12))
        assert "years old" in str(exc.value.message_dict["birth_date"])
        assert Participant.objects.count() == before

    def test_a_referral_by_adem_needs_the_jobseeker_number(self, home_org):
        with pytest.raises(ValidationError) as exc:
            self.refer(home_org, source=enums.ReferralSource.PES)
        assert "jobseeker number" in str(exc.value.message_dict["jobseeker_number"])
        assert not Participant.objects.filter(last_name="Cerule").exists()

    def test_a_jobseeker_number_already_recorded_gets_no_second_record(self, home_org):
        new_person(home_org, first="Other", last="Number", number="5550077")
        with pytest.raises(ValidationError) as exc:
            self.refer(home_org, number="5550077", source=enums.ReferralSource.PES)
        assert "already recorded" in str(exc.value.message_dict["duplicate"])
        assert Participant.objects.filter(jobseeker_number="5550077").count() == 1

    def test_a_person_employed_elsewhere_is_not_attached_to_another_organisation(self, home_org):
        from moulin.organisations.models import Organisation
        from tests.picking import pick

        other = pick(Organisation.objects.members().exclude(pk=home_org.pk), "second member organisation")
        person = new_person(home_org, first="Emplo", last="Yed")
        Participant.objects.filter(pk=person.pk).update(status=enums.PathwayStatus.HIRED)
        person.refresh_from_db()
        with pytest.raises(ValidationError) as exc:
            self.refer(other, attach_to=person)
        assert "employed by" in str(exc.value.message_dict["duplicate"])
        person.refresh_from_db()
        assert person.organisation == home_org and person.referrals.count() == 1


class TestMerge:
    def test_network_staff_merge_two_records(self, client_as, home_org):
        survivor = new_person(home_org, first="Marie", last="Double")
        duplicate = new_person(home_org, first="Mari", last="Double", number="8880001")
        start = today() - D(days=50)
        services.save_contract(actor=None, contract=contract_for(duplicate, start=start, end=add_months(start, 6)))
        client = client_as("staff")
        response = client.post(reverse("participants:merge", args=[survivor.public_id]),
                               {"duplicate": str(duplicate.public_id)})  # fmt: skip
        assert response.status_code == 302
        duplicate.refresh_from_db()
        survivor.refresh_from_db()
        assert duplicate.merged_into == survivor
        assert survivor.contracts.count() == 1 and survivor.referrals.count() == 2
        assert survivor.jobseeker_number == "8880001"
        event = AuditEvent.objects.filter(object_id=str(survivor.pk), detail__merged=str(duplicate.public_id))
        assert event.exists()

    def test_a_coach_may_not_merge(self, client_as, home_org):
        person = new_person(home_org)
        response = client_as("coach").get(reverse("participants:merge", args=[person.public_id]))
        assert response.status_code == 403


def test_merge_offers_the_likely_duplicates(client_as, home_org, other_org):
    survivor = new_person(home_org, first="Twin", last="Record")
    duplicate = new_person(other_org, first="twin", last="RECORD")
    client = client_as("staff")
    url = reverse("participants:merge", args=[survivor.public_id])
    page = client.get(url).content.decode()
    assert str(duplicate.public_id) in page and other_org.display_name in page
    assert client.post(url, {}).status_code == 422
    assert client.post(url, {"candidate": str(duplicate.public_id)}).status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert client.get(reverse("participants:list"), {"q": "Record"}).context["page"].paginator.count == 1


def test_situation_upon_leaving_is_recorded_within_four_weeks(home_org):
    person = new_person(home_org)
    start = today() - D(days=200)
    services.save_contract(actor=None, contract=contract_for(person, start=start, end=add_months(start, 12)))
    day = today() - D(days=60)
    late = Exit(participant=person, date=day, reason=enums.ExitReason.JOB_FOUND,
                situation=enums.Situation.EMPLOYED_AGENCY, situation_recorded_on=day + D(days=29))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.record_exit(actor=None, exit=late)
    assert "within four weeks" in str(exc.value.message_dict["situation_recorded_on"])
    late.situation_recorded_on = day + D(days=28)
    services.record_exit(actor=None, exit=late)


def test_a_referral_is_not_attached_to_someone_employed_elsewhere(client_as, home_org, other_org):
    busy = new_person(other_org, first="Busy", last="Elsewhere", number="6660001")
    start = today() - D(days=30)
    services.save_contract(actor=None, contract=contract_for(busy, start=start, end=add_months(start, 6)))
    response = TestReferral().post(client_as("coach"), home_org, first_name="Busy", last_name="Elsewhere",
                                   jobseeker_number="6660001", duplicate=str(busy.public_id))  # fmt: skip
    assert response.status_code == 422
    assert "is employed by" in response.content.decode()
    busy.refresh_from_db()
    assert busy.organisation == other_org and busy.referrals.count() == 1


class TestCalendarMonths:
    """The measure's maximum counts calendar months (python-dateutil), a started month counting whole."""

    @pytest.mark.parametrize(
        "start,end,months",
        [
            ("2026-01-01", "2026-01-31", 1),
            ("2026-02-01", "2026-02-28", 1),  # 28 days are a month in February...
            ("2026-03-01", "2026-03-28", 1),
            ("2026-03-01", "2026-04-01", 2),  # ... and 32 days are two in March
            ("2026-01-15", "2026-04-14", 3),
            ("2026-01-15", "2026-04-15", 4),
            ("2026-01-29", "2026-02-28", 1),  # 29 February does not exist: the month ends on the 28th
            ("2028-01-29", "2028-02-28", 1),
            ("2028-01-29", "2028-02-29", 2),
            ("2026-07-01", "2028-06-30", 24),
            ("2026-01-01", "9999-12-31", 95_688),
        ],
    )
    def test_months_between(self, start, end, months):
        from moulin.participants.models import months_between

        day = datetime.date.fromisoformat
        assert months_between(day(start), day(end)) == months

    def test_two_years_exactly_are_within_a_24_month_maximum(self, home_org):
        """Two calendar years are 24 months with or without a leap day (731 days counted 25 months of 30.44 days)."""
        person = new_person(home_org)
        first = services.save_contract(
            actor=None, contract=contract_for(person, start=today(), end=add_months(today(), 12) - D(days=1))
        )
        first.refresh_from_db()
        second = contract_for(person, start=first.last_day + D(days=1), end=add_months(today(), 24) - D(days=1))
        services.save_contract(actor=None, contract=second)
        assert EmploymentContract.objects.filter(participant=person).count() == 2

    def test_a_contract_to_year_9999_gets_a_message_not_a_crash(self, home_org):
        person = new_person(home_org)
        contract = contract_for(person, start=today(), end=datetime.date(9999, 12, 31))
        with pytest.raises(ValidationError) as exc:
            services.save_contract(actor=None, contract=contract)
        assert "at most 24" in str(exc.value.message_dict["planned_end"])


def test_an_exit_in_year_9999_is_refused_with_a_message(client_as, home_org):
    person = new_person(home_org)
    response = client_as("coach").post(reverse("participants:exit_create", args=[person.public_id]),
                                       {"date": "9999-10-01", "reason": "job_found"})  # fmt: skip
    assert response.status_code == 422
    # the form refuses the implausible year at the field; the service (API, commands) refuses it too, below
    assert "check the year" in response.content.decode()
    assert not Exit.objects.filter(participant=person).exists()
    with pytest.raises(ValidationError) as exc:
        services.record_exit(actor=None, exit=Exit(participant=person, date=datetime.date(9999, 12, 31),
                                                   reason=enums.ExitReason.OTHER))  # fmt: skip
    assert "no room for the follow-up 6 months later: check the year" in str(exc.value.message_dict["date"])
