"""How an app plugs into the rest of Moulin: one ``Capability`` declared per app, in ``moulin/<app>/capability.py``
(``CAPABILITY = Capability(...)``), collected in ``INSTALLED_APPS`` order.

An app declares what it adds to the shared pages: its menu entries, its searchable families, its home-page panels,
its sections of other pages (the commune page, the public service directory, a worker's timeline and exit
summary), the kinds of person record it holds (retention, access export, erasure: ``moulin.core.persons``), what
it clears when a person's record is anonymised, its reference-data loaders, its demo step, its computed indicator
sources and its sections of the reporting dashboards (the money apps add the funding mix and the invoices
outstanding there).
The pages that show these read them with ``collected("...")``; nobody appends to another app's list.

This module is the kernel: it imports no domain app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


@dataclass(frozen=True)
class NavItem:
    """A menu entry: shown when ``show(scope)`` is true (and the list it leads to is open to the user)."""

    area: str
    label: object
    url_name: str
    icon: str
    show: Callable  # (scope) -> bool


@dataclass(frozen=True)
class Searchable:
    """A family the search page looks in: the rows the user may see whose ``fields`` contain the term.

    ``related``: the relations the hit's name reads (``select_related``), so that a page of hits is one query."""

    label: object
    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]
    related: tuple[str, ...] = ()

    @property
    def model_class(self):
        return apps.get_model(self.model)


@dataclass(frozen=True)
class IndicatorSource:
    """A computed source of indicator actuals: ``fn(project, year) -> Decimal``; ``for_years(project, years) ->
    {year: Decimal}`` gives the same for several years at once (one query: the project page shows every year)."""

    key: str
    label: object
    fn: Callable
    for_years: Callable | None = None


@dataclass(frozen=True)
class DashboardSection:
    """A section of the reporting dashboards an app contributes: ``figures(query) -> list | None``.

    ``query`` carries the viewer (``query.user``, ``query.scope``), the period (``query.start``, ``query.end``,
    ``query.year``) and the dimension the dashboard is for (``query.filter_for(paths)``: a ``Q`` restricting a
    queryset to the organisation, commune, project or domain shown, given the queryset's paths to them). It
    returns the figures (``moulin.reporting.figures.Figure``-like objects or dicts with ``key``, ``label``,
    ``value``…) counted through the models' ``counted_for``; the dashboard calls it again for the previous period
    to compare. ``None``: nothing to show in this scope (e.g. money figures for a commune dashboard)."""

    key: str
    title: object
    figures: Callable
    position: int = 100


@dataclass(frozen=True)
class Capability:
    #: menu entries
    nav: tuple[NavItem, ...] = ()
    #: families the search page looks in
    searchable: tuple[Searchable, ...] = ()
    #: home-page panels: ``(request) -> dict(template=..., ...) | None``
    home_panels: tuple[Callable, ...] = ()
    #: sections of the commune page: ``(commune, user) -> dict(template=..., ...)``
    commune_sections: tuple[Callable, ...] = ()
    #: sections of a commune's public service directory (no sign-in): ``(commune) -> dict(template=...) | None``
    public_directory_sections: tuple[Callable, ...] = ()
    #: entries of a worker's timeline: ``(participant, user) -> iterable of Entry``
    timeline_sources: tuple[Callable, ...] = ()
    #: sections of the exit summary and access export: ``(participant, user) -> (title, [lines]) | None``
    summary_sections: tuple[Callable, ...] = ()
    #: run when a person's record is anonymised, to clear the app's free text: ``(participant) -> None``
    anonymise_hooks: tuple[Callable, ...] = ()
    #: the kinds of person record the app holds, with their GDPR rules (``moulin.core.persons.PersonRecords``):
    #: retention, access export, erasure, and the read audit's people
    person_records: tuple = ()
    #: models of the app whose rows belong to the person of their foreign key, for the read audit
    #: (``"training.enrolment"``: an enrolment is its participant's)
    person_links: tuple[str, ...] = ()
    #: reference data the product needs: ``(name, loader)``, each ``loader() -> str`` (what it loaded)
    reference_loaders: tuple[tuple[str, Callable], ...] = ()
    #: the app's step of the demo generator: ``generate(ctx)`` (dotted path)
    demo_step: str | None = None
    #: computed sources of indicator actuals
    indicator_sources: tuple[IndicatorSource, ...] = ()
    #: sections of the reporting dashboards and the annual report
    dashboard_sections: tuple[DashboardSection, ...] = ()
    #: sections another app adds to a record's page: ``(model label, fn)``, ``fn(obj, user) -> dict(template=...)
    #: | None`` (the care intervention's page shows the time entries recorded on it)
    record_sections: tuple[tuple[str, Callable], ...] = ()
    #: checks (and writes) another app runs when a record is completed, inside its transaction:
    #: ``(model label, fn)``, ``fn(obj, *, actor, **completion) -> None``, raising ``ValidationError`` to refuse
    completion_hooks: tuple[tuple[str, Callable], ...] = ()


def for_model(attribute: str, label: str) -> list[Callable]:
    """The ``record_sections`` or ``completion_hooks`` of every capability declared for the model ``label``."""
    return [fn for model, fn in collected(attribute) if model == label]


@cache
def capabilities() -> tuple[Capability, ...]:
    """Every installed app's capability, in ``INSTALLED_APPS`` order."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.capability"
        if find_spec(name) is not None:
            found.append(import_module(name).CAPABILITY)
    return tuple(found)


def collected(attribute: str) -> list:
    """One kind of contribution of every capability, in ``INSTALLED_APPS`` order (``demo_step``: the steps)."""
    items = []
    for capability in capabilities():
        value = getattr(capability, attribute)
        if value is None:
            continue
        items.extend(value if isinstance(value, tuple) else (value,))
    return items
