"""Columns of a list page: the same definition renders the table and writes the CSV and XLSX exports."""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.encoding import force_str
from django.utils.formats import date_format, number_format
from django.utils.hashable import make_hashable


def model_through(model, relations: list[str]):
    """The model that ``relations`` (field names, ``["session", "course"]``) reach from ``model`` through forward
    relations only, or None: a reverse or many-to-many relation, or a name the model lacks."""
    current = model
    for name in relations:
        try:
            relation = current._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not (relation.many_to_one or relation.one_to_one) or relation.auto_created:
            return None
        current = relation.related_model
    return current


@functools.cache
def _parts(accessor: str) -> tuple[str, ...]:
    return tuple(accessor.split("."))


_OWN = object()  # the model writes its own get_FOO_display: call it


@functools.cache
def _display_of(cls: type, name: str):
    """How ``cls`` shows its attribute ``name``: None (no ``get_<name>_display``), ``_OWN`` (a method of its
    own), or Django's: ``(attname, {value: label})``, the choices made into a dict once. Django's
    ``get_FOO_display`` builds that dict again at every call, hashing every lazy label of it: a tenth of a list
    page's time (docs/performance.md)."""
    attribute = f"get_{name}_display"
    display = next((vars(c)[attribute] for c in cls.__mro__ if attribute in vars(c)), None)
    if display is None:
        return None
    field = display.keywords.get("field") if isinstance(display, functools.partialmethod) else None
    if field is None or display.func is not Model._get_FIELD_display:
        return _OWN
    return field.attname, dict(make_hashable(field.flatchoices))


def _choice_label(obj, attname: str, choices: dict):
    """``obj.get_FOO_display()``, as Django writes it, from the dict of ``_display_of``."""
    value = getattr(obj, attname)
    try:
        label = choices.get(value, value)
    except TypeError:  # an unhashable value: as Django does
        label = choices.get(make_hashable(value), value)
    return force_str(label, strings_only=True)


def resolve(obj: Any, accessor: str | Callable) -> Any:
    if callable(accessor):
        return accessor(obj)
    value = obj
    parts = _parts(accessor)
    last = len(parts) - 1
    for index, part in enumerate(parts):
        if value is None:
            return None
        display = _display_of(type(value), part) if index == last else None
        if display is None:
            value = getattr(value, part)
        elif display is _OWN:
            value = getattr(value, f"get_{part}_display")()
        else:
            value = _choice_label(value, *display)
        if callable(value) and not hasattr(value, "all"):
            value = value()
    if hasattr(value, "all"):  # a many-to-many manager: list its members
        return ", ".join(str(item) for item in value.all())
    return value


@dataclass
class Column:
    key: str
    label: Any
    accessor: str | Callable | None = None
    sort: str | None = None
    link: bool = False
    align: str = ""
    kind: str = ""  # "", "date", "money", "number", "bool"
    export: bool = True
    extra: dict = field(default_factory=dict)

    def value(self, obj):
        return resolve(obj, self.accessor or self.key)

    def display(self, obj) -> str:
        value = self.value(obj)
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return "✓" if value else "—"
        if isinstance(value, datetime.datetime):
            return date_format(value, "SHORT_DATETIME_FORMAT")
        if isinstance(value, datetime.date):
            return date_format(value, "SHORT_DATE_FORMAT")
        if self.kind == "money":
            return f"{number_format(value, 2, force_grouping=True)} €"
        if isinstance(value, Decimal | float):
            return number_format(value, 2 if self.kind != "number" else 1, force_grouping=True)
        if isinstance(value, int):
            return number_format(value, force_grouping=True)
        return str(value)

    def export_value(self, obj):
        value = self.value(obj)
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone().replace(tzinfo=None)
        if isinstance(value, bool | int | float | Decimal | datetime.date):
            return value
        return str(value)
