"""Factories for the foundation's models. Situations are Traits, not subclasses."""

import datetime
import itertools

import factory
from django.utils import timezone

from moulin.access.roles import Role
from moulin.accounts.models import RoleAssignment, User
from moulin.organisations.enums import BoardRole, Level, OrganisationKind, Represents
from moulin.organisations.models import Agreement, BoardMandate, BoardMeeting, Organisation, Premises, VolunteerHours
from moulin.territory.models import Canton, Commune

_legal = itertools.count(5000)


def valid_iban(n: int) -> str:
    bban = f"001{n:013d}"
    digits = "".join(str(int(ch, 36)) for ch in bban + "LU00")
    return f"LU{98 - int(digits) % 97:02d}{bban}"


class CantonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Canton
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{90 + n % 10:02d}")
    name = factory.Sequence(lambda n: f"Canton {n}")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    code = factory.Sequence(lambda n: f"{9000 + n}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    canton = factory.SubFactory(CantonFactory)
    population = 5000


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.MEMBER
    level = Level.LOCAL
    name = factory.Sequence(lambda n: f"CIGL Testville {n}")
    slug = factory.Sequence(lambda n: f"cigl-testville-{n}")
    legal_number = factory.LazyFunction(lambda: f"F{next(_legal)}")
    iban = factory.Sequence(valid_iban)
    address = "1, rue Principale"
    postcode = "L-1234"
    locality = "Testville"
    seat_commune = factory.SubFactory(CommuneFactory)


class PremisesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Premises

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    address = "2, rue du Parc"
    postcode = "L-1234"
    locality = "Testville"
    commune = factory.SelfAttribute("organisation.seat_commune")


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    organisation = factory.SubFactory(OrganisationFactory)
    commune = factory.SubFactory(CommuneFactory)
    start = datetime.date(2020, 1, 1)

    class Params:
        ended = factory.Trait(end=datetime.date(2021, 12, 31))


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMandate

    organisation = factory.SubFactory(OrganisationFactory)
    person_name = factory.Sequence(lambda n: f"Board Person {n}")
    role = BoardRole.MEMBER
    represents = Represents.RESIDENT
    start = datetime.date(2022, 1, 1)

    class Params:
        president = factory.Trait(role=BoardRole.PRESIDENT)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMeeting

    organisation = factory.SubFactory(OrganisationFactory)
    date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))


class VolunteerHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerHours

    organisation = factory.SubFactory(OrganisationFactory)
    volunteer_name = factory.Sequence(lambda n: f"Volunteer {n}")
    date = factory.LazyFunction(lambda: timezone.localdate().replace(month=1, day=15))
    hours = 3
    activity = "Event"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", "a-good-password-123")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.NETWORK_STAFF


def user_with_role(role, *, organisation=None, commune=None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    RoleFactory(user=user, role=role, organisation=organisation, commune=commune)
    return user
