"""Date and number formats per language (Django's FORMAT_MODULE_PATH), and the two ways Moulin writes a date.

One format per language on every page, list, export and message: the locale's short date (``DATE_FORMAT`` is
set to it, so a date rendered bare in a template reads the same as ``short_date``). Formal documents (a
certificate) write the date out in words with ``long_date`` (``LONG_DATE_FORMAT`` of the language)."""

from importlib import import_module

from django.utils import dateformat, translation
from django.utils.formats import date_format


def short_date(value) -> str:
    """The reader's short date (en 01/12/2026, fr 01/12/2026, de 01.12.2026); "" for no date."""
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def long_date(value) -> str:
    """The date in words, in the reader's language (1 December 2026, 1 décembre 2026, 1. Dezember 2026)."""
    if not value:
        return ""
    language = (translation.get_language() or "en").split("-")[0]
    try:
        fmt = import_module(f"moulin.formats.{language}.formats").LONG_DATE_FORMAT
    except (ImportError, AttributeError):
        fmt = import_module("moulin.formats.en.formats").LONG_DATE_FORMAT
    return dateformat.format(value, fmt)


#: the date formats a general-ledger CSV may use (strptime patterns, with an example of each): the one place
#: a date pattern is written out, since the files come from accounting software, not from the reader's locale
LEDGER_DATE_FORMATS = (("%d/%m/%Y", "31/12/2026"), ("%d.%m.%Y", "31.12.2026"), ("%Y-%m-%d", "2026-12-31"))
DEFAULT_LEDGER_DATE_FORMAT = LEDGER_DATE_FORMATS[0][0]
