"""Gapless numbering as the people issuing documents notice it: numbers follow each other per series,
organisation and year, a document that failed to save gives its number back, and certificates keep their
CERT-YYYY-NNNNN numbers."""

import datetime
import importlib
import uuid

import pytest
from django.apps import apps as django_apps
from django.db import transaction
from django.utils import timezone

from moulin.sequences.models import Counter
from moulin.sequences.services import Series, advance_to, last_number, next_number, register
from moulin.training import services as training
from moulin.training.enums import AttendanceStatus
from moulin.training.models import Attendance, Certificate, Course, Session
from tests.picking import pick


def fresh_series(**kwargs) -> Series:
    return register(Series(f"test-{uuid.uuid4().hex[:12]}", **kwargs))


def test_numbers_follow_each_other_per_organisation_and_year(home_org, other_org):
    invoices = fresh_series(pattern="INV-{year}-{number:04d}")
    assert [next_number(invoices, organisation_id=home_org.pk, year=2026) for _ in range(3)] == [1, 2, 3]
    # another issuer, another year, another series: each starts at 1
    assert next_number(invoices, organisation_id=other_org.pk, year=2026) == 1
    assert next_number(invoices, organisation_id=home_org.pk, year=2027) == 1
    assert next_number(fresh_series(), organisation_id=home_org.pk, year=2026) == 1
    assert next_number(invoices.code, organisation_id=home_org.pk, year=2026) == 4
    assert last_number(invoices, organisation_id=home_org.pk, year=2026) == 4


def test_the_formatter_shows_the_series_pattern(home_org):
    invoices = fresh_series(pattern="{org}-INV-{year}-{number:04d}")
    assert invoices.format(42, year=2026, org="CIGL") == "CIGL-INV-2026-0042"
    assert invoices.issue(year=2026, organisation_id=home_org.pk, org="CIGL") == "CIGL-INV-2026-0001"


def test_a_rolled_back_document_gives_its_number_back(home_org):
    series = fresh_series()
    assert next_number(series, organisation_id=home_org.pk, year=2026) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number(series, organisation_id=home_org.pk, year=2026) == 2
        raise RuntimeError("the document failed to save")
    assert next_number(series, organisation_id=home_org.pk, year=2026) == 2


def test_the_first_number_of_a_year_rolled_back_leaves_no_counter(home_org):
    series = fresh_series()
    with pytest.raises(RuntimeError), transaction.atomic():
        next_number(series, organisation_id=home_org.pk, year=2026)
        raise RuntimeError("the document failed to save")
    assert not Counter.objects.filter(series=series.code).exists()
    assert next_number(series, organisation_id=home_org.pk, year=2026) == 1


def test_a_series_is_numbered_either_per_organisation_or_across_the_network(home_org):
    per_org, network = fresh_series(), fresh_series(per_organisation=False)
    with pytest.raises(ValueError, match="per organisation"):
        next_number(per_org, organisation_id=None, year=2026)
    with pytest.raises(ValueError, match="across the network"):
        next_number(network, organisation_id=home_org.pk, year=2026)
    with pytest.raises(ValueError, match="Unknown series"):
        next_number("never-declared", organisation_id=home_org.pk, year=2026)
    assert next_number(network, organisation_id=None, year=2026) == 1
    assert next_number(network, organisation_id=None, year=2026) == 2


def test_a_series_code_is_declared_once():
    series = fresh_series(pattern="A-{number}")
    assert register(Series(series.code, pattern="A-{number}")) == series
    with pytest.raises(ValueError, match="already declared"):
        register(Series(series.code, pattern="B-{number}"))


def test_advance_to_moves_a_counter_forward_only(home_org):
    series = fresh_series()
    assert advance_to(series, organisation_id=home_org.pk, year=2026, last=41) == 41
    assert advance_to(series, organisation_id=home_org.pk, year=2026, last=7) == 41
    assert next_number(series, organisation_id=home_org.pk, year=2026) == 42


def test_counters_are_read_by_administrators_only(demo_user, home_org):
    series = fresh_series()
    next_number(series, organisation_id=home_org.pk, year=2026)
    assert Counter.objects.visible_to(demo_user("admin")).filter(series=series.code).count() == 1
    for role in ("manager", "staff", "coach", "ministry"):
        assert not Counter.objects.visible_to(demo_user(role)).filter(series=series.code).exists(), role


# ---------------------------------------------------------------- certificates


def completable_enrolment(session, worker):
    enrolment = training.enrol(session=session, participant=worker, actor=None, on=session.start_date)
    Attendance.objects.bulk_create(
        Attendance(enrolment=enrolment, date=day, status=AttendanceStatus.PRESENT) for day in session.days()
    )
    return enrolment


@pytest.fixture
def finished_session(home_org):
    course = pick(Course.objects.filter(organisation=home_org, gives_certificate=True), "course giving a certificate")
    today = timezone.localdate()
    return Session.objects.create(
        course=course, start_date=today - datetime.timedelta(days=5), end_date=today - datetime.timedelta(days=1),
        weekdays="0,1,2,3,4,5,6", hours_per_day=4, capacity=30,
    )  # fmt: skip


def test_certificates_keep_their_numbers_and_follow_the_demo(finished_session, make_people):
    year = timezone.localdate().year
    highest = max(
        (int(n.rsplit("-", 1)[1]) for n in Certificate.objects.filter(number__startswith=f"CERT-{year}-")
         .values_list("number", flat=True)),
        default=0,
    )  # fmt: skip
    first, second = (completable_enrolment(finished_session, p) for p in make_people(2))
    training.complete_enrolment(enrolment=first, actor=None)
    training.complete_enrolment(enrolment=second, actor=None)
    assert Certificate.objects.get(enrolment=first).number == f"CERT-{year}-{highest + 1:05d}"
    assert Certificate.objects.get(enrolment=second).number == f"CERT-{year}-{highest + 2:05d}"


def test_a_completion_that_fails_after_the_certificate_consumes_no_number(finished_session, make_people):
    year = timezone.localdate().year
    before = last_number(training.CERTIFICATES, organisation_id=None, year=year)
    failing, next_one = (completable_enrolment(finished_session, p) for p in make_people(2))
    with pytest.raises(RuntimeError), transaction.atomic():
        training.complete_enrolment(enrolment=failing, actor=None)
        raise RuntimeError("the PDF could not be stored")
    assert not Certificate.objects.filter(enrolment=failing).exists()
    training.complete_enrolment(enrolment=next_one, actor=None)
    assert Certificate.objects.get(enrolment=next_one).number == f"CERT-{year}-{before + 1:05d}"


def test_the_migration_starts_the_counters_after_the_certificates_already_issued(finished_session, make_people):
    year = timezone.localdate().year
    enrolment = completable_enrolment(finished_session, make_people(1)[0])
    enrolment.status, enrolment.completed_on = "completed", timezone.localdate()
    enrolment.save()
    Certificate.objects.create(enrolment=enrolment, number=f"CERT-{year}-90000", issued_on=timezone.localdate())
    Counter.objects.filter(series="certificate").delete()
    migration = importlib.import_module("moulin.training.migrations.0002_certificate_numbers_continue_from_existing")
    migration.seed_counters(django_apps, None)
    assert last_number(training.CERTIFICATES, organisation_id=None, year=year) == 90000
    assert training.next_certificate_number(year) == f"CERT-{year}-90001"


@pytest.fixture
def make_people(home_org):
    from moulin.participants.models import Participant

    def make(n):
        tag = uuid.uuid4().hex[:6]
        return [
            Participant.objects.create(organisation=home_org, first_name="Num", last_name=f"Bering{tag}{i}")
            for i in range(n)
        ]

    return make
