"""Issue gapless numbers.

``next_number(series, organisation_id=..., year=...)`` advances the counter of (series, organisation, year)
under a row lock and returns the new number. Call it inside the transaction that writes the numbered
document: if that transaction rolls back, the counter rolls back with it and the number is issued again to the
next document, so a series has no gap; two concurrent issuers queue on the lock, so it has no duplicate.

A series is declared once by the app that numbers documents::

    CERTIFICATES = register(Series("certificate", "CERT-{year}-{number:05d}", per_organisation=False))
    number = CERTIFICATES.issue(year=on.year)          # "CERT-2026-00042"
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.transaction import TransactionManagementError

from moulin.sequences.models import Counter


@dataclass(frozen=True)
class Series:
    """A numbered series: its code (stored in the counter), how a number is shown, and whether each issuing
    organisation numbers its own documents (invoices) or the network numbers them all (certificates)."""

    code: str
    pattern: str = "{number}"
    per_organisation: bool = True

    def format(self, number: int, *, year: int, **parts) -> str:
        """The number as documents show it; ``parts`` fill other fields of the pattern (an organisation's
        code, say)."""
        return self.pattern.format(number=number, year=year, **parts)

    def next_number(self, *, year: int, organisation_id: int | None = None) -> int:
        return next_number(self, organisation_id=organisation_id, year=year)

    def issue(self, *, year: int, organisation_id: int | None = None, **parts) -> str:
        """Take the next number and format it."""
        return self.format(self.next_number(year=year, organisation_id=organisation_id), year=year, **parts)


SERIES: dict[str, Series] = {}


def register(series: Series) -> Series:
    """Declare a series (once, by the app that owns the documents); returns it."""
    known = SERIES.get(series.code)
    if known is not None and known != series:
        raise ValueError(f"The series {series.code!r} is already declared differently: {known!r}")
    SERIES[series.code] = series
    return series


def _series(series: Series | str) -> Series:
    if isinstance(series, Series):
        return series
    try:
        return SERIES[series]
    except KeyError:
        raise ValueError(f"Unknown series {series!r}: declare it with sequences.services.register()") from None


def _check(series: Series, organisation_id: int | None, year: int) -> None:
    if series.per_organisation and organisation_id is None:
        raise ValueError(f"The series {series.code!r} is numbered per organisation: give organisation_id")
    if not series.per_organisation and organisation_id is not None:
        raise ValueError(f"The series {series.code!r} is numbered across the network: organisation_id is None")
    if not 1900 <= year <= 9999:
        raise ValueError(f"Not a year: {year!r}")


def _locked_counter(series: Series, organisation_id: int | None, year: int) -> Counter:
    lookup = {"series": series.code, "organisation_id": organisation_id, "year": year}
    counter = Counter.objects.select_for_update(of=("self",)).filter(**lookup).first()
    if counter is None:
        # the first number of the year: create the counter; a concurrent first issuer waits on the unique
        # index until ours commits, then fails here and takes the row lock below
        try:
            with transaction.atomic():
                Counter.objects.create(**lookup)
        except IntegrityError:
            pass
        counter = Counter.objects.select_for_update(of=("self",)).get(**lookup)
    return counter


def next_number(series: Series | str, *, organisation_id: int | None, year: int) -> int:
    """The next number of ``series`` for this issuing organisation (None for a network-wide series) and year.

    Must run inside the transaction that saves the document carrying the number (``transaction.atomic``):
    outside one, a number would be spent even if the document then failed to save.
    """
    series = _series(series)
    _check(series, organisation_id, year)
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError(
            "next_number() runs inside the transaction that saves the numbered document (transaction.atomic)."
        )
    counter = _locked_counter(series, organisation_id, year)
    counter.last += 1
    counter.save(update_fields=["last", "updated_at"])
    return counter.last


def last_number(series: Series | str, *, organisation_id: int | None, year: int) -> int:
    """The last number issued so far (0 if none): for checks and reports, not to compute the next one."""
    series = _series(series)
    return (
        Counter.objects.filter(series=series.code, organisation_id=organisation_id, year=year)
        .values_list("last", flat=True)
        .first()
    ) or 0


@transaction.atomic
def advance_to(series: Series | str, *, organisation_id: int | None, year: int, last: int) -> int:
    """Make sure the counter is at least ``last``: for documents numbered outside ``next_number`` (the demo
    generator, records imported from another system), so that the next number follows them. Never moves a
    counter back."""
    series = _series(series)
    _check(series, organisation_id, year)
    counter = _locked_counter(series, organisation_id, year)
    if last > counter.last:
        counter.last = last
        counter.save(update_fields=["last", "updated_at"])
    return counter.last
