"""Identifiers and dates typed at referral.

ADEM jobseeker number (the *numéro de demandeur d'emploi* printed on the ADEM registration
letter): Moulin accepts **6 to 10 digits**, spaces and dashes ignored. It is stored as digits only.
"""

import re

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
    """The same day ``months`` later (or earlier), clamped to the month's last day."""
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
