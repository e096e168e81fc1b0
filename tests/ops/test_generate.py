"""The growth generator (bench/generate.py) copies the network inside the database: each copy is a network of its
own (its organisations, users and participants), every record keeps its links, and the pages work on it."""

import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from moulin.accounts.models import User
from moulin.fieldwork import summary
from moulin.fieldwork.models import HoursSummary, TimeEntry, WorkOrder
from moulin.organisations.models import Organisation
from moulin.participants.models import EmploymentContract, Participant
from moulin.partners.models import Partner
from moulin.territory.models import Commune

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import grow, network_models  # noqa: E402


def test_the_network_models_are_the_records_of_the_network_not_the_reference_data():
    labels = {m._meta.label for m in network_models()}
    assert {"organisations.Organisation", "accounts.User", "participants.Participant", "partners.Partner"} <= labels
    assert {"fieldwork.TimeEntry", "projects.Project", "training.Session"} <= labels
    assert not labels & {"territory.Commune", "participants.EmploymentMeasure", "core.AuditEvent"}
    assert "fieldwork.HoursSummary" not in labels  # kept by the database, rebuilt after the copies


@pytest.mark.django_db(transaction=False)
def test_growing_twice_copies_every_record_with_its_links():
    before = {m: m._base_manager.count() for m in (Organisation, User, Participant, Partner, EmploymentContract)}
    communes = Commune.objects.count()
    orders, entries = WorkOrder.objects.count(), TimeEntry.objects.count()
    figures = grow(2, 0, verbose=False)
    for model, n in before.items():
        assert model._base_manager.count() == 2 * n, model
    assert Commune.objects.count() == communes  # reference data is shared
    assert (WorkOrder.objects.count(), TimeEntry.objects.count()) == (2 * orders, 2 * entries)
    assert figures["seconds"] > 0

    original = Organisation.objects.get(slug="cigl-esch-sur-alzette")
    copy = Organisation.objects.get(slug="cigl-esch-sur-alzette-c1")
    assert copy.name == f"{original.name}-c1"  # unique text carries the copy's suffix, the rest is the same
    assert (copy.seat_commune_id, copy.level, copy.kind) == (original.seat_commune_id, original.level, original.kind)
    assert copy.participants.count() == original.participants.count()
    # a copy's contracts belong to the copy's participants, of the copy's organisation
    assert (
        not EmploymentContract.objects.filter(participant__organisation=copy)
        .exclude(participant__organisation=copy)
        .exists()
    )
    manager = User.objects.get(email="manager+1@moulin.demo")
    assert manager.role_assignments.filter(organisation=copy).exists()
    client = Client()
    client.force_login(manager)
    response = client.get(reverse("participants:list"))
    assert response.status_code == 200
    first = Participant.objects.visible_to(manager).order_by("last_name", "first_name", "pk").first()
    assert first.organisation == copy
    assert first.last_name in response.content.decode()


@pytest.mark.django_db(transaction=False)
def test_years_carry_the_field_work_back_in_whole_weeks():
    entries = TimeEntry.objects.count()
    first = TimeEntry.objects.order_by("date").first().date
    figures = grow(1, 6, verbose=False)
    assert figures["history_blocks"] >= 1
    assert TimeEntry.objects.count() == entries * (1 + figures["history_blocks"])
    earliest = TimeEntry.objects.order_by("date").first().date
    assert (first - earliest).days % 7 == 0 and (first - earliest).days >= 365 * 4
    # the monthly hours summary the dashboards read holds the history too, exactly
    assert summary.drift() == []
    assert HoursSummary.objects.filter(month__lt=first.replace(day=1)).exists()
