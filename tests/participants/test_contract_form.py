"""The contract form offers only the teams of the chosen project, each named with its project."""

from django.db.models import Count
from django.urls import reverse

from moulin.participants import enums
from moulin.participants.models import Participant
from moulin.projects.models import Project, Team
from tests.picking import pick


def _hired_person(home_org):
    return pick(Participant.objects.filter(organisation=home_org, status=enums.PathwayStatus.HIRED), "worker")


def _project_with_teams(org):
    return pick(
        Project.objects.filter(organisation=org).annotate(n=Count("teams")).filter(n__gte=1), "project with a team"
    )


def test_demo_team_names_are_distinct_within_each_organisation():
    repeated = Team.objects.values("project__organisation", "name").annotate(n=Count("pk")).filter(n__gt=1).order_by()
    assert list(repeated) == []


def test_team_choices_follow_the_project(client_as, home_org):
    person = _hired_person(home_org)
    project = _project_with_teams(home_org)
    other = pick(Team.objects.filter(project__organisation=home_org).exclude(project=project), "other team")
    url = reverse("participants:contract_create", args=[person.public_id])
    client = client_as("coach")

    # The htmx refresh of the team field: the page asked again with the chosen project in the query string.
    response = client.get(url, {"project": project.pk}, HTTP_HX_REQUEST="true")
    field = response.context["form"].fields["team"]
    assert set(field.queryset) == set(project.teams.all())
    body = response.content.decode()
    team = project.teams.first()
    assert f"{team.name} ({project.name})" in body
    assert other.name not in body.split('id="field-team"', 1)[1].split("</select>", 1)[0]
    # The field asks to be refreshed when the project changes.
    project_select = body.split('name="project"', 1)[1].split(">", 1)[0]
    assert 'hx-select="#field-team"' in project_select and 'hx-trigger="change"' in project_select


def test_a_team_of_another_project_is_refused(client_as, home_org):
    person = _hired_person(home_org)
    project = _project_with_teams(home_org)
    other = pick(Team.objects.filter(project__organisation=home_org).exclude(project=project), "other team")
    form_data = {"organisation": home_org.pk, "project": project.pk, "team": other.pk, "contract_type": "open_ended",
                 "measure": "", "start": "2026-07-01", "weekly_hours": "40"}  # fmt: skip
    response = client_as("coach").post(reverse("participants:contract_create", args=[person.public_id]), form_data)
    assert response.status_code == 422
    assert "team" in response.context["form"].errors
