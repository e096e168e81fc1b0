"""Recurrence rules of work orders: iCalendar RRULEs read by python-dateutil, public holidays skipped or moved by
the order's stated rule (Luxembourg's calendar, ``moulin.core.calendar``)."""

import datetime

from dateutil.rrule import DAILY, rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from moulin.core.calendar import is_public_holiday

#: a rule giving more work orders than this in its first year is refused (one a day is the most a site needs)
MAX_PER_YEAR = 366


def parse_rule(rule: str, starts_on: datetime.date):
    """The dateutil rule of ``rule`` (with or without the ``RRULE:`` prefix) starting on ``starts_on``."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or "\n" in text:
        raise ValidationError({"rule": _("Give one recurrence rule, e.g. FREQ=WEEKLY;BYDAY=TU.")})
    try:
        parsed = rrulestr(text, dtstart=datetime.datetime.combine(starts_on, datetime.time()))
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            {"rule": _("This is not a recurrence rule (%(error)s). Example: FREQ=WEEKLY;BYDAY=TU.") % {"error": exc}}
        ) from None
    return parsed


def check_rule(rule: str, starts_on: datetime.date, ends_on: datetime.date | None = None) -> None:
    """Refuse a rule that gives no day at all, or more than ``MAX_PER_YEAR`` in a year, with an explanation."""
    parsed = parse_rule(rule, starts_on)
    if parsed._freq > DAILY:  # HOURLY, MINUTELY, SECONDLY
        raise ValidationError({"rule": _("A work order comes back at most once a day: use FREQ=DAILY or longer.")})
    year_end = starts_on + datetime.timedelta(days=365)
    last = min(ends_on, year_end) if ends_on else year_end
    until = datetime.datetime.combine(last, datetime.time())
    count = 0
    for _day in parsed.xafter(datetime.datetime.combine(starts_on, datetime.time()), inc=True):
        if _day > until:
            break
        count += 1
        if count > MAX_PER_YEAR:
            raise ValidationError(
                {"rule": _("This rule gives more than %(max)s work orders in a year: choose a rule with fewer days.")
                 % {"max": MAX_PER_YEAR}}
            )  # fmt: skip
    if count == 0 and parsed.after(until) is None:
        raise ValidationError({"rule": _("This rule gives no day at all in its period: check the days and dates.")})
    if count == 0:
        raise ValidationError({"rule": _("This rule gives no day in its first year: check the days and dates.")})


def shifted(day: datetime.date, holiday_rule: str) -> datetime.date | None:
    """The day a work order falling on ``day`` is held: itself on an ordinary day; on a public holiday none
    (skipped), or the next or previous day that is neither a holiday nor a Sunday."""
    if not is_public_holiday(day):
        return day
    if holiday_rule == "skip":
        return None
    step = datetime.timedelta(days=1 if holiday_rule == "next" else -1)
    moved = day + step
    while is_public_holiday(moved) or moved.weekday() == 6:
        moved += step
    return moved


def occurrences(recurring, first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """``(occurrence, day held)`` of a recurring order's rule between ``first`` and ``last`` (both included),
    within its own period, holidays handled by its holiday rule."""
    first = max(first, recurring.starts_on)
    if recurring.ends_on:
        last = min(last, recurring.ends_on)
    if last < first:
        return []
    parsed = parse_rule(recurring.rule, recurring.starts_on)
    start = datetime.datetime.combine(first, datetime.time())
    end = datetime.datetime.combine(last, datetime.time())
    found = []
    for moment in parsed.between(start, end, inc=True):
        day = moment.date()
        held = shifted(day, recurring.holiday_rule)
        if held is not None:
            found.append((day, held))
    return found
