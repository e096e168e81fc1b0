"""GDPR: every read is audited; retention and erasure anonymise (report figures unchanged); access export."""

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, load_command_class
from django.urls import reverse
from django.utils.module_loading import import_string

from moulin.core.models import AuditEvent
from moulin.participants import enums, services
from moulin.participants.figures import pathway_figures
from moulin.participants.models import CoachingSession, Exit, Participant, PathwaySettings
from moulin.participants.validators import add_months
from tests.participants.helpers import today
from tests.picking import pick

D = datetime.timedelta


def exited_person(org):
    return (
        Participant.objects.filter(organisation=org, status=enums.PathwayStatus.EXITED, anonymised_at__isnull=True)
        .filter(coachingsessions__isnull=False, exits__situation__in=enums.EMPLOYED_SITUATIONS)
        .order_by("pk")
        .first()
    )


def test_every_read_of_a_record_is_audited_and_browsable(client_as, home_org):
    person = exited_person(home_org)
    client = client_as("coach")
    for name in ("detail", "access_export_json"):
        client.get(reverse(f"participants:{name}", args=[person.public_id]))
    events = AuditEvent.objects.filter(object_type="participants.participant", object_id=str(person.pk),
                                       action=AuditEvent.Action.VIEW)  # fmt: skip
    assert {e.detail["part"] for e in events} >= {"page", "access export (JSON)"}
    assert all(e.actor.email == "coach@moulin.demo" for e in events)
    response = client_as("admin").get(reverse("core:audit_list"), {"object_type": "participants.participant"})
    assert person.display_name in response.content.decode()


def test_erasure_keeps_report_figures_equal(client_as, home_org, demo_user):
    year = today().year
    person = exited_person(home_org)
    exit_year = person.exits.first().date.year
    before = {y: pathway_figures(y) for y in {year, exit_year, year - 1}}
    manager = demo_user("manager")  # counts the figures of the home organisation
    assert home_org.pk in manager.scope.managed_org_ids
    before_org = pathway_figures(exit_year, user=manager)
    name = person.display_name
    response = client_as("staff").post(reverse("participants:erase", args=[person.public_id]), {"confirm": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.anonymised_at and person.first_name == "" and person.birth_date is None
    assert person.jobseeker_number == "" and person.email == ""
    assert not CoachingSession.objects.filter(participant=person).exclude(notes="").exists()
    assert not Exit.objects.filter(participant=person).exclude(employer="").exists()
    assert {y: pathway_figures(y) for y in before} == before
    assert pathway_figures(exit_year, user=manager) == before_org
    page = client_as("coach").get(person.get_absolute_url()).content.decode()
    assert name not in page and "anonymised" in page
    assert not AuditEvent.objects.filter(object_id=str(person.pk), object_repr=name).exists()


def test_a_coach_may_not_erase(client_as, home_org):
    person = exited_person(home_org)
    assert client_as("coach").post(reverse("participants:erase", args=[person.public_id]),
                                   {"confirm": "on"}).status_code == 403  # fmt: skip
    person.refresh_from_db()
    assert person.anonymised_at is None


def test_retention_job_is_dry_unless_wet_run(home_org):
    settings_row = PathwaySettings.load()
    settings_row.retention_months = 24
    settings_row.save()
    expired = list(services.expired_participants())
    assert expired, "the demo holds people who left more than two years ago"
    limit = add_months(today(), -24)
    assert all(p.last_exit < limit for p in expired)
    out = StringIO()
    call_command("anonymise_expired_participants", stdout=out)
    assert "dry run" in out.getvalue() and f"{len(expired)} participant" in out.getvalue()
    assert Participant.objects.filter(pk__in=[p.pk for p in expired], anonymised_at__isnull=True).count() == len(
        expired
    )
    figures = pathway_figures(today().year - 2)
    out = StringIO()
    call_command("anonymise_expired_participants", "--wet-run", stdout=out)
    assert "dry run" not in out.getvalue()
    assert not Participant.objects.filter(pk__in=[p.pk for p in expired], anonymised_at__isnull=True).exists()
    assert pathway_figures(today().year - 2) == figures
    recent = pick(Participant.objects.filter(status=enums.PathwayStatus.HIRED))
    assert recent.anonymised_at is None


def test_the_task_runs_the_same_job():
    from moulin.participants.tasks import anonymise_expired_participants

    PathwaySettings.objects.update_or_create(pk=1, defaults={"retention_months": 30})
    count = anonymise_expired_participants.call()
    assert count >= 0
    assert not services.expired_participants().exists()


def test_the_schedule_names_real_commands_and_tasks():
    """The product schedules the anonymisation itself (moulin.ops); cron.json only runs the scheduler."""
    from moulin.ops.schedules import JOBS

    jobs = {job.name: job for job in JOBS}
    assert (
        jobs["anonymise-expired-participants"].function == "moulin.participants.tasks.anonymise_expired_participants"
    )
    assert hasattr(import_string(jobs["anonymise-expired-participants"].function), "enqueue")
    schedule = json.loads((Path(settings.BASE_DIR) / "deploy" / "cron.json").read_text())
    for job in schedule["jobs"]:
        assert len(job["schedule"].split()) == 5
        command = job["command"]
        assert command[:2] == ["python", "manage.py"]
        load_command_class("moulin.ops", command[2])


def test_access_export_holds_everything(client_as, home_org):
    person = exited_person(home_org)
    response = client_as("manager").get(reverse("participants:access_export_json", args=[person.public_id]))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["person"]["last_name"] == person.last_name
    for key in ("referrals", "intakes", "contracts", "entry_data", "plan", "coaching_sessions", "exits",
                "follow_ups", "training", "record_views"):  # fmt: skip
        assert key in data
    assert data["contracts"] and data["exits"] and data["coaching_sessions"][0]["notes"]


@pytest.mark.parametrize("name", ["access_export_pdf", "exit_summary"])
def test_pdfs_are_real_pdfs(client_as, home_org, name):
    person = exited_person(home_org)
    response = client_as("coach").get(reverse(f"participants:{name}", args=[person.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
