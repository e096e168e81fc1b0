"""Numbers issued by 20 concurrent issuers on PostgreSQL: no gap, no duplicate, and a rolled-back issuer's
number goes to the next one.

Each issuer is a real thread with its own database connection and its own committed transaction, as two
users issuing at the same moment would be. The data these tests commit is removed again at the end, from a
connection of its own, so that the demo network other tests read stays as it was. (They keep the ordinary
``django_db`` mark: a ``transaction=True`` test would flush the whole database, demo network included, for
every test after it.)
"""

import datetime
import threading
import uuid

import pytest
from django.db import connection, connections, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from moulin.sequences.models import Counter
from moulin.sequences.services import Series, last_number, next_number, register
from moulin.training import services as training
from moulin.training.enums import AttendanceStatus
from moulin.training.models import Attendance, Certificate, Course, Enrolment, ParticipantSkill, Session
from tests.picking import pick

ISSUERS = 20

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent issuers race only on PostgreSQL (SQLite serialises every write): run with "
    "DATABASE_URL=postgres://...",
)


def in_own_connection(fn):
    """Run ``fn`` in a thread of its own (its own connection, autocommit) and return its result."""
    result, errors = [], []

    def run():
        try:
            result.append(fn())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if errors:
        raise errors[0]
    return result[0] if result else None


def race(work, n=ISSUERS):
    """Start ``n`` threads at the same instant, each running ``work(i)`` in its own transaction; return the
    results of those that committed and the errors of the others."""
    barrier = threading.Barrier(n)
    committed, failed, lock = [], [], threading.Lock()

    def run(i):
        try:
            barrier.wait(timeout=60)
            with transaction.atomic():
                value = work(i)
            with lock:
                committed.append(value)
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            with lock:
                failed.append((i, exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "an issuer is still waiting: a lock was never released"
    return committed, failed


class Abandoned(Exception):
    """The issuer's document failed to save after it took a number."""


def test_twenty_concurrent_issuers_get_consecutive_numbers(home_org):
    series = register(Series(f"race-{uuid.uuid4().hex[:12]}", pattern="R-{year}-{number:04d}"))

    def issue(i):
        number = next_number(series, organisation_id=home_org.pk, year=2026)
        if i % 5 == 4:
            raise Abandoned(number)  # four issuers roll back: their numbers go to others
        return number

    try:
        committed, failed = race(issue)
        assert [type(exc) for _i, exc in failed] == [Abandoned] * 4, failed
        # no duplicate, no gap: the 16 documents saved hold exactly 1..16
        assert sorted(committed) == list(range(1, ISSUERS - 4 + 1))
        assert in_own_connection(lambda: last_number(series, organisation_id=home_org.pk, year=2026)) == 16
    finally:
        in_own_connection(lambda: Counter.objects.filter(series=series.code).delete())


def test_twenty_coaches_completing_at_once_issue_consecutive_certificates(home_org):
    year = timezone.localdate().year
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=3), today - datetime.timedelta(days=1)

    def prepare():
        from moulin.participants.models import Participant

        with transaction.atomic():
            course = pick(Course.objects.filter(organisation=home_org, gives_certificate=True), "certifying course")
            session = Session.objects.create(
                course=course, start_date=start, end_date=end,
                weekdays="0,1,2,3,4,5,6", hours_per_day=4, capacity=ISSUERS,
            )  # fmt: skip
            tag = uuid.uuid4().hex[:6]
            enrolments = []
            for i in range(ISSUERS):
                worker = Participant.objects.create(organisation=home_org, first_name="Race", last_name=f"{tag}{i}")
                enrolments.append(
                    training.enrol(session=session, participant=worker, actor=None, on=session.start_date)
                )
            Attendance.objects.bulk_create(
                Attendance(enrolment=e, date=day, status=AttendanceStatus.PRESENT)
                for e in enrolments
                for day in session.days()
            )
            before = last_number(training.CERTIFICATES, organisation_id=None, year=year)
        return session, enrolments, before

    session, enrolments, before = in_own_connection(prepare)

    def cleanup():
        from moulin.core.models import AuditEvent
        from moulin.participants.models import Participant
        from moulin.sequences.models import Counter

        with transaction.atomic():
            ids = [e.pk for e in enrolments]
            Certificate.objects.filter(enrolment__in=ids).delete()
            ParticipantSkill.objects.filter(enrolment__in=ids).delete()
            AuditEvent.objects.filter(object_type="training.enrolment", object_id__in=[str(i) for i in ids]).delete()
            workers = [e.participant_id for e in enrolments]
            Enrolment.objects.filter(pk__in=ids).delete()
            session.delete()
            Participant.objects.filter(pk__in=workers).delete()
            # the demo's series continues where it was, for the tests that run after this one
            Counter.objects.filter(series="certificate", organisation=None, year=year).update(last=before)

    try:
        committed, failed = race(lambda i: training.complete_enrolment(enrolment=enrolments[i], actor=None).pk)
        assert failed == []
        numbers = in_own_connection(
            lambda: sorted(Certificate.objects.filter(enrolment__in=committed).values_list("number", flat=True))
        )
        assert numbers == [f"CERT-{year}-{n:05d}" for n in range(before + 1, before + ISSUERS + 1)]
    finally:
        in_own_connection(cleanup)


def test_a_number_is_not_issued_outside_the_documents_transaction(home_org):
    series = register(Series(f"bare-{uuid.uuid4().hex[:12]}"))
    with pytest.raises(TransactionManagementError, match="inside the transaction"):
        in_own_connection(lambda: next_number(series, organisation_id=home_org.pk, year=2026))
    assert in_own_connection(lambda: Counter.objects.filter(series=series.code).exists()) is False
