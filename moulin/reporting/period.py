"""The period a dashboard or report covers: a year, or one of its quarters, read from the URL and refused with a
clear message when malformed (never a server error)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

FIRST_YEAR = 2000
PERIODS = {
    "year": (_("Whole year"), 1, 12),
    "q1": (_("1st quarter"), 1, 3),
    "q2": (_("2nd quarter"), 4, 6),
    "q3": (_("3rd quarter"), 7, 9),
    "q4": (_("4th quarter"), 10, 12),
    "h1": (_("1st half"), 1, 6),
    "h2": (_("2nd half"), 7, 12),
}


def _last_day(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    year: int
    part: str = "year"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, PERIODS[self.part][1], 1)

    @property
    def end(self) -> datetime.date:
        return _last_day(self.year, PERIODS[self.part][2])

    @property
    def is_year(self) -> bool:
        return self.part == "year"

    @property
    def label(self) -> str:
        if self.is_year:
            return str(self.year)
        return f"{PERIODS[self.part][0]} {self.year}"

    def previous(self) -> "Period":
        return Period(self.year - 1, self.part)

    def params(self) -> dict:
        return {"year": self.year} if self.is_year else {"year": self.year, "period": self.part}


def max_year() -> int:
    return timezone.localdate().year + 1


def parse_period(year: str | None, part: str | None = None) -> Period:
    """``year`` (four digits, 2000 to next year) and ``part`` (``year``, ``q1``…``q4``, ``h1``, ``h2``): the
    current year when both are absent. Raises ``ValidationError`` with a message for the page."""
    today = timezone.localdate()
    part = (part or "year").strip().lower()
    if part not in PERIODS:
        raise ValidationError(
            gettext("“%(part)s” is not a period: choose the whole year, a quarter (q1 to q4) or a half (h1, h2).")
            % {"part": part[:20]}
        )
    if year is None or year == "":
        return Period(today.year, part)
    year = year.strip()
    if not (year.isdigit() and len(year) == 4):
        raise ValidationError(
            gettext("“%(year)s” is not a year: write it with four digits, e.g. %(example)s.")
            % {"year": year[:20], "example": today.year}
        )
    value = int(year)
    if not FIRST_YEAR <= value <= max_year():
        raise ValidationError(
            gettext("Choose a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": max_year()}
        )
    return Period(value, part)


def year_choices() -> list[int]:
    today = timezone.localdate()
    return list(range(today.year + 1, today.year - 10, -1))


def part_choices():
    return [(key, label) for key, (label, _first, _last) in PERIODS.items()]
