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


class TestOneDefinitionOfCoverage:
    def test_the_116_communes_before_the_mergers_and_their_history_ship(self):
        from moulin.territory.models import CommuneMerger, FormerCommune

        assert FormerCommune.objects.count() == 116
        assert CommuneMerger.objects.count() == 12
        kaerjeng = Commune.objects.get(name="Käerjeng")
        assert set(kaerjeng.former_communes.values_list("name", flat=True)) == {"Bascharage", "Clemency"}
        assert FormerCommune.objects.get(name="Hoscheid").canton_name == "Diekirch"

    def test_coverage_against_both_denominators_from_the_same_agreements(self, client_as):
        from moulin.organisations.coverage import coverage_figure
        from moulin.territory.models import FormerCommune

        figure = coverage_figure()
        covered = set(Commune.objects.covered().values_list("pk", flat=True))
        assert figure.former_total == 116
        assert figure.former_covered == FormerCommune.objects.filter(successor__in=covered).count()
        assert figure.former_covered >= figure.covered
        body = client_as("ministry").get(reverse("territory:commune_list")).content.decode()
        assert f"{figure.former_covered} of the 116 communes before the 2012–2023 mergers" in body
        home = client_as("staff").get(reverse("home:home")).content.decode()
        assert f"{figure.covered} of 100 communes covered" in home
        assert f"{figure.former_covered} of the 116 communes before the 2012–2023 mergers" in home

    def test_commune_page_badge_and_count_agree_for_every_role(self, client_as):
        from moulin.organisations.coverage import present_organisations

        for code in ("0214", "0204"):  # Schifflange, Esch-sur-Alzette
            commune = Commune.objects.get(code=code)
            n = present_organisations(commune).count()
            for role in ("commune", "manager", "staff"):
                response = client_as(role).get(reverse("territory:commune_detail", args=[code]))
                assert response.context["present_count"] == n
                assert response.context["covered"] is (n > 0)
                assert response.context["present_elsewhere"] == n - len(response.context["present"])

    def test_map_popup_counts_the_same_organisations_as_the_commune_page(self, client_as):
        from moulin.organisations.coverage import present_organisations

        data = client_as("commune").get(reverse("territory:coverage_data")).json()
        for feature in data["features"]:
            props = feature["properties"]
            if props["code"] in ("0214", "0204", "0304"):
                commune = Commune.objects.get(code=props["code"])
                assert props["present"] == present_organisations(commune).count()
                assert props["covered"] is (props["present"] > 0)

    def test_home_shows_the_users_own_part_of_the_network(self, client_as, demo_user, home_org):
        from moulin.organisations.coverage import present_organisations

        manager = client_as("manager").get(reverse("home:home"))
        served = Agreement.objects.current().filter(organisation__in=demo_user("manager").scope.member_org_ids)
        own = served.values("commune").distinct().count()
        assert manager.context["figures"].communes_covered == own < 48
        assert f"{own} of 100 communes covered by your organisations" in manager.content.decode()
        officer = demo_user("commune")
        figures = client_as("commune").get(reverse("home:home")).context["figures"]
        communes = officer.scope.commune_ids
        assert figures.communes_total == len(communes)
        present = present_organisations(communes).count()
        assert figures.present_organisations == present
        page = client_as("commune").get(
            reverse("territory:commune_detail", args=[Commune.objects.get(pk=min(communes)).code])
        )
        if len(communes) == 1:
            assert page.context["present_count"] == present


class TestCommunePageStaysBounded:
    """A commune's sections show their first rows and say or link the rest, so the page keeps its size and its
    query count however many organisations work in the commune."""

    def test_each_section_shows_twelve_rows_and_links_the_rest(self, client_as):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext, override_settings

        from moulin.core.pagination import SECTION_LENGTH
        from tests.factories import AgreementFactory, OrganisationFactory, PremisesFactory

        esch = Commune.objects.get(code="0204")
        client = client_as("staff")
        url = reverse("territory:commune_detail", args=[esch.code])

        def page():
            with override_settings(MOULIN_PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            return response, len(queries)

        before, queries_before = page()
        present_before = before.context["present_count"]
        agreements_before = Agreement.objects.filter(commune=esch).count()
        for _ in range(SECTION_LENGTH + 2):
            org = OrganisationFactory(seat_commune=esch)
            AgreementFactory(organisation=org, commune=esch)
            PremisesFactory(organisation=org)
        response, queries_after = page()
        html = response.content.decode()
        context = response.context
        assert queries_after == queries_before
        present = present_before + SECTION_LENGTH + 2
        assert context["present_count"] == present and len(context["present"]) == SECTION_LENGTH
        assert context["present_more"] == present - SECTION_LENGTH
        assert f'href="{reverse("organisations:list")}?commune={esch.pk}"' in html
        assert len(context["agreements"]) == SECTION_LENGTH
        assert context["agreements_more"] == agreements_before + SECTION_LENGTH + 2 - SECTION_LENGTH
        assert len(context["premises"]) == SECTION_LENGTH and context["premises_more"] >= 2
        for testid in ("present-more", "agreements-more", "premises-more"):
            assert f'data-testid="{testid}"' in html

        listed = client.get(reverse("organisations:list"), {"commune": esch.pk, "per_page": 100})
        assert listed.context["page"].paginator.count == present

    def test_the_contracts_list_filters_on_the_counterpartys_commune(self, client_as):
        from moulin.contracts.models import Contract

        contract = Contract.objects.filter(counterparty__commune__isnull=False).order_by("pk").first()
        commune = contract.counterparty.commune
        response = client_as("staff").get(reverse("contracts:list"), {"commune": commune.pk})
        assert response.status_code == 200
        shown = {c.pk for c, _cells in response.context["rows"]}
        assert contract.pk in shown
        assert shown == set(Contract.objects.filter(counterparty__commune=commune).values_list("pk", flat=True))

    def test_the_contracts_commune_filter_offers_the_communes_of_the_users_own_contracts(self, client_as):
        from moulin.contracts.models import Contract

        for role in ("staff", "commune"):
            client = client_as(role)
            form = client.get(reverse("contracts:list")).context["filter_form"]
            offered = {pk for pk, _label in form.fields["commune"].choices if pk}
            visible = Contract.objects.visible_to(client.user).filter(counterparty__commune__isnull=False)
            assert offered == set(visible.values_list("counterparty__commune", flat=True)), role
            assert offered or role == "commune"
