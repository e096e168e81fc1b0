import json
from pathlib import Path

from config.api import api
from moulin.accounts.models import ApiToken

SNAPSHOT = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def test_openapi_schema_has_not_drifted():
    """The API contract is committed; regenerate docs/openapi.json with `make openapi` when it changes."""
    current = api.get_openapi_schema(path_prefix="/api/v1")
    assert json.loads(json.dumps(current, sort_keys=True)) == json.loads(SNAPSHOT.read_text())


def test_anonymous_calls_get_401(client):
    assert client.get("/api/v1/organisations/").status_code == 401


def test_session_user_lists_organisations_in_scope(client_as):
    data = client_as("manager").get("/api/v1/organisations/").json()
    assert data["count"] == 1
    assert data["items"][0]["name"] == "CIGL Esch-sur-Alzette"


def test_out_of_scope_organisation_is_404(client_as, other_org):
    assert client_as("manager").get(f"/api/v1/organisations/{other_org.slug}").status_code == 404
    assert client_as("staff").get(f"/api/v1/organisations/{other_org.slug}").json()["level"] == "regional"


def test_token_sees_its_users_scope_and_a_revoked_one_nothing(client, demo_user):
    token, key = ApiToken.issue(user=demo_user("ministry"), name="dashboard")
    response = client.get("/api/v1/organisations/", {"level": "regional"}, headers={"Authorization": f"Token {key}"})
    assert response.json()["count"] == 6
    token.revoked_at = token.created_at
    token.save()
    assert client.get("/api/v1/organisations/", headers={"Authorization": f"Token {key}"}).status_code == 401


def test_coverage_and_communes(client_as):
    client = client_as("commune")
    assert client.get("/api/v1/territory/coverage").json() == {"covered": 48, "total": 100, "share": 48.0}
    communes = client.get("/api/v1/territory/communes", {"covered": "true"}).json()
    assert len(communes) == 48


def test_api_list_queries_are_bounded(client_as, django_assert_max_num_queries):
    client = client_as("staff")
    with django_assert_max_num_queries(10):
        client.get("/api/v1/organisations/")
