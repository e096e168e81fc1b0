"""The web café pages as each role meets them: the leader runs the day, the outsider gets 404, the commune officer
sees counts without people, the ministry only figures."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from moulin.organisations.models import Organisation
from moulin.training.enums import EnrolmentStatus
from moulin.webcafe import services
from moulin.webcafe.enums import BAND_FIELDS, Channel, Language, Level, Topic
from moulin.webcafe.models import OpeningSlot, PublicCourse, Registration, Venue, VisitDay
from tests.conftest import DEMO_ROLES
from tests.webcafe.conftest import T, last_open_day, next_weekday


@pytest.fixture
def course(venue, public_course_of_catalogue):
    """A course of two places next Wednesday afternoon, both taken, one person waiting."""
    day = next_weekday(2)
    course = services.plan_course(
        venue=venue, course=public_course_of_catalogue, start_date=day, end_date=day, weekdays=[2],
        starts_at=T(14), ends_at=T(16), capacity=2, topic=Topic.EGOVERNMENT, level=Level.BEGINNER,
        language=Language.LUXEMBOURGISH, trainer_name="Tom Weber", actor=None,
    )  # fmt: skip
    for name in ("Jos Zenner-Test", "Lily Quintus-Test", "Henri Vandivinit-Test"):
        services.register(course=course, name=name, phone="621 123 456", consent=True, channel=Channel.COUNTER)
    return course


@pytest.fixture
def outsider(client_as):
    nordstad = Organisation.objects.get(name="CIGR Nordstad")
    return client_as(f"manager.{nordstad.slug}")


def test_every_page_of_the_venue_is_a_404_for_a_manager_of_another_organisation(outsider, venue, course):
    slot = OpeningSlot.objects.filter(venue=venue).first()
    registration = Registration.objects.filter(course=course).first()
    visit = services.record_visits(venue=venue, day=last_open_day(venue), counts={"under_25": 1}, actor=None)
    urls = [
        reverse("webcafe:venue_detail", args=[venue.pk]), reverse("webcafe:venue_update", args=[venue.pk]),
        reverse("webcafe:opening_slot_create", args=[venue.pk]),
        reverse("webcafe:opening_slot_update", args=[slot.pk]),
        reverse("webcafe:opening_slot_delete", args=[slot.pk]), reverse("webcafe:closure_create", args=[venue.pk]),
        reverse("webcafe:visit_day_create", args=[venue.pk]), reverse("webcafe:visit_day_update", args=[visit.pk]),
        reverse("webcafe:public_course_create", args=[venue.pk]),
        reverse("webcafe:public_course_detail", args=[course.pk]),
        reverse("webcafe:public_course_update", args=[course.pk]),
        reverse("webcafe:registration_create", args=[course.pk]),
        reverse("webcafe:registration_cancel", args=[registration.pk]),
        reverse("webcafe:venue_delete", args=[venue.pk]),
    ]  # fmt: skip
    for url in urls:
        assert outsider.get(url).status_code == 404, url
        assert outsider.post(url, {}).status_code in (404, 405), url
    listed = outsider.get(reverse("webcafe:venue_list")).context["rows"]
    assert venue.pk not in {obj.pk for obj, _cells in listed}
    assert venue.pk not in {item["id"] for item in outsider.get("/api/v1/web-cafes/venues").json()["items"]}
    assert outsider.get(f"/api/v1/web-cafes/venues/{venue.pk}").status_code == 404


def test_the_leader_adds_opening_hours_and_overlapping_hours_are_refused_next_to_the_field(client_as, venue):
    leader = client_as("teamleader")
    url = reverse("webcafe:opening_slot_create", args=[venue.pk])
    today = timezone.localdate().isoformat()
    response = leader.post(url, {"weekday": 5, "opens": "09:00", "closes": "12:00", "valid_from": today})
    assert response.status_code == 302
    assert OpeningSlot.objects.filter(venue=venue, weekday=5).count() == 1
    response = leader.post(url, {"weekday": 5, "opens": "11:00", "closes": "13:00", "valid_from": today})
    assert response.status_code == 422
    assert 'data-field-error="opens"' in response.content.decode() and "overlap" in response.content.decode()
    assert OpeningSlot.objects.filter(venue=venue, weekday=5).count() == 1


def test_the_leader_records_the_days_visits_and_bad_counts_are_refused(client_as, venue):
    leader = client_as("teamleader")
    url = reverse("webcafe:visit_day_create", args=[venue.pk])
    day = last_open_day(venue)
    counts = {"under_25": 3, "age_25_49": 4, "age_50_64": 2, "age_65_plus": 6}
    assert leader.post(url, {"day": day.isoformat(), **counts}).status_code == 302
    assert leader.post(url, {"day": day.isoformat(), **counts, "under_25": 5}).status_code == 302
    row = VisitDay.objects.get(venue=venue, day=day)
    assert row.total == 17 and row.recorded_by.email == "teamleader@moulin.demo"
    negative = leader.post(url, {"day": day.isoformat(), **counts, "age_50_64": -2})
    assert negative.status_code == 422 and 'data-field-error="age_50_64"' in negative.content.decode()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    future = leader.post(url, {"day": tomorrow, **counts})
    assert future.status_code == 422 and 'data-field-error="day"' in future.content.decode()
    assert VisitDay.objects.filter(venue=venue).count() == 1 and VisitDay.objects.get(venue=venue).total == 17


def test_a_course_planned_outside_the_opening_hours_is_refused_on_the_form(
    client_as, venue, public_course_of_catalogue
):
    leader = client_as("teamleader")
    url = reverse("webcafe:public_course_create", args=[venue.pk])
    assert leader.get(url).status_code == 200
    day = next_weekday(4)
    data = {"course": public_course_of_catalogue.pk, "topic": Topic.SAFETY, "level": Level.BEGINNER,
            "language": Language.FRENCH, "start_date": day.isoformat(), "end_date": day.isoformat(), "weekdays": [4],
            "starts_at": "10:00", "ends_at": "12:00", "capacity": 8}  # fmt: skip
    refused = leader.post(url, data)
    assert refused.status_code == 422 and 'data-field-error="starts_at"' in refused.content.decode()
    assert not PublicCourse.objects.filter(venue=venue).exists()
    assert leader.post(url, data | {"starts_at": "14:00", "ends_at": "16:30"}).status_code == 302
    course = PublicCourse.objects.get(venue=venue)
    assert course.session.hours_per_day == 2.5 and course.session.capacity == 8


def test_registering_at_the_counter_when_full_puts_the_person_on_the_waiting_list(client_as, course):
    leader = client_as("teamleader")
    response = leader.post(reverse("webcafe:registration_create", args=[course.pk]),
                           {"name": "Fernande Welsch-Test", "phone": "691 222 333", "channel": Channel.PHONE,
                            "consent": "on"}, follow=True)  # fmt: skip
    assert "waiting list" in response.content.decode()
    registration = Registration.objects.get(enrolment__public_name="Fernande Welsch-Test")
    assert registration.enrolment.status == EnrolmentStatus.WAITING and registration.channel == Channel.PHONE
    first = Registration.objects.filter(course=course, enrolment__status=EnrolmentStatus.ENROLLED).first()
    page = leader.post(reverse("webcafe:registration_cancel", args=[first.pk]), follow=True).content.decode()
    assert "moves up from the waiting list" in page


def test_the_commune_officer_sees_places_taken_but_not_who_took_them(client_as, course):
    officer = client_as("commune")
    page = officer.get(reverse("webcafe:public_course_detail", args=[course.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="places">2 / 2' in body
    assert "Zenner-Test" not in body and "621" not in body
    assert officer.get(reverse("webcafe:registration_list")).status_code == 403
    assert officer.get(reverse("webcafe:visit_day_create", args=[course.venue_id])).status_code == 403


def test_the_ministry_sees_the_figures_and_no_record(client_as, venue):
    ministry = client_as("ministry")
    assert ministry.get(reverse("webcafe:venue_list")).status_code == 403
    assert ministry.get(reverse("webcafe:venue_detail", args=[venue.pk])).status_code == 404
    assert ministry.get(reverse("webcafe:figures")).status_code == 200
    assert ministry.get("/api/v1/web-cafes/venues").json()["items"] == []
    assert (
        sum(m["total"] for m in ministry.get("/api/v1/web-cafes/visits/by-month").json())
        == (VisitDay.objects.filter(day__year=timezone.localdate().year).totals()["total"])
    )


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_the_figures_a_role_sees_are_the_sums_of_what_it_counts(role, client_as):
    client = client_as(role)
    year = timezone.localdate().year - 1
    context = client.get(reverse("webcafe:figures"), {"year": year}).context
    counted = VisitDay.objects.counted_for(client.user).filter(day__year=year)
    assert context["totals"] == {band: counted.totals()[band] for band in BAND_FIELDS}
    assert context["total"] == counted.totals()["total"]
    courses = PublicCourse.objects.counted_for(client.user).filter(session__start_date__year=year)
    assert context["fill"][-1][1].courses == courses.count()
    assert context["fill"][-1][1].places == sum(courses.values_list("session__capacity", flat=True))


def test_the_leaders_home_shows_todays_opening_and_courses(client_as, venue):
    page = client_as("teamleader").get(reverse("home:home"))
    panel = next(p for p in page.context["panels"] if p["template"] == "webcafe/home_panel.html")
    row = next(r for r in panel["rows"] if r["venue"] == venue)
    today = timezone.localdate()
    expected = services.opening_days(venue, today, today)[0]
    assert [(s.opens, s.closes) for s in row["day"].slots] == [(s.opens, s.closes) for s in expected.slots]
    assert 'data-panel="web-cafe-today"' in page.content.decode()
    assert client_as("manager").get(reverse("home:home")).context["panels"] is not None


def test_the_commune_page_shows_its_web_cafes_and_links_the_public_page(client_as, esch, venue):
    page = client_as("commune").get(reverse("territory:commune_detail", args=[esch.code])).content.decode()
    assert venue.name in page and reverse("webcafe:public_commune", args=[esch.code]) in page


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("name,expected", [
    ("webcafe:venue_list", 8), ("webcafe:visit_day_list", 8), ("webcafe:public_course_list", 9),
    ("webcafe:registration_list", 9), ("webcafe:figures", 8),
])  # fmt: skip
def test_lists_and_figures_make_a_fixed_number_of_queries(client_as, name, expected):
    """Exact, whatever the data: lists are paginated with their related rows joined, figures aggregate in SQL."""
    assert _queries(client_as("staff"), reverse(name)) == expected
    assert _queries(client_as("staff"), reverse(name) + "?page=2") <= expected


@pytest.mark.parametrize("sort", ["", "-n_registered", "n_waiting", "venue"])
@pytest.mark.parametrize("role", ["staff", "commune"])
def test_each_public_course_counts_its_places_taken_and_waiting_whatever_the_sort(client_as, course, sort, role):
    """The counts are read for the page's rows only, unless the list is sorted on one: the same figures either
    way, and in the export."""
    for n in range(course.session.capacity + 2):
        services.register(course=course, name=f"Max Test {n}", phone="621 123 456", consent=True)
    client = client_as(role)
    response = client.get(reverse("webcafe:public_course_list"), {"sort": sort} if sort else {})
    shown = [obj for obj, _cells in response.context["rows"]]
    assert shown
    expected = {c.pk: (c.n_registered, c.n_waiting) for c in PublicCourse.objects.with_counts()}
    assert all((c.n_registered, c.n_waiting) == expected[c.pk] for c in shown)
    if sort == "-n_registered":
        taken = [c.n_registered for c in shown]
        assert taken == sorted(taken, reverse=True) and taken[0] >= course.session.capacity
    if not sort:
        ours = PublicCourse.objects.with_counts().get(pk=course.pk)
        assert ours.n_registered == course.session.capacity and ours.n_waiting >= 2
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("webcafe:public_course_list"), {"sort": sort, "export": "xlsx"}).content)
    ).active
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted((r[header.index("Taken")], r[header.index("Waiting")]) for r in rows) == sorted(
        expected[c.pk] for c in PublicCourse.objects.visible_to(response.wsgi_request.user)
    )


def test_the_venue_and_course_pages_make_a_fixed_number_of_queries(client_as, venue, course):
    staff = client_as("staff")
    first = _queries(staff, reverse("webcafe:venue_detail", args=[venue.pk]))
    course_page = _queries(staff, reverse("webcafe:public_course_detail", args=[course.pk]))
    for _ in range(5):
        services.register(course=course, name="Max Test", phone="621 123 456", consent=True)
    services.record_visits(venue=venue, day=last_open_day(venue), counts={"under_25": 2}, actor=None)
    assert _queries(staff, reverse("webcafe:venue_detail", args=[venue.pk])) == first
    assert _queries(staff, reverse("webcafe:public_course_detail", args=[course.pk])) == course_page


def test_a_venue_is_added_by_a_manager_at_its_premises(client_as, home_org, esch):
    from moulin.organisations.models import Premises

    manager = client_as("manager")
    premises = Premises.objects.create(organisation=home_org, name="Salle (test)", address="1, rue X",
                                       postcode="L-4001", locality="Esch-sur-Alzette", commune=esch)  # fmt: skip
    response = manager.post(reverse("webcafe:venue_create"), {
        "organisation": home_org.pk, "name": "Web café Gare", "premises": premises.pk, "computers": 6,
        "has_wifi": "on", "step_free": "on", "is_active": "on"})  # fmt: skip
    assert response.status_code == 302
    assert Venue.objects.get(name="Web café Gare").premises == premises


def test_a_web_cafe_entered_by_mistake_is_deleted_with_its_hours_but_one_with_visits_is_refused(client_as, venue):
    manager = client_as("manager")
    page = manager.get(venue.get_absolute_url()).content.decode()
    assert reverse("webcafe:venue_delete", args=[venue.pk]) in page
    assert (
        reverse("webcafe:venue_delete", args=[venue.pk])
        not in client_as("teamleader").get(venue.get_absolute_url()).content.decode()
    )  # the leader runs the café; deleting it is the manager's
    visit = services.record_visits(venue=venue, day=last_open_day(venue), counts={"under_25": 3}, actor=None)

    refused = manager.post(reverse("webcafe:venue_delete", args=[venue.pk]), follow=True)
    assert refused.status_code == 200
    assert "cannot be deleted" in refused.content.decode() and Venue.objects.filter(pk=venue.pk).exists()
    assert VisitDay.objects.filter(pk=visit.pk).exists()  # the figures stay

    visit.delete()
    slots = list(OpeningSlot.objects.filter(venue=venue).values_list("pk", flat=True))
    assert slots
    confirm = manager.get(reverse("webcafe:venue_delete", args=[venue.pk]))
    assert confirm.status_code == 200 and venue.name in confirm.content.decode()
    done = manager.post(reverse("webcafe:venue_delete", args=[venue.pk]))
    assert done.status_code == 302 and done["Location"] == reverse("webcafe:venue_list")
    assert not Venue.objects.filter(pk=venue.pk).exists()
    assert not OpeningSlot.objects.filter(pk__in=slots).exists()
