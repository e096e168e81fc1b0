"""A participant's page and forms read fully in French and German: no English empty choice, measures under their
official name."""

from django.urls import reverse
from django.utils import translation

from moulin.participants import enums
from moulin.participants.models import EmploymentMeasure, Participant
from tests.picking import pick


def _french_and_german(client_as, demo_user, language):
    user = demo_user("coach")
    user.language = language
    user.save(update_fields=["language"])
    return client_as(user)


def test_no_english_empty_choice_in_german_forms(client_as, demo_user, home_org):
    person = pick(Participant.objects.filter(organisation=home_org, status=enums.PathwayStatus.HIRED), "worker")
    client = _french_and_german(client_as, demo_user, "de")
    body = client.get(reverse("participants:contract_create", args=[person.public_id])).content.decode()
    assert "Select an option" not in body
    with translation.override("en"):
        from django.db.models import fields

        assert str(fields.BLANK_CHOICE_LABEL) == "- Select an option -"


def test_measures_show_their_official_name_in_french_and_german(client_as, demo_user, home_org):
    ise = EmploymentMeasure.objects.get(code="ISE")
    assert ise.name_local and ise.name_local != ise.name
    person = pick(Participant.objects.filter(organisation=home_org, status=enums.PathwayStatus.HIRED), "worker")
    for language in ("fr", "de"):
        client = _french_and_german(client_as, demo_user, language)
        body = client.get(reverse("participants:contract_create", args=[person.public_id])).content.decode()
        assert f"ISE — {ise.name_local}".replace("'", "&#x27;") in body
        assert ise.name not in body
    with translation.override("en"):
        assert str(ise) == f"ISE — {ise.name}"
