"""Performance fixes a user notices as speed: what the pages no longer load or rebuild."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from moulin.access.scope import scope_for
from moulin.core import navigation
from moulin.territory.models import Canton, Commune


def test_commune_list_never_loads_a_boundary(client_as):
    client = client_as("admin")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/territory/communes/")
    assert response.status_code == 200
    assert "Esch-sur-Alzette" in response.content.decode()
    assert not [q["sql"] for q in queries if "boundary" in q["sql"]]


def test_lists_through_a_commune_never_load_its_boundary(client_as):
    client = client_as("admin")
    for url in ("/organisations/", "/territory/cantons/", "/partners/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert not [q["sql"] for q in queries if "boundary" in q["sql"]], url


def test_the_map_still_draws_every_boundary(client_as):
    response = client_as("admin").get("/territory/coverage.geojson")
    features = response.json()["features"]
    assert len(features) == Commune.objects.count()
    with_shape = [f for f in features if f["geometry"]]
    assert len(with_shape) == Commune.objects.with_boundary().filter(boundary__isnull=False).count() > 0
    assert with_shape[0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_boundary_is_deferred_but_still_readable_on_one_record():
    commune = Commune.objects.get(name="Esch-sur-Alzette")
    assert "boundary" in commune.get_deferred_fields()
    assert commune.boundary == Commune.objects.with_boundary().get(pk=commune.pk).boundary
    assert "boundary" in Canton.objects.first().get_deferred_fields()


def test_menu_built_once_per_role_set_and_language(demo_user, django_assert_num_queries):
    coach, admin = scope_for(demo_user("coach")), scope_for(demo_user("admin"))
    navigation._MENUS.clear()
    first = navigation.menu_for(coach)
    with django_assert_num_queries(0):
        assert navigation.menu_for(coach) is first
    assert navigation.menu_for(admin) != first  # administrators see the administration area
    with translation.override("fr"):
        french = navigation.menu_for(coach)
        assert french is not first
        assert [a["key"] for a in french] == [a["key"] for a in first]
