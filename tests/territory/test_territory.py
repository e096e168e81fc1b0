import json

from django.db.models import Sum
from django.urls import reverse

from moulin.organisations.models import Agreement
from moulin.territory.models import Canton, Commune
from moulin.territory.reference import load_territory


class TestReferenceData:
    def test_luxembourg_has_12_cantons_and_100_communes_with_boundaries(self):
        assert Canton.objects.count() == 12
        assert Commune.objects.count() == 100
        assert not Commune.objects.filter(boundary__isnull=True).exists()
        assert Commune.objects.get(code="0304").name == "Luxembourg"

    def test_populations_add_up_to_the_national_total(self):
        assert Commune.objects.aggregate(t=Sum("population"))["t"] == 690959
        assert Commune.objects.aggregate(t=Sum("population_previous"))["t"] == 681973

    def test_loading_again_changes_nothing(self):
        load_territory()
        assert Commune.objects.count() == 100
        assert Canton.objects.count() == 12


class TestCommunePages:
    def test_list_shows_the_coverage_figure_and_filters_covered(self, client_as):
        client = client_as("ministry")
        response = client.get(reverse("territory:commune_list"))
        assert "48 of 100 communes covered" in response.content.decode()
        response = client.get(reverse("territory:commune_list"), {"covered": "yes"})
        assert response.context["page"].paginator.count == 48
        response = client.get(reverse("territory:commune_list"), {"covered": "no", "q": "Mersch"})
        assert [c.name for c, _ in response.context["rows"]] == ["Mersch"]

    def test_commune_page_lists_the_organisations_present(self, client_as):
        response = client_as("commune").get(reverse("territory:commune_detail", args=["0204"]))
        body = response.content.decode()
        assert "CIGL Esch-sur-Alzette" in body and "CIGS Environnement et Patrimoine" in body
        assert "covered" in body

    def test_unknown_commune_is_the_sites_404(self, client_as):
        response = client_as("commune").get(reverse("territory:commune_detail", args=["9999"]))
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()

    def test_only_administrators_add_communes_and_codes_are_unique(self, client_as):
        data = {"code": "0204", "name": "Double", "canton": Canton.objects.first().pk, "population": 10,
                "population_year": 2026}  # fmt: skip
        assert client_as("staff").post(reverse("territory:commune_create"), data).status_code == 403
        response = client_as("admin").post(reverse("territory:commune_create"), data)
        assert response.status_code == 422
        assert "Another commune already has this code." in response.content.decode()
        data["code"] = "12"
        response = client_as("admin").post(reverse("territory:commune_create"), data)
        assert "four digits" in response.content.decode()
        assert Commune.objects.count() == 100

    def test_commune_list_queries_are_bounded(self, client_as, django_assert_max_num_queries):
        client = client_as("staff")
        with django_assert_max_num_queries(10):
            client.get(reverse("territory:commune_list"), {"page": 3})


class TestCoverageMap:
    def test_geojson_has_every_commune_and_the_covered_ones_by_organisation(self, client_as):
        response = client_as("staff").get(reverse("territory:coverage_data"))
        data = json.loads(response.content)
        assert len(data["features"]) == 100
        covered = [f for f in data["features"] if f["properties"]["covered"]]
        assert len(covered) == 48
        esch = next(f for f in covered if f["properties"]["code"] == "0204")
        assert {o["name"] for o in esch["properties"]["organisations"]} == {
            "CIGL Esch-sur-Alzette",
            "CIGS Environnement et Patrimoine",
        }
        assert esch["properties"]["colour"].startswith("#")
        assert len(data["legend"]) == 27  # 20 local, 6 regional, 1 sectoral with agreements

    def test_manager_sees_coverage_but_only_names_their_organisation(self, client_as):
        data = json.loads(client_as("manager").get(reverse("territory:coverage_data")).content)
        assert sum(f["properties"]["covered"] for f in data["features"]) == 48
        named = {o["name"] for f in data["features"] for o in f["properties"]["organisations"]}
        assert named == {"CIGL Esch-sur-Alzette"}

    def test_map_page_states_the_coverage_figure(self, client_as):
        body = client_as("board").get(reverse("territory:map")).content.decode()
        assert "<strong>48</strong> of 100 communes covered" in body
        assert 'id="coverage-map"' in body

    def test_an_ended_agreement_uncovers_the_commune(self, client_as):
        Agreement.objects.filter(commune__code="0204").update(end="2020-01-01", start="2019-01-01")
        body = client_as("staff").get(reverse("territory:commune_list")).content.decode()
        assert "47 of 100 communes covered" in body
