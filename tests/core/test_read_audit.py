"""Every display of personal data is audited, through the generic views: the record, its forms, the lists and
searches that show names, exports (with the people exported), refused attempts and the Django admin's pages."""

import uuid

import pytest
from django.urls import reverse

from moulin.core.models import AuditEvent, AuditSubject
from moulin.participants.models import CoachingSession, EmploymentContract, Participant
from tests.picking import pick


def events_about(person, **filters):
    return AuditEvent.objects.filter(
        subjects__object_type="participants.participant", subjects__object_id=str(person.pk), **filters
    )


@pytest.fixture
def person(home_org):
    return pick(
        Participant.objects.filter(organisation=home_org, coachingsessions__isnull=False).distinct(),
        "participant of the home organisation with a coaching session",
    )


def test_participant_edit_form_is_audited(client_as, person):
    client = client_as("coach")
    response = client.get(reverse("participants:update", kwargs={"public_id": person.public_id}))
    assert response.status_code == 200
    event = events_about(person, action="view", actor__email="coach@moulin.demo").get()
    assert event.detail["view"] == "ParticipantUpdate"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["participants:entry_data", "participants:sensitive_data"])
def test_entry_and_sensitive_data_forms_are_audited(client_as, person, name):
    response = client_as("manager").get(reverse(name, kwargs={"public_id": person.public_id}))
    assert response.status_code == 200
    assert events_about(person, action="view", actor__email="manager@moulin.demo").exists()


def test_coaching_session_edit_form_is_audited_as_a_read_of_the_person(client_as, person):
    session = pick(CoachingSession.objects.filter(participant=person), "coaching session")
    url = reverse("participants:session_update", kwargs={"pk": session.pk})
    response = client_as("coach").get(url)
    assert response.status_code == 200
    event = events_about(person, action="view").get()
    assert event.object_type == "participants.coachingsession"
    assert event.object_id == str(session.pk)


def test_the_record_page_is_audited_once(client_as, person):
    client_as("coach").get(person.get_absolute_url())
    assert events_about(person, action="view", actor__email="coach@moulin.demo").count() == 1


def test_a_list_records_the_people_it_shows(client_as, home_org):
    response = client_as("coach").get(reverse("participants:list"))
    shown = {str(obj.pk) for obj, _cells in response.context["rows"]}
    event = AuditEvent.objects.get(
        action="view", object_type="participants.participant", actor__email="coach@moulin.demo"
    )
    assert set(event.subjects.values_list("object_id", flat=True)) == shown
    assert event.detail["count"] == len(shown)
    assert "no-store" in response["Cache-Control"]


def test_a_search_that_shows_names_is_audited(client_as, person):
    response = client_as("coach").get(reverse("home:search"), {"q": person.last_name})
    assert response.status_code == 200
    assert person.display_name in response.content.decode()
    assert events_about(person, action="view", actor__email="coach@moulin.demo").exists()
    assert "no-store" in response["Cache-Control"]


def test_an_export_records_who_was_exported(client_as):
    client = client_as("coach")
    response = client.get(reverse("participants:list"), {"export": "csv"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="export", actor__email="coach@moulin.demo")
    exported = set(Participant.objects.visible_to(client.user).active().values_list("pk", flat=True))
    assert {int(i) for i in event.subjects.values_list("object_id", flat=True)} == exported
    assert event.detail["count"] == len(exported) and event.detail["format"] == "csv"
    # the export itself is not counted a second time as a read
    assert not AuditEvent.objects.filter(action="view", actor__email="coach@moulin.demo").exists()


def test_a_refused_attempt_outside_scope_is_audited(client_as, other_org):
    outsider = pick(Participant.objects.filter(organisation=other_org), "participant of another organisation")
    response = client_as("coach").get(outsider.get_absolute_url())
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
    event = events_about(outsider, action="refused").get()
    assert event.actor.email == "coach@moulin.demo"
    assert event.detail["status"] == 404
    assert event.object_id == str(outsider.public_id)


def test_a_refused_attempt_at_a_record_that_does_not_exist_is_audited(client_as):
    missing = uuid.uuid4()
    response = client_as("coach").get(reverse("participants:detail", kwargs={"public_id": missing}))
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="refused", object_id=str(missing))
    assert not event.subjects.exists()


def test_a_forbidden_list_is_audited(client_as):
    response = client_as("board").get(reverse("participants:list"))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="refused", actor__email="board@moulin.demo", detail__status=403).exists()


def test_team_leader_minimal_contract_read_is_audited(client_as, demo_user):
    leader = demo_user("teamleader")
    contract = pick(EmploymentContract.objects.visible_to(leader).filter(team__leader=leader), "team contract")
    client_as("teamleader").get(contract.participant.get_absolute_url())
    assert events_about(contract.participant, actor=leader, action="view").exists()


@pytest.mark.parametrize(
    "model_name", ["organisations/boardmandate", "partners/contact", "organisations/volunteerhours"]
)
def test_admin_pages_listing_people_are_audited(client, model_name):
    from moulin.accounts.models import User

    admin_user = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin_user is None:
        admin_user = User.objects.create_superuser(email="super@moulin.test", password="x-long-password-1")
    client.force_login(admin_user)
    response = client.get(f"/admin/{model_name}/")
    assert response.status_code == 200
    app_label, model = model_name.split("/")
    event = AuditEvent.objects.filter(actor=admin_user, action="view", object_type=f"{app_label}.{model}").get()
    assert event.subjects.exists()
    assert "no-store" in response["Cache-Control"]
    row = AuditSubject.objects.filter(event=event).order_by("pk").first()
    response = client.get(f"/admin/{model_name}/{row.object_id}/change/")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(actor=admin_user, action="view", object_id=row.object_id).exists()


def test_audit_page_filters_by_person_user_date_and_action(client_as, person):
    client_as("coach").get(person.get_absolute_url())
    client_as("manager").get(reverse("participants:list"), {"export": "csv"})
    admin = client_as("admin")
    url = reverse("core:audit_list")
    by_person = admin.get(url, {"person": person.last_name})
    assert by_person.status_code == 200
    rows = [obj for obj, _cells in by_person.context["rows"]]
    assert rows and all(person.pk in {int(s.object_id) for s in e.subjects.all()} for e in rows)
    by_ref = admin.get(url, {"person": str(person.public_id)})
    assert {e.pk for e, _c in by_ref.context["rows"]} == {e.pk for e in rows}
    by_user = admin.get(url, {"user": "manager@", "action": "export"})
    assert [e.actor.email for e, _c in by_user.context["rows"]] == ["manager@moulin.demo"]
    today = by_user.context["rows"][0][0].at.date().isoformat()
    assert admin.get(url, {"user": "manager@", "date_from": today}).context["page"].paginator.count >= 1
    assert admin.get(url, {"user": "manager@", "date_to": "2000-01-01"}).context["page"].paginator.count == 0
    assert person.display_name in by_person.content.decode()


def test_audit_page_names_an_exports_first_people_and_counts_the_others(client_as):
    from moulin.core.audit_log import SHOWN_PEOPLE

    client_as("manager").get(reverse("participants:list"), {"export": "csv"})
    event = AuditEvent.objects.filter(action="export", actor__email="manager@moulin.demo").latest("pk")
    subjects = list(event.subjects.order_by("pk"))
    assert len(subjects) > SHOWN_PEOPLE
    assert event.subject_count == len(subjects)  # written with them: the log counts nothing at each request
    response = client_as("admin").get(reverse("core:audit_list"), {"user": "manager@", "action": "export"})
    shown = next(cells for obj, cells in response.context["rows"] if obj.pk == event.pk)
    people = dict((column.key, value) for column, value in shown)["people"]
    names = ", ".join(s.object_repr for s in subjects[:SHOWN_PEOPLE])
    assert people == f"{names} and {len(subjects) - SHOWN_PEOPLE} more"


def test_the_audit_log_export_names_the_people_of_hundreds_of_events(client_as):
    """The export reads its rows' first people like the page, for every row in one statement (a union of one
    select per event would stop at SQLite's 500 terms)."""
    from django.conf import settings

    count = min(600, settings.MOULIN_EXPORT_MAX_ROWS)
    events = AuditEvent.objects.bulk_create(
        AuditEvent(action=AuditEvent.Action.VIEW, object_type="participants.participant", subject_count=2)
        for _n in range(count)
    )
    AuditSubject.objects.bulk_create(
        AuditSubject(event=event, object_type="participants.participant", object_id=str(n), object_repr=name)
        for event in events
        for n, name in enumerate(("Zqxa Person", "Zqxb Person"))
    )
    response = client_as("admin").get(reverse("core:audit_list"), {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.decode().count("Zqxa Person, Zqxb Person") == count
