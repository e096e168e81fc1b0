import datetime

import pytest
from django.urls import reverse

from moulin.accounts.models import User
from moulin.core.models import AuditEvent
from moulin.core.views import ScopedDetailView
from moulin.participants import enums
from moulin.participants.models import EmploymentContract, FollowUp, Participant, PlanAction
from moulin.projects.models import Project
from tests.participants.helpers import today
from tests.picking import pick
from tests.test_scope import ALL_PATTERNS, object_kwargs, target_model, url_for

D = datetime.timedelta
LISTS = ["list", "waiting_list", "contract_list", "follow_up_list", "measure_list"]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("role", ["staff", "coach"])
def test_list_queries_are_bounded(name, role, client_as, django_assert_max_num_queries):
    client = client_as(role)
    with django_assert_max_num_queries(14):
        response = client.get(reverse(f"participants:{name}"))
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        client.get(reverse(f"participants:{name}"), {"page": 2, "sort": "-organisation"})


def test_network_staff_see_every_participant_and_the_coach_their_organisation(client_as, home_org):
    staff = client_as("staff").get(reverse("participants:list"))
    assert staff.context["page"].paginator.count == Participant.objects.active().count()
    coach = client_as("coach").get(reverse("participants:list"))
    assert coach.context["page"].paginator.count == Participant.objects.active().filter(organisation=home_org).count()


def test_about_seven_hundred_hires_this_year():
    hires = EmploymentContract.objects.filter(start__year=today().year, renewal_of__isnull=True).count()
    assert 650 <= hires <= 750


def test_detail_page_shows_the_whole_pathway_and_is_bounded(client_as, home_org, django_assert_max_num_queries):
    person = pick(Participant.objects.filter(organisation=home_org, status=enums.PathwayStatus.EXITED))
    client = client_as("coach")
    with django_assert_max_num_queries(40):
        response = client.get(person.get_absolute_url())
    body = response.content.decode()
    kinds = {entry.kind for entry in response.context["timeline"]}
    assert {"referral", "intake", "contract", "session", "exit", "follow_up"} <= kinds
    assert person.display_name in body
    assert AuditEvent.objects.filter(
        object_id=str(person.pk), action="view", actor__email="coach@moulin.demo"
    ).exists()


def test_team_leader_lists_only_current_team_members(client_as, demo_user):
    leader = demo_user("teamleader")
    response = client_as("teamleader").get(reverse("participants:list"))
    listed = {obj.pk for obj, _cells in response.context["rows"]}
    assert listed
    current = EmploymentContract.objects.current().filter(team__leader=leader).values_list("participant", flat=True)
    assert listed <= set(current)
    assert [c.key for c in response.context["columns"]] == ["name", "organisation"]


def test_home_page_panels_for_the_coach(client_as):
    body = client_as("coach").get(reverse("home:home")).content.decode()
    for key in ("contracts-ending", "overdue-actions", "follow-ups-due"):
        assert f'data-testid="panel-{key}"' in body
    manager = client_as("manager").get(reverse("home:home")).content.decode()
    assert 'data-testid="panel-contracts-ending"' in manager
    assert 'data-testid="panel-overdue-actions"' not in manager
    ministry = client_as("ministry").get(reverse("home:home")).content.decode()
    assert "panel-" not in ministry


def test_measures_are_loaded_with_their_maximum():
    from moulin.participants.models import EmploymentMeasure

    assert EmploymentMeasure.objects.get(code="ISE").max_months == 24
    assert EmploymentMeasure.objects.get(code="EIC").max_months is None


def test_hires_indicator_source_is_registered():
    from moulin.participants.figures import hires_in_year
    from moulin.projects.indicators import compute, source_keys

    assert "hires" in source_keys()
    project = pick(Project.objects.filter(employment_contracts__start__year=today().year))
    assert compute("hires", project, today().year) == hires_in_year(project, today().year) > 0


def _owned_by_an_organisation(view_class) -> bool:
    model = target_model(view_class)
    return model in (Participant, EmploymentContract) or any(f.name == "participant" for f in model._meta.fields)


# pathway records only: the employment measures are reference data, shared by the whole network
PARTICIPANT_URLS = [
    (n, r, v)
    for n, r, _p, v in ALL_PATTERNS
    if n.startswith("participants:") and "<" in r and _owned_by_an_organisation(v)
]


@pytest.mark.parametrize("name,route,view_class", PARTICIPANT_URLS, ids=[p[0] for p in PARTICIPANT_URLS])
def test_outsider_gets_404(name, route, view_class, client_as, home_org, other_org):
    """A manager of another organisation reaches none of the home organisation's pathway records."""
    outsider = User.objects.get(email=f"manager.{other_org.slug}@moulin.demo")
    model = target_model(view_class)
    qs = model._default_manager.all()
    if model is Participant:
        obj = qs.filter(organisation=home_org).first()
    elif model is EmploymentContract:
        obj = qs.filter(organisation=home_org).first()
    else:
        obj = qs.filter(participant__organisation=home_org).first()
    url = url_for(route, {"__name": name, **object_kwargs(view_class, obj)})
    client = client_as(outsider)
    assert client.get(url).status_code == 404
    if not issubclass(view_class, ScopedDetailView):
        assert client.post(url, {}).status_code == 404


def test_end_to_end_pathway_with_the_test_client(client_as, home_org):
    """refer → intake → hire → plan → coaching → exit → follow-up due then recorded (training: browser test)."""
    client = client_as("coach")
    referred = today() - D(days=200)
    response = client.post(reverse("participants:refer"), {
        "organisation": home_org.pk, "date": referred.isoformat(), "source": "pes", "referrer": "ADEM Esch",
        "first_name": "Flow", "last_name": "Testperson", "birth_date": "1985-06-01", "jobseeker_number": "3141592",
    })  # fmt: skip
    person = Participant.objects.get(jobseeker_number="3141592")
    assert response.status_code == 302
    pid = person.public_id
    coach = User.objects.get(email="coach@moulin.demo")

    def post(name, data, *, args=(pid,)):
        r = client.post(reverse(f"participants:{name}", args=args), data)
        assert r.status_code == 302, (name, r.content.decode()[-2000:])
        return r

    post("intake_create", {"date": (referred + D(days=5)).isoformat(), "coach": coach.pk, "outcome": "hire"})
    post("entry_data", {"recorded_on": (referred + D(days=10)).isoformat(), "labour_market_status": "unemployed",
                        "education_level": "2"})  # fmt: skip
    project = pick(Project.objects.filter(organisation=home_org))
    start = referred + D(days=10)
    post("contract_create", {"organisation": home_org.pk, "project": project.pk, "contract_type": "fixed_term",
                             "measure": EmploymentContract._meta.get_field("measure").related_model.objects.get(
                                 code="ISE").pk, "start": start.isoformat(),
                             "planned_end": (start + D(days=364)).isoformat(), "weekly_hours": "40",
                             "funder": "Fonds pour l'emploi"})  # fmt: skip
    post("obstacle_create", {"kind": "mobility", "identified_on": start.isoformat()})
    post("goal_create", {"title": "Driving licence"})
    post("action_create", {"description": "Register at a driving school", "owner": coach.pk,
                           "due_date": (today() - D(days=3)).isoformat(), "status": "open"})  # fmt: skip
    assert PlanAction.objects.overdue().filter(participant=person).exists()
    post("session_create", {"date": (start + D(days=20)).isoformat(), "coach": coach.pk, "kind": "careers",
                            "notes": "Private notes", "next_steps": "Call the driving school"})  # fmt: skip
    exit_day = today() - D(days=190)
    r = client.post(reverse("participants:exit_create", args=[pid]),
                    {"date": (start - D(days=1)).isoformat(), "reason": "job_found"})  # fmt: skip
    assert r.status_code == 422 and "before the start of the contract" in r.content.decode()
    post("exit_create", {"date": exit_day.isoformat(), "reason": "job_found", "situation": "employed_open_ended",
                         "situation_recorded_on": exit_day.isoformat(), "employer": "Cactus"})  # fmt: skip
    follow_up = FollowUp.objects.get(participant=person)
    assert follow_up.due_on <= today()
    due = client.get(reverse("participants:follow_up_list")).context["page"].paginator.object_list
    assert follow_up in due
    post("follow_up_record", {"done_on": today().isoformat(), "situation": "employed_open_ended",
                              "employer": "Cactus"}, args=(follow_up.pk,))  # fmt: skip
    follow_up.refresh_from_db()
    assert follow_up.done_on == today()
    page = client.get(person.get_absolute_url())
    assert {"referral", "intake", "contract", "plan", "session", "exit", "follow_up"} <= {
        e.kind for e in page.context["timeline"]
    }


@pytest.mark.parametrize("role", ["ministry", "board", "commune", "coach", "staff"])
def test_pathway_figures_are_counts_for_every_role(role, client_as):
    response = client_as(role).get(reverse("participants:figures"))
    assert response.status_code == 200
    hires = response.context["figures"]["hires"]
    if role in ("ministry", "staff"):
        assert 650 <= hires <= 750
    if role == "board":
        assert 0 < hires < 150
    names = {f"{p.first_name} {p.last_name}" for p in Participant.objects.all()[:500]}
    body = response.content.decode()
    assert not [n for n in names if n in body and n != response.wsgi_request.user.full_name]
