import uuid
from decimal import Decimal

import pytest

from moulin.fieldwork.models import TimeEntry, WorkOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def order_today(recurring, today):
    return WorkOrder.objects.create(site=recurring.site, team=recurring.team, title="Sweep", date=today,
                                    planned_hours=Decimal("2"))  # fmt: skip


def test_a_time_entry_sent_twice_through_the_api_is_stored_once(client_as, order_today, worker, today):
    client = client_as("teamleader")
    payload = {"idempotency_key": str(uuid.uuid4()), "participant": worker.pk, "date": today.isoformat(),
               "hours": "2", "work_order": order_today.pk}  # fmt: skip
    first = client.post("/api/v1/field/time-entries", payload, content_type="application/json")
    again = client.post("/api/v1/field/time-entries", payload, content_type="application/json")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert TimeEntry.objects.filter(work_order=order_today, participant=worker).count() == 1


def test_api_refuses_a_time_entry_on_a_cancelled_order(client_as, order_today, worker, today, demo_user):
    from moulin.fieldwork.services import transition_work_order

    transition_work_order(order_today, "cancel", actor=demo_user("teamleader"), cancel_reason="Rain")
    payload = {"idempotency_key": str(uuid.uuid4()), "participant": worker.pk, "date": today.isoformat(),
               "hours": "2", "work_order": order_today.pk}  # fmt: skip
    response = client_as("teamleader").post("/api/v1/field/time-entries", payload, content_type="application/json")
    assert response.status_code == 400 and "cancelled" in " ".join(response.json()["detail"]["work_order"])


@pytest.mark.parametrize("role", ["commune", "ministry", "board"])
def test_roles_without_access_to_people_cannot_record_hours(role, client_as, order_today, worker, today):
    payload = {"idempotency_key": str(uuid.uuid4()), "participant": worker.pk, "date": today.isoformat(),
               "hours": "2", "work_order": order_today.pk}  # fmt: skip
    response = client_as(role).post("/api/v1/field/time-entries", payload, content_type="application/json")
    assert response.status_code in (403, 404)
    assert not TimeEntry.objects.filter(work_order=order_today).exists()


@pytest.mark.parametrize("role", ["staff", "manager", "teamleader", "commune", "ministry"])
def test_work_orders_in_the_api_are_those_of_the_pages(role, client_as, today):
    client = client_as(role)
    data = client.get("/api/v1/field/work-orders", {"date_from": today.isoformat(), "date_to": today.isoformat(),
                                                    "page_size": 100}).json()  # fmt: skip
    visible = WorkOrder.objects.visible_to(client.user).filter(date=today)
    assert data["count"] == visible.count()
    assert {item["id"] for item in data["items"]} <= set(visible.values_list("pk", flat=True))
    outside = WorkOrder.objects.exclude(pk__in=WorkOrder.objects.visible_to(client.user).values("pk")).first()
    if outside is not None:
        assert client.get(f"/api/v1/field/work-orders/{outside.pk}").status_code == 404
