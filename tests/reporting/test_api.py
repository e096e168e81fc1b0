"""The dashboards' figures in the JSON API: the same as the page, within the user's scope."""

from django.utils import timezone

from moulin.participants.models import EmploymentContract

URL = "/api/v1/reporting/dashboard"


def _figure(data, key):
    return next(f for s in data["sections"] for f in s["figures"] if f["key"] == key)


def test_the_network_figures(client_as):
    response = client_as("staff").get(URL)
    assert response.status_code == 200
    data = response.json()
    y = timezone.localdate().year
    assert data["year"] == y and data["period"] == "year"
    hires = EmploymentContract.objects.filter(start__year=y, renewal_of__isnull=True).count()
    assert _figure(data, "hires")["value"] == hires
    assert (
        _figure(data, "hires")["previous"]
        == EmploymentContract.objects.filter(start__year=y - 1, renewal_of__isnull=True).count()
    )


def test_an_organisation_and_the_refusals(client_as, home_org, other_org):
    manager = client_as("manager")
    mine = manager.get(URL, {"dimension": "organisation", "id": home_org.pk}).json()
    hires = EmploymentContract.objects.filter(
        start__year=timezone.localdate().year, renewal_of__isnull=True, organisation=home_org
    ).count()
    assert _figure(mine, "hires")["value"] == hires
    assert manager.get(URL, {"dimension": "organisation", "id": other_org.pk}).status_code == 404
    assert client_as("ministry").get(URL, {"dimension": "organisation", "id": home_org.pk}).status_code == 403
    assert manager.get(URL, {"year": "20x6"}).status_code == 422
    assert manager.get(URL, {"period": "q8"}).status_code == 422


def test_the_ministry_gets_no_small_count(client_as):
    data = client_as("ministry").get(URL, {"period": "q1"}).json()
    for s in data["sections"]:
        for f in s["figures"]:
            for p in f["breakdown"]:
                if p["suppressed"]:
                    assert p["value"] is None
