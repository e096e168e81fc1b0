"""Who sees what of partners, needs, projects and teams: explicit expectations per demo role (the site-wide
walk in tests/test_scope.py checks every URL by itself; these pin down the figures a user would notice)."""

import pytest
from django.db.models import Q

from moulin.partners.models import Contact, Partner, Partnership
from moulin.projects.models import Indicator, Need, Project, Team
from tests.picking import pick


@pytest.mark.parametrize("role", ["manager", "coach", "teamleader", "board"])
def test_organisation_roles_see_exactly_their_organisations_projects(role, demo_user, home_org):
    visible = set(Project.objects.visible_to(demo_user(role)).values_list("pk", flat=True))
    assert visible == set(Project.objects.filter(organisation=home_org).values_list("pk", flat=True))


def test_manager_list_page_shows_only_their_projects(client_as, home_org):
    response = client_as("manager").get("/projects/")
    assert response.context["page"].paginator.count == Project.objects.filter(organisation=home_org).count()


def test_commune_officer_sees_the_needs_of_esch_only(demo_user, esch):
    needs = Need.objects.visible_to(demo_user("commune"))
    assert set(needs.values_list("commune", flat=True)) == {esch.pk}
    assert needs.count() == Need.objects.filter(commune=esch).count()


def test_commune_officer_sees_the_projects_serving_esch(demo_user, esch):
    visible = set(Project.objects.visible_to(demo_user("commune")).values_list("pk", flat=True))
    assert visible == set(Project.objects.filter(communes=esch).values_list("pk", flat=True))


def test_commune_officer_sees_partners_linked_to_esch(demo_user, esch):
    visible = Partner.objects.visible_to(demo_user("commune"))
    linked = Partnership.objects.filter(project__communes=esch).values("partner")
    assert set(visible.values_list("pk", flat=True)) == set(
        Partner.objects.filter(Q(commune=esch) | Q(pk__in=linked)).values_list("pk", flat=True)
    )
    assert not visible.filter(commune__name="Wiltz").exists()


def test_manager_reads_needs_of_the_communes_of_their_agreements(demo_user, home_org, esch):
    needs = Need.objects.visible_to(demo_user("manager"))
    assert needs.filter(commune=esch).count() == Need.objects.filter(commune=esch).count()
    assert not needs.filter(commune__name="Wiltz").exists()


def test_network_staff_see_everything(demo_user):
    staff = demo_user("staff")
    assert Need.objects.visible_to(staff).count() == Need.objects.count()
    assert Project.objects.visible_to(staff).count() == Project.objects.count()
    assert Team.objects.visible_to(staff).count() == Team.objects.count()
    assert Contact.objects.visible_to(staff).count() == Contact.objects.count()


def test_team_leader_sees_the_teams_they_lead_and_their_organisations(demo_user, home_org):
    leader = demo_user("teamleader")
    visible = Team.objects.visible_to(leader)
    assert visible.filter(leader=leader).exists()
    assert set(visible.values_list("project__organisation", flat=True)) == {home_org.pk}


def test_a_leader_elsewhere_sees_only_their_own_teams(client_as):
    team = pick(Team.objects.exclude(project__organisation__name="CIGL Esch-sur-Alzette").exclude(leader=None))
    leader = team.leader
    # a team leader of another organisation who leads no team there sees none of ours
    assert not Team.objects.visible_to(leader).filter(project__organisation__name="CIGL Esch-sur-Alzette").exists()
    assert client_as(leader).get(team.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("url", ["/teams/"])
def test_ministry_gets_403_on_person_bearing_lists(url, client_as):
    assert client_as("ministry").get(url).status_code == 403


@pytest.mark.parametrize("url", ["/needs/", "/projects/", "/partners/", "/teams/"])
def test_ministry_sees_counts_only_not_the_planning_records(url, client_as):
    assert client_as("ministry").get(url).status_code == 403


def test_ministry_reads_planning_counts_but_no_record(client_as, home_org):
    client = client_as("ministry")
    assert client.get("/planning/").status_code == 200
    project = pick(Project.objects.filter(organisation=home_org))
    assert client.get(project.get_absolute_url()).status_code == 404
    assert not Contact.objects.visible_to(client.user).exists()
    assert not Team.objects.visible_to(client.user).exists()
    assert not Project.objects.visible_to(client.user).exists()
    partner = Contact.objects.first().partner
    assert client.get(partner.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ["commune", "ministry", "board", "coach"])
def test_roles_that_may_not_write_projects_get_403(role, client_as, home_org):
    project = pick(Project.objects.filter(organisation=home_org, communes__name="Esch-sur-Alzette"))
    client = client_as(role)
    # a role that cannot see the project at all gets 404, one that reads it 403
    assert client.get(f"/projects/{project.pk}/edit/").status_code in (403, 404)
    assert client.get(f"/projects/{project.pk}/teams/new/").status_code in (403, 404)
    assert client.get("/projects/new/").status_code == 403


def test_indicators_follow_their_project(demo_user, home_org):
    visible = Indicator.objects.visible_to(demo_user("manager"))
    assert set(visible.values_list("project__organisation", flat=True)) == {home_org.pk}
