"""The dashboards (the network, an organisation, a commune, a project, a domain), the records behind each figure,
and their exports. Views parse the period and the dimension, call ``figures.dashboard`` and render."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext, gettext_lazy as _
from django.views import View
from django.views.decorators.gzip import gzip_page

from moulin.core.exports import export_rows
from moulin.core.tables import Column
from moulin.core.views import ScopedDetailView, ScopedListView, ScopedMixin
from moulin.organisations.coverage import coverage_geojson
from moulin.organisations.models import Domain, Organisation
from moulin.participants.models import EmploymentContract
from moulin.projects.models import Project
from moulin.reporting.charts import bar_chart, progress_chart
from moulin.reporting.dimensions import DIMENSION_LABELS, DIMENSION_MODELS, name_of as _name
from moulin.reporting.figures import Query, dashboard, measures
from moulin.reporting.period import parse_period, part_choices, year_choices
from moulin.reporting.sections import COVERED
from moulin.territory.models import Commune

EXPORT_COLUMNS = [
    Column("section", _("section")),
    Column("figure", _("figure")),
    Column("part", _("part")),
    Column("value", _("value")),
    Column("previous", _("same period a year before")),
    Column("target", _("target")),
    Column("unit", _("unit")),
]


def dimension_object(user, kind: str, pk):
    """The organisation, commune, project or domain ``pk``, if the user may see it and read its dashboard (the
    ministry reads the network's aggregates only)."""
    model = DIMENSION_MODELS.get(kind)
    if model is None:
        raise Http404(gettext("There is no such dashboard."))
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404(gettext("There is no such dashboard.")) from None
    obj = get_object_or_404(model._default_manager.all().visible_to(user), pk=pk)
    check_dimension(user, kind)
    return obj


def check_dimension(user, kind: str) -> None:
    if kind != "network" and user.scope.aggregate_only:
        raise PermissionDenied(gettext("Your role reads the network's figures only."))


def export_dashboard(sections, fmt: str, filename: str):
    rows = []
    for section in sections:
        for f in section.figures:
            rows.append(
                {
                    "section": str(section.title),
                    "figure": str(f.label),
                    "part": "",
                    "value": None if f.suppressed else f.value,
                    "previous": f.previous,
                    "target": f.target,
                    "unit": str(f.unit),
                }
            )
            for p in f.breakdown:
                rows.append(
                    {
                        "section": str(section.title),
                        "figure": str(f.label),
                        "part": str(p["label"]),
                        "value": None if p.get("suppressed") else p["value"],
                        "previous": p.get("previous"),
                        "target": None,
                        "unit": str(f.unit),
                    }
                )
    columns = [Column(c.key, c.label, accessor=lambda row, k=c.key: row[k]) for c in EXPORT_COLUMNS]
    return export_rows(columns, rows, filename=filename, fmt=fmt)


class DashboardMixin:
    template_name = "reporting/dashboard.html"

    def dashboard_response(self, kind: str, obj):
        request = self.request
        try:
            period = parse_period(request.GET.get("year"), request.GET.get("period"))
        except ValidationError as exc:
            context = {
                "title": gettext("Dashboard"),
                "error": exc.messages[0],
                "years": year_choices(),
                "parts": part_choices(),
                "kind": kind,
                "object": obj,
            }
            return self.render(self.template_name, context, status=400)
        query = Query(request.user, kind, obj, period)
        sections = dashboard(query)
        fmt = request.GET.get("export")
        name = "dashboard" if obj is None else f"dashboard-{kind}-{obj.pk}"
        if fmt in {"csv", "xlsx"}:
            return export_dashboard(sections, fmt, f"{name}-{period.year}")
        for section in sections:
            for f in section.figures:
                f.extra["chart"] = bar_chart(f.breakdown) if f.breakdown else ""
                f.extra["progress"] = progress_chart(f.value, f.target) if f.target and not f.suppressed else ""
        if obj is None:
            title = gettext("Network dashboard %(period)s") % {"period": period.label}
        else:
            title = gettext("Dashboard of %(name)s, %(period)s") % {"name": _name(obj), "period": period.label}
        context = {
            "title": title,
            "sections": sections,
            "period": period,
            "kind": kind,
            "kind_label": DIMENSION_LABELS[kind],
            "object": obj,
            "years": year_choices(),
            "parts": part_choices(),
            "aggregate_only": request.user.scope.aggregate_only,
            "counts_network": request.user.scope.reads_network_aggregates,
            "empty": not any(f.value for s in sections for f in s.figures if not f.extra.get("state")),
            "querystring": request.GET.urlencode(),
            "report_url": reverse("reporting:annual_report") + "?" + _report_params(kind, obj, period),
            "coverage_map_url": _coverage_map_url(query),
        }
        return self.render(self.template_name, context)


def _report_params(kind, obj, period) -> str:
    from urllib.parse import urlencode

    params = {"year": period.year}
    if obj is not None:
        params.update(dimension=kind, id=obj.pk)
    return urlencode(params)


def _coverage_map_url(query) -> str:
    """The map of the communes covered, for the dashboards that count them (the network, an organisation, a
    commune): its data, from the same agreements as the figure."""
    if not COVERED.applies(query):
        return ""
    from urllib.parse import urlencode

    params = {**query.dimension_params(), **query.period.params()}
    return reverse("reporting:coverage_data") + "?" + urlencode(params)


def coverage_map(query) -> dict:
    """The GeoJSON of the dashboard's map: the communes covered by the agreements the figure counts (what the
    user may count, in the dimension, on the period's last day or today), coloured by the organisations the user
    sees; a commune's dashboard maps that commune alone."""
    on = min(query.end, timezone.localdate())
    communes = [query.obj.pk] if query.kind == "commune" else None
    return coverage_geojson(user=query.user, on=on, agreements=COVERED.rows(query), communes=communes)


class NetworkDashboard(DashboardMixin, ScopedMixin, View):
    """The network's dashboard: every figure over what the user may count (the whole network for the roles that
    read network aggregates, their organisations' part for the others)."""

    model = Organisation

    def get_breadcrumbs(self):
        return [(_("Dashboard"), "")]

    def get(self, request):
        return self.dashboard_response("network", None)


class DimensionDashboard(DashboardMixin, ScopedDetailView):
    """The dashboard of one organisation, commune, project or domain the user may see (never for the ministry:
    network aggregates only)."""

    kind = ""

    def get_breadcrumbs(self):
        return [(_("Dashboard"), reverse("reporting:dashboard")), (_name(self.object), "")]

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        check_dimension(request.user, self.kind)
        return self.dashboard_response(self.kind, self.object)


class OrganisationDashboard(DimensionDashboard):
    model, kind = Organisation, "organisation"


class CommuneDashboard(DimensionDashboard):
    model, kind = Commune, "commune"


class ProjectDashboard(DimensionDashboard):
    model, kind = Project, "project"


class DomainDashboard(DimensionDashboard):
    model, kind = Domain, "domain"


class FigureRecords(ScopedListView):
    """The records behind one figure of a dashboard (``?figure=…&dimension=…&id=…&year=…&period=…&part=…``),
    read through the records' own policy: only what the user may read, searchable and exported like any list."""

    model = EmploymentContract  # the default figure's ("hires"); the figure's model otherwise
    paginate_by = 50

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        key = request.GET.get("figure") or "hires"
        self.measure = measures().get(key)
        if self.measure is not None:
            self.model = self.measure.model_class
            self.columns = list(self.measure.columns)
            self.select_related = list(self.measure.select_related)

    def dispatch(self, request, *args, **kwargs):
        if self.measure is None:
            raise Http404(gettext("There is no such figure."))
        kind = request.GET.get("dimension") or "network"
        obj = None if kind == "network" else dimension_object(request.user, kind, request.GET.get("id"))
        check_dimension(request.user, kind)
        try:
            self.period = parse_period(request.GET.get("year"), request.GET.get("period"))
        except ValidationError as exc:
            self.period_error = exc.messages[0]
            self.query = None
        else:
            self.period_error = ""
            self.query = Query(request.user, kind, obj, self.period)
            if not self.measure.applies(self.query):
                raise Http404(gettext("This figure is not counted for this dashboard."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.period_error:
            return self.render(
                "reporting/dashboard.html",
                {
                    "title": gettext("Dashboard"),
                    "error": self.period_error,
                    "years": year_choices(),
                    "parts": part_choices(),
                },
                status=400,
            )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = super().get_queryset()
        part = self.request.GET.get("part")
        rows = self.measure.rows(self.query, base=qs, part=part)
        rows = rows.select_related(*self.select_related) if self.select_related else rows
        return rows

    @property
    def title(self):
        q = self.query
        where = gettext("the network") if q.kind == "network" else _name(q.obj)
        return gettext("%(figure)s — %(where)s, %(period)s") % {
            "figure": self.measure.title or self.measure.label,
            "where": where,
            "period": q.period.label,
        }

    @property
    def intro(self):
        return self.measure.definition

    @property
    def export_name(self):
        return f"{self.measure.key}-{self.period.year}"

    def get_breadcrumbs(self):
        q = self.query
        if q is None:
            return [(_("Dashboard"), reverse("reporting:dashboard"))]
        if q.kind == "network":
            back = reverse("reporting:dashboard")
        else:
            back = reverse(f"reporting:{q.kind}_dashboard", kwargs={"pk": q.obj.pk})
        return [
            (_("Dashboard"), back + "?" + "&".join(f"{k}={v}" for k, v in q.period.params().items())),
            (str(self.measure.label), ""),
        ]


@method_decorator(gzip_page, name="dispatch")
class CoverageMapData(ScopedMixin, View):
    """The data of a dashboard's map of the communes covered (``?dimension=…&id=…&year=…&period=…``): whoever
    reads the dashboard reads its map (coverage names no person: the ministry reads the network's)."""

    model = Organisation

    def get(self, request):
        kind = request.GET.get("dimension") or "network"
        obj = None if kind == "network" else dimension_object(request.user, kind, request.GET.get("id"))
        check_dimension(request.user, kind)
        try:
            period = parse_period(request.GET.get("year"), request.GET.get("period"))
        except ValidationError as exc:
            return JsonResponse({"error": exc.messages[0]}, status=400)
        query = Query(request.user, kind, obj, period)
        if not COVERED.applies(query):
            raise Http404(gettext("This figure is not counted for this dashboard."))
        return JsonResponse(coverage_map(query))
