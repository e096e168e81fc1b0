"""Columns of a list page: the same definition renders the table and writes the CSV and XLSX exports."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format, number_format


def resolve(obj: Any, accessor: str | Callable) -> Any:
    if callable(accessor):
        return accessor(obj)
    value = obj
    for part in accessor.split("."):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None)
        value = display() if display is not None and part == accessor.split(".")[-1] else getattr(value, part)
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
