"""Required safety trainings, safety incidents, and the hours of care interventions as time entries."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from moulin.care.models import Intervention
from moulin.fieldwork.models import RequiredTraining, SafetyIncident, SiteKind, TimeEntry, WorkOrder
from moulin.fieldwork.services import (
    check_intervention_entries,
    missing_trainings,
    record_time_entry,
    transition_incident,
    week_hours,
)
from moulin.training.enums import EnrolmentStatus
from moulin.training.models import Certificate, Course, Enrolment
from tests.picking import pick

pytestmark = pytest.mark.django_db


@pytest.fixture
def order_today(site, team, today):
    return WorkOrder.objects.create(site=site, team=team, title="Check the swings", date=today,
                                    planned_hours=Decimal("3"))  # fmt: skip


@pytest.fixture
def course():
    return pick(Course.objects.filter(title="Ladders and working at height").order_by("pk"), "a safety course")


@pytest.fixture
def requirement(course, today):
    return RequiredTraining.objects.create(course=course, site_kind=SiteKind.PLAYGROUND, valid_months=24,
                                           applies_from=today - datetime.timedelta(days=30))  # fmt: skip


def certify(participant, course, issued_on):
    session = pick(course.sessions.exclude(enrolments__participant=participant).order_by("pk"),
                   "a session of the course the worker is not enrolled in")  # fmt: skip
    enrolment = Enrolment.objects.create(session=session, participant=participant, status=EnrolmentStatus.COMPLETED,
                                         enrolled_on=issued_on, completed_on=issued_on)  # fmt: skip
    return Certificate.objects.create(enrolment=enrolment, number=f"TEST-{participant.pk}-{issued_on}",
                                      issued_on=issued_on)  # fmt: skip


def _without_certificate(worker, course):
    Certificate.objects.filter(enrolment__participant=worker, enrolment__session__course=course).delete()


def test_a_worker_without_the_required_training_is_refused_with_a_clear_message(
    client_as, order_today, worker, requirement, course
):
    _without_certificate(worker, course)
    leader = client_as("teamleader")
    sheet = leader.get(reverse("fieldwork:time_sheet", args=[order_today.pk])).content.decode()
    assert 'data-testid="untrained"' in sheet and str(worker) in sheet  # the phone warns before anything is sent
    response = leader.post(reverse("fieldwork:time_sheet", args=[order_today.pk]), {f"hours_{worker.pk}": "3"})
    assert response.status_code == 422
    assert f"holds no valid certificate of {course.title}" in response.content.decode()
    assert not TimeEntry.objects.filter(work_order=order_today).exists()


def test_a_valid_certificate_lets_the_hours_in_an_expired_one_does_not(
    order_today, worker, requirement, course, demo_user, today
):
    _without_certificate(worker, course)
    old = certify(worker, course, today - datetime.timedelta(days=365 * 3))
    with pytest.raises(ValidationError) as error:
        record_time_entry(actor=demo_user("teamleader"), participant=worker, date=today, hours=Decimal("3"),
                          work_order=order_today)  # fmt: skip
    assert "certificate" in error.value.message_dict["participant"][0]
    old.delete()
    certify(worker, course, today - datetime.timedelta(days=30))
    entry, created = record_time_entry(actor=demo_user("teamleader"), participant=worker, date=today,
                                       hours=Decimal("3"), work_order=order_today)  # fmt: skip
    assert created and entry.pk


def test_a_requirement_not_yet_in_force_checks_nothing(order_today, worker, requirement, course, demo_user, today):
    _without_certificate(worker, course)
    requirement.applies_from = today + datetime.timedelta(days=1)
    requirement.save()
    assert (
        missing_trainings([worker.pk], RequiredTraining.objects.in_force(today).filter(pk=requirement.pk), today) == {}
    )
    _entry, created = record_time_entry(actor=demo_user("teamleader"), participant=worker, date=today,
                                        hours=Decimal("2"), work_order=order_today)  # fmt: skip
    assert created


def test_the_leaders_phone_page_warns_who_lacks_a_training(client_as, order_today, worker, requirement, course):
    _without_certificate(worker, course)
    body = client_as("teamleader").get(reverse("fieldwork:today")).content.decode()
    assert 'data-testid="untrained"' in body and str(worker) in body and course.title in body


def test_a_requirement_names_one_kind(course):
    with pytest.raises(ValidationError):
        RequiredTraining(course=course).full_clean()


def test_only_network_staff_write_requirements(client_as, course):
    url = reverse("fieldwork:required_training_create")
    data = {"course": course.pk, "site_kind": "park", "valid_months": "12", "applies_from": "2026-01-01"}
    assert client_as("manager").post(url, data).status_code == 403
    assert client_as("teamleader").get(reverse("fieldwork:required_training_list")).status_code == 200
    assert client_as("staff").post(url, data).status_code == 302
    assert RequiredTraining.objects.filter(course=course, site_kind="park").exists()


# --- incidents ---------------------------------------------------------------------------------------------------


def test_leader_reports_an_incident_from_the_phone_and_the_manager_follows_it_up(
    client_as, order_today, worker, demo_user
):
    leader = client_as("teamleader")
    sheet = leader.get(reverse("fieldwork:time_sheet", args=[order_today.pk])).content.decode()
    url = reverse("fieldwork:incident_create_on_order", args=[order_today.pk])
    assert url in sheet
    form = leader.get(url)
    assert form.status_code == 200
    when = timezone.localtime().replace(second=0, microsecond=0) - datetime.timedelta(hours=1)
    response = leader.post(url, {
        "team": order_today.team_id, "work_order": order_today.pk, "site": order_today.site_id,
        "occurred_at": when.strftime("%Y-%m-%dT%H:%M"), "kind": "accident", "severity": "first_aid",
        "involved": [worker.pk], "description": "Cut by a broken bottle", "first_aid": "Dressed on the spot",
        "actions": "Gloves", "lost_days": "0",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    incident = SafetyIncident.objects.get(work_order=order_today)
    assert list(incident.involved.all()) == [worker] and incident.reported_by == demo_user("teamleader")
    manager = client_as("manager")
    assert manager.get(incident.get_absolute_url()).status_code == 200
    status = reverse("fieldwork:incident_transition", args=[incident.pk])
    assert manager.post(status, {"transition": "close"}).status_code == 422  # not a step from "open"
    with pytest.raises(ValidationError) as error:
        transition_incident(incident, "close", actor=demo_user("manager"))
    assert "follow-up before closing" in str(error.value)
    assert manager.post(status, {"transition": "follow_up"}).status_code == 422  # a follow-up says what was done
    assert manager.post(status, {"transition": "follow_up", "follow_up": "Gloves ordered"}).status_code == 302
    assert manager.post(status, {"transition": "close"}).status_code == 302
    incident.refresh_from_db()
    assert incident.status == "closed"


def test_incident_bad_input(client_as, order_today, today):
    leader = client_as("teamleader")
    url = reverse("fieldwork:incident_create_on_order", args=[order_today.pk])
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    response = leader.post(url, {
        "team": order_today.team_id, "work_order": order_today.pk, "occurred_at": tomorrow.strftime("%Y-%m-%dT%H:%M"),
        "kind": "volcano", "severity": "minor", "description": "", "lost_days": "-1",
    })  # fmt: skip
    assert response.status_code == 422
    assert not SafetyIncident.objects.filter(work_order=order_today).exists()


def test_who_sees_the_incidents(client_as, demo_user):
    incident = pick(SafetyIncident.objects.filter(team__leader=demo_user("teamleader")).order_by("pk"),
                    "an incident of the demo team leader's team")  # fmt: skip
    assert client_as("teamleader").get(incident.get_absolute_url()).status_code == 200
    assert client_as("staff").get(incident.get_absolute_url()).status_code == 200
    for role in ("commune", "coach", "board", "ministry"):
        assert client_as(role).get(incident.get_absolute_url()).status_code == 404, role
        assert not SafetyIncident.objects.visible_to(demo_user(role)).exists(), role
    assert client_as("commune").get(reverse("fieldwork:incident_list")).status_code == 403
    assert SafetyIncident.objects.counted_for(demo_user("ministry")).count() == SafetyIncident.objects.count()
    manager = demo_user("manager")
    orgs = set(SafetyIncident.objects.visible_to(manager).values_list("team__project__organisation", flat=True))
    assert orgs and orgs <= set(manager.scope.org_ids("org_manager"))


def test_the_demo_has_incidents_and_required_trainings():
    assert SafetyIncident.objects.count() >= 50
    assert SafetyIncident.objects.filter(status="open").exists() and SafetyIncident.objects.filter(status="closed")
    assert RequiredTraining.objects.filter(site_kind__gt="").exists()
    assert RequiredTraining.objects.filter(work_kind__isnull=False).exists()


# --- care interventions ------------------------------------------------------------------------------------------


@pytest.fixture
def intervention(demo_user, today):
    """An intervention of a care team the demo team leader leads, open again and moved to the test day."""
    found = pick(Intervention.objects.filter(team__leader=demo_user("teamleader")).order_by("pk"),
                 "intervention of a team of the demo team leader")  # fmt: skip
    found.date, found.completed_on, found.hours = today, None, None
    found.save()
    TimeEntry.objects.filter(intervention=found).delete()
    return found


@pytest.fixture
def care_worker(intervention, today):
    """A worker under contract in the intervention's team on the test day, with nothing recorded that day."""
    from django.db.models import Q

    from moulin.participants.models import EmploymentContract

    team = intervention.team
    covering = EmploymentContract.objects.filter(team=team, start__lte=today).filter(
        Q(last_day__isnull=True) | Q(last_day__gte=today)
    )
    contract = covering.order_by("pk").first()
    if contract is None:
        contract = pick(EmploymentContract.objects.filter(team=team).order_by("pk"), "a contract in the care team")
        contract.pk = None
        contract.start, contract.planned_end, contract.ended_on, contract.end_reason = today, None, None, ""
        contract.save()
    TimeEntry.objects.filter(participant=contract.participant, date=today).delete()
    return contract.participant


def test_intervention_hours_are_its_time_entries(client_as, intervention, care_worker, demo_user, today):
    worker = care_worker
    leader = client_as("teamleader")
    url = reverse("fieldwork:time_entry_create")
    page = leader.get(url, {"intervention": intervention.pk})
    assert page.status_code == 200
    response = leader.post(url, {"participant": worker.pk, "date": today.isoformat(), "kind": "intervention",
                                 "intervention": intervention.pk, "hours": "1.5"})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == intervention.get_absolute_url()
    body = leader.get(intervention.get_absolute_url()).content.decode()
    assert 'data-section="time-entries"' in body and "1.50 h" in body
    with pytest.raises(ValidationError) as error:  # the completion checks the entries
        check_intervention_entries(intervention, actor=demo_user("teamleader"), hours=Decimal("2"), on=today)
    assert "add up to 1.5" in error.value.message_dict["hours"][0]
    check_intervention_entries(intervention, actor=demo_user("teamleader"), hours=Decimal("1.5"), on=today)
    week = week_hours(worker, today)
    assert week["by_kind"]["intervention"] == Decimal("1.5") and week["total"] >= Decimal("1.5")


def test_an_intervention_entry_on_another_day_or_without_its_intervention_is_refused(
    client_as, intervention, care_worker, today
):
    worker = care_worker
    leader = client_as("teamleader")
    url = reverse("fieldwork:time_entry_create")
    response = leader.post(url, {"participant": worker.pk, "date": today.isoformat(), "kind": "intervention",
                                 "hours": "1"})  # fmt: skip
    assert response.status_code == 422 and "care intervention" in response.content.decode()
    other_day = (today - datetime.timedelta(days=1)).isoformat()
    response = leader.post(url, {"participant": worker.pk, "date": other_day, "kind": "intervention",
                                 "intervention": intervention.pk, "hours": "1"})  # fmt: skip
    assert response.status_code == 422
    assert not TimeEntry.objects.filter(intervention=intervention).exists()


@pytest.mark.parametrize("name", ["fieldwork:incident_list", "fieldwork:required_training_list",
                                  "fieldwork:time_entry_list", "fieldwork:schedule", "fieldwork:today"])  # fmt: skip
@pytest.mark.parametrize("role", ["staff", "manager", "teamleader"])
def test_new_pages_make_a_bounded_number_of_queries(name, role, client_as, django_assert_max_num_queries):
    client = client_as(role)
    client.get(reverse(name))
    with django_assert_max_num_queries(30):
        assert client.get(reverse(name)).status_code == 200


def test_the_api_records_hours_on_an_intervention_once(client_as, intervention, care_worker, today):
    import uuid

    payload = {"idempotency_key": str(uuid.uuid4()), "participant": care_worker.pk, "date": today.isoformat(),
               "hours": "2", "kind": "intervention", "intervention": intervention.pk}  # fmt: skip
    client = client_as("teamleader")
    first = client.post("/api/v1/field/time-entries", payload, content_type="application/json")
    again = client.post("/api/v1/field/time-entries", payload, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["intervention"] == intervention.pk
    assert TimeEntry.objects.filter(intervention=intervention).count() == 1
    outside = {**payload, "idempotency_key": str(uuid.uuid4())}
    assert client_as("commune").post("/api/v1/field/time-entries", outside,
                                     content_type="application/json").status_code in (403, 404)  # fmt: skip
