import datetime
import json
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from icalendar import Calendar

from moulin.fieldwork.models import Site, TeamFeed, TimeEntry, WorkOrder, WorkOrderStatus
from moulin.fieldwork.services import generate_work_orders
from tests.picking import pick

pytestmark = pytest.mark.django_db


@pytest.fixture
def order_today(recurring, today):
    return WorkOrder.objects.create(site=recurring.site, team=recurring.team, title="Mow the park", date=today,
                                    planned_hours=Decimal("3"))  # fmt: skip


def _feed_events(body: bytes) -> list:
    cal = Calendar.from_ical(body)
    return [c for c in cal.walk("VEVENT")]


def test_team_calendar_feed_parses_lists_the_week_and_dies_when_revoked(client, client_as, recurring, team, june_2026):
    today = june_2026
    generate_work_orders(recurring, first=today - datetime.timedelta(days=today.weekday()),
                         last=today + datetime.timedelta(days=14))  # fmt: skip
    leader = client_as("teamleader")
    response = leader.post(reverse("fieldwork:team_feed_renew", args=[team.pk]))
    assert response.status_code == 302
    feed = TeamFeed.objects.get(team=team, revoked_on__isnull=True)
    url = reverse("fieldwork:team_feed", args=[feed.token])
    response = client.get(url)  # a phone: not signed in
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = _feed_events(response.content)
    monday = today - datetime.timedelta(days=today.weekday())
    week = {o.pk for o in WorkOrder.objects.filter(team=team, date__range=(monday, monday + datetime.timedelta(6)))}
    uids = {str(e["UID"]) for e in events}
    assert {f"work-order-{pk}@moulin" for pk in week} <= uids and week
    tuesday_orders = [e for e in events if "Empty bins" in str(e["SUMMARY"])]
    # every Tuesday, National Day (Tuesday 23 June 2026) moved to the next working day
    assert [e["DTSTART"].dt for e in tuesday_orders] == [
        datetime.date(2026, 6, 16), datetime.date(2026, 6, 24),
    ]  # fmt: skip
    # the schedule page shows the address to the leader
    assert feed.token in leader.get(reverse("fieldwork:team_schedule", args=[team.pk])).content.decode()
    leader.post(reverse("fieldwork:team_feed_revoke", args=[team.pk]))
    assert client.get(url).status_code == 404
    assert client.get(reverse("fieldwork:team_feed", args=["not-a-token"])).status_code == 404


def test_a_leader_of_another_team_cannot_renew_the_feed(client_as, team):
    assert client_as("commune").post(reverse("fieldwork:team_feed_renew", args=[team.pk])).status_code == 404
    assert client_as("coach").post(reverse("fieldwork:team_feed_renew", args=[team.pk])).status_code == 403


def test_time_sheet_pre_fills_planned_hours_and_a_resent_sheet_is_stored_once(client_as, order_today, worker):
    leader = client_as("teamleader")
    url = reverse("fieldwork:time_sheet", args=[order_today.pk])
    page = leader.get(url)
    assert page.status_code == 200
    assert f'name="hours_{worker.pk}"' in page.content.decode() and 'value="3' in page.content.decode()
    key = str(uuid.uuid4())
    data = {f"hours_{worker.pk}": "3", f"key_{worker.pk}": key}
    assert leader.post(url, data).status_code == 302
    assert leader.post(url, data).status_code == 302  # the same sheet sent again (a double tap, a retry)
    assert TimeEntry.objects.filter(work_order=order_today, participant=worker).count() == 1


def test_time_sheet_refuses_over_ten_hours_next_to_the_worker(client_as, order_today, worker):
    leader = client_as("teamleader")
    url = reverse("fieldwork:time_sheet", args=[order_today.pk])
    TimeEntry.objects.create(participant=worker, date=order_today.date, hours=Decimal("8"), kind="training")
    response = leader.post(url, {f"hours_{worker.pk}": "3"})
    assert response.status_code == 422
    assert "at most 10 hours" in response.content.decode()
    assert not TimeEntry.objects.filter(work_order=order_today).exists()


def test_cancelling_without_a_reason_shows_the_message_at_the_field(client_as, order_today):
    leader = client_as("teamleader")
    url = reverse("fieldwork:work_order_transition", args=[order_today.pk])
    response = leader.post(url, {"transition": "cancel", "cancel_reason": ""})
    assert response.status_code == 422 and "with a reason" in response.content.decode()
    response = leader.post(url, {"transition": "cancel", "cancel_reason": "Storm warning"})
    assert response.status_code == 302
    order_today.refresh_from_db()
    assert order_today.status == WorkOrderStatus.CANCELLED


def test_a_rule_that_gives_nothing_is_refused_on_the_form(client_as, site, team):
    response = client_as("manager").post(reverse("fieldwork:recurring_create", args=[site.pk]), {
        "title": "Never", "team": team.pk, "rule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "starts_on": "2026-06-01",
        "holiday_rule": "next", "planned_hours": "2", "is_active": "on",
    })  # fmt: skip
    assert response.status_code == 422
    assert "gives no day" in response.content.decode()


def test_a_recurring_order_saved_on_the_form_generates_its_orders(client_as, site, team):
    response = client_as("manager").post(reverse("fieldwork:recurring_create", args=[site.pk]), {
        "title": "Leaves", "team": team.pk, "rule": "FREQ=WEEKLY;BYDAY=WE", "starts_on": "2026-06-01",
        "holiday_rule": "next", "planned_hours": "2", "is_active": "on",
    })  # fmt: skip
    assert response.status_code == 302
    assert WorkOrder.objects.filter(site=site, title="Leaves").count() >= 12


def test_site_drawn_outside_luxembourg_is_refused(client_as, team):
    commune = pick(team.project.communes.order_by("name"), "commune of the project")
    response = client_as("manager").post(reverse("fieldwork:site_create", args=[team.project.pk]), {
        "name": "Far away", "kind": "park", "commune": commune.pk, "is_active": "on",
        "geometry": json.dumps({"type": "Point", "coordinates": [2.35, 48.85]}),
    })  # fmt: skip
    assert response.status_code == 422 and "outside Luxembourg" in response.content.decode()
    response = client_as("manager").post(reverse("fieldwork:site_create", args=[team.project.pk]), {
        "name": "Path by the river", "kind": "path", "commune": commune.pk, "is_active": "on",
        "geometry": json.dumps({"type": "LineString", "coordinates": [[6.1, 49.6], [6.11, 49.61]]}),
    })  # fmt: skip
    assert response.status_code == 302 and Site.objects.filter(name="Path by the river").exists()


def test_commune_officer_sees_work_on_their_sites_but_no_hours_of_people(client_as, demo_user):
    officer = client_as("commune")
    scope_communes = demo_user("commune").scope.commune_ids
    orders = WorkOrder.objects.visible_to(officer.user)
    assert orders.exists() and set(orders.values_list("site__commune", flat=True)) <= set(scope_communes)
    assert officer.get(reverse("fieldwork:work_order_list")).status_code == 200
    assert officer.get(reverse("fieldwork:time_entry_list")).status_code == 403
    assert not TimeEntry.objects.visible_to(officer.user).exists()


def test_ministry_counts_only(client_as, demo_user):
    ministry = demo_user("ministry")
    assert not WorkOrder.objects.visible_to(ministry).exists()
    assert TimeEntry.objects.counted_for(ministry).count() == TimeEntry.objects.count() > 0
    assert client_as("ministry").get(reverse("fieldwork:schedule")).status_code == 403


def test_team_leader_home_shows_today_work_orders(client_as, demo_user, today):
    body = client_as("teamleader").get("/").content.decode()
    mine = WorkOrder.objects.filter(team__leader=demo_user("teamleader"), date=today).exclude(status="cancelled")
    assert mine.exists() and 'data-panel="work-today"' in body
    assert pick(mine.order_by("pk")).title in body


def test_schedule_week_shows_who_is_where(client_as, demo_user, today):
    client = client_as("manager")
    response = client.get(reverse("fieldwork:schedule"), {"week": today.isoformat()})
    assert response.status_code == 200
    order = pick(WorkOrder.objects.visible_to(demo_user("manager")).filter(date=today).order_by("pk"))
    body = response.content.decode()
    assert order.site.name in body and order.team.name in body


def test_worker_pathway_shows_their_hours(client_as, demo_user, today):
    manager = demo_user("manager")
    entry = pick(TimeEntry.objects.visible_to(manager).filter(date__year=today.year).order_by("pk"))
    body = client_as("manager").get(entry.participant.get_absolute_url()).content.decode()
    assert f"Hours worked in {today.year}" in body


def test_demo_weeks_fit_the_contracts_and_skip_holidays(demo_user):
    from django.db.models import Sum

    from moulin.core.calendar import is_public_holiday

    days = TimeEntry.objects.values("participant", "date").annotate(h=Sum("hours"))
    assert days.exists()
    assert all(row["h"] <= 10 for row in days)
    assert not any(is_public_holiday(d) for d in TimeEntry.objects.values_list("date", flat=True).distinct())


def test_network_staff_see_the_week_per_organisation_counted_through_the_policy(client_as, demo_user, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = demo_user("staff")
    monday = today - datetime.timedelta(days=today.weekday())
    week = WorkOrder.objects.visible_to(staff).filter(date__range=(monday, monday + datetime.timedelta(days=6)))
    client = client_as("staff")
    url = reverse("fieldwork:schedule")
    client.get(url, {"week": today.isoformat()})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"week": today.isoformat()})
    assert response.status_code == 200
    assert len(queries) <= 11, "\n".join(q["sql"] for q in queries.captured_queries)  # whatever the week holds
    summary = response.context["summary"]
    assert len(summary) > 1 and 'data-testid="schedule"' not in response.content.decode()  # no week table
    by_org = {row["organisation"].pk: row for row in summary}
    org = pick(week.order_by("pk")).team.project.organisation
    mine = week.filter(team__project__organisation=org)
    assert by_org[org.pk]["orders"] == mine.count() > 0
    assert by_org[org.pk]["open"] == mine.filter(status__in=["planned", "moved"]).count()
    assert by_org[org.pk]["hours"] == sum(o.planned_hours for o in mine.exclude(status="cancelled"))
    assert response.context["totals"]["orders"] == week.count()
    # the organisation's row links to its week: the orders of that organisation's teams, and no other
    body = response.content.decode()
    assert f'href="?week={monday.isoformat()}&organisation={org.pk}"' in body
    response = client.get(url, {"week": monday.isoformat(), "organisation": org.pk})
    shown = {o.pk for _team, cells in response.context["rows"] for _day, orders in cells for o in orders}
    assert shown == set(mine.values_list("pk", flat=True))
    assert all(t.project.organisation_id == org.pk for t, _cells in response.context["rows"])


def test_a_manager_sees_their_organisation_week_without_a_summary(client_as, demo_user, home_org, today):
    response = client_as("manager").get(reverse("fieldwork:schedule"), {"week": today.isoformat()})
    assert response.context["summary"] is None and not response.context["several_organisations"]
    assert 'name="organisation"' not in response.content.decode()
    # an organisation the manager does not reach is not a valid choice: the week of their own shows
    other = WorkOrder.objects.exclude(team__project__organisation=home_org).order_by("pk").first()
    response = client_as("manager").get(
        reverse("fieldwork:schedule"), {"week": today.isoformat(), "organisation": other.team.project.organisation_id}
    )
    assert response.context["organisation"] is None
    assert all(t.project.organisation_id == home_org.pk for t, _cells in response.context["rows"])


def test_the_week_form_narrows_the_teams_to_the_organisation_chosen(client_as, demo_user, today):
    """Network staff choose an organisation (the select sends the form itself): the team list then holds that
    organisation's teams only, and a team of another organisation, left from the week shown before, is dropped
    with the change instead of emptying the page."""
    from moulin.projects.models import Team

    client = client_as("staff")
    url = reverse("fieldwork:schedule")
    everyone = client.get(url, {"week": today.isoformat()})
    all_teams = list(everyone.context["form"].fields["team"].queryset)
    organisations = {t.project.organisation_id for t in all_teams}
    assert len(organisations) > 1
    assert "data-autosubmit" in str(everyone.context["form"]["organisation"])
    org = min(organisations)
    other_team = next(t for t in all_teams if t.project.organisation_id != org)

    response = client.get(url, {"week": today.isoformat(), "organisation": org, "team": other_team.pk})
    assert response.status_code == 200
    shown = list(response.context["form"].fields["team"].queryset)
    assert shown and {t.project.organisation_id for t in shown} == {org}
    assert set(shown) == {t for t in all_teams if t.project.organisation_id == org}
    assert response.context["organisation"].pk == org and response.context["team"] is None
    assert response.context["monday"] == today - datetime.timedelta(days=today.weekday())  # the week is kept
    assert f'value="{other_team.pk}"' not in str(response.context["form"]["team"])
    own_team = shown[0]
    response = client.get(url, {"week": today.isoformat(), "organisation": org, "team": own_team.pk})
    assert response.context["team"] == own_team
    assert Team.objects.filter(pk=own_team.pk, project__organisation=org).exists()


def _site_rows(body: str) -> list[str]:
    import re

    section = body.split('data-section="sites"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<a href="/field/sites/\d+/">([^<]+)</a>', section)


def test_an_environmental_project_page_lists_its_sites_and_adds_one(client_as, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project = team.project
    manager = client_as("manager")
    url = project.get_absolute_url()
    body = manager.get(url).content.decode()
    add_url = reverse("fieldwork:site_create", args=[project.pk])
    assert f'href="{add_url}"' in body
    shown = _site_rows(body)
    assert shown == [s.name for s in Site.objects.filter(project=project).order_by("commune__name", "name")][:12]
    with CaptureQueriesContext(connection) as before:
        manager.get(url)

    commune = pick(project.communes.order_by("name"), "commune of the project")
    Site.objects.bulk_create(
        Site(project=project, commune=commune, name=f"Aire de jeux {n:02d}", kind="playground",
             geometry={"type": "Point", "coordinates": [6.1, 49.6]})
        for n in range(14)
    )  # fmt: skip
    with CaptureQueriesContext(connection) as after:
        body = manager.get(url).content.decode()
    assert len(after) == len(before)  # the section shows twelve sites however many the project has
    total = Site.objects.filter(project=project).count()
    assert len(_site_rows(body)) == 12 and f"and {total - 12} more sites" in body
    more = reverse("fieldwork:site_list") + f"?project={project.pk}"
    assert f'href="{more}"' in body
    listed = manager.get(more).content.decode()
    assert f'data-testid="result-count">{total} results<' in listed

    response = manager.post(add_url, {
        "name": "Parc du Gaalgebierg", "kind": "park", "commune": commune.pk, "is_active": "on",
        "geometry": json.dumps({"type": "Point", "coordinates": [6.0, 49.49]}),
    })  # fmt: skip
    assert response.status_code == 302
    assert Site.objects.filter(project=project, name="Parc du Gaalgebierg").exists()


def test_only_those_who_may_add_a_site_get_the_link_and_other_projects_have_no_sites_section(client_as, team):
    from moulin.projects.models import Project

    url = team.project.get_absolute_url()
    add_url = reverse("fieldwork:site_create", args=[team.project.pk])
    board = client_as("board").get(url)  # the board reads its organisation's projects and their sites
    assert board.status_code == 200
    body = board.content.decode()
    assert 'data-section="sites"' in body and f'href="{add_url}"' not in body
    other = pick(
        Project.objects.exclude(service_line="environmental_team").filter(organisation=team.project.organisation),
        "a project of another service line",
    )
    assert 'data-section="sites"' not in client_as("manager").get(other.get_absolute_url()).content.decode()
