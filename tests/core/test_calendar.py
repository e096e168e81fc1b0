"""Luxembourg's working calendar (holidays + python-dateutil), shared by every capability that plans days."""

import datetime

from django.utils import translation

from moulin.core.calendar import holiday_name, is_public_holiday, next_working_days, working_days

day = datetime.date


def test_luxembourg_public_holidays():
    assert is_public_holiday(day(2026, 6, 23))  # National Day
    assert is_public_holiday(day(2026, 5, 9))  # Europe Day, a legal holiday since 2019
    assert is_public_holiday(day(2026, 4, 6))  # Easter Monday moves with Easter...
    assert is_public_holiday(day(2027, 3, 29))  # ... to 29 March in 2027
    assert not is_public_holiday(day(2026, 4, 3))  # Good Friday is a working day in Luxembourg
    assert not is_public_holiday(day(2026, 6, 22))


def test_holiday_names_follow_the_interface_language():
    with translation.override("fr"):
        assert holiday_name(day(2026, 6, 23)) == "Fête nationale"
    with translation.override("de"):
        assert holiday_name(day(2026, 12, 25)) == "Weihnachten"
    assert holiday_name(day(2026, 6, 22)) is None


def test_working_days_leave_out_weekends_and_holidays():
    # week of 22 June 2026: Tuesday 23 is National Day
    assert working_days(day(2026, 6, 22), day(2026, 6, 28)) == [day(2026, 6, d) for d in (22, 24, 25, 26)]
    assert working_days(day(2026, 6, 22), day(2026, 6, 28), weekdays=[1, 5]) == [day(2026, 6, 27)]
    assert working_days(day(2026, 6, 28), day(2026, 6, 22)) == []
    assert working_days(day(2026, 6, 22), day(2026, 6, 28), weekdays=[]) == []


def test_next_working_days_carry_over_the_holidays():
    # Christmas 2026: Friday 25 and Saturday 26 are holidays; every day of the week is wanted
    assert next_working_days(day(2026, 12, 24), 4, weekdays=range(7)) == [
        day(2026, 12, 24), day(2026, 12, 27), day(2026, 12, 28), day(2026, 12, 29)
    ]  # fmt: skip
    assert next_working_days(day(9999, 12, 30), 5) == [day(9999, 12, 30), day(9999, 12, 31)]  # the calendar ends
