"""Who sees what of training, stated explicitly (not derived from the policy), plus the site-wide walk
restricted to the training pages."""

import datetime

import pytest
from django.utils import timezone

from moulin.access.querysets import policy_for
from moulin.access.scope import scope_for
from moulin.core.views import ScopedDetailView, ScopedFormView, ScopedObjectMixin
from moulin.organisations.enums import OrganisationKind
from moulin.organisations.models import Premises
from moulin.training import services
from moulin.training.models import Certificate, Course, Enrolment, ParticipantSkill, Session
from tests.conftest import DEMO_ROLES
from tests.picking import pick
from tests.test_scope import ALL_PATTERNS, object_kwargs, target_model, url_for

TRAINING = [p for p in ALL_PATTERNS if p[0].startswith("training:")]


def test_training_pages_are_scoped_views():
    assert len(TRAINING) >= 20
    assert all(view is not None and hasattr(view, "scope") for _n, _r, _p, view in TRAINING)


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_training_urls_as_every_role(role, client_as):
    """Inside scope: the page or a 403; outside: 404, for reads and writes alike."""
    client = client_as(role)
    scope = scope_for(client.user)
    for name, route, _pattern, view_class in TRAINING:
        if "<" not in route:
            assert client.get("/" + route).status_code in (200, 403), f"{role} {name}"
            continue
        assert issubclass(view_class, ScopedObjectMixin | ScopedFormView)
        model = target_model(view_class)
        visible = policy_for(model).visible(model._default_manager.all(), scope)
        outside = model._default_manager.exclude(pk__in=visible.values("pk")).order_by("pk").first()
        inside = visible.order_by("pk").first()
        if outside is not None:
            url = url_for(route, {"__name": name, **object_kwargs(view_class, outside)})
            assert client.get(url).status_code == 404, f"{role} reached {url}"
            if not issubclass(view_class, ScopedDetailView):
                assert client.post(url, {}).status_code == 404, f"{role} posted to {url}"
        if inside is not None:
            url = url_for(route, {"__name": name, **object_kwargs(view_class, inside)})
            assert client.get(url).status_code in (200, 403), f"{role} {url}"


def network_courses():
    return set(Course.objects.filter(organisation__kind=OrganisationKind.RESOURCE_CENTRE).values_list("pk", flat=True))


@pytest.mark.parametrize("role", ["admin", "staff", "ministry"])
def test_network_roles_and_ministry_read_the_whole_catalogue(role, demo_user):
    assert Course.objects.visible_to(demo_user(role)).count() == Course.objects.count()
    assert Session.objects.visible_to(demo_user(role)).count() == Session.objects.count()


@pytest.mark.parametrize("role", ["manager", "coach", "teamleader", "board"])
def test_organisation_roles_read_their_courses_and_the_network_courses(role, demo_user, home_org, other_course):
    visible = set(Course.objects.visible_to(demo_user(role)).values_list("pk", flat=True))
    own = set(Course.objects.filter(organisation=home_org).values_list("pk", flat=True))
    assert own and network_courses()
    assert visible == own | network_courses()
    assert other_course.pk not in visible


def test_commune_officer_reads_network_courses_and_sessions_held_in_the_commune(demo_user, other_course):
    user = demo_user("commune")
    commune = scope_for(user).commune_ids
    sessions = set(Session.objects.visible_to(user).values_list("pk", flat=True))
    held_there = set(Session.objects.filter(place__commune__in=commune).values_list("pk", flat=True))
    network = set(Session.objects.filter(course__in=network_courses()).values_list("pk", flat=True))
    assert sessions == held_there | network
    assert other_course.pk not in set(Course.objects.visible_to(user).values_list("pk", flat=True))


@pytest.mark.parametrize("role", ["ministry", "commune", "board"])
def test_counts_only_roles_never_read_enrolments(role, demo_user, client_as, worker, new_session):
    session = new_session()
    session.place = Premises.objects.filter(commune__in=scope_for(demo_user("commune")).commune_ids).first()
    session.save()
    services.enrol(session=session, participant=worker, actor=None, on=session.start_date)
    user = demo_user(role)
    assert not Enrolment.objects.visible_to(user).exists()
    assert not Certificate.objects.visible_to(user).exists()
    assert not ParticipantSkill.objects.visible_to(user).exists()
    if role == "board":
        return
    page = client_as(role).get(session.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200
    assert worker.last_name not in body
    assert "1 person enrolled." in body


def test_ministry_cannot_open_enrolment_lists(client_as):
    from django.urls import reverse

    assert client_as("ministry").get(reverse("training:enrolment_list")).status_code == 403
    assert client_as("commune").get(reverse("training:enrolment_list")).status_code == 403


def test_coach_reads_their_workers_in_network_sessions_not_other_organisations_workers(
    demo_user, worker, make_worker, other_org, centre
):
    today = timezone.localdate()
    course = pick(Course.objects.filter(organisation=centre).order_by("pk"))
    session = Session.objects.create(course=course, start_date=today + datetime.timedelta(days=5),
                                     end_date=today + datetime.timedelta(days=6), weekdays="0,1,2,3,4,5,6",
                                     hours_per_day=4, capacity=10)  # fmt: skip
    mine = services.enrol(session=session, participant=worker, actor=None)
    theirs = services.enrol(session=session, participant=make_worker(other_org, last="Elsewhere"), actor=None)
    visible = set(
        Enrolment.objects.visible_to(demo_user("coach")).filter(session=session).values_list("pk", flat=True)
    )
    assert visible == {mine.pk}
    # the network staff follow everyone
    staff = set(Enrolment.objects.visible_to(demo_user("staff")).filter(session=session).values_list("pk", flat=True))
    assert staff == {mine.pk, theirs.pk}


def test_organiser_reads_everyone_in_its_own_sessions(demo_user, new_session, make_worker, other_org):
    session = new_session()  # a session of the home organisation's course
    outsider = services.enrol(session=session, participant=make_worker(other_org, last="Visitor"), actor=None,
                              on=session.start_date)  # fmt: skip
    assert Enrolment.objects.visible_to(demo_user("coach")).filter(pk=outsider.pk).exists()
    assert not Enrolment.objects.visible_to(demo_user("teamleader")).filter(pk=outsider.pk).exists()


def test_team_leader_does_not_read_a_worker_outside_their_teams(demo_user, make_worker, home_org, new_session):
    session = new_session()
    e = services.enrol(session=session, participant=make_worker(home_org, last="NoTeam"), actor=None,
                       on=session.start_date)  # fmt: skip
    assert not Enrolment.objects.visible_to(demo_user("teamleader")).filter(pk=e.pk).exists()
    assert not ParticipantSkill.objects.visible_to(demo_user("teamleader")).exists()


def test_a_trainer_from_another_organisation_reads_and_runs_their_session(demo_user, client_as, new_session, worker,
                                                                           other_org):  # fmt: skip
    from django.urls import reverse

    from moulin.accounts.models import User

    trainer = User.objects.get(role_assignments__organisation=other_org, role_assignments__role="org_manager")
    session = new_session()
    session.trainer = trainer
    session.save()
    e = services.enrol(session=session, participant=worker, actor=None, on=session.start_date)
    assert Session.objects.visible_to(trainer).filter(pk=session.pk).exists()
    assert Course.objects.visible_to(trainer).filter(pk=session.course_id).exists()
    assert Enrolment.objects.visible_to(trainer).filter(pk=e.pk).exists()
    client = client_as(trainer)
    response = client.post(reverse("training:attendance", args=[session.pk]),
                           {"day": session.start_date.isoformat(), f"status-{e.pk}": "excused"})  # fmt: skip
    assert response.status_code == 302
    # other sessions of the course stay out of their reach
    other = pick(Session.objects.filter(course=session.course).exclude(pk=session.pk))
    assert client.get(other.get_absolute_url()).status_code == 404
