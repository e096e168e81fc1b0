from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from moulin.core.models import NetworkSettings
from moulin.home.figures import home_figures
from moulin.organisations.models import BoardMandate, VolunteerHours


def test_home_figures_are_counted_from_the_records(demo_user):
    admin = demo_user("admin")
    year = timezone.localdate().year
    figures = home_figures(admin)
    assert figures.members == 30
    assert dict(figures.organisations_by_level) == {"Local": 20, "Regional": 6, "Sectoral": 4}
    assert (figures.communes_covered, figures.communes_total) == (48, 100)
    assert figures.board_members == BoardMandate.objects.current().count()
    expected_hours = sum(h.hours for h in VolunteerHours.objects.filter(date__year=year))
    assert figures.volunteer_hours == expected_hours
    assert figures.volunteer_value == expected_hours * NetworkSettings.load().volunteer_hour_rate


def test_recording_hours_moves_the_home_figure(client_as, home_org):
    client = client_as("manager")
    before = home_figures(client.user).volunteer_hours
    VolunteerHours.objects.create(
        organisation=home_org, volunteer_name="Lynn", date=timezone.localdate(), hours=Decimal("4"), activity="Fair"
    )
    assert home_figures(client.user).volunteer_hours == before + 4
    body = client.get(reverse("home:home")).content.decode()
    assert "My organisations" in body and "CIGL Esch-sur-Alzette" in body


def test_manager_figures_cover_their_organisation_only(demo_user, home_org):
    figures = home_figures(demo_user("manager"))
    assert figures.members == 1
    assert figures.board_members == BoardMandate.objects.current().filter(organisation=home_org).count()
    assert not figures.network_wide


def test_ministry_sees_network_counts(client_as):
    body = client_as("ministry").get(reverse("home:home")).content.decode()
    assert "48 of 100 communes covered" in body
    assert "The network in" in body


def test_home_page_queries_are_bounded(client_as, django_assert_max_num_queries):
    client = client_as("admin")
    # the network figures and the reporting panel (jobs against target, workers); exact per role in
    # tests/test_query_counts.py
    with django_assert_max_num_queries(21):
        client.get(reverse("home:home"))


def test_search_finds_organisations_and_communes_in_scope(client_as):
    body = client_as("manager").get(reverse("home:search"), {"q": "esch"}).content.decode()
    assert "CIGL Esch-sur-Alzette" in body and "Esch-sur-Sûre" in body
    assert "CIGS Services de proximité" not in body


def test_network_settings_change_the_value_of_volunteer_time(client_as):
    response = client_as("admin").post(reverse("core:settings"), {"name": "OPE", "volunteer_hour_rate": "30.00"})
    assert response.status_code == 302
    assert NetworkSettings.load().volunteer_hour_rate == Decimal("30.00")
    assert client_as("staff").get(reverse("core:settings")).status_code == 403


def test_audit_log_is_for_administrators(client_as, home_org):
    """Administrators read all of it; a manager reads only the money trail of their organisation (issue 10)."""
    client_as("manager").get(reverse("organisations:list"), {"export": "csv"})
    response = client_as("admin").get(reverse("core:audit_list"), {"action": "export"})
    assert "manager@moulin.demo" in response.content.decode()
    response = client_as("manager").get(reverse("core:audit_list"), {"action": "export"})
    assert response.status_code == 200 and not response.context["rows"]
    assert client_as("coach").get(reverse("core:audit_list")).status_code == 403
