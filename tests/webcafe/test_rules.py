"""The rules of the web cafés, tested on the services: opening hours, closures, visits, courses, registrations."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from moulin.core.calendar import public_holidays
from moulin.training.enums import EnrolmentStatus
from moulin.webcafe import services
from moulin.webcafe.enums import Channel, Language, Level, Topic
from moulin.webcafe.models import Closure, OpeningSlot, VisitDay, WebcafeRefused
from tests.webcafe.conftest import T, last_open_day, next_weekday

TWO, FOUR = T(14), T(16)


def plan(venue, course, day, *, starts=TWO, ends=FOUR, capacity=2, end=None, weekdays=None, actor=None):
    return services.plan_course(
        venue=venue, course=course, start_date=day, end_date=end or day, weekdays=weekdays or [day.weekday()],
        starts_at=starts, ends_at=ends, capacity=capacity, topic=Topic.SMARTPHONE, level=Level.BEGINNER,
        language=Language.FRENCH, trainer_name="Tom Weber", actor=actor,
    )  # fmt: skip


# --- opening hours ----------------------------------------------------------------------------------------


def test_overlapping_opening_hours_are_refused_with_the_other_opening_named(venue):
    slot = OpeningSlot(venue=venue, weekday=1, opens=T(11), closes=T(14), valid_from=timezone.localdate())
    with pytest.raises(ValidationError) as refused:
        slot.full_clean()
    assert "overlap" in str(refused.value.message_dict["opens"]) and "Tuesday" in str(refused.value)


def test_hours_that_follow_each_other_or_an_ended_validity_do_not_overlap(venue):
    today = timezone.localdate()
    OpeningSlot(venue=venue, weekday=1, opens=T(12), closes=T(13, 30), valid_from=today).full_clean()
    OpeningSlot.objects.filter(venue=venue, weekday=1, opens=T(9)).update(valid_until=today)
    OpeningSlot(venue=venue, weekday=1, opens=T(10), closes=T(12),
                valid_from=today + datetime.timedelta(days=1)).full_clean()  # fmt: skip


def test_a_web_cafe_closes_after_it_opens(venue):
    with pytest.raises(ValidationError) as refused:
        OpeningSlot(venue=venue, weekday=5, opens=T(12), closes=T(9), valid_from=timezone.localdate()).full_clean()
    assert "closes" in refused.value.message_dict


def test_the_week_shows_public_holidays_and_closures_as_closed(venue):
    year = timezone.localdate().year
    holiday = next(d for d in sorted(public_holidays(year)) if d.weekday() < 5)
    day = next_weekday(3, 10)
    Closure.objects.create(venue=venue, first_day=day, last_day=day, reason="Travaux")
    found = {d.day: d for d in services.opening_days(venue, holiday, holiday)}
    assert found[holiday].closed_because and not found[holiday].is_open
    closed = services.opening_days(venue, day, day)[0]
    assert closed.closed_because == "Travaux" and not closed.is_open
    tuesday = services.opening_days(venue, next_weekday(1), next_weekday(1))[0]
    assert [(s.opens, s.closes) for s in tuesday.slots] == [(T(9), T(12)), (T(13, 30), T(18))]


# --- visits -----------------------------------------------------------------------------------------------


def test_visits_of_a_day_recorded_twice_are_corrected_not_counted_twice(venue, demo_user):
    day = last_open_day(venue)
    leader = demo_user("teamleader")
    services.record_visits(venue=venue, day=day, actor=leader,
                           counts={"under_25": 2, "age_25_49": 3, "age_50_64": 1, "age_65_plus": 4})  # fmt: skip
    row = services.record_visits(venue=venue, day=day, actor=leader,
                                 counts={"under_25": 1, "age_25_49": 3, "age_50_64": 1, "age_65_plus": 5})  # fmt: skip
    assert VisitDay.objects.filter(venue=venue, day=day).count() == 1
    assert row.total == 10 and row.age_65_plus == 5


@pytest.mark.parametrize("counts,day_offset,field", [
    ({"under_25": -1}, 0, "under_25"),
    ({"age_65_plus": -3}, 0, "age_65_plus"),
    ({"age_25_49": 10_001}, 0, "age_25_49"),
    ({"under_25": 2}, 1, "day"),
])  # fmt: skip
def test_negative_counts_and_days_to_come_are_refused_with_nothing_saved(venue, demo_user, counts, day_offset, field):
    day = timezone.localdate() + datetime.timedelta(days=day_offset)
    with pytest.raises(WebcafeRefused) as refused:
        services.record_visits(venue=venue, day=day, counts=counts, actor=demo_user("teamleader"))
    assert field in refused.value.message_dict
    assert not VisitDay.objects.filter(venue=venue).exists()


# --- public courses ---------------------------------------------------------------------------------------


def test_a_course_inside_the_opening_hours_is_a_training_session_at_the_web_cafe(venue, public_course_of_catalogue):
    day = next_weekday(2)
    course = plan(venue, public_course_of_catalogue, day)
    session = course.session
    assert session.place == venue.premises and session.hours_per_day == 2 and session.days() == [day]
    assert session.course == public_course_of_catalogue


def test_a_course_outside_the_opening_hours_is_refused(venue, public_course_of_catalogue):
    day = next_weekday(2)  # Wednesday: afternoons only
    with pytest.raises(WebcafeRefused) as refused:
        plan(venue, public_course_of_catalogue, day, starts=T(9, 30), ends=T(11, 30))
    assert "outside its opening hours" in str(refused.value.message_dict["starts_at"])
    with pytest.raises(WebcafeRefused):
        plan(venue, public_course_of_catalogue, day, starts=T(17), ends=T(19))
    assert not venue.courses.exists()


def test_a_course_on_a_public_holiday_or_a_closure_is_refused(venue, public_course_of_catalogue):
    year = timezone.localdate().year + 1
    holiday = next(d for d in sorted(public_holidays(year)) if d.weekday() < 5)
    with pytest.raises(WebcafeRefused) as refused:
        plan(venue, public_course_of_catalogue, holiday)
    assert "public holiday" in str(refused.value.message_dict["start_date"])
    day = next_weekday(3)
    Closure.objects.create(venue=venue, first_day=day, last_day=day, reason="Formation de l'équipe")
    with pytest.raises(WebcafeRefused) as refused:
        plan(venue, public_course_of_catalogue, day - datetime.timedelta(days=7), end=day, weekdays=[3])
    assert "Formation" in str(refused.value.message_dict["start_date"])


def test_a_course_over_more_than_a_year_is_refused(venue, public_course_of_catalogue):
    day = next_weekday(2)
    with pytest.raises(WebcafeRefused) as refused:
        plan(venue, public_course_of_catalogue, day, end=day + datetime.timedelta(days=400))
    assert "end_date" in refused.value.message_dict


def test_a_course_not_open_to_the_public_is_refused(venue):
    from moulin.training.models import Course

    closed = Course.objects.filter(open_to_public=False).first()
    with pytest.raises(WebcafeRefused) as refused:
        plan(venue, closed, next_weekday(2))
    assert "course" in refused.value.message_dict


# --- registrations ----------------------------------------------------------------------------------------


def test_a_full_course_puts_the_next_on_the_waiting_list_and_a_cancellation_promotes(
    venue, public_course_of_catalogue
):
    course = plan(venue, public_course_of_catalogue, next_weekday(2), capacity=2)
    first, second, third = (
        services.register(course=course, name=name, phone="621 123 456", consent=True, channel=Channel.PHONE)
        for name in ("Jos Weis", "Lily Conter", "Henri Marx")
    )
    assert [r.enrolment.status for r in (first, second, third)] == [
        EnrolmentStatus.ENROLLED, EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING]  # fmt: skip
    promoted = services.cancel_registration(registration=first, actor=None)
    assert promoted == third
    third.enrolment.refresh_from_db()
    assert third.enrolment.status == EnrolmentStatus.ENROLLED


def test_a_registration_needs_consent_and_a_way_to_reach_the_person(venue, public_course_of_catalogue):
    course = plan(venue, public_course_of_catalogue, next_weekday(2))
    with pytest.raises(WebcafeRefused) as refused:
        services.register(course=course, name="Jos Weis", phone="621 123 456", consent=False)
    assert "consent" in refused.value.message_dict
    with pytest.raises(WebcafeRefused) as refused:
        services.register(course=course, name="Jos Weis", consent=True)
    assert "phone" in refused.value.message_dict
    assert not course.registrations.exists() and not course.session.enrolments.exists()


# --- figures ----------------------------------------------------------------------------------------------


def test_visits_by_month_equal_the_raw_sums_of_the_days():
    year = timezone.localdate().year - 1
    visits = VisitDay.objects.all()
    months = services.visits_by_month(visits, year)
    assert len(months) == 12
    for month in months:
        rows = visits.filter(day__year=year, day__month=month.month)
        for band in ("under_25", "age_25_49", "age_50_64", "age_65_plus"):
            assert month.bands[band] == sum(rows.values_list(band, flat=True))
    assert sum(m.total for m in months) == sum(v.total for v in visits.filter(day__year=year))
    assert sum(m.total for m in months) > 0


def test_course_fill_rates_equal_the_raw_counts_of_places_and_enrolments():
    from moulin.training.enums import HOLDS_PLACE
    from moulin.training.models import Enrolment
    from moulin.webcafe.models import PublicCourse

    year = timezone.localdate().year
    rows = services.course_fill(PublicCourse.objects.all(), year)
    total = rows[-1][1]
    courses = PublicCourse.objects.filter(session__start_date__year=year).select_related("session")
    assert total.courses == courses.count() > 0
    assert total.places == sum(c.session.capacity for c in courses)
    enrolments = Enrolment.objects.filter(session__web_cafe_course__in=courses)
    assert total.registered == enrolments.filter(status__in=HOLDS_PLACE).count()
    assert total.waiting == enrolments.filter(status=EnrolmentStatus.WAITING).count()
    assert sum(f.courses for _label, f in rows[:-1]) == total.courses
