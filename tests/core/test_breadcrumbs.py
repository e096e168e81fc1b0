"""Breadcrumbs, cancel and return addresses come from the records' parent chain (``breadcrumb_parent`` and
``breadcrumb_list`` on the models), not from each page."""

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from moulin.participants.models import Participant, PlanObstacle
from moulin.projects.models import IndicatorValue
from moulin.training.models import Enrolment, Session
from tests.picking import pick


def crumbs(response):
    return [(str(label), str(url)) for label, url in response.context["breadcrumbs"]]


@pytest.fixture
def staff(client_as):
    return client_as("staff")


def test_a_session_page_sits_under_its_course(staff):
    session = pick(Session.objects.all(), "training session")
    response = staff.get(session.get_absolute_url())
    day = date_format(session.start_date, "SHORT_DATE_FORMAT")
    assert crumbs(response) == [
        ("Training", reverse("training:course_list")),
        (session.course.title, session.course.get_absolute_url()),
        (day, ""),
    ]


def test_an_action_on_an_enrolment_leads_through_its_session(client_as, home_org):
    enrolment = pick(Enrolment.objects.filter(session__course__organisation=home_org), "home enrolment")
    response = client_as("manager").get(reverse("training:enrolment_cancel", args=[enrolment.pk]))
    session = enrolment.session
    assert crumbs(response)[1:] == [
        (session.course.title, session.course.get_absolute_url()),
        (date_format(session.start_date, "SHORT_DATE_FORMAT"), session.get_absolute_url()),
        ("Cancel the enrolment", ""),
    ]
    assert response.context["cancel_url"] == session.get_absolute_url()


def test_a_record_shown_on_the_person_page_adds_no_crumb_of_its_own(client_as, home_org):
    obstacle = pick(PlanObstacle.objects.filter(participant__organisation=home_org), "plan obstacle")
    response = client_as("manager").get(reverse("participants:obstacle_update", args=[obstacle.pk]))
    person = obstacle.participant
    assert crumbs(response) == [
        ("Participants", reverse("participants:list")),
        (person.display_name, person.get_absolute_url()),
        (response.context["title"], ""),
    ]


def test_a_figure_of_an_indicator_leads_to_the_project(staff):
    value = pick(IndicatorValue.objects.all(), "indicator figure")
    response = staff.get(reverse("projects:indicator_value_update", args=[value.pk]))
    project = value.indicator.project
    assert crumbs(response) == [
        ("Projects", reverse("projects:project_list")),
        (project.name, project.get_absolute_url()),
        (response.context["title"], ""),
    ]


def test_a_new_record_without_parent_cancels_to_its_list(staff):
    response = staff.get(reverse("participants:refer"))
    assert response.context["cancel_url"] == reverse("participants:list")
    assert crumbs(response) == [("Participants", reverse("participants:list")), ("Refer a person", "")]
    response = staff.get(reverse("training:course_create"))
    assert response.context["cancel_url"] == reverse("training:course_list")
    assert crumbs(response)[-1] == ("New course", "")


def test_deleting_a_session_returns_to_its_course(staff, home_org):
    from moulin.training.models import Course

    course = pick(Course.objects.filter(organisation=home_org), "home course")
    session = Session.objects.create(course=course, start_date="2026-09-01", end_date="2026-09-02",
                                     weekdays="0,1", hours_per_day=4, capacity=3)  # fmt: skip
    page = staff.get(reverse("training:session_delete", args=[session.pk]))
    assert crumbs(page) == [("Training", reverse("training:course_list")), ("Delete", "")]
    response = staff.post(reverse("training:session_delete", args=[session.pk]))
    assert response.status_code == 302 and response["Location"] == course.get_absolute_url()
    assert not Session.objects.filter(pk=session.pk).exists()


def test_the_person_page_ends_with_the_person(staff, home_org):
    person = pick(Participant.objects.filter(organisation=home_org).active(), "active participant")
    response = staff.get(person.get_absolute_url())
    assert crumbs(response) == [("Participants", reverse("participants:list")), (person.display_name, "")]
