"""The enrolment's declared moves (``Enrolment.workflow``): waiting → enrolled when a place frees, enrolled or
waiting → cancelled, enrolled → completed; every other move is refused with the message the coach reads."""

import pytest

from moulin.core.models import AuditEvent
from moulin.core.workflow import available_transitions
from moulin.training import services
from moulin.training.enums import AttendanceStatus, EnrolmentStatus
from moulin.training.models import Attendance, Enrolment


def enrol(session, worker):
    return services.enrol(session=session, participant=worker, actor=None, on=session.start_date)


def complete(session, enrolment):
    Attendance.objects.bulk_create(
        Attendance(enrolment=enrolment, date=day, status=AttendanceStatus.PRESENT) for day in session.days()
    )
    return services.complete_enrolment(enrolment=enrolment, actor=None)


def test_a_completed_or_cancelled_enrolment_is_not_cancelled_again(new_session, make_worker, home_org):
    session = new_session()
    done = complete(session, enrol(session, make_worker(home_org, last="Done")))
    with pytest.raises(services.TrainingRefused, match="A completed enrolment cannot be cancelled."):
        services.cancel_enrolment(enrolment=done, actor=None)
    gone = enrol(session, make_worker(home_org, last="Gone"))
    services.cancel_enrolment(enrolment=gone, actor=None)
    with pytest.raises(services.TrainingRefused, match="This enrolment is already cancelled."):
        services.cancel_enrolment(enrolment=gone, actor=None)
    done.refresh_from_db()
    assert done.status == EnrolmentStatus.COMPLETED


def test_only_an_enrolled_person_completes_the_course(new_session, make_worker, home_org):
    session = new_session(capacity=1)
    enrol(session, make_worker(home_org, last="First"))
    waiting = enrol(session, make_worker(home_org, last="Second"))
    assert waiting.status == EnrolmentStatus.WAITING
    with pytest.raises(services.TrainingRefused, match=r"this enrolment is: On the waiting list"):
        services.complete_enrolment(enrolment=waiting, actor=None)
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.WAITING and waiting.completed_on is None


def test_each_move_leaves_its_audit_row(new_session, make_worker, home_org, demo_user):
    coach = demo_user("coach")
    session = new_session(capacity=1)
    held = enrol(session, make_worker(home_org, last="Held"))
    waiting = enrol(session, make_worker(home_org, last="Waits"))
    promoted = services.cancel_enrolment(enrolment=held, actor=coach)
    assert promoted == waiting

    def moves(enrolment):
        rows = AuditEvent.objects.filter(object_type="training.enrolment", object_id=str(enrolment.pk))
        return [(r.detail.get("transition"), r.actor) for r in rows.order_by("pk") if "transition" in r.detail]

    assert moves(held) == [("cancel", coach)]
    assert moves(waiting) == [("promote", coach)]
    assert Enrolment.objects.get(pk=waiting.pk).status == EnrolmentStatus.ENROLLED


def test_the_moves_a_coach_is_offered(new_session, worker, demo_user):
    enrolment = enrol(new_session(), worker)
    assert [t.name for t in available_transitions(demo_user("coach"), enrolment)] == ["cancel", "complete"]
    assert available_transitions(demo_user("ministry"), enrolment) == []
