import datetime

import pytest
from django.core.exceptions import ValidationError

from moulin.organisations.enums import BoardRole
from moulin.organisations.models import Agreement, Organisation
from moulin.territory.models import Commune
from tests.factories import AgreementFactory, CommuneFactory, MandateFactory, OrganisationFactory


def test_mandate_cannot_end_before_it_starts():
    mandate = MandateFactory.build(
        organisation=OrganisationFactory(), start=datetime.date(2024, 5, 1), end=datetime.date(2024, 4, 1)
    )
    with pytest.raises(ValidationError) as exc:
        mandate.full_clean()
    assert "cannot end before it starts" in str(exc.value.message_dict["end"])


def test_two_presidents_may_not_overlap_on_one_board():
    org = OrganisationFactory()
    MandateFactory(organisation=org, president=True, person_name="Marc Schmit", start=datetime.date(2020, 1, 1))
    clash = MandateFactory.build(organisation=org, president=True, start=datetime.date(2023, 1, 1))
    with pytest.raises(ValidationError) as exc:
        clash.full_clean()
    assert "Marc Schmit is already president" in str(exc.value)


def test_a_new_president_may_follow_the_previous_one():
    org = OrganisationFactory()
    MandateFactory(organisation=org, president=True, start=datetime.date(2018, 1, 1), end=datetime.date(2022, 12, 31))
    successor = MandateFactory.build(organisation=org, role=BoardRole.PRESIDENT, start=datetime.date(2023, 1, 1))
    successor.full_clean()


def test_member_organisation_needs_a_level():
    org = OrganisationFactory.build(level="", seat_commune=CommuneFactory())
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "level" in exc.value.message_dict


def test_the_network_has_one_resource_centre():
    org = OrganisationFactory.build(kind="resource_centre", level="", seat_commune=CommuneFactory())
    with pytest.raises(ValidationError, match="already has a resource centre"):
        org.full_clean()


def test_iban_is_stored_without_spaces_and_shown_in_groups():
    org = OrganisationFactory.build(iban="lu28 0019 4006 4475 0000", seat_commune=CommuneFactory())
    org.full_clean()
    assert org.iban == "LU280019400644750000"
    assert org.formatted_iban() == "LU28 0019 4006 4475 0000"


def test_overlapping_agreements_with_the_same_commune_are_refused():
    a = AgreementFactory(end=None)
    again = Agreement(organisation=a.organisation, commune=a.commune, start=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="already has an agreement"):
        again.full_clean()


def test_coverage_counts_only_current_agreements():
    commune = CommuneFactory()
    AgreementFactory(commune=commune, ended=True)
    assert not Commune.objects.covered().filter(pk=commune.pk).exists()
    AgreementFactory(commune=commune, start=datetime.date(2024, 1, 1))
    assert Commune.objects.covered().filter(pk=commune.pk).exists()


def test_reserved_slugs_are_refused():
    org = OrganisationFactory.build(slug="new", seat_commune=CommuneFactory())
    with pytest.raises(ValidationError, match="reserved"):
        org.full_clean()


def test_demo_network_has_the_shape_of_the_seed():
    assert Organisation.objects.filter(kind="member").count() == 30
    assert Organisation.objects.filter(kind="resource_centre").count() == 1
    levels = set(Organisation.objects.members().values_list("level", flat=True))
    assert levels == {"local", "regional", "sectoral"}
    assert Commune.objects.count() == 100
    assert Commune.objects.covered().count() == 48
