"""Sources of indicator actuals. An indicator's actual is entered by hand, or computed by a source that an app
declares in its capability (``indicator_sources``; e.g. the pathways app declares "hires": contracts started in a
year, and "team_size": workers under contract on the project; the reporting app the service-delivery volumes)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from moulin.core.capabilities import IndicatorSource, collected

ENTERED = "entered"


def sources() -> dict[str, IndicatorSource]:
    """The computed sources every installed app declares (``fn(project, year) -> Decimal``)."""
    found = {}
    for source in collected("indicator_sources"):
        if source.key == ENTERED:
            raise ValueError("'entered' is reserved")
        found[source.key] = source
    return found


def source_keys() -> set[str]:
    return {ENTERED, *sources()}


def source_choices() -> list[tuple[str, object]]:
    return [(ENTERED, _("Entered by hand")), *((s.key, s.label) for s in sources().values())]


def source_label(key: str):
    if key == ENTERED:
        return _("entered")
    source = sources().get(key)
    return source.label if source else key


def compute(key: str, project, year: int) -> Decimal | None:
    source = sources().get(key)
    if source is None:
        return None
    value = source.fn(project, year)
    return None if value is None else Decimal(value)
