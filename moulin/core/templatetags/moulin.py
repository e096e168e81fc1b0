import html
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import conditional_escape

register = template.Library()


@register.filter
def euros(value) -> str:
    """An amount in euros in the user's locale: 1,234.50 € / 1 234,50 €."""
    if value is None or value == "":
        return "—"
    return f"{number_format(Decimal(value), 2, force_grouping=True)} €"


@register.filter
def number(value, digits: int = 0) -> str:
    """A number with the locale's grouping: 12 345 / 12,345 / 12.345."""
    if value is None or value == "":
        return "—"
    return number_format(value, digits, force_grouping=True)


@register.filter
def hours(value) -> str:
    if value is None:
        return "—"
    return f"{number_format(Decimal(value), 1, force_grouping=True)} h"


@register.filter
def percent(value, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{number_format(value, digits, force_grouping=True)} %"


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination and sorting links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    params.pop("export", None) if "export" not in kwargs else None
    return params.urlencode()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def phone(value) -> str:
    """A phone number as people read it: nationally for Luxembourg (26 12 34 56), else internationally."""
    from moulin.core.validators import format_phone

    return format_phone(value) if value else ""


@register.filter
def long_date(value) -> str:
    """A date written out in words in the reader's language, for formal documents (certificates)."""
    from moulin.formats import long_date as write

    return write(value)


def _escape(value) -> str:
    """``conditional_escape``, plain text escaped at once (most cells): the same text, without Django's lazy
    and safe-string checks on each of a page's few hundred cells."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(value)


@register.simple_tag
def table_rows(rows) -> str:
    """The body rows of a list page (``rows`` of ScopedListView: each object with its columns' display values),
    written in Python: the same HTML as a template loop over every cell, at a fraction of its cost (the cell loop
    was the largest part of a list page's rendering; docs/performance.md)."""
    from django.utils.safestring import mark_safe

    out = []
    for obj, cells in rows:
        out.append("<tr>\n      ")
        url = None
        for column, value in cells:
            cell = _escape(value)
            if column.link:
                if url is None:
                    get_url = getattr(obj, "get_absolute_url", None)
                    url = _escape(get_url() if callable(get_url) else (get_url or ""))
                cell = f'<a href="{url}">{cell}</a>'
            out.append(f'<td class="{_escape(column.align)}">{cell}</td>')
        out.append("\n    </tr>")
    return mark_safe("".join(out))  # noqa: S308 - every part is escaped above
