"""Needs, projects, indicators, teams and the commune planning: the rules a user meets."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from moulin.core import capabilities
from moulin.core.capabilities import Capability, IndicatorSource
from moulin.organisations.models import Domain
from moulin.projects import indicators as registry
from moulin.projects.enums import NeedStatus, ServiceLine, Term
from moulin.projects.models import Indicator, IndicatorValue, Need, Project, Team
from moulin.territory.models import Commune
from tests.picking import pick

TODAY = timezone.localdate()


@pytest.fixture
def environment():
    return Domain.objects.get(code="environment")


def need_data(commune, domain, **extra):
    data = {"commune": commune.pk, "title": "Overgrown paths near the station", "raised_by": "council",
            "raised_on": TODAY.isoformat(), "domain": domain.pk, "priority": 3,
            "description": "Named at the council meeting."}  # fmt: skip
    data.update(extra)
    return data


def project_data(org, domain, commune, needs=(), **extra):
    data = {"organisation": org.pk, "name": "Sentiers propres", "domain": domain.pk, "term": "long",
            "start": "2025-01-01", "status": "running", "communes": [commune.pk], "needs": [n.pk for n in needs],
            "objectives": "Clean paths, two jobs."}  # fmt: skip
    data.update(extra)
    return data


# --- demo network --------------------------------------------------------------------------------------------


def test_demo_network_shape():
    long_term = Project.objects.filter(term=Term.LONG)
    assert long_term.count() >= 120
    assert Project.objects.filter(term=Term.SHORT).exists()
    assert Project.objects.values("domain").distinct().count() == 5
    assert Project.objects.filter(service_line=ServiceLine.COMMUNITY_CARE).count() == 24
    assert Project.objects.filter(service_line=ServiceLine.WEB_CAFE).count() == 16
    env = Project.objects.filter(service_line=ServiceLine.ENVIRONMENTAL_TEAM)
    assert env.count() == 26
    assert Team.communes.through.objects.filter(team__project__in=env).values("commune").distinct().count() >= 40
    assert 280 <= Need.objects.count() <= 320
    assert set(Need.objects.values_list("status", flat=True)) == set(NeedStatus.values)
    assert Team.objects.filter(
        leader__email="teamleader@moulin.demo", project__organisation__name="CIGL Esch-sur-Alzette"
    ).exists()
    assert IndicatorValue.objects.values("year").distinct().count() >= 3
    for need in Need.objects.filter(status=NeedStatus.ADDRESSED)[:20]:
        assert need.projects.exists()


# --- needs ---------------------------------------------------------------------------------------------------


def test_commune_officer_records_a_need_in_their_commune(client_as, esch, environment):
    client = client_as("commune")
    response = client.post(reverse("projects:need_create"), need_data(esch, environment))
    assert response.status_code == 302
    need = Need.objects.get(title="Overgrown paths near the station", commune=esch)
    assert need.status == NeedStatus.IDENTIFIED
    assert client.get(need.get_absolute_url()).status_code == 200


def test_commune_officer_cannot_record_a_need_elsewhere(client_as, environment):
    wiltz = Commune.objects.get(name="Wiltz")
    before = Need.objects.count()
    response = client_as("commune").post(reverse("projects:need_create"), need_data(wiltz, environment))
    assert response.status_code == 422
    assert "commune" in response.context["form"].errors
    assert Need.objects.count() == before


def test_need_raised_by_a_partner_names_the_partner(client_as, esch, environment):
    response = client_as("staff").post(
        reverse("projects:need_create"), need_data(esch, environment, raised_by="partner")
    )
    assert response.status_code == 422
    assert "partner" in response.context["form"].errors


def test_need_status_moves_and_declining_needs_a_reason(client_as, esch, environment):
    need = Need.objects.create(commune=esch, title="Test need", raised_by="resident", raised_on=TODAY,
                               domain=environment, description="x")  # fmt: skip
    client = client_as("commune")
    url = reverse("projects:need_status", args=[need.pk])
    assert client.post(url, {"transition": "assess"}).status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.ASSESSED and need.status_changed_on == TODAY
    response = client.post(url, {"transition": "decline", "decline_reason": "  "})
    assert response.status_code == 422
    assert "decline_reason" in response.context["form"].errors
    need.refresh_from_db()
    assert need.status == NeedStatus.ASSESSED
    assert client.post(url, {"transition": "decline", "decline_reason": "Covered by the commune."}).status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.DECLINED and need.decline_reason == "Covered by the commune."
    # not an allowed move from declined
    response = client.post(url, {"transition": "assess"})
    assert response.status_code == 422
    assert client.post(url, {"transition": "reopen"}).status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.IDENTIFIED and need.decline_reason == ""


def test_need_list_stays_within_a_fixed_number_of_queries(client_as, django_assert_max_num_queries):
    client = client_as("staff")
    with django_assert_max_num_queries(12):
        response = client.get("/needs/")
    assert len(response.context["rows"]) == 25
    with django_assert_max_num_queries(12):
        response = client.get("/needs/", {"status": "addressed", "sort": "-priority", "page": 2})
    assert all(n.status == "addressed" for n, _cells in response.context["rows"])


def test_need_list_filters_by_organisation_and_exports(client_as, home_org):
    client = client_as("staff")
    response = client.get("/needs/", {"organisation": home_org.pk, "export": "csv"})
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    expected = Need.objects.filter(organisation=home_org) | Need.objects.filter(projects__organisation=home_org)
    assert len(lines) - 1 == expected.distinct().count()


def test_deleting_a_need_answered_by_a_project_is_refused(client_as):
    need = pick(Need.objects.filter(status=NeedStatus.ADDRESSED))
    response = client_as("staff").post(reverse("projects:need_delete", args=[need.pk]), follow=True)
    assert Need.objects.filter(pk=need.pk).exists()
    message = str(list(response.context["messages"])[0])
    assert need.projects.first().name in message


# --- projects ------------------------------------------------------------------------------------------------


def test_project_answering_a_need_marks_it_addressed(client_as, home_org, esch, environment):
    need = Need.objects.create(commune=esch, title="Playground in disrepair", raised_by="council",
                               raised_on=TODAY, domain=environment, description="x")  # fmt: skip
    client = client_as("manager")
    response = client.post(reverse("projects:project_create"), project_data(home_org, environment, esch, [need]))
    assert response.status_code == 302, response.context["form"].errors
    project = Project.objects.get(name="Sentiers propres")
    need.refresh_from_db()
    assert need.status == NeedStatus.ADDRESSED
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Playground in disrepair" in page
    # unlinking the need: it goes back to assessed
    data = project_data(home_org, environment, esch, [])
    assert client.post(reverse("projects:project_update", args=[project.pk]), data).status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.ASSESSED


@pytest.mark.parametrize(
    "extra,field",
    [({"start": "2025-06-01", "end": "2025-01-01"}, "end"), ({"term": "short", "end": ""}, "end")],
)
def test_project_dates_are_checked_at_the_field(client_as, home_org, esch, environment, extra, field):
    before = Project.objects.count()
    response = client_as("manager").post(reverse("projects:project_create"),
                                         project_data(home_org, environment, esch, **extra))  # fmt: skip
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert Project.objects.count() == before


def test_project_cannot_answer_a_need_of_a_commune_it_does_not_serve(client_as, home_org, esch, environment):
    need = pick(Need.objects.exclude(commune=esch).exclude(status=NeedStatus.DECLINED))
    response = client_as("staff").post(reverse("projects:project_create"),
                                       project_data(home_org, environment, esch, [need]))  # fmt: skip
    assert response.status_code == 422
    assert "needs" in response.context["form"].errors


def test_manager_cannot_create_a_project_for_another_organisation(client_as, other_org, esch, environment):
    response = client_as("manager").post(
        reverse("projects:project_create"), project_data(other_org, environment, esch)
    )
    assert response.status_code == 422
    assert "organisation" in response.context["form"].errors


def test_project_list_filters_sorts_and_stays_bounded(client_as, django_assert_max_num_queries):
    client = client_as("staff")
    with django_assert_max_num_queries(12):
        response = client.get("/projects/", {"term": "long", "sort": "-n_teams"})
    assert len(response.context["rows"]) == 25
    with django_assert_max_num_queries(12):
        response = client.get("/projects/", {"service_line": "environmental_team", "page": 2})
    assert response.context["page"].paginator.count == 26
    esch = Commune.objects.get(name="Esch-sur-Alzette")
    response = client.get("/projects/", {"commune": esch.pk, "status": "running"})
    for project, _cells in response.context["rows"]:
        assert esch in project.communes.all() and project.status == "running"


def test_project_export_xlsx_is_what_the_user_sees(client_as, home_org):
    client = client_as("manager")
    response = client.get("/projects/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == set(Project.objects.filter(organisation=home_org).values_list("name", flat=True))


def test_project_page_shows_the_chain(client_as, home_org):
    project = pick(
        Project.objects.filter(organisation=home_org, needs__isnull=False, term="long").distinct(),
        "long-term project of the home organisation answering a need",
    )
    response = client_as("manager").get(project.get_absolute_url())
    body = response.content.decode()
    for need in project.needs.all():
        assert need.title in body
    for team in project.teams.all():
        assert team.name in body
    for partnership in project.partnerships.select_related("partner"):
        assert partnership.partner.name.replace("'", "&#x27;") in body
    chart = response.context["chart"]["indicators"]
    assert {i["name"] for i in chart} == set(project.indicators.values_list("name", flat=True))
    assert 'id="indicator-data"' in body and "indicator_chart.js" in body


def test_project_page_queries_do_not_grow_with_indicators(client_as, home_org):
    """Indicators entered by hand are read with the page's few queries, however many there are; a computed one
    costs its source's query per year shown (bounded by the project's years, not by the data)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project = pick(Project.objects.filter(organisation=home_org))
    client = client_as("manager")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(project.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    computed_years = (
        IndicatorValue.objects.filter(indicator__project=project).exclude(indicator__source=Indicator.ENTERED).count()
    )
    before = queries()
    assert before <= 20 + computed_years
    for n in range(3):
        indicator = Indicator.objects.create(
            project=project, name=f"Entered {n} (test)", unit="visits", position=90 + n
        )
        IndicatorValue.objects.create(indicator=indicator, year=project.start.year, target=Decimal("5"))
    assert queries() == before


# --- indicators ----------------------------------------------------------------------------------------------


def test_indicator_actual_outside_the_projects_life_is_refused(client_as, home_org):
    project = (
        Project.objects.filter(organisation=home_org, term="short").first()
        or Project.objects.filter(organisation=home_org).first()
    )
    indicator = project.indicators.first()
    client = client_as("manager")
    before = IndicatorValue.objects.count()
    response = client.post(reverse("projects:indicator_value_create", args=[indicator.pk]),
                           {"year": project.start.year - 1, "target": "10", "actual": "4"})  # fmt: skip
    assert response.status_code == 422
    assert "year" in response.context["form"].errors
    assert IndicatorValue.objects.count() == before


def test_add_an_indicator_and_its_figures(client_as, home_org):
    project = pick(Project.objects.filter(organisation=home_org, term="long"))
    client = client_as("manager")
    data = {"name": "Kilometres of paths", "unit": "km", "source": "entered", "position": 1}
    response = client.post(reverse("projects:indicator_create", args=[project.pk]), data)
    assert response.status_code == 302
    indicator = Indicator.objects.get(project=project, name="Kilometres of paths")
    year = TODAY.year - 1
    response = client.post(reverse("projects:indicator_value_create", args=[indicator.pk]),
                           {"year": year, "target": "12", "actual": "9.5"})  # fmt: skip
    assert response.status_code == 302
    body = client.get(project.get_absolute_url()).content.decode()
    assert "Kilometres of paths" in body and "9.50" in body
    # the same year twice is refused
    response = client.post(reverse("projects:indicator_value_create", args=[indicator.pk]), {"year": year})
    assert response.status_code == 422


def test_computed_indicator_source_plugs_in(home_org, monkeypatch):
    # an app declares a computed source in its capability
    declared = capabilities.capabilities()
    extra = Capability(
        indicator_sources=(IndicatorSource("test_hires", "Hires", lambda project, year: Decimal(year - 2000)),)
    )
    monkeypatch.setattr(capabilities, "capabilities", lambda: (*declared, extra))
    assert "test_hires" in registry.source_keys()
    project = pick(Project.objects.filter(organisation=home_org, term="long"))
    indicator = Indicator.objects.create(project=project, name="Hires (computed)", unit="jobs", source="test_hires")
    indicator.full_clean()
    IndicatorValue.objects.create(indicator=indicator, year=TODAY.year, target=Decimal(10))
    rows = Indicator.objects.get(pk=indicator.pk).series()
    assert rows[0]["actual"] == Decimal(TODAY.year - 2000)
    value = IndicatorValue(indicator=indicator, year=TODAY.year - 1, actual=Decimal(3))
    with pytest.raises(Exception, match="computed"):
        value.full_clean()


# --- teams ---------------------------------------------------------------------------------------------------


def test_manager_adds_a_team_with_a_leader(client_as, home_org, demo_user, esch):
    project = pick(Project.objects.filter(organisation=home_org, communes=esch))
    leader = demo_user("teamleader")
    response = client_as("manager").post(reverse("projects:team_create", args=[project.pk]),
                                         {"name": "Équipe test", "leader": leader.pk, "size": 5,
                                          "communes": [esch.pk], "is_active": "on"})  # fmt: skip
    assert response.status_code == 302
    team = Team.objects.get(project=project, name="Équipe test")
    assert team.leader == leader and list(team.communes.all()) == [esch]


def test_team_list_is_bounded(client_as, django_assert_max_num_queries):
    client = client_as("staff")
    with django_assert_max_num_queries(12):
        response = client.get("/teams/")
    assert len(response.context["rows"]) == 25


def test_deleting_a_project_with_teams_is_refused(client_as):
    project = Team.objects.first().project
    client_as("staff").post(reverse("projects:project_delete", args=[project.pk]))
    assert Project.objects.filter(pk=project.pk).exists()


def test_deleting_a_project_sends_its_needs_back_to_assessed(home_org, environment, esch):
    """The re-sync of the needs is the service's, so every way of deleting a project gets it."""
    from moulin.projects.services import delete_project, save_project

    need = Need.objects.create(commune=esch, title="Sentier à dégager", raised_by="council", raised_on=TODAY,
                               domain=environment, priority=2, description="Named at the council.")  # fmt: skip
    kept = Need.objects.create(commune=esch, title="Banc à réparer", raised_by="council", raised_on=TODAY,
                               domain=environment, priority=2, description="Named at the council.")  # fmt: skip
    from moulin.projects.forms import ProjectForm

    def make(name, needs):
        form = ProjectForm(data=project_data(home_org, environment, esch, needs=needs, name=name))
        assert form.is_valid(), form.errors
        return save_project(form, actor=None)

    gone, other = make("Projet à supprimer", [need, kept]), make("Projet qui reste", [kept])
    need.refresh_from_db()
    assert need.status == NeedStatus.ADDRESSED and need.is_open is False
    delete_project(gone, actor=None)
    need.refresh_from_db()
    kept.refresh_from_db()
    assert not Project.objects.filter(pk=gone.pk).exists() and Project.objects.filter(pk=other.pk).exists()
    assert need.status == NeedStatus.ASSESSED and need.is_open
    assert kept.status == NeedStatus.ADDRESSED
    assert Need.objects.open().filter(pk=need.pk).exists() and not Need.objects.open().filter(pk=kept.pk).exists()


# --- commune page and planning -------------------------------------------------------------------------------


def test_commune_page_lists_needs_projects_and_organisations(client_as, esch):
    response = client_as("commune").get(esch.get_absolute_url())
    body = response.content.decode()
    assert 'id="needs"' in body and 'id="projects"' in body
    need = pick(Need.objects.filter(commune=esch).order_by("-raised_on"))
    assert need.title in body
    assert "CIGL Esch-sur-Alzette" in body


def test_planning_per_commune_and_year(client_as, esch, django_assert_max_num_queries):
    client = client_as("commune")
    year = TODAY.year
    with django_assert_max_num_queries(20):
        response = client.get(reverse("projects:planning", args=[esch.code]), {"year": year})
    plan = response.context["plan"]
    assert plan.figures["raised"] == Need.objects.filter(commune=esch, raised_on__year=year).count()
    assert {p.pk for p in plan.projects_running} == set(
        Project.objects.filter(communes=esch).running_in(year).values_list("pk", flat=True)
    )
    assert "CIGL Esch-sur-Alzette" in {o.name for o in plan.organisations_present}


def test_planning_pdf(client_as, esch):
    response = client_as("commune").get(reverse("projects:planning_pdf", args=[esch.code]), {"year": TODAY.year})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Esch-sur-Alzette" in text and str(TODAY.year) in text


def test_planning_print_html_names_the_commune(rf, demo_user, esch):
    from moulin.projects.views import PlanningPdf

    view = PlanningPdf()
    view.request = rf.get("/", {"year": TODAY.year})
    view.request.user = demo_user("commune")
    html = __import__("django.template.loader", fromlist=["x"]).render_to_string(
        "projects/planning_print.html", view.get_context(esch)
    )
    assert "Esch-sur-Alzette" in html and str(TODAY.year) in html


def test_planning_index_lists_communes_with_needs(client_as, django_assert_max_num_queries):
    client = client_as("staff")
    with django_assert_max_num_queries(12):
        response = client.get("/planning/")
    with_needs = set(Need.objects.values_list("commune", flat=True))
    with_projects = set(Project.communes.through.objects.values_list("commune", flat=True))
    assert response.context["page"].paginator.count == len(with_needs | with_projects)
    first, _cells = response.context["rows"][0]
    assert "/planning/" in first.get_absolute_url()


def test_outsider_gets_404_on_planning_records(client_as, other_org):
    project = pick(Project.objects.filter(organisation=other_org))
    team = pick(Team.objects.filter(project__organisation=other_org))
    indicator = pick(Indicator.objects.filter(project__organisation=other_org))
    client = client_as("manager")
    for url in [project.get_absolute_url(), reverse("projects:project_update", args=[project.pk]),
                team.get_absolute_url(), reverse("projects:team_update", args=[team.pk]),
                reverse("projects:indicator_update", args=[indicator.pk]),
                reverse("projects:indicator_value_create", args=[indicator.pk])]:  # fmt: skip
        assert client.get(url).status_code == 404, url


def test_chart_data_is_json(client_as, home_org):
    project = pick(Project.objects.filter(organisation=home_org, term="long"))
    body = client_as("manager").get(project.get_absolute_url()).content.decode()
    start = body.index('id="indicator-data"')
    payload = body[body.index(">", start) + 1 : body.index("</script>", start)]
    data = json.loads(payload)
    assert data["indicators"] and all(len(i["years"]) == len(i["target"]) for i in data["indicators"])


def test_year_helpers():
    project = Project(start=datetime.date(2020, 3, 1), end=datetime.date(2022, 6, 30))
    assert project.years() == [2020, 2021, 2022]
    assert project.covers_year(2021) and not project.covers_year(2023)


@pytest.mark.parametrize("role", ["staff", "manager", "commune", "ministry", "teamleader"])
def test_planning_pages_render_completely(role, client_as, esch):
    client = client_as(role)
    user = client.user
    urls = ["/planning/", esch.get_absolute_url(), reverse("projects:planning", args=[esch.code])]
    if role == "ministry":
        # counts only: the record lists are closed, the planning figures are open
        for url in ["/partners/", "/needs/", "/projects/", "/teams/"]:
            assert client.get(url).status_code == 403, url
        body = client.get(reverse("projects:planning", args=[esch.code])).content.decode()
        assert 'data-testid="counts-only"' in body
    else:
        urls += ["/partners/", "/needs/", "/projects/"]
    for model in (Need, Project, Team):
        obj = model.objects.visible_to(user).order_by("pk").first()
        if obj is not None:
            urls.append(obj.get_absolute_url())
    from moulin.partners.models import Partner

    partner = Partner.objects.visible_to(user).filter(partnerships__isnull=False).order_by("pk").first()
    if partner is not None:
        urls.append(partner.get_absolute_url())
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        main = body[body.index("<main") : body.index("</main>")]
        assert "INVALID_TEMPLATE_VARIABLE" not in main, url


def test_home_panel_counts_within_scope(client_as, esch):
    body = client_as("commune").get("/").content.decode()
    assert 'data-figure="open-needs"' in body
    response = client_as("commune").get("/")
    panel = next(p for p in response.context["panels"] if p["template"] == "projects/home_panel.html")
    assert panel["open_needs"] == Need.objects.filter(commune=esch).open().count()


def test_ministry_sees_network_counts_of_planning_but_no_record(client_as, esch):
    from moulin.projects.planning import commune_plan

    client = client_as("ministry")
    staff_plan = commune_plan(esch, 2026, client_as("staff").user)
    ministry_plan = commune_plan(esch, 2026, client.user)
    assert ministry_plan.figures == staff_plan.figures
    assert ministry_plan.needs_raised == [] and ministry_plan.projects_running == []
    assert not Need.objects.visible_to(client.user).exists()
    assert Need.objects.counted_for(client.user).count() == Need.objects.count()
    body = client.get("/").content.decode()
    assert 'data-figure="open-needs"' in body
