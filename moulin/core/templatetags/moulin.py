from decimal import Decimal

from django import template
from django.utils.formats import number_format

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
