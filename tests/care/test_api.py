"""Community-care requests in the JSON API: the same policies and the same service as the pages."""

import pytest

from moulin.care.enums import RequestStatus
from moulin.care.models import Beneficiary, Request
from moulin.core.models import AuditEvent
from tests.factories import user_with_role
from tests.picking import pick

URL = "/api/v1/care/requests"


@pytest.mark.parametrize("role", ["staff", "manager", "commune", "ministry", "board", "teamleader"])
def test_the_api_lists_the_requests_of_the_pages(role, client_as):
    client = client_as(role)
    response = client.get(URL, {"page_size": 100})
    assert response.status_code == 200
    data = response.json()
    visible = Request.objects.visible_to(client.user)
    assert data["count"] == visible.count()
    assert {item["id"] for item in data["items"]} <= set(visible.values_list("pk", flat=True))
    shown = set(Beneficiary.objects.visible_to(client.user).values_list("pk", flat=True))
    for item in data["items"]:
        if item["beneficiary"] is not None:
            assert item["beneficiary"]["id"] in shown
    outside = Request.objects.exclude(pk__in=visible.values("pk")).first()
    if outside is not None:
        assert client.get(f"{URL}/{outside.pk}").status_code == 404


def test_a_commune_officer_gets_the_communes_requests_without_the_beneficiary(client_as):
    client = client_as("commune")
    officer = client.user
    data = client.get(URL, {"page_size": 100}).json()
    assert data["count"] > 0
    assert {item["commune_code"] for item in data["items"]} <= set(
        Request.objects.visible_to(officer).values_list("commune__code", flat=True)
    )
    names = set(Beneficiary.objects.filter(requests__pk__in=[i["id"] for i in data["items"]])
                .values_list("last_name", flat=True))  # fmt: skip
    body = client.get(URL, {"page_size": 100}).content.decode()
    assert all(item["beneficiary"] is None and item["description"] is None for item in data["items"])
    assert not [n for n in names if f'"{n}"' in body]
    one = client.get(f"{URL}/{data['items'][0]['id']}").json()
    assert one["beneficiary"] is None and one["service"] and one["status"]


def test_a_manager_reads_the_beneficiary_and_the_read_is_audited(client_as):
    client = client_as("manager")
    request = pick(Request.objects.visible_to(client.user).select_related("beneficiary"), "manager's request")
    data = client.get(f"{URL}/{request.pk}").json()
    assert data["beneficiary"]["last_name"] == request.beneficiary.last_name
    assert data["description"] == request.description
    assert AuditEvent.objects.filter(object_type="care.beneficiary", object_id=str(request.beneficiary_id),
                                     detail__part="API request", actor=client.user).exists()  # fmt: skip


def test_creating_a_request_checks_the_craft_rules_at_once(client_as, beneficiary, repairs, electrical):
    client = client_as("manager")
    referred = client.post(URL, {"beneficiary": beneficiary.pk, "service_type": repairs.pk,
                                 "description": "Change the fuse box", "work_kind": electrical.pk},
                           content_type="application/json")  # fmt: skip
    assert referred.status_code == 201, referred.content
    body = referred.json()
    assert body["status"] == RequestStatus.REFERRED and "cdm.lu" in body["referral_text"]
    assert body["reference"].startswith("REQ-")
    too_long = client.post(URL, {"beneficiary": beneficiary.pk, "service_type": repairs.pk,
                                 "description": "Paint the whole house", "estimated_hours": "30"},
                           content_type="application/json")  # fmt: skip
    assert too_long.json()["status"] == RequestStatus.REFERRED and too_long.json()["reason"]
    accepted = client.post(URL, {"beneficiary": beneficiary.pk, "service_type": repairs.pk,
                                 "description": "Fix a dripping tap", "estimated_hours": "1"},
                           content_type="application/json")  # fmt: skip
    assert accepted.status_code == 201 and accepted.json()["status"] == RequestStatus.ACCEPTED
    assert Request.objects.filter(beneficiary=beneficiary).count() == 3


def test_bad_input_is_refused_with_the_field_and_nothing_saved(client_as, beneficiary, repairs, other_org):
    from moulin.care.models import ServiceType

    foreign = pick(ServiceType.objects.filter(organisation=other_org), "service of another organisation")
    client = client_as("staff")
    response = client.post(URL, {"beneficiary": beneficiary.pk, "service_type": foreign.pk,
                                 "description": "Cut the hedge"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "service_type" in response.json()["detail"]
    missing = client.post(URL, {"beneficiary": beneficiary.pk, "service_type": repairs.pk, "description": ""},
                          content_type="application/json")  # fmt: skip
    assert missing.status_code == 422
    assert not Request.objects.filter(beneficiary=beneficiary).exists()


@pytest.mark.parametrize("role", ["commune", "ministry", "board", "teamleader", "outsider"])
def test_outsiders_take_no_request(role, client_as, beneficiary, repairs, other_org):
    who = user_with_role("org_manager", organisation=other_org) if role == "outsider" else role
    response = client_as(who).post(URL, {"beneficiary": beneficiary.pk, "service_type": repairs.pk,
                                         "description": "Cut the hedge"}, content_type="application/json")  # fmt: skip
    assert response.status_code in (403, 404)
    assert not Request.objects.filter(beneficiary=beneficiary).exists()


def test_anonymous_calls_get_401(client):
    assert client.get(URL).status_code == 401
    assert client.post(URL, {}, content_type="application/json").status_code == 401


def test_the_request_list_has_a_bounded_number_of_queries(client_as, django_assert_max_num_queries):
    client = client_as("staff")
    with django_assert_max_num_queries(8):
        assert client.get(URL, {"page_size": 100}).status_code == 200
