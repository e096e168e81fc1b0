"""Training as its users notice it: the catalogue and its rates, enrolment within capacity, the attendance
screen, completion with certificate and skills, the worker's hours and skills record."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from moulin.training import services
from moulin.training.enums import AttendanceStatus, EnrolmentStatus, SkillSource
from moulin.training.models import Attendance, Certificate, Course, Enrolment, ParticipantSkill, Session, Skill
from tests.picking import pick


def enrol(session, worker, actor=None):
    """Enrol as it was done before the session began."""
    on = min(session.start_date - datetime.timedelta(days=1), timezone.localdate())
    return services.enrol(session=session, participant=worker, actor=actor, on=on)


# ---------------------------------------------------------------- lists within a fixed number of queries


@pytest.mark.parametrize("role", ["admin", "coach", "ministry"])
def test_course_list_shows_the_catalogue_in_bounded_queries(role, client_as, django_assert_max_num_queries):
    client = client_as(role)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("training:course_list"), {"sort": "-n_sessions", "q": "first aid"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "First aid at work" in body  # a network course of the resource centre
    assert "Fill rate (%)" in body and "Completion (%)" in body


def test_catalogue_has_forty_courses_in_five_kinds():
    assert Course.objects.count() >= 40
    assert set(Course.objects.values_list("kind", flat=True)) == {
        "technical",
        "social",
        "language",
        "digital",
        "safety",
    }
    first = pick(Session.objects.order_by("start_date")).start_date
    assert first.year == timezone.localdate().year - 2


@pytest.mark.parametrize("role", ["admin", "coach", "commune"])
def test_session_list_bounded(role, client_as, django_assert_max_num_queries):
    client = client_as(role)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("training:session_list"), {"period": "past"})
    assert response.status_code == 200


def test_enrolment_list_bounded_and_only_followed_people(
    client_as, django_assert_max_num_queries, worker, new_session
):
    enrol(new_session(), worker)
    client = client_as("coach")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("training:enrolment_list"), {"q": worker.last_name})
    assert worker.display_name in response.content.decode()


def test_session_and_attendance_pages_bounded(client_as, django_assert_max_num_queries, worker, make_worker,
                                              home_org, new_session):  # fmt: skip
    session = new_session(capacity=20)
    for i in range(12):
        enrol(session, make_worker(home_org, last=f"Bounded{i}"))
    client = client_as("coach")
    with django_assert_max_num_queries(20):
        assert client.get(session.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("training:attendance", args=[session.pk])).status_code == 200


# ---------------------------------------------------------------- course page figures


def test_course_page_shows_fill_and_completion_rates(client_as, home_course):
    figures = services.course_figures(home_course)
    response = client_as("coach").get(home_course.get_absolute_url())
    body = response.content.decode()
    assert 'data-testid="fill-rate"' in body and 'data-testid="completion-rate"' in body
    assert f"{figures.enrolled} of {figures.capacity} places" in body


def test_fill_and_completion_rates_computed(home_course, new_session, make_worker, home_org):
    before = services.course_figures(home_course)
    session = new_session(capacity=4, start=timezone.localdate() - datetime.timedelta(days=30))
    a, b = make_worker(home_org, last="Rate1"), make_worker(home_org, last="Rate2")
    ea, eb = enrol(session, a), enrol(session, b)
    services.record_day(session=session, day=session.start_date, statuses={}, actor=None)
    for day in session.days()[1:]:
        services.record_day(session=session, day=day, statuses={eb.pk: "absent"}, actor=None)
    services.complete_enrolment(enrolment=ea, actor=None)
    after = services.course_figures(home_course)
    assert after.capacity == before.capacity + 4
    assert after.enrolled == before.enrolled + 2
    assert after.completed == before.completed + 1
    assert after.finished_enrolled == before.finished_enrolled + 2


def test_course_figures_come_with_the_queryset(home_course, new_session, make_worker, home_org):
    """The list's figures are a queryset method, so the API and commands read the same numbers."""
    session = new_session(capacity=4, start=timezone.localdate() - datetime.timedelta(days=30))
    a, b = make_worker(home_org, last="Fig1"), make_worker(home_org, last="Fig2")
    ea, _eb = enrol(session, a), enrol(session, b)
    for day in session.days():
        services.record_day(session=session, day=day, statuses={}, actor=None)
    services.complete_enrolment(enrolment=ea, actor=None)
    course = Course.objects.with_figures().get(pk=home_course.pk)
    figures = services.course_figures(home_course)
    assert course.n_sessions == figures.sessions and course.n_capacity == figures.capacity
    assert course.n_enrolled == figures.enrolled and course.n_finished == figures.finished_enrolled
    assert course.n_completed == figures.completed >= 1
    assert course.fill_rate == float(figures.fill_rate) and course.completion_rate == float(figures.completion_rate)


# ---------------------------------------------------------------- enrolment, capacity, waiting list


def test_full_session_puts_the_next_on_the_waiting_list_then_promotes(client_as, new_session, make_worker, home_org):
    session = new_session(capacity=1, start=timezone.localdate() + datetime.timedelta(days=3))
    first, second = make_worker(home_org, last="First"), make_worker(home_org, last="Second")
    client = client_as("coach")
    response = client.post(
        reverse("training:enrolment_create", args=[session.pk]), {"participant": first.pk}, follow=True
    )
    assert "is enrolled" in response.content.decode()
    response = client.post(
        reverse("training:enrolment_create", args=[session.pk]), {"participant": second.pk}, follow=True
    )
    assert "waiting list" in response.content.decode()
    waiting = Enrolment.objects.get(session=session, participant=second)
    assert waiting.status == EnrolmentStatus.WAITING
    held = Enrolment.objects.get(session=session, participant=first)
    response = client.post(reverse("training:enrolment_cancel", args=[held.pk]), follow=True)
    assert "moves up from the waiting list" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.ENROLLED


def test_same_worker_twice_is_refused(client_as, new_session, worker):
    session = new_session(start=timezone.localdate() + datetime.timedelta(days=3))
    enrol(session, worker)
    response = client_as("coach").post(
        reverse("training:enrolment_create", args=[session.pk]), {"participant": worker.pk}
    )
    assert response.status_code == 422
    assert Enrolment.objects.filter(session=session).count() == 1


def test_public_enrolment_only_in_courses_open_to_the_public(client_as, new_session):
    session = new_session(start=timezone.localdate() + datetime.timedelta(days=3))
    assert not session.course.open_to_public
    response = client_as("coach").post(
        reverse("training:public_enrolment_create", args=[session.pk]), {"public_name": "Jos Weis"}
    )
    assert response.status_code == 422
    assert "not open to the public" in response.content.decode()
    assert not Enrolment.objects.filter(session=session).exists()


def test_member_of_the_public_enrols_in_a_web_cafe_course(client_as):
    course = pick(Course.objects.filter(open_to_public=True).order_by("pk"))
    today = timezone.localdate()
    session = Session.objects.create(course=course, start_date=today + datetime.timedelta(days=7),
                                     end_date=today + datetime.timedelta(days=14), weekdays="1", hours_per_day=2,
                                     capacity=8)  # fmt: skip
    response = client_as("staff").post(
        reverse("training:public_enrolment_create", args=[session.pk]),
        {"public_name": "Fernande Olinger"},
        follow=True,
    )
    assert "Fernande Olinger is enrolled" in response.content.decode()


# ---------------------------------------------------------------- attendance


def test_attendance_screen_everyone_present_by_default_then_save_the_day(
    client_as, new_session, make_worker, home_org
):
    session = new_session(capacity=5)
    people = [enrol(session, make_worker(home_org, last=f"Att{i}")) for i in range(3)]
    day = session.days()[1]
    client = client_as("coach")
    url = reverse("training:attendance", args=[session.pk])
    page = client.get(url, {"day": day.isoformat()}).content.decode()
    assert page.count('value="present" autocomplete="off" checked') == 3
    assert "Not recorded yet" in page
    response = client.post(url, {"day": day.isoformat(), f"status-{people[0].pk}": "absent",
                                 f"status-{people[1].pk}": "excused", f"status-{people[2].pk}": "present"},
                           follow=True)  # fmt: skip
    assert "1 present, 1 absent, 1 excused" in response.content.decode()
    saved = dict(Attendance.objects.filter(enrolment__session=session, date=day).values_list("enrolment", "status"))
    assert saved == {people[0].pk: "absent", people[1].pk: "excused", people[2].pk: "present"}


def test_attendance_htmx_swaps_the_sheet(client_as, new_session, worker):
    session = new_session()
    e = enrol(session, worker)
    day = session.days()[0]
    response = client_as("coach").post(
        reverse("training:attendance", args=[session.pk]), {"day": day.isoformat(), f"status-{e.pk}": "absent"},
        headers={"HX-Request": "true", "HX-Target": "sheet"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="sheet">')
    assert "0 present, 1 absent, 0 excused" in body


def test_attendance_on_a_day_outside_the_session_is_refused(client_as, new_session, worker):
    session = new_session()
    e = enrol(session, worker)
    outside = session.start_date - datetime.timedelta(days=1)
    response = client_as("coach").post(
        reverse("training:attendance", args=[session.pk]), {"day": outside.isoformat(), f"status-{e.pk}": "absent"}
    )
    assert response.status_code == 422
    assert "is not a day of this session" in response.content.decode()
    assert not Attendance.objects.filter(enrolment__session=session).exists()


def test_attendance_in_advance_is_refused(new_session, worker):
    session = new_session(start=timezone.localdate() + datetime.timedelta(days=2))
    enrol(session, worker)
    with pytest.raises(services.TrainingRefused):
        services.record_day(session=session, day=session.start_date, statuses={}, actor=None)
    assert not Attendance.objects.filter(enrolment__session=session).exists()


def test_attendance_with_a_bad_status_saves_nothing(new_session, make_worker, home_org):
    session = new_session()
    a, b = enrol(session, make_worker(home_org, last="A")), enrol(session, make_worker(home_org, last="B"))
    with pytest.raises(services.TrainingRefused):
        services.record_day(session=session, day=session.start_date, statuses={a.pk: "absent", b.pk: "asleep"},
                            actor=None)  # fmt: skip
    assert not Attendance.objects.filter(enrolment__session=session).exists()


def test_attendance_is_not_for_team_leaders_or_ministry(client_as, new_session):
    session = new_session()
    for role in ("teamleader", "board"):
        assert client_as(role).get(reverse("training:attendance", args=[session.pk])).status_code == 403
    assert client_as("ministry").get(reverse("training:attendance", args=[session.pk])).status_code == 403


# ---------------------------------------------------------------- completion, certificate, skills


def attend_all(session, enrolment, absent_days=0):
    for i, day in enumerate(session.days()):
        status = AttendanceStatus.ABSENT if i < absent_days else AttendanceStatus.PRESENT
        services.record_day(session=session, day=day, statuses={enrolment.pk: status}, actor=None)


def test_completion_below_the_threshold_is_refused(client_as, new_session, worker):
    session = new_session()
    e = enrol(session, worker)
    attend_all(session, e, absent_days=2)  # 3 of 5 days: 60 %
    response = client_as("coach").post(reverse("training:enrolment_complete", args=[e.pk]), follow=True)
    assert "Attendance is 60.0 %" in response.content.decode()
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.ENROLLED
    assert not Certificate.objects.filter(enrolment=e).exists()


def test_completion_issues_the_certificate_and_adds_the_skills(client_as, new_session, worker):
    session = new_session()
    e = enrol(session, worker)
    attend_all(session, e, absent_days=1)  # 80 %
    client = client_as("coach")
    page = client.get(reverse("training:enrolment_complete", args=[e.pk])).content.decode()
    assert "4 of 5 days" in page
    response = client.post(reverse("training:enrolment_complete", args=[e.pk]), follow=True)
    assert "completed the course" in response.content.decode()
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.COMPLETED
    certificate = e.certificate
    pdf = client.get(reverse("training:certificate_pdf", args=[certificate.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    skills = set(ParticipantSkill.objects.filter(participant=worker).values_list("skill", flat=True))
    assert set(session.course.skills.values_list("pk", flat=True)) <= skills
    assert ParticipantSkill.objects.filter(participant=worker, enrolment=e, source=SkillSource.TRAINING).exists()


def test_session_not_over_cannot_be_completed(new_session, worker):
    session = new_session(start=timezone.localdate() - datetime.timedelta(days=1), days=5)
    e = enrol(session, worker)
    with pytest.raises(services.TrainingRefused, match="not over"):
        services.complete_enrolment(enrolment=e, actor=None)


def test_worker_page_shows_hours_this_year_and_skills(client_as, new_session, worker):
    session = new_session()
    e = enrol(session, worker)
    before = services.training_hours_this_year(worker)
    attend_all(session, e, absent_days=1)
    in_year = sum(1 for d in session.days()[1:] if d.year == timezone.localdate().year)
    assert services.training_hours_this_year(worker) == before + Decimal(4 * in_year)
    services.complete_enrolment(enrolment=e, actor=None)
    page = client_as("coach").get(reverse("training:worker", args=[worker.public_id])).content.decode()
    assert session.course.skills.first().name in page
    assert e.certificate.number in page


def test_coach_edits_the_skills_record(client_as, worker):
    skill = pick(Skill.objects.order_by("pk"))
    ParticipantSkill.objects.filter(participant=worker, skill=skill).delete()
    client = client_as("coach")
    response = client.post(reverse("training:worker_skill_create", args=[worker.public_id]),
                           {"skill": skill.pk, "acquired_on": timezone.localdate().isoformat(), "note": "On the job"},
                           follow=True)  # fmt: skip
    assert response.status_code == 200
    row = ParticipantSkill.objects.get(participant=worker, skill=skill)
    assert row.source == SkillSource.COACH
    response = client.post(reverse("training:worker_skill_create", args=[worker.public_id]),
                           {"skill": skill.pk, "acquired_on": timezone.localdate().isoformat()})  # fmt: skip
    assert response.status_code == 422
    assert "already in the worker" in response.content.decode()
    client.post(reverse("training:worker_skill_delete", args=[row.pk]))
    assert not ParticipantSkill.objects.filter(pk=row.pk).exists()


def test_session_rules_in_the_form(client_as, home_course):
    today = timezone.localdate()
    response = client_as("coach").post(
        reverse("training:session_create", args=[home_course.pk]),
        {"start_date": today.isoformat(), "end_date": (today - datetime.timedelta(days=3)).isoformat(),
         "weekdays": ["0"], "hours_per_day": "4", "capacity": "0"},
    )  # fmt: skip
    assert response.status_code == 422
    body = response.content.decode()
    assert "cannot end before it starts" in body
    assert "greater than or equal to 1" in body


def test_coach_creates_a_course_and_a_session(client_as, home_org):
    client = client_as("coach")
    skill = pick(Skill.objects.order_by("pk"))
    response = client.post(reverse("training:course_create"), {
        "title": "Chainsaw safety", "organisation": home_org.pk, "kind": "safety", "hours": "8",
        "provider_kind": "internal", "gives_certificate": "on", "attendance_threshold": "100", "skills": [skill.pk],
        "is_active": "on",
    }, follow=True)  # fmt: skip
    course = Course.objects.get(title="Chainsaw safety")
    assert response.redirect_chain[-1][0] == course.get_absolute_url()
    today = timezone.localdate()
    response = client.post(reverse("training:session_create", args=[course.pk]), {
        "start_date": today.isoformat(), "end_date": (today + datetime.timedelta(days=7)).isoformat(),
        "weekdays": ["0", "2"], "hours_per_day": "4", "capacity": "8",
    })  # fmt: skip
    session = Session.objects.get(course=course)
    assert session.weekdays == "0,2"
    assert all(d.weekday() in (0, 2) for d in session.days())


def test_external_course_needs_its_partner(client_as, home_org):
    response = client_as("coach").post(reverse("training:course_create"), {
        "title": "External thing", "organisation": home_org.pk, "kind": "safety", "hours": "8",
        "provider_kind": "external", "attendance_threshold": "80",
    })  # fmt: skip
    assert response.status_code == 422
    assert "Choose the partner" in response.content.decode()


# ---------------------------------------------------------------- outsiders get a 404 on every page


def test_outsiders_get_404(client_as, other_course, other_org, make_worker):
    today = timezone.localdate()
    session = Session.objects.create(course=other_course, start_date=today - datetime.timedelta(days=3),
                                     end_date=today - datetime.timedelta(days=1), weekdays="0,1,2,3,4,5,6",
                                     hours_per_day=4, capacity=5)  # fmt: skip
    stranger = make_worker(other_org, last="Stranger")
    e = enrol(session, stranger)
    attend_all(session, e)
    services.complete_enrolment(enrolment=e, actor=None)
    e.refresh_from_db()
    skill = ParticipantSkill.objects.create(participant=stranger, skill=Skill.objects.first())
    client = client_as("coach")
    urls = [
        other_course.get_absolute_url(), reverse("training:course_update", args=[other_course.pk]),
        reverse("training:course_delete", args=[other_course.pk]),
        reverse("training:session_create", args=[other_course.pk]), session.get_absolute_url(),
        reverse("training:session_update", args=[session.pk]), reverse("training:session_delete", args=[session.pk]),
        reverse("training:attendance", args=[session.pk]), reverse("training:enrolment_create", args=[session.pk]),
        reverse("training:public_enrolment_create", args=[session.pk]),
        reverse("training:enrolment_complete", args=[e.pk]), reverse("training:enrolment_cancel", args=[e.pk]),
        reverse("training:certificate_pdf", args=[e.certificate.pk]),
        reverse("training:worker", args=[stranger.public_id]),
        reverse("training:worker_skill_create", args=[stranger.public_id]),
        reverse("training:worker_skill_delete", args=[skill.pk]),
    ]  # fmt: skip
    for url in urls:
        assert client.get(url).status_code == 404, url
    listed = client.get(reverse("training:enrolment_list"), {"q": "Stranger"})
    assert listed.context["rows"] == []


def test_session_edit_keeps_room_for_people_and_recorded_days(client_as, new_session, make_worker, home_org):
    session = new_session(capacity=3)
    for i in range(2):
        enrol(session, make_worker(home_org, last=f"Room{i}"))
    services.record_day(session=session, day=session.start_date, statuses={}, actor=None)
    url = reverse("training:session_update", args=[session.pk])
    data = {"start_date": (session.start_date + datetime.timedelta(days=1)).isoformat(),
            "end_date": session.end_date.isoformat(), "weekdays": [str(d) for d in range(7)], "hours_per_day": "4",
            "capacity": "1"}  # fmt: skip
    response = client_as("coach").post(url, data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "2 people hold a place" in body
    assert "Attendance is recorded on" in body
    session.refresh_from_db()
    assert session.capacity == 3


def test_raising_capacity_promotes_the_people_waiting(client_as, new_session, make_worker, home_org):
    session = new_session(capacity=1, start=timezone.localdate() + datetime.timedelta(days=2))
    enrol(session, make_worker(home_org, last="Holder"))
    waiting = enrol(session, make_worker(home_org, last="Patient"))
    assert waiting.status == EnrolmentStatus.WAITING
    data = {"start_date": session.start_date.isoformat(), "end_date": session.end_date.isoformat(),
            "weekdays": [str(d) for d in range(7)], "hours_per_day": "4", "capacity": "2"}  # fmt: skip
    response = client_as("coach").post(reverse("training:session_update", args=[session.pk]), data, follow=True)
    assert "Places freed for people waiting" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.ENROLLED


@pytest.mark.parametrize(
    "language,month", [("en", "6 January 2025"), ("fr", "6 janvier 2025"), ("de", "6. Januar 2025")]
)
def test_certificate_pdf_names_person_course_hours_skills_in_the_readers_language(
    language, month, client_as, demo_user, home_course, worker
):
    import io

    from pypdf import PdfReader

    session = Session.objects.create(course=home_course, start_date=datetime.date(2025, 1, 6),
                                     end_date=datetime.date(2025, 1, 10), weekdays="0,1,2,3,4", hours_per_day=4,
                                     capacity=5)  # fmt: skip
    e = services.enrol(session=session, participant=worker, actor=None, on=datetime.date(2025, 1, 2))
    attend_all(session, e)
    services.complete_enrolment(enrolment=e, actor=None)
    e.refresh_from_db()
    user = demo_user("coach")
    user.language = language
    user.save(update_fields=["language"])
    response = client_as(user).get(reverse("training:certificate_pdf", args=[e.certificate.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert worker.display_name in text
    assert home_course.title in text
    assert e.certificate.number in text
    assert month in text
    assert "20" in text and "h" in text  # 5 days × 4 h attended
    for skill in home_course.skills.all():
        assert skill.name in text
    assert home_course.organisation.name in text


def test_home_panel_lists_the_sessions_meeting_today(client_as, new_session):
    from moulin.core.calendar import is_public_holiday

    session = new_session(start=timezone.localdate() - datetime.timedelta(days=1), days=3)
    body = client_as("coach").get("/").content.decode()
    if is_public_holiday(timezone.localdate()):  # CI's 1 January: the session does not meet today
        assert reverse("training:attendance", args=[session.pk]) not in body
        return
    assert "Attendance to take today" in body
    assert reverse("training:attendance", args=[session.pk]) in body
    assert "Attendance to take today" not in client_as("ministry").get("/").content.decode()


def test_closing_a_session_completes_those_who_attended_enough(client_as, new_session, make_worker, home_org):
    session = new_session()
    good, poor = (
        enrol(session, make_worker(home_org, last="Assidu")),
        enrol(session, make_worker(home_org, last="Rare")),
    )
    for i, day in enumerate(session.days()):
        services.record_day(session=session, day=day, statuses={poor.pk: "absent"} if i % 2 else {}, actor=None)
    client = client_as("coach")
    url = reverse("training:session_complete", args=[session.pk])
    page = client.get(url).content.decode()
    assert "Complete 1 person" in page and "Rare" in page
    response = client.post(url, follow=True)
    body = response.content.decode()
    assert "1 person completed the course." in body
    assert "Not enough attendance to complete" in body
    good.refresh_from_db()
    poor.refresh_from_db()
    assert good.status == EnrolmentStatus.COMPLETED and Certificate.objects.filter(enrolment=good).exists()
    assert poor.status == EnrolmentStatus.ENROLLED
    assert client_as("teamleader").get(url).status_code == 403


def test_course_page_bounded(client_as, home_course, django_assert_max_num_queries):
    client = client_as("coach")
    with django_assert_max_num_queries(16):
        assert client.get(home_course.get_absolute_url()).status_code == 200


def test_training_shows_on_the_worker_pathway_and_is_cleared_on_anonymisation(client_as, new_session, worker):
    from moulin.training import hooks

    session = new_session()
    e = enrol(session, worker)
    e.note = "Needs glasses for the screen"
    e.save()
    attend_all(session, e)
    services.complete_enrolment(enrolment=e, actor=None)
    coach = client_as("coach")
    entries = hooks.timeline_entries(worker, coach.user)
    titles = [entry.title for entry in entries]
    assert f"Completed: {session.course.title}" in titles
    assert any(entry.url == reverse("training:worker", args=[worker.public_id]) for entry in entries)
    assert hooks.summary_section(worker, coach.user)[1]
    assert hooks.timeline_entries(worker, client_as("board").user)[-1].title == "Training and skills record"
    hooks.anonymise(worker)
    e.refresh_from_db()
    assert e.note == ""


def test_attendance_refusal_over_htmx_shows_in_the_sheet(client_as, new_session, worker):
    session = new_session(start=timezone.localdate() + datetime.timedelta(days=1))
    e = enrol(session, worker)
    response = client_as("coach").post(
        reverse("training:attendance", args=[session.pk]),
        {"day": session.start_date.isoformat(), f"status-{e.pk}": "absent"},
        headers={"HX-Request": "true", "HX-Target": "sheet"},
    )
    body = response.content.decode()
    assert response.status_code == 200  # htmx swaps it in
    assert 'data-testid="attendance-error"' in body and "not in advance" in body
    assert not Attendance.objects.filter(enrolment=e).exists()


def test_attendance_page_for_a_day_outside_the_session_says_so(client_as, new_session, worker):
    session = new_session()
    enrol(session, worker)
    outside = session.end_date + datetime.timedelta(days=3)
    response = client_as("coach").get(reverse("training:attendance", args=[session.pk]), {"day": outside.isoformat()})
    body = response.content.decode()
    assert response.status_code == 200
    assert "is not a day of this session" in body
    assert f'value="{session.end_date.isoformat()}" selected' in body  # shows the session's latest day instead


# ---------------------------------------------------------------- public holidays


def test_a_session_spanning_a_public_holiday_skips_it(client_as, home_course, worker):
    # 22-26 June 2026, Monday to Friday: Tuesday 23 is National Day
    session = Session.objects.create(course=home_course, start_date=datetime.date(2026, 6, 22),
                                     end_date=datetime.date(2026, 6, 26), hours_per_day=4, capacity=5)  # fmt: skip
    assert session.days() == [datetime.date(2026, 6, d) for d in (22, 24, 25, 26)]
    assert session.total_hours == 16
    assert not session.is_day(datetime.date(2026, 6, 23))
    assert [d for d, _name in session.holidays_skipped()] == [datetime.date(2026, 6, 23)]
    page = client_as("coach").get(session.get_absolute_url()).content.decode()
    assert "No session on public holidays:" in page and "National Day" in page
    enrol(session, worker)
    with pytest.raises(services.TrainingRefused, match="is a public holiday"):
        services.record_day(session=session, day=datetime.date(2026, 6, 23), statuses={}, actor=None)
    assert not Attendance.objects.filter(enrolment__session=session).exists()


def test_a_session_meeting_only_on_a_holiday_is_refused_with_a_message(home_course):
    session = Session(course=home_course, start_date=datetime.date(2026, 12, 25), end_date=datetime.date(2026, 12, 26),
                      weekdays="4,5", hours_per_day=4, capacity=5)  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        session.full_clean()
    assert "public holidays are left out" in str(exc.value.message_dict["weekdays"])


def test_no_demo_session_day_or_attendance_falls_on_a_public_holiday():
    from moulin.core.calendar import is_public_holiday

    attended = set(Attendance.objects.values_list("date", flat=True).distinct())
    assert attended
    assert [d for d in attended if is_public_holiday(d)] == []
    first, last = min(attended), max(attended)
    span = (first + datetime.timedelta(days=i) for i in range((last - first).days))
    holidays_in_range = [d for d in span if is_public_holiday(d)]
    assert len(holidays_in_range) > 10  # the demo's sessions span several years of holidays
    for session in Session.objects.all():
        assert session.start_date == session.days()[0] and not is_public_holiday(session.end_date)
