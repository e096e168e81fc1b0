"""The web cafés in the JSON API: the same rows as the pages, 404 outside scope, counts for the ministry."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moulin.webcafe.models import PublicCourse, Venue, VisitDay
from tests.conftest import DEMO_ROLES


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_the_api_lists_what_the_role_reads_and_404s_outside(role, client_as):
    client = client_as(role)
    venues = client.get("/api/v1/web-cafes/venues", {"page_size": 100}).json()["items"]
    assert {v["id"] for v in venues} == set(Venue.objects.visible_to(client.user).values_list("pk", flat=True))
    courses = client.get("/api/v1/web-cafes/courses", {"page_size": 100}).json()
    visible = PublicCourse.objects.visible_to(client.user)
    assert courses["count"] == visible.count()
    outside = Venue.objects.exclude(pk__in=Venue.objects.visible_to(client.user).values("pk")).first()
    if outside is not None:
        assert client.get(f"/api/v1/web-cafes/venues/{outside.pk}").status_code == 404
        assert client.get(f"/api/v1/web-cafes/venues/{outside.pk}/opening").status_code == 404
    year = timezone.localdate().year
    months = client.get("/api/v1/web-cafes/visits/by-month", {"year": year}).json()
    assert sum(m["total"] for m in months) == VisitDay.objects.counted_for(client.user).filter(
        day__year=year).totals()["total"]  # fmt: skip


def test_a_venue_in_the_api_gives_its_hours_and_its_week(client_as, venue):
    client = client_as("teamleader")
    data = client.get(f"/api/v1/web-cafes/venues/{venue.pk}").json()
    assert data["commune_code"] == venue.premises.commune.code and len(data["opening_hours"]) == 6
    week = client.get(f"/api/v1/web-cafes/venues/{venue.pk}/opening").json()
    assert len(week) == 7 and all(d["open"] == bool(d["slots"]) for d in week)
    assert client.get("/api/v1/web-cafes/visits/by-month", {"year": 1800}).status_code == 422


@pytest.mark.parametrize("url", ["/api/v1/web-cafes/venues", "/api/v1/web-cafes/courses", "/api/v1/web-cafes/visits",
                                 "/api/v1/web-cafes/visits/by-month"])  # fmt: skip
def test_api_lists_make_a_bounded_number_of_queries(client_as, url):
    client = client_as("staff")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, {"page_size": 50} if "by-month" not in url else {}).status_code == 200
    assert len(captured) <= 8, [q["sql"][:120] for q in captured]
