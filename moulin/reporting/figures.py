"""The figures of the dashboards and the annual report, each counted from the records through the model's
``counted_for`` (never typed in), for one dimension (the network, an organisation, a commune, a project or a
domain) and one period.

A figure over one family of records is a ``Measure``: the model, the rule that picks its rows in the period, the
paths from a row to each dimension, and what is counted (rows, a sum, an average). The same definition gives the
figure (``Measure.figure``) and the records behind it (``Measure.rows`` over ``visible_to``, the records page), so
the two cannot drift apart. Sections of the dashboard are contributed by the apps' capabilities
(``dashboard_sections``); this app's own sections are in ``sections.py``."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Avg, Count, Q, Sum
from django.urls import reverse

from moulin.access.querysets import policy_for
from moulin.access.scope import scope_for
from moulin.core.tables import Column
from moulin.reporting.period import Period

DIMENSIONS = ("network", "organisation", "commune", "project", "domain")
#: below this, a count of people is not shown to an aggregate-only role (it could identify a person)
SMALL_COUNT = 5


@dataclass(frozen=True)
class Query:
    """Whose figures (``user``), over what (``kind`` and ``obj``: the dimension), for which ``period``."""

    user: object
    kind: str = "network"
    obj: object = None
    period: Period = None
    #: labels and other lookups shared by the figures of one request (and of its previous period)
    memo: dict = field(default_factory=dict, compare=False, hash=False)

    def remember(self, key, compute):
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    @property
    def scope(self):
        return scope_for(self.user)

    @property
    def start(self):
        return self.period.start

    @property
    def end(self):
        return self.period.end

    @property
    def year(self) -> int:
        return self.period.year

    def previous(self) -> "Query":
        return replace(self, period=self.period.previous())

    def counted(self, model):
        return model._default_manager.all().counted_for(self.user)

    def filter_for(self, paths: dict) -> Q | None:
        """The rows of this dimension, given the queryset's ``paths`` to each (``None``: the figure does not
        apply to this dimension)."""
        if self.kind == "network":
            return Q()
        path = paths.get(self.kind)
        if path is None:
            return None
        return Q(**{path: self.obj.pk})

    def dimension_params(self) -> dict:
        return {} if self.kind == "network" else {"dimension": self.kind, "id": self.obj.pk}


@dataclass
class Figure:
    key: str
    label: object
    value: object = None
    unit: object = ""
    definition: object = ""
    url: str = ""
    target: object = None
    previous: object = None
    breakdown: list = field(default_factory=list)  # [{"key", "label", "value", "previous", "url"}]
    people: bool = True  # a count of people or of their records: small counts are suppressed when aggregate-only
    decimals: int = 0
    suppressed: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def change(self):
        if self.value is None or self.previous is None or self.suppressed:
            return None
        return self.value - self.previous

    @property
    def share_of_target(self):
        if not self.target or self.value is None or self.suppressed:
            return None
        return round(Decimal(self.value) * 100 / Decimal(self.target))

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": str(self.label),
            "value": None if self.suppressed else self.value,
            "suppressed": self.suppressed,
            "previous": self.previous,
            "target": self.target,
            "unit": str(self.unit),
            "definition": str(self.definition),
            "breakdown": [
                {
                    "key": str(b["key"]),
                    "label": str(b["label"]),
                    "value": None if b.get("suppressed") else b["value"],
                    "previous": b.get("previous"),
                    "suppressed": bool(b.get("suppressed")),
                }
                for b in self.breakdown
            ],
        }


def as_figure(item) -> Figure:
    return item if isinstance(item, Figure) else Figure(**item)


@dataclass(frozen=True)
class Measure:
    """A figure over one family of records (see the module's docstring)."""

    key: str
    label: object
    model: str  # "app_label.ModelName"
    paths: dict  # dimension -> path from a row to it (its pk)
    where: Callable  # (query) -> Q: the rows counted in the query's period
    value: str = "count"  # "count", "sum:<field>" or "avg:<field>"
    breakdown: str = ""  # a field to break the figure down by
    breakdown_labels: Callable | None = None  # () -> {value: label}
    unit: object = ""
    definition: object = ""
    people: bool = True
    decimals: int = 0
    target: Callable | None = None  # (query) -> Decimal | None
    columns: tuple = ()  # the records page's columns
    select_related: tuple = ()
    title: object = ""  # the records page's title
    #: a state on the period's last day (communes covered), not activity in the period
    state: bool = False
    #: ``where`` follows a many-valued relation (a row could be picked twice): counted through its primary keys
    where_many: bool = False
    #: a summary the database keeps of the same rows, read for the figure instead of every row (the records page
    #: still lists the rows): ``{"model", "paths", "where", "value", "breakdown"}`` over the summary's fields; it
    #: is counted through the summary's own policy, which must count exactly what ``model``'s counts (decision 0010)
    summary: dict | None = None

    @property
    def model_class(self):
        return apps.get_model(self.model)

    def applies(self, query: Query) -> bool:
        return query.filter_for(self.paths) is not None

    def rows(self, query: Query, base=None, *, part=None):
        """The rows behind the figure: of ``base`` (by default what the user may count), in the period and the
        dimension; ``part``: only the rows of one value of the breakdown. One row each (no join duplicates)."""
        model = self.model_class
        base = query.counted(model) if base is None else base
        where = self.where(query) & query.filter_for(self.paths)
        picked = base.filter(where)
        if not (self.where_many or _many(model, self.paths.get(query.kind)) or _many(model, self.breakdown)):
            if part is not None and self.breakdown:
                picked = picked.filter(_part_q(self.breakdown, part))
            return picked
        if part is not None and self.breakdown:
            picked = picked.filter(_part_q(self.breakdown, part))
        return model._default_manager.filter(pk__in=picked.values("pk"))

    def _aggregate(self, qs):
        kind, _sep, name = self.value.partition(":")
        if kind == "sum":
            return Sum(name)
        if kind == "avg":
            return Avg(name)
        if kind == "distinct":
            return Count(name, distinct=True)
        return Count("pk")

    def _clean(self, value):
        kind = self.value.partition(":")[0]
        if kind in ("count", "distinct"):
            return value or 0
        if value is None:
            return None if kind == "avg" else Decimal(0)
        return Decimal(value).quantize(Decimal(1) / (10**self.decimals)) if self.decimals else Decimal(round(value))

    def compute(self, query: Query) -> tuple:
        """``(value, {breakdown value: figure}, rows counted)`` for the query, in one query: a broken-down count or
        sum is the total of its parts."""
        if self.summary and (query.kind == "network" or query.kind in self.summary["paths"]):
            return replace(self, summary=None, **self.summary).compute(query)
        qs = self.rows(query)
        agg = self._aggregate(qs)
        kind = self.value.partition(":")[0]
        if self.breakdown and kind in ("count", "sum"):
            parts = {}
            for key, v in qs.values_list(self.breakdown).annotate(v=agg).order_by():
                key = "" if key is None else key
                parts[key] = (parts.get(key) or 0) + (v or 0)
            parts = {k: self._clean(v) for k, v in parts.items()}
            return self._clean(sum(parts.values())), parts, None
        if kind != "avg":
            return self._clean(qs.aggregate(v=agg)["v"]), {}, None
        result = qs.aggregate(v=agg, n=Count("pk"))
        parts = {}
        if self.breakdown:
            for key, v in qs.values_list(self.breakdown).annotate(v=agg).order_by():
                parts["" if key is None else key] = self._clean(v)
        return self._clean(result["v"]), parts, result["n"]

    def records_url(self, query: Query, part=None) -> str:
        """The records page of the figure, when the viewer may read those records (never for aggregate-only
        roles: they see no record)."""
        scope = query.scope
        if scope.aggregate_only or not policy_for(self.model_class).can_list(scope):
            return ""
        params = {"figure": self.key, **query.dimension_params(), **query.period.params()}
        if part is not None:
            params["part"] = part
        return reverse("reporting:records") + "?" + urlencode(params)

    def figure(self, query: Query) -> Figure:
        value, parts, rows = self.compute(query)
        labels = query.remember(self.breakdown_labels, self.breakdown_labels) if self.breakdown_labels else {}
        breakdown = [
            {
                "key": k,
                "label": labels.get(k, k) if k != "" else _not_recorded(),
                "value": v,
                "url": self.records_url(query, k),
            }
            for k, v in sorted(parts.items(), key=lambda kv: (-(kv[1] or 0), str(kv[0])))
        ]
        return Figure(
            key=self.key,
            label=self.label,
            value=value,
            unit=self.unit,
            definition=self.definition,
            url=self.records_url(query),
            target=self.target(query) if self.target else None,
            breakdown=breakdown,
            people=self.people,
            decimals=self.decimals,
            extra={
                **({"rows": rows} if self.value.startswith("avg") else {}),
                **({"state": True} if self.state else {}),
            },
        )


def _part_q(field: str, part) -> Q:
    if part == "":
        return Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
    return Q(**{field: part})


def _many(model, path) -> bool:
    """Does ``path`` from ``model`` follow a many-valued relation (so that a row may come back more than once)?"""
    if not path:
        return False
    for part in path.split("__"):
        try:
            f = model._meta.get_field(part)
        except Exception:  # noqa: BLE001 - a lookup (``__gte``…), not a field
            return False
        if f.many_to_many or f.one_to_many:
            return True
        if not f.is_relation:
            return False
        model = f.related_model
    return False


def _not_recorded():
    from django.utils.translation import gettext

    return gettext("not recorded")


def measures() -> dict[str, Measure]:
    """Every measure of the reporting sections (by key)."""
    from moulin.reporting.sections import MEASURES

    return {m.key: m for m in MEASURES}


def suppress(figure: Figure, scope) -> Figure:
    """Hide a count of people below ``SMALL_COUNT`` (but not zero) from an aggregate-only role."""
    if not scope.aggregate_only:
        return figure
    if not figure.people:
        if "rows" in figure.extra and 0 < figure.extra["rows"] < SMALL_COUNT:  # an average of a few answers
            figure.suppressed = True
        figure.url = ""
        return figure

    def small(v):
        return v is not None and 0 < v < SMALL_COUNT

    figure.suppressed = small(figure.value)
    if small(figure.previous):
        figure.previous = None
        figure.extra["previous_suppressed"] = True
    for part in figure.breakdown:
        part["suppressed"] = small(part["value"])
        if small(part.get("previous")):
            part["previous"] = None
        part["url"] = ""
    figure.url = ""
    return figure


@dataclass
class Section:
    key: str
    title: object
    figures: list


def dashboard(query: Query) -> list[Section]:
    """Every section the installed apps contribute (``dashboard_sections``), for the query and, to compare, the
    same period a year before; empty sections are left out."""
    from moulin.core.capabilities import collected

    sections = []
    previous = query.previous()
    for section in sorted(collected("dashboard_sections"), key=lambda s: s.position):
        now = section.figures(query)
        if not now:
            continue
        before = {f.key: f for f in map(as_figure, section.figures(previous) or [])}
        figures = []
        for figure in map(as_figure, now):
            old = before.get(figure.key)
            if old is not None:
                figure.previous = old.value
                old_parts = {p["key"]: p["value"] for p in old.breakdown}
                for part in figure.breakdown:
                    part["previous"] = old_parts.get(part["key"])
                known = {p["key"] for p in figure.breakdown}
                for key, value in old_parts.items():  # a part with none this period: shown as 0
                    if key not in known:
                        label = next(p["label"] for p in old.breakdown if p["key"] == key)
                        figure.breakdown.append({"key": key, "label": label, "value": 0, "previous": value, "url": ""})
            figures.append(suppress(figure, query.scope))
        sections.append(Section(section.key, section.title, figures))
    return sections


def columns(*specs) -> tuple:
    return tuple(Column(key, label, accessor, kind=kind) for key, label, accessor, kind in specs)
