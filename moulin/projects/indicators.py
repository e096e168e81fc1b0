"""Sources of indicator actuals. An indicator's actual is entered by hand, or computed by a source that an app
declares in its capability (``indicator_sources``; e.g. the pathways app declares "hires": contracts started in a
year, and "team_size": workers under contract on the project; the reporting app the service-delivery volumes)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from moulin.core.capabilities import IndicatorSource, collected

ENTERED = "entered"


def sources() -> dict[str, IndicatorSource]:
    """The computed sources every installed app declares (``fn(project, year) -> Decimal``, and for several years
    at once ``for_years(project, years) -> {year: Decimal}``)."""
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


def compute_years(key: str, project, years) -> dict[int, Decimal | None]:
    """``compute`` for each of ``years``: in one query when the source answers for several years (``for_years``),
    else year by year."""
    years = sorted(set(years))
    source = sources().get(key)
    if source is None or not years:
        return dict.fromkeys(years)
    if source.for_years is not None:
        found = source.for_years(project, years)
    else:
        found = {year: source.fn(project, year) for year in years}
    return {year: None if found.get(year) is None else Decimal(found[year]) for year in years}


def series_of(indicators) -> None:
    """Set ``indicator.rows`` (``Indicator.series``) on each of ``indicators`` (their ``values`` prefetched), the
    computed actuals of a source asked for once per project over every year shown, whatever the number of
    indicators and of years."""
    wanted = {}
    for indicator in indicators:
        if indicator.is_computed:
            years = wanted.setdefault((indicator.project_id, indicator.source), (indicator.project, set()))[1]
            years.update(value.year for value in indicator.values.all())
    actuals = {key: compute_years(key[1], project, years) for key, (project, years) in wanted.items()}
    for indicator in indicators:
        indicator.rows = indicator.series(actuals.get((indicator.project_id, indicator.source)))
