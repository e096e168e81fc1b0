"""Schedules the product runs itself: once per period, retried, reported, visible to the administrator; and the
alerts they send by email in each recipient's language."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from moulin.ops import schedules, services
from moulin.ops.models import JobRun, ScheduledJob
from moulin.participants.models import EmploymentContract, FollowUp
from tests.picking import pick


def _boom():
    raise RuntimeError("the mail server said no")


@pytest.fixture
def failing_job(monkeypatch):
    job = schedules.Job("always-fails", "A job that fails", "tests.ops.test_schedules._boom", "day", dt.time(0, 0))
    monkeypatch.setattr(schedules, "JOBS", [job])
    monkeypatch.setattr(services, "JOBS", [job])
    return job


def test_every_job_runs_once_per_period_however_often_the_scheduler_passes(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.run_due_jobs()
    assert {run.job.name for run in first} == {job.name for job in schedules.JOBS}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.run_due_jobs() == []
        call_command("run_schedules", "--once")
    for job in ScheduledJob.objects.all():
        assert job.runs.count() == 1
        assert job.last_run.status == JobRun.Status.SUCCEEDED, job.last_run.error
        assert job.last_run.attempts == 1
    anonymised = ScheduledJob.objects.get(name="anonymise-expired-participants").last_run
    assert anonymised.result.isdigit()


def test_two_schedulers_claiming_the_same_period_get_one_run():
    row = services.sync_jobs()["follow-ups-due"]
    job = schedules.job_named("follow-ups-due")
    assert services.claim(job, row, "2026-06-15") is not None
    assert services.claim(job, row, "2026-06-15") is None
    assert services.claim(job, row, "2026-06-16") is not None


def test_periods_wait_for_their_time():
    tz = timezone.get_current_timezone()
    daily = schedules.job_named("anonymise-expired-participants")
    assert daily.period(dt.datetime(2026, 6, 15, 2, 0, tzinfo=tz)) is None
    assert daily.period(dt.datetime(2026, 6, 15, 2, 30, tzinfo=tz)) == "2026-06-15"
    weekly = schedules.job_named("contract-renewal-alerts")  # Mondays at 07:00
    assert weekly.period(dt.datetime(2026, 6, 15, 6, 59, tzinfo=tz)) is None  # a Monday
    assert weekly.period(dt.datetime(2026, 6, 17, 12, 0, tzinfo=tz)) == "2026-W25"
    assert weekly.period(dt.datetime(2027, 1, 1, 12, 0, tzinfo=tz)) == "2026-W53"  # ISO year of that Friday


def test_a_failing_job_is_retried_then_reported_to_the_administrators(failing_job, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.run_due_jobs()
    run = JobRun.objects.get(job__name="always-fails")
    assert run.status == JobRun.Status.FAILED
    assert run.attempts == schedules.MAX_ATTEMPTS
    assert "the mail server said no" in run.error
    reports = [m for m in mail.outbox if "A job that fails" in m.subject]
    assert reports and "admin@moulin.demo" in {to for m in reports for to in m.to}
    assert "the mail server said no" in reports[0].body


def test_the_administrator_sees_each_jobs_last_run(client_as, failing_job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.run_due_jobs()
    page = client_as("admin").get("/ops/jobs/").content.decode()
    assert "A job that fails" in page and "Failed" in page and "the mail server said no" in page
    assert "Scheduled jobs" in client_as("admin").get("/").content.decode()  # in the menu
    runs = client_as("admin").get("/ops/jobs/runs/").content.decode()
    assert "A job that fails" in runs
    for role in ("coach", "manager", "staff"):
        assert client_as(role).get("/ops/jobs/").status_code in {403, 404}


def test_follow_ups_due_go_to_each_coach_in_their_language():
    from moulin.ops.alerts import send_follow_up_reminders

    follow_up = pick(FollowUp.objects.due().filter(participant__coach__isnull=False), "a follow-up due")
    coach = follow_up.participant.coach
    coach.language = "fr"
    coach.save(update_fields=["language"])
    mail.outbox.clear()
    summary = send_follow_up_reminders()
    mine = [m for m in mail.outbox if m.to == [coach.email]]
    assert len(mine) == 1  # one email a coach, however many follow-ups
    with translation.override("fr"):
        due_since = translation.gettext("due since %(day)s").split("%")[0]  # "à réaliser depuis le "
        record_url = reverse("participants:follow_up_record", args=[follow_up.pk])
    assert not due_since.startswith("due")  # the French catalog translates it
    body = mine[0].body
    assert follow_up.participant.display_name in body
    assert due_since in body and "due since" not in body
    assert record_url in body
    assert summary.startswith(f"{len({m.to[0] for m in mail.outbox})} emails")


def test_contracts_ending_within_60_days_go_to_the_employers_managers(demo_user):
    from moulin.ops.alerts import send_contract_ending_alerts

    today = timezone.localdate()
    manager = demo_user("manager")
    ending = EmploymentContract.objects.visible_to(manager).ending_between(today, today + dt.timedelta(days=60))
    contract = pick(ending, "a contract of the manager's organisation ending within 60 days")
    later = EmploymentContract.objects.visible_to(manager).filter(last_day__gt=today + dt.timedelta(days=90))
    mail.outbox.clear()
    send_contract_ending_alerts()
    mine = [m for m in mail.outbox if m.to == [manager.email]]
    assert len(mine) == 1
    assert "60" in mine[0].subject
    assert contract.participant.display_name in mine[0].body
    assert contract.get_absolute_url() in mine[0].body
    for other in later.exclude(participant__in=ending.values("participant"))[:3]:
        assert other.get_absolute_url() not in mine[0].body
