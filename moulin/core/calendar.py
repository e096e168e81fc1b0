"""Luxembourg's working calendar, shared by every capability that plans days (training sessions, demo
attendance; later work orders and time entries).

Public holidays come from the ``holidays`` package (Luxembourg's legal holidays, Europe Day since 2019
included); day sequences from python-dateutil's ``rrule``. Nothing here touches the database.
"""

import datetime
from collections.abc import Iterable, Iterator
from functools import lru_cache

import holidays
from dateutil.rrule import DAILY, rrule
from django.utils import translation

COUNTRY = "LU"
#: Monday to Friday, as ``date.weekday()`` numbers them
WEEKDAYS = (0, 1, 2, 3, 4)
#: the languages the holidays package names Luxembourg's holidays in, by Django language code
_HOLIDAY_LANGUAGES = {"en": "en_US", "fr": "fr", "de": "de", "lb": "lb"}


@lru_cache(maxsize=256)
def _holidays(year: int, language: str = "en_US") -> dict[datetime.date, str]:
    return dict(holidays.country_holidays(COUNTRY, years=year, language=language))


def public_holidays(year: int) -> dict[datetime.date, str]:
    """Luxembourg's public holidays of ``year``, with their names in the active language."""
    language = _HOLIDAY_LANGUAGES.get((translation.get_language() or "en")[:2], "en_US")
    return _holidays(year, language)


def is_public_holiday(day: datetime.date) -> bool:
    return day in _holidays(day.year)


def holiday_name(day: datetime.date) -> str | None:
    """The holiday's name in the active language, or None on an ordinary day."""
    return public_holidays(day.year).get(day)


def _rule(start: datetime.date, weekdays: Iterable[int], *, until: datetime.date | None = None, count=None):
    return rrule(
        DAILY,
        dtstart=datetime.datetime.combine(start, datetime.time()),
        until=datetime.datetime.combine(until, datetime.time()) if until else None,
        count=count,
        byweekday=sorted(set(weekdays)),
    )


def working_days(start: datetime.date, end: datetime.date, weekdays: Iterable[int] = WEEKDAYS) -> list[datetime.date]:
    """The days from ``start`` to ``end`` (both included) that fall on ``weekdays`` and are not public holidays."""
    weekdays = tuple(weekdays)
    if not weekdays or end < start:
        return []
    return [d.date() for d in _rule(start, weekdays, until=end) if not is_public_holiday(d.date())]


def iter_working_days(start: datetime.date, weekdays: Iterable[int] = WEEKDAYS) -> Iterator[datetime.date]:
    """The working days from ``start`` on, without end (public holidays skipped)."""
    weekdays = tuple(weekdays)
    if not weekdays:
        return
    for d in _rule(start, weekdays):
        if not is_public_holiday(d.date()):
            yield d.date()


def next_working_days(start: datetime.date, count: int, weekdays: Iterable[int] = WEEKDAYS) -> list[datetime.date]:
    """The first ``count`` working days from ``start`` on (public holidays skipped)."""
    days = []
    for day in iter_working_days(start, weekdays):
        if len(days) >= count:
            break
        days.append(day)
    return days


def is_working_day(day: datetime.date, weekdays: Iterable[int] = WEEKDAYS) -> bool:
    return day.weekday() in set(weekdays) and not is_public_holiday(day)
