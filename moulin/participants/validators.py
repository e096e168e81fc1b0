"""Identifiers and dates typed at referral.

ADEM jobseeker number (the *numéro de demandeur d'emploi* printed on the ADEM registration
letter): Moulin accepts **6 to 10 digits**, spaces and dashes ignored. It is stored as digits only.
"""

import datetime
import re

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moulin.formats import short_date

MIN_AGE, MAX_AGE = 16, 99


def normalise_jobseeker_number(value: str) -> str:
    return re.sub(r"[\s\-./]", "", value or "")


def validate_jobseeker_number(value: str) -> None:
    if value and not re.fullmatch(r"\d{6,10}", normalise_jobseeker_number(value)):
        raise ValidationError(
            _("An ADEM jobseeker number has 6 to 10 digits (spaces and dashes allowed), e.g. 1234567."),
            code="jobseeker_number_format",
        )


def age_on(birth_date, day) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def check_age(birth_date, on=None) -> None:
    """A participant is between 16 and 99 years old on the day of referral."""
    if birth_date is None:
        return
    on = on or timezone.localdate()
    age = age_on(birth_date, on)
    if age < MIN_AGE or age > MAX_AGE:
        raise ValidationError(
            {
                "birth_date": _(
                    "This date of birth makes the person %(age)s years old on %(day)s: participants are "
                    "between %(min)s and %(max)s. Check the year."
                )
                % {"age": age, "day": short_date(on), "min": MIN_AGE, "max": MAX_AGE}
            }
        )


def add_months(day, months: int):
    """The same day ``months`` later (or earlier), clamped to the month's last day (31 Jan + 1 = 28/29 Feb).

    Raises ``ValueError`` past year 9999: callers with a typed date check it with ``months_after_or_none``."""
    return day + relativedelta(months=months)


def months_after_or_none(day, months: int):
    """``add_months``, or None when the result would fall outside the calendar (after 31.12.9999)."""
    try:
        return add_months(day, months)
    except (ValueError, OverflowError):
        return None


def _period_end(start, months: int):
    """The last day of a period of ``months`` calendar months from ``start``: the day before the same day
    ``months`` later, or that month's last day when it has no such day (29 Jan + 1 month ends on 28 Feb)."""
    same_day = add_months(start, months)
    return same_day - datetime.timedelta(days=1) if same_day.day == start.day else same_day


def calendar_months(start, end) -> int:
    """Calendar months from ``start`` to ``end`` (both days included), a started month counting as a whole one:
    1 Jan - 31 Jan is 1, 15 Jan - 14 Apr is 3, 15 Jan - 15 Apr is 4, 1 Feb - 29 Feb is 1."""
    if not start or not end or end < start:
        return 0
    span = relativedelta(end, start)
    months = max(1, span.years * 12 + span.months)
    while True:
        try:
            if end <= _period_end(start, months):
                return months
        except (ValueError, OverflowError):  # the period would end after 31.12.9999: it covers ``end``
            return months
        months += 1
