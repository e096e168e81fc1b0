import datetime

from django.utils import timezone

from moulin.participants import enums, services
from moulin.participants.models import EmploymentContract, EmploymentMeasure, Participant
from tests.picking import pick


def today():
    return timezone.localdate()


def new_person(org, *, actor=None, first="Testa", last="Personne", birth=datetime.date(1990, 5, 17), number=""):
    referral = services.refer(
        actor=actor,
        person=Participant(first_name=first, last_name=last, birth_date=birth, jobseeker_number=number,
                           gender=enums.Gender.WOMAN),
        organisation=org,
        date=today() - datetime.timedelta(days=60),
        source=enums.ReferralSource.PES if number else enums.ReferralSource.SELF,
    )  # fmt: skip
    return referral.participant


def contract_for(person, *, start, end, measure="ISE", **extra):
    from moulin.projects.models import Project

    project = pick(Project.objects.filter(organisation=person.organisation))
    return EmploymentContract(
        participant=person, organisation=person.organisation, project=project,
        team=project.teams.first(), contract_type=enums.ContractType.FIXED_TERM,
        measure=EmploymentMeasure.objects.get(code=measure), start=start, planned_end=end, weekly_hours=40,
        **extra,
    )  # fmt: skip
