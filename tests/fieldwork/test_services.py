import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from moulin.fieldwork.models import EntryKind, RecurringOrder, TimeEntry, WorkOrder, WorkOrderStatus
from moulin.fieldwork.recurrence import check_rule, occurrences
from moulin.fieldwork.services import (
    generate_work_orders,
    planned_entries,
    record_time_entry,
    transition_work_order,
    week_hours,
)

pytestmark = pytest.mark.django_db


# --- recurrence ---------------------------------------------------------------------------------------------------


def test_generation_run_twice_gives_the_same_rows(recurring):
    first, last = datetime.date(2026, 6, 1), datetime.date(2026, 8, 31)
    created = generate_work_orders(recurring, first=first, last=last)
    rows = set(WorkOrder.objects.filter(recurring=recurring).values_list("pk", "occurrence", "date"))
    assert created == len(rows) > 10
    assert generate_work_orders(recurring, first=first, last=last) == 0
    assert set(WorkOrder.objects.filter(recurring=recurring).values_list("pk", "occurrence", "date")) == rows
    # a longer period adds only the new days
    assert generate_work_orders(recurring, first=first, last=datetime.date(2026, 9, 30)) == 5


def test_a_moved_or_cancelled_order_is_not_generated_again(recurring, demo_user):
    first, last = datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)
    generate_work_orders(recurring, first=first, last=last)
    order = WorkOrder.objects.filter(recurring=recurring).order_by("date").first()
    transition_work_order(order, "move", actor=demo_user("teamleader"), date=order.date + datetime.timedelta(days=1))
    other = WorkOrder.objects.filter(recurring=recurring, status=WorkOrderStatus.PLANNED).order_by("date").first()
    transition_work_order(other, "cancel", actor=demo_user("teamleader"), cancel_reason="Storm")
    assert generate_work_orders(recurring, first=first, last=last) == 0
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.MOVED and order.moved_from == order.occurrence


def test_public_holidays_are_skipped_or_moved_by_the_stated_rule(recurring):
    # Whit Monday 2026 is 25 May, a public holiday in Luxembourg
    recurring.rule = "FREQ=WEEKLY;BYDAY=MO"
    first, last = datetime.date(2026, 5, 18), datetime.date(2026, 6, 1)
    recurring.holiday_rule = "skip"
    assert [held for _o, held in occurrences(recurring, first, last)] == [
        datetime.date(2026, 5, 18), datetime.date(2026, 6, 1),
    ]  # fmt: skip
    recurring.holiday_rule = "next"
    assert datetime.date(2026, 5, 26) in [held for _o, held in occurrences(recurring, first, last)]
    recurring.holiday_rule = "previous"
    # the Saturday before: Sunday is never a working day
    assert datetime.date(2026, 5, 23) in [held for _o, held in occurrences(recurring, first, last)]


def test_first_monday_of_the_month():
    order = RecurringOrder(rule="FREQ=MONTHLY;BYDAY=1MO", starts_on=datetime.date(2026, 1, 1), holiday_rule="skip")
    days = [held for _o, held in occurrences(order, datetime.date(2026, 1, 1), datetime.date(2026, 4, 30))]
    assert days == [datetime.date(2026, 1, 5), datetime.date(2026, 2, 2), datetime.date(2026, 3, 2)]  # 6 April: Easter


@pytest.mark.parametrize(
    "rule,message",
    [
        ("FREQ=WEEKLY;BYDAY=TU;COUNT=0", "no day"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "no day"),
        ("FREQ=HOURLY", "at most once a day"),
        ("FREQ=DAILY;INTERVAL=1;BYHOUR=8,12", "more than 366"),
        ("every tuesday", "not a recurrence rule"),
    ],
)
def test_a_rule_giving_nothing_or_too_much_is_refused_with_an_explanation(rule, message):
    with pytest.raises(ValidationError) as exc:
        check_rule(rule, datetime.date(2026, 1, 1))
    assert message in " ".join(exc.value.message_dict["rule"])


def test_a_recurring_order_with_a_bad_rule_is_not_saved(site, team):
    order = RecurringOrder(site=site, team=team, title="X", rule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31",
                           starts_on=datetime.date(2026, 1, 1), planned_hours=Decimal("2"))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        order.full_clean()
    assert "rule" in exc.value.message_dict


def test_cancelling_needs_a_reason(recurring, demo_user):
    generate_work_orders(recurring, first=datetime.date(2026, 6, 1), last=datetime.date(2026, 6, 30))
    order = WorkOrder.objects.filter(recurring=recurring).first()
    with pytest.raises(ValidationError) as exc:
        transition_work_order(order, "cancel", actor=demo_user("teamleader"), cancel_reason="")
    assert "cancel_reason" in exc.value.message_dict
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.PLANNED


# --- time entries -------------------------------------------------------------------------------------------------


@pytest.fixture
def order_today(recurring, today):
    return WorkOrder.objects.create(site=recurring.site, team=recurring.team, title="Mow", date=today,
                                    planned_hours=Decimal("4"))  # fmt: skip


def test_an_entry_sent_twice_is_stored_once(order_today, worker, demo_user, today):
    key = uuid.uuid4()
    leader = demo_user("teamleader")
    args = {"participant": worker, "date": today, "hours": Decimal("4"), "work_order": order_today}
    entry, created = record_time_entry(actor=leader, idempotency_key=key, **args)
    again, created_again = record_time_entry(actor=leader, idempotency_key=str(key), **args)
    assert created and not created_again and again.pk == entry.pk
    assert TimeEntry.objects.filter(participant=worker, date=today).count() == 1


def test_over_ten_hours_a_day_is_refused(order_today, worker, demo_user, today):
    leader = demo_user("teamleader")
    record_time_entry(actor=leader, participant=worker, date=today, hours=Decimal("6"), work_order=order_today)
    with pytest.raises(ValidationError) as exc:
        record_time_entry(actor=leader, participant=worker, date=today, hours=Decimal("4.5"),
                          kind=EntryKind.TRAINING)  # fmt: skip
    assert "10 hours" in " ".join(exc.value.message_dict["hours"])
    assert TimeEntry.objects.filter(participant=worker, date=today).count() == 1


def test_no_hours_without_a_contract_that_day(order_today, worker, demo_user):
    first = worker.contracts.order_by("start").first().start
    with pytest.raises(ValidationError) as exc:
        record_time_entry(actor=demo_user("teamleader"), participant=worker, date=first - datetime.timedelta(days=1),
                          hours=Decimal("2"), kind=EntryKind.COACHING)  # fmt: skip
    assert "no employment contract" in " ".join(exc.value.message_dict["participant"])


def test_no_hours_on_a_cancelled_order(order_today, worker, demo_user, today):
    transition_work_order(order_today, "cancel", actor=demo_user("teamleader"), cancel_reason="Rain")
    with pytest.raises(ValidationError) as exc:
        record_time_entry(actor=demo_user("teamleader"), participant=worker, date=today, hours=Decimal("2"),
                          work_order=order_today)  # fmt: skip
    assert "cancelled" in " ".join(exc.value.message_dict["work_order"])


def test_the_team_is_pre_filled_with_the_planned_hours_and_the_week_adds_up(order_today, worker, demo_user, today):
    rows = planned_entries(order_today)
    mine = [r for r in rows if r["participant"] == worker]
    assert mine and mine[0]["planned"] == Decimal("4") and mine[0]["recorded"] is None
    leader = demo_user("teamleader")
    record_time_entry(actor=leader, participant=worker, date=today, hours=Decimal("4"), work_order=order_today)
    record_time_entry(actor=leader, participant=worker, date=today, hours=Decimal("2"), kind=EntryKind.TRAINING)
    week = week_hours(worker, today)
    before = TimeEntry.objects.filter(
        participant=worker, date__range=(week["monday"], week["monday"] + datetime.timedelta(6))
    ).hours()
    assert week["total"] == before and week["by_kind"][EntryKind.TRAINING] >= Decimal("2")
    assert [r for r in planned_entries(order_today) if r["participant"] == worker][0]["recorded"] == Decimal("4")
