"""The monthly hours summary the dashboards read (decision 0010) stays exactly the sum of the time entries, whatever
writes them: the services, the admin's plain saves, bulk loads, a worker moving to another organisation
or a work order to another site; and the dashboard's hours figure moves with the very next entry."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest

from moulin.fieldwork import summary
from moulin.fieldwork.models import EntryKind, HoursSummary, Site, SiteKind, TimeEntry, WorkOrder
from moulin.fieldwork.services import delete_time_entry, record_time_entry, update_time_entry
from moulin.organisations.models import Organisation
from moulin.reporting.figures import Query, measures
from moulin.reporting.period import Period
from tests.picking import pick

pytestmark = pytest.mark.django_db


@pytest.fixture
def order_today(site, team, today):
    return WorkOrder.objects.create(site=site, team=team, title="Rake the leaves", date=today,
                                    planned_hours=Decimal("3"))  # fmt: skip


def _row(entry):
    return HoursSummary.objects.get(
        month=entry.date.replace(day=1), team_id=entry.team_id, site_id=entry.work_order.site_id,
        organisation_id=entry.participant.organisation_id,
    )  # fmt: skip


def _hours_figure(user, year):
    hours = measures()["hours_worked"]
    query = Query(user, period=Period(year))
    return hours.compute(query)[0], replace(hours, summary=None).compute(query)[0]


def test_the_demo_summary_is_the_sum_of_its_entries():
    assert HoursSummary.objects.exists()
    assert summary.drift() == []


def test_recording_correcting_and_deleting_an_entry_moves_its_hours(order_today, worker, demo_user, today):
    leader = demo_user("teamleader")
    entry, _ = record_time_entry(actor=leader, participant=worker, date=today, hours=Decimal("3"),
                                 work_order=order_today)  # fmt: skip
    assert _row(entry).hours == Decimal("3") and _row(entry).entries == 1
    assert summary.drift() == []

    update_time_entry(entry, actor=leader, hours=Decimal("4.5"))
    entry.refresh_from_db()
    assert _row(entry).hours == Decimal("4.5")
    assert summary.drift() == []

    earlier = today - datetime.timedelta(days=40)  # another month: the hours leave this month's row
    TimeEntry.objects.filter(pk=entry.pk).update(date=earlier)
    entry.refresh_from_db()
    assert not HoursSummary.objects.filter(month=today.replace(day=1), site_id=order_today.site_id).exists()
    assert _row(entry).hours == Decimal("4.5")
    assert summary.drift() == []

    delete_time_entry(entry, actor=leader)
    assert not HoursSummary.objects.filter(site_id=order_today.site_id).exists()
    assert summary.drift() == []


def test_a_worker_moving_organisation_takes_their_hours_along(order_today, worker, demo_user, today):
    entry, _ = record_time_entry(actor=demo_user("teamleader"), participant=worker, date=today,
                                 hours=Decimal("2"), work_order=order_today)  # fmt: skip
    other = pick(Organisation.objects.exclude(pk=worker.organisation_id).order_by("pk"), "another organisation")
    worker.organisation = other
    worker.save(update_fields=["organisation"])
    entry.refresh_from_db()
    assert _row(entry).organisation_id == other.pk
    assert summary.drift() == []


def test_a_work_order_moved_to_another_site_takes_its_hours_along(order_today, worker, demo_user, today, team):
    entry, _ = record_time_entry(actor=demo_user("teamleader"), participant=worker, date=today,
                                 hours=Decimal("2"), work_order=order_today)  # fmt: skip
    second = Site.objects.create(
        project=team.project, commune=order_today.site.commune, name="Second park", kind=SiteKind.PARK,
        geometry={"type": "Point", "coordinates": [6.1, 49.6]},
    )  # fmt: skip
    order_today.site = second
    order_today.save()
    entry.refresh_from_db()
    assert _row(entry).site_id == second.pk and _row(entry).hours == Decimal("2")
    assert summary.drift() == []


def test_bulk_writes_keep_the_summary(order_today, worker, today):
    TimeEntry.objects.bulk_create(
        [TimeEntry(participant=worker, date=today - datetime.timedelta(days=d), hours=Decimal("1.25"),
                   kind=EntryKind.WORK_ORDER, work_order=order_today, team=order_today.team) for d in range(5)]
    )  # fmt: skip
    assert summary.drift() == []
    TimeEntry.objects.filter(participant=worker).update(hours=Decimal("2"))
    assert summary.drift() == []
    TimeEntry.objects.filter(participant=worker).delete()
    assert summary.drift() == []


def test_the_dashboard_hours_move_with_the_next_entry(order_today, worker, demo_user, today):
    staff = demo_user("staff")
    before, raw_before = _hours_figure(staff, today.year)
    assert before == raw_before
    record_time_entry(actor=demo_user("teamleader"), participant=worker, date=today, hours=Decimal("7"),
                      work_order=order_today)  # fmt: skip
    after, raw_after = _hours_figure(staff, today.year)
    assert after == raw_after == before + 7


@pytest.mark.parametrize("role", ["staff", "manager", "coach", "teamleader", "board", "commune", "ministry"])
def test_each_role_counts_the_same_hours_from_the_summary_as_from_the_entries(role, demo_user, today):
    user = demo_user(role)
    for year in (today.year, today.year - 1):
        from_summary, from_entries = _hours_figure(user, year)
        assert from_summary == from_entries


def test_rebuild_repairs_a_damaged_summary():
    HoursSummary.objects.filter(pk=HoursSummary.objects.order_by("pk").values("pk")[:1]).update(hours=0)
    assert summary.drift() != []
    summary.rebuild()
    assert summary.drift() == []
