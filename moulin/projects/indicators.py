"""Sources of indicator actuals. An indicator's actual is entered by hand, or computed by a source that a
capability registers here (e.g. the pathways capability registers "hires": contracts started in a year).

    register_source("hires", _("Hires in the year"), lambda project, year: Decimal(...))
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

ENTERED = "entered"


@dataclass(frozen=True)
class Source:
    key: str
    label: object
    fn: Callable


_SOURCES: dict[str, Source] = {}


def register_source(key: str, label, fn: Callable) -> None:
    """Register a computed source: ``fn(project, year) -> Decimal``."""
    if key == ENTERED:
        raise ValueError("'entered' is reserved")
    _SOURCES[key] = Source(key, label, fn)


def unregister_source(key: str) -> None:
    _SOURCES.pop(key, None)


def source_keys() -> set[str]:
    return {ENTERED, *_SOURCES}


def source_choices() -> list[tuple[str, object]]:
    return [(ENTERED, _("Entered by hand")), *((s.key, s.label) for s in _SOURCES.values())]


def source_label(key: str):
    if key == ENTERED:
        return _("entered")
    source = _SOURCES.get(key)
    return source.label if source else key


def compute(key: str, project, year: int) -> Decimal | None:
    source = _SOURCES.get(key)
    if source is None:
        return None
    value = source.fn(project, year)
    return None if value is None else Decimal(value)


def _teams_size(project, year):
    """Built-in computed source: workers in the project's active teams (today's figure)."""
    return Decimal(sum(t.size for t in project.teams.all() if t.is_active))


register_source("team_size", _("Workers in the project's teams"), _teams_size)
