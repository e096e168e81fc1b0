"""The map of the communes covered on the dashboards: the container and its data URL on the dashboards that count
the communes covered, the GeoJSON from the same agreements as the figure, as each role per its policy, in bounded
queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from moulin.organisations.models import Agreement
from moulin.projects.models import Project
from moulin.territory.models import Commune
from tests.conftest import DEMO_ROLES
from tests.picking import pick


def _year():
    return timezone.localdate().year


def _covered_figure(response):
    return next(f for s in response.context["sections"] for f in s.figures if f.key == "communes_covered")


def _covered(data):
    return {f["properties"]["code"] for f in data["features"] if f["properties"]["covered"]}


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_the_network_map_shows_the_figures_communes_as_every_role(role, client_as):
    client = client_as(role)
    page = client.get(reverse("reporting:dashboard") + f"?year={_year()}")
    data_url = reverse("reporting:coverage_data") + f"?year={_year()}"
    response = client.get(data_url)
    assert response.status_code == page.status_code
    if page.status_code != 200:
        return
    html = page.content.decode()
    assert 'id="coverage-map"' in html and f'data-source="{data_url}"' in html
    assert "vendor/leaflet/leaflet.js" in html and "moulin/coverage_map.js" in html
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == Commune.objects.count()
    assert len(_covered(data)) == _covered_figure(page).value
    counted = Agreement.objects.counted_for(client.user).current()
    assert _covered(data) == set(counted.values_list("commune__code", flat=True))


def test_the_ministry_reads_the_network_map_only(client_as, home_org):
    client = client_as("ministry")
    response = client.get(reverse("reporting:coverage_data"))
    assert response.status_code == 200
    assert len(_covered(response.json())) == Agreement.objects.current().values("commune").distinct().count()
    url = reverse("reporting:coverage_data") + f"?dimension=organisation&id={home_org.pk}"
    assert client.get(url).status_code == 403


def test_the_organisation_map_is_the_organisations_agreements(client_as, home_org):
    client = client_as("manager")
    page = client.get(reverse("reporting:organisation_dashboard", kwargs={"pk": home_org.pk}))
    data_url = reverse("reporting:coverage_data") + f"?dimension=organisation&id={home_org.pk}&year={_year()}"
    assert f'data-source="{data_url.replace("&", "&amp;")}"' in page.content.decode()
    data = client.get(data_url).json()
    mine = set(Agreement.objects.current().filter(organisation=home_org).values_list("commune__code", flat=True))
    assert mine and _covered(data) == mine
    assert len(_covered(data)) == _covered_figure(page).value
    legend = {o["name"] for o in data["legend"]}
    assert legend == {home_org.display_name}


def test_a_communes_map_is_that_commune(client_as):
    client = client_as("commune")
    counted = Agreement.objects.counted_for(client.user).current()
    commune = pick(Commune.objects.visible_to(client.user).filter(pk__in=counted.values("commune")))
    page = client.get(reverse("reporting:commune_dashboard", kwargs={"pk": commune.pk}))
    assert page.status_code == 200 and 'id="coverage-map"' in page.content.decode()
    assert _covered_figure(page).value == 1
    data = client.get(reverse("reporting:coverage_data") + f"?dimension=commune&id={commune.pk}").json()
    assert [f["properties"]["code"] for f in data["features"]] == [commune.code]
    props = data["features"][0]["properties"]
    assert props["covered"] is True
    assert props["present"] == counted.filter(commune=commune).values("organisation").distinct().count()


def test_no_map_where_the_figure_is_not_counted(client_as, home_org):
    client = client_as("staff")
    project = pick(Project.objects.filter(organisation=home_org))
    page = client.get(reverse("reporting:project_dashboard", kwargs={"pk": project.pk}))
    assert page.status_code == 200 and 'id="coverage-map"' not in page.content.decode()
    assert "leaflet" not in page.content.decode()
    url = reverse("reporting:coverage_data") + f"?dimension=project&id={project.pk}"
    assert client.get(url).status_code == 404


def test_the_map_data_outside_scope_or_malformed(client_as, other_org):
    client = client_as("manager")
    url = reverse("reporting:coverage_data")
    assert client.get(url + f"?dimension=organisation&id={other_org.pk}").status_code == 404
    assert client.get(url + "?dimension=planet&id=1").status_code == 404
    assert client.get(url + "?dimension=organisation&id=x").status_code == 404
    bad = client.get(url + "?year=abc")
    assert bad.status_code == 400 and bad.json()["error"]


def test_the_map_follows_the_period(client_as):
    """The figure and the map are the state on the period's last day: a year long gone covers what was covered."""
    client = client_as("staff")
    year = _year() - 3
    page = client.get(reverse("reporting:dashboard") + f"?year={year}")
    data = client.get(reverse("reporting:coverage_data") + f"?year={year}").json()
    assert len(_covered(data)) == _covered_figure(page).value


@pytest.mark.parametrize("query,count", [("", 8), ("?dimension=organisation&id={org}", 9)])
def test_the_map_data_in_bounded_queries(query, count, client_as, home_org, django_assert_num_queries):
    """Session and user, the scope, the visible organisations, the agreements, the communes (and the dimension's
    object): a constant, however many communes and agreements."""
    client = client_as("staff")
    url = reverse("reporting:coverage_data") + query.format(org=home_org.pk)
    client.get(url)
    with django_assert_num_queries(count):
        assert client.get(url).status_code == 200
