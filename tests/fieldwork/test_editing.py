"""Schedule editing from the week view, checklists, and correcting or deleting time entries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from icalendar import Calendar

from moulin.core.models import AuditEvent
from moulin.fieldwork.calendar_feed import team_calendar
from moulin.fieldwork.models import TimeEntry, WorkOrder, WorkOrderStatus
from moulin.fieldwork.services import generate_work_orders, record_time_entry, tick_checklist
from moulin.projects.models import Team
from tests.picking import pick

pytestmark = pytest.mark.django_db


@pytest.fixture
def order_today(site, team, today):
    return WorkOrder.objects.create(
        site=site, team=team, title="Mow the park", date=today, planned_hours=Decimal("3"),
        checklist=[{"item": "Mowing", "required": False, "done": False},
                   {"item": "Broken glass", "required": True, "done": False}],
    )  # fmt: skip


@pytest.fixture
def other_team(team, demo_user):
    """Another team of the same project, led by someone else."""
    leader = demo_user("manager")
    return Team.objects.create(project=team.project, name="Second crew (test)", leader=leader)


# --- the week view and its forms ---------------------------------------------------------------------------------


def test_leader_adds_a_single_work_order_from_the_week_view(client_as, team, site, today):
    leader = client_as("teamleader")
    week = leader.get(reverse("fieldwork:team_schedule", args=[team.pk]), {"week": today.isoformat()})
    add = reverse("fieldwork:work_order_create", args=[team.pk])
    assert add in week.content.decode()
    response = leader.post(add, {
        "site": site.pk, "title": "Remove graffiti", "date": today.isoformat(), "start_time": "08:30",
        "planned_hours": "2", "checklist": "Walls\n!Paint stored",
    })  # fmt: skip
    assert response.status_code == 302
    order = WorkOrder.objects.get(title="Remove graffiti")
    assert (order.team, order.recurring, order.start_time) == (team, None, datetime.time(8, 30))
    assert order.checklist == [{"item": "Walls", "required": False, "done": False},
                               {"item": "Paint stored", "required": True, "done": False}]  # fmt: skip
    assert AuditEvent.objects.filter(object_type="fieldwork.workorder", object_id=str(order.pk), action="create")
    body = leader.get(reverse("fieldwork:schedule"), {"week": today.isoformat(), "team": team.pk}).content.decode()
    assert "Remove graffiti" in body and "08:30" in body
    # the feed gives it its hour
    event = next(e for e in Calendar.from_ical(team_calendar(team)).walk("VEVENT") if "graffiti" in str(e["SUMMARY"]))
    assert event["DTSTART"].dt.hour == 8 and event["DTSTART"].dt.minute == 30


def test_bad_input_on_the_new_work_order_form(client_as, team, site, today):
    leader = client_as("teamleader")
    add = reverse("fieldwork:work_order_create", args=[team.pk])
    response = leader.post(add, {"site": site.pk, "title": "", "date": "31/31/2026", "planned_hours": "12"})
    assert response.status_code == 422
    assert not WorkOrder.objects.filter(site=site, recurring=None).exists()
    other_site = pick(WorkOrder.objects.exclude(site__project=team.project).order_by("pk")).site
    response = leader.post(add, {"site": other_site.pk, "title": "Elsewhere", "date": today.isoformat(),
                                 "planned_hours": "2"})  # fmt: skip
    assert response.status_code == 422 and not WorkOrder.objects.filter(title="Elsewhere").exists()


def test_outsiders_cannot_edit_a_teams_week(client_as, team, order_today):
    add = reverse("fieldwork:work_order_create", args=[team.pk])
    reassign = reverse("fieldwork:work_order_reassign", args=[order_today.pk])
    assert client_as("coach").post(add, {}).status_code in (403, 404)
    assert client_as("board").post(reassign, {}).status_code in (403, 404)
    assert client_as("commune").post(reassign, {}).status_code in (403, 404)
    assert client_as("ministry").get(add).status_code in (403, 404)
    order_today.refresh_from_db()
    assert order_today.team == team


def test_move_to_another_day_and_time_through_the_workflow(client_as, order_today, today):
    leader = client_as("teamleader")
    url = reverse("fieldwork:work_order_transition", args=[order_today.pk])
    later = today + datetime.timedelta(days=2)
    response = leader.post(url, {"transition": "move", "date": later.isoformat(), "start_time": "13:00"})
    assert response.status_code == 302
    order_today.refresh_from_db()
    assert (order_today.status, order_today.date, order_today.moved_from) == (WorkOrderStatus.MOVED, later, today)
    assert order_today.start_time == datetime.time(13)
    assert AuditEvent.objects.filter(object_id=str(order_today.pk), detail__to="moved").exists()


def test_reassign_one_order_only(client_as, order_today, other_team, team):
    manager = client_as("manager")
    url = reverse("fieldwork:work_order_reassign", args=[order_today.pk])
    assert manager.post(url, {"team": other_team.pk}).status_code == 302
    order_today.refresh_from_db()
    assert order_today.team == other_team


def test_reassign_a_recurrence_from_a_day_on(client_as, recurring, other_team, team, june_2026):
    generate_work_orders(recurring, first=datetime.date(2026, 6, 1), last=datetime.date(2026, 7, 31))
    orders = WorkOrder.objects.filter(recurring=recurring).order_by("date")
    past = [o for o in orders if o.date < june_2026]
    for order in past:
        order.status = WorkOrderStatus.DONE
        order.save()
    pivot = orders.filter(date__gte=june_2026 + datetime.timedelta(days=7)).first()
    response = client_as("manager").post(reverse("fieldwork:work_order_reassign", args=[pivot.pk]),
                                         {"team": other_team.pk, "following": "1"})  # fmt: skip
    assert response.status_code == 302
    recurring.refresh_from_db()
    assert recurring.team == other_team
    by_team = dict(WorkOrder.objects.filter(recurring=recurring).values_list("date", "team"))
    assert all(t == team.pk for d, t in by_team.items() if d < pivot.date)  # earlier ones keep theirs
    assert all(t == other_team.pk for d, t in by_team.items() if d >= pivot.date)
    # the orders generated later follow the recurrence
    generate_work_orders(recurring, first=datetime.date(2026, 8, 1), last=datetime.date(2026, 8, 31))
    assert set(WorkOrder.objects.filter(recurring=recurring, date__month=8).values_list("team", flat=True)) == {
        other_team.pk
    }


def test_a_leader_cannot_hand_work_to_a_team_they_do_not_lead(client_as, order_today, other_team):
    response = client_as("teamleader").post(reverse("fieldwork:work_order_reassign", args=[order_today.pk]),
                                            {"team": other_team.pk})  # fmt: skip
    assert response.status_code == 422
    order_today.refresh_from_db()
    assert order_today.team != other_team


def test_cancel_from_the_week_view_needs_a_reason(client_as, order_today, today, team):
    leader = client_as("teamleader")
    body = leader.get(reverse("fieldwork:team_schedule", args=[team.pk]), {"week": today.isoformat()}).content.decode()
    url = reverse("fieldwork:work_order_transition", args=[order_today.pk])
    assert url in body
    assert leader.post(url, {"transition": "cancel"}).status_code == 422
    assert leader.post(url, {"transition": "cancel", "cancel_reason": "Flooded"}).status_code == 302


# --- checklists --------------------------------------------------------------------------------------------------


def test_ticking_keeps_who_and_when_and_done_needs_the_required_items(client_as, order_today, demo_user):
    leader = client_as("teamleader")
    url = reverse("fieldwork:work_order_checklist", args=[order_today.pk])
    assert leader.post(url, {"items": ["0"], "next": "time_sheet"})["Location"] == reverse(
        "fieldwork:time_sheet", args=[order_today.pk]
    )
    order_today.refresh_from_db()
    first, second = order_today.checklist
    assert first["done"] and first["by_id"] == demo_user("teamleader").pk and first["at"]
    assert not second["done"]
    status = reverse("fieldwork:work_order_transition", args=[order_today.pk])
    refused = leader.post(status, {"transition": "done"})
    assert refused.status_code == 422 and "Broken glass" in refused.content.decode()
    order_today.refresh_from_db()
    assert order_today.status == WorkOrderStatus.PLANNED
    assert (
        leader.post(status, {"transition": "done", "unticked_reason": "No glass found: site fenced"}).status_code
        == 302
    )
    order_today.refresh_from_db()
    assert order_today.status == WorkOrderStatus.DONE and order_today.unticked_reason.startswith("No glass")


def test_ticking_every_required_item_lets_the_order_be_done(order_today, demo_user):
    from moulin.fieldwork.services import transition_work_order

    leader = demo_user("teamleader")
    tick_checklist(order_today, [0, 1], actor=leader)
    transition_work_order(order_today, "done", actor=leader)
    order_today.refresh_from_db()
    assert order_today.status == WorkOrderStatus.DONE


def test_checklist_bad_input_and_closed_orders(client_as, order_today):
    leader = client_as("teamleader")
    url = reverse("fieldwork:work_order_checklist", args=[order_today.pk])
    assert leader.post(url, {"items": ["7"]}).status_code == 422
    assert leader.post(url, {"items": ["x"]}).status_code == 422
    order_today.status, order_today.cancel_reason = WorkOrderStatus.CANCELLED, "Storm"
    order_today.save()
    response = leader.post(url, {"items": ["0"]})
    assert response.status_code == 422 and "kept as it was" in response.content.decode()
    assert client_as("coach").post(url, {"items": ["0"]}).status_code in (403, 404)


def test_the_phone_time_sheet_offers_the_checklist(client_as, order_today):
    body = client_as("teamleader").get(reverse("fieldwork:time_sheet", args=[order_today.pk])).content.decode()
    assert 'data-testid="checklist-form"' in body and "Broken glass" in body


# --- time entries: correct and delete ----------------------------------------------------------------------------


@pytest.fixture
def entry(order_today, worker, demo_user):
    made, _ = record_time_entry(actor=demo_user("teamleader"), participant=worker, date=order_today.date,
                                hours=Decimal("3"), work_order=order_today)  # fmt: skip
    return made


def _edit(entry, **changes):
    data = {"date": entry.date.isoformat(), "kind": entry.kind, "work_order": entry.work_order_id or "",
            "intervention": "", "hours": str(entry.hours), "note": ""}  # fmt: skip
    data.update(changes)
    return data


def test_leader_corrects_an_entry_with_an_audit(client_as, entry):
    leader = client_as("teamleader")
    url = reverse("fieldwork:time_entry_update", args=[entry.pk])
    assert leader.get(url).status_code == 200
    assert leader.post(url, _edit(entry, hours="2.5", note="Left early")).status_code == 302
    entry.refresh_from_db()
    assert entry.hours == Decimal("2.5") and entry.note == "Left early"
    event = AuditEvent.objects.filter(object_type="fieldwork.timeentry", object_id=str(entry.pk), action="update")
    assert event.get().detail["changed"]["hours"] == ["3.00", "2.5"]


def test_corrections_are_refused_like_new_entries(client_as, entry, worker, order_today):
    leader = client_as("teamleader")
    url = reverse("fieldwork:time_entry_update", args=[entry.pk])
    TimeEntry.objects.create(participant=worker, date=entry.date, hours=Decimal("6"), kind="training")
    over = leader.post(url, _edit(entry, hours="5"))
    assert over.status_code == 422 and "at most 10 hours" in over.content.decode()
    no_contract = leader.post(url, _edit(entry, kind="training", work_order="", date="2001-01-02"))
    assert no_contract.status_code == 422
    order_today.status, order_today.cancel_reason = WorkOrderStatus.CANCELLED, "Storm warning"
    order_today.save()
    cancelled = leader.post(url, _edit(entry, hours="2"))
    assert cancelled.status_code == 422 and "cancelled" in cancelled.content.decode()
    entry.refresh_from_db()
    assert entry.hours == Decimal("3") and entry.date == order_today.date


def test_delete_an_entry_with_an_audit(client_as, entry):
    leader = client_as("teamleader")
    url = reverse("fieldwork:time_entry_delete", args=[entry.pk])
    assert leader.get(url).status_code == 200
    assert leader.post(url).status_code == 302
    assert not TimeEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEvent.objects.filter(object_type="fieldwork.timeentry", object_id=str(entry.pk), action="delete")


def test_who_may_correct_an_entry(client_as, entry):
    update = reverse("fieldwork:time_entry_update", args=[entry.pk])
    delete = reverse("fieldwork:time_entry_delete", args=[entry.pk])
    detail = reverse("fieldwork:time_entry_detail", args=[entry.pk])
    assert client_as("manager").get(update).status_code == 200  # the organisation's manager
    assert client_as("coach").get(detail).status_code == 200  # a coach reads…
    assert client_as("coach").post(update, _edit(entry, hours="1")).status_code == 403  # …but does not correct
    assert client_as("coach").post(delete).status_code == 403
    for role in ("commune", "board", "ministry"):
        assert client_as(role).get(detail).status_code == 404
        assert client_as(role).post(delete).status_code == 404
    assert TimeEntry.objects.filter(pk=entry.pk, hours=Decimal("3")).exists()
