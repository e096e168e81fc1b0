"""The waiting list's "waiting since" (participants 0007): the date of the person's latest intake, stored on the
participant by the database's triggers, whatever writes the intakes — the service, a plain save, a bulk insert, a
queryset update (a merge), a delete — and never written back stale by a save of the participant."""

import datetime

import pytest
from django.db.models import Max
from django.urls import reverse

from moulin.participants import enums, services
from moulin.participants.models import Intake, Participant
from tests.participants.helpers import new_person, today


def stored(person) -> datetime.date | None:
    return Participant.objects.values_list("waiting_since", flat=True).get(pk=person.pk)


def drift():
    """Participants whose stored date is not their latest intake's."""
    latest = Participant.objects.annotate(latest=Max("intakes__date"))
    return [(p.pk, p.waiting_since, p.latest) for p in latest if p.waiting_since != p.latest]


@pytest.fixture
def person(home_org):
    return new_person(home_org)


@pytest.fixture
def coach(demo_user):
    return demo_user("coach")


def intake(person, coach, days_ago, outcome=enums.IntakeOutcome.WAITING_LIST):
    return Intake(participant=person, coach=coach, date=today() - datetime.timedelta(days=days_ago), outcome=outcome)


def test_the_demo_network_holds_every_latest_intake():
    assert Participant.objects.exclude(waiting_since=None).exists()
    assert drift() == []


def test_an_intake_recorded_sets_the_date_and_the_waiting_list_shows_it(person, coach, client_as):
    assert stored(person) is None
    services.record_intake(actor=coach, intake=intake(person, coach, 30))
    assert stored(person) == today() - datetime.timedelta(days=30)
    person.refresh_from_db()
    assert person.status == enums.PathwayStatus.WAITING
    rows = list(services.Participant.objects.filter(status=enums.PathwayStatus.WAITING).order_by("waiting_since"))
    assert person in rows
    page = client_as("staff").get(reverse("participants:waiting_list") + f"?q={person.last_name}")
    assert page.status_code == 200
    assert person.last_name in page.content.decode()


def test_the_latest_intake_counts_whatever_the_order_they_are_written_in(person, coach):
    services.record_intake(actor=coach, intake=intake(person, coach, 10))
    services.record_intake(actor=coach, intake=intake(person, coach, 40))  # an older interview entered later
    assert stored(person) == today() - datetime.timedelta(days=10)


def test_a_changed_or_deleted_intake_moves_the_date(person, coach):
    older = services.record_intake(actor=coach, intake=intake(person, coach, 50))
    newer = services.record_intake(actor=coach, intake=intake(person, coach, 20))
    newer.date = today() - datetime.timedelta(days=5)
    newer.save()
    assert stored(person) == today() - datetime.timedelta(days=5)
    newer.delete()
    assert stored(person) == older.date
    Intake.objects.filter(pk=older.pk).delete()
    assert stored(person) is None


def test_bulk_inserts_and_updates_are_seen(person, coach):
    Intake.objects.bulk_create([intake(person, coach, 70), intake(person, coach, 60)])
    assert stored(person) == today() - datetime.timedelta(days=60)
    Intake.objects.filter(participant=person).update(date=today() - datetime.timedelta(days=3))
    assert stored(person) == today() - datetime.timedelta(days=3)


def test_a_save_of_the_participant_never_writes_back_a_stale_date(person, coach):
    stale = Participant.objects.get(pk=person.pk)  # read before the intake
    services.record_intake(actor=coach, intake=intake(person, coach, 15))
    stale.locality = "Esch-sur-Alzette"
    stale.save()
    assert stored(person) == today() - datetime.timedelta(days=15)
    assert Participant.objects.get(pk=person.pk).locality == "Esch-sur-Alzette"


def test_a_merge_moves_the_intakes_and_both_dates(home_org, coach):
    survivor = new_person(home_org, first="Ana", last="Survivante")
    duplicate = new_person(home_org, first="Ana", last="Doublon")
    services.record_intake(actor=coach, intake=intake(survivor, coach, 90))
    services.record_intake(actor=coach, intake=intake(duplicate, coach, 12))
    services.merge(actor=coach, survivor=survivor, duplicate=duplicate)
    assert stored(survivor) == today() - datetime.timedelta(days=12)
    assert stored(duplicate) is None
    assert drift() == []
