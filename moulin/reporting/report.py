"""The annual activity report's content: the seed's headline figures and the tables behind them, computed from the
records the requester may count (``counted_for``), for a year and a dimension. The same tables make the PDF (with
charts) and the XLSX workbook (one sheet per table, every cell through ``safe_cell``)."""

import io
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.translation import gettext, gettext_lazy as _

from moulin.core.exports import safe_cell
from moulin.fieldwork.models import HoursSummary
from moulin.organisations.enums import Level, OrganisationKind
from moulin.organisations.models import Agreement, Organisation
from moulin.participants.models import EmploymentContract
from moulin.projects.enums import ServiceLine, Term
from moulin.projects.models import Project
from moulin.reporting.charts import bar_chart
from moulin.reporting.figures import Query, dashboard, measures, suppress

PROJECT_PATHS = {"organisation": "organisation", "commune": "communes", "project": "pk", "domain": "domain"}


@dataclass
class Table:
    key: str
    title: object
    headers: list
    rows: list = field(default_factory=list)
    chart: str = ""


def _projects(query: Query):
    rows = query.counted(Project).filter(query.filter_for(PROJECT_PATHS)).running_in(query.year)
    return Project.objects.filter(pk__in=rows.values("pk"))


def _shown(value, hidden):
    return gettext("fewer than 5") if hidden else value


def build(query: Query, progress=lambda share, step: None) -> tuple[list[Table], list]:
    """Every table of the report, in order, and the dashboard's sections (for their charts); ``progress(share,
    step)`` is told how far it got."""
    small = query.scope.aggregate_only
    tables = []

    progress(10, gettext("Headline figures"))
    sections = dashboard(query)
    figures = {f.key: f for s in sections for f in s.figures}
    headline = Table("headline", _("Headline figures"), [_("figure"), _("value"), _("previous year"), _("unit")])
    if query.kind == "network":
        orgs = query.counted(Organisation).filter(is_active=True, kind=OrganisationKind.MEMBER)
        by_level = dict(orgs.values_list("level").annotate(n=Count("pk")).order_by())
        headline.rows.append([gettext("Member organisations"), sum(by_level.values()), None, ""])
        for value, label in Level.choices:
            headline.rows.append(
                [gettext("— at %(level)s level") % {"level": label}, by_level.get(value, 0), None, ""]
            )
    projects = _projects(query)
    headline.rows.append([gettext("Projects running"), projects.count(), None, ""])
    headline.rows.append([gettext("— of them long-term"), projects.filter(term=Term.LONG).count(), None, ""])
    for key in (
        "communes_covered",
        "hires",
        "active_workers",
        "exits_to_employment",
        "hours_worked",
        "beneficiaries_served",
        "interventions",
        "satisfaction",
    ):
        f = figures.get(key)
        if f is not None:
            headline.rows.append([str(f.label), _shown(f.value, f.suppressed), f.previous, str(f.unit)])
    tables.append(headline)

    progress(35, gettext("Projects by domain and term"))
    by_domain = Table(
        "projects", _("Projects by domain and term"), [_("domain"), _("long-term"), _("short-term"), _("total")]
    )
    counts = {}
    for domain, term, n in projects.values_list("domain__name", "term").annotate(n=Count("pk")).order_by():
        counts.setdefault(domain, {})[term] = n
    for domain in sorted(counts):
        c = counts[domain]
        by_domain.rows.append([domain, c.get(Term.LONG, 0), c.get(Term.SHORT, 0), sum(c.values())])
    by_domain.chart = bar_chart([{"label": r[0], "value": r[-1]} for r in by_domain.rows])
    tables.append(by_domain)

    progress(55, gettext("Service lines"))
    hires = dict(
        query.counted(EmploymentContract)
        .hires()
        .filter(start__year=query.year)
        .filter(project__in=projects)
        .values_list("project")
        .annotate(n=Count("pk"))
        .order_by()
    )
    hours = dict(  # the monthly summary of the time entries (decision 0010)
        query.counted(HoursSummary)
        .filter(month__year=query.year, team__project__in=projects)
        .values_list("team__project")
        .annotate(h=Sum("hours"))
        .order_by()
    )
    lines = Table(
        "service_lines",
        _("Service lines and their volumes"),
        [_("service line"), _("projects"), _("jobs created"), _("hours worked")],
    )
    line_labels = dict(ServiceLine.choices)
    per_line = {}
    for pk, line in projects.values_list("pk", "service_line"):
        row = per_line.setdefault(line or "", [0, 0, 0])
        row[0] += 1
        row[1] += hires.get(pk, 0)
        row[2] += hours.get(pk) or 0
    for line, (n, h, w) in sorted(per_line.items(), key=lambda kv: -kv[1][0]):
        lines.rows.append(
            [str(line_labels.get(line, gettext("no service line"))), n, _shown(h, small and 0 < h < 5), w]
        )
    tables.append(lines)

    progress(70, gettext("Figures and their detail"))
    detail = Table(
        "figures",
        _("Every figure and its detail"),
        [_("section"), _("figure"), _("part"), _("value"), _("previous year"), _("target"), _("unit")],
    )
    for s in sections:
        for f in s.figures:
            detail.rows.append(
                [str(s.title), str(f.label), "", _shown(f.value, f.suppressed), f.previous, f.target, str(f.unit)]
            )
            for p in f.breakdown:
                detail.rows.append(
                    [
                        str(s.title),
                        str(f.label),
                        str(p["label"]),
                        _shown(p["value"], p.get("suppressed")),
                        p.get("previous"),
                        None,
                        str(f.unit),
                    ]
                )
    tables.append(detail)

    progress(85, gettext("Projects"))
    listing = Table(
        "project_list",
        _("Projects running in the year"),
        [_("project"), _("lead organisation"), _("domain"), _("term"), _("jobs created"), _("hours worked")],
    )
    for p in projects.select_related("organisation", "domain").order_by("domain__position", "name"):
        n = hires.get(p.pk, 0)
        listing.rows.append(
            [
                p.name,
                p.organisation.display_name,
                p.domain.name,
                str(p.get_term_display()),
                _shown(n, small and 0 < n < 5),
                hours.get(p.pk) or 0,
            ]
        )
    tables.append(listing)

    progress(88, gettext("Communes covered"))
    communes = communes_covered(query)
    if communes is not None:
        tables.append(communes)
    for s in sections:  # the charts of the figures that break down
        for f in s.figures:
            if f.breakdown and not f.extra.get("chart"):
                f.extra["chart"] = bar_chart(suppress(f, query.scope).breakdown)
    return tables, sections


def communes_covered(query: Query) -> Table | None:
    """The communes behind the "communes covered" figure, one row each: its canton, the organisations whose
    agreements (carried by their commune contracts in force, decision 0008) cover it on the figure's day, their
    references and the dates they run over. Read from the agreements the user may see, in the report's dimension;
    ``None`` where the figure does not apply (a project's or a domain's report)."""
    measure = measures()["communes_covered"]
    if not measure.applies(query):
        return None
    agreements = (
        measure.rows(query, Agreement.objects.visible_to(query.user))
        .select_related("commune__canton", "organisation")
        .defer("commune__boundary", "commune__canton__boundary")
        .order_by("commune__name", "commune__pk", "organisation__name", "start")
    )
    table = Table(
        "communes_covered",
        _("Communes covered"),
        [_("commune"), _("canton"), _("covered by"), _("agreement references"), _("covered since"), _("until")],
    )
    by_commune = {}
    for agreement in agreements:
        commune = agreement.commune
        row = by_commune.setdefault(commune.pk, {"commune": commune, "orgs": [], "refs": [], "starts": [], "ends": []})
        name = agreement.organisation.display_name
        if name not in row["orgs"]:
            row["orgs"].append(name)
        if agreement.reference and agreement.reference not in row["refs"]:
            row["refs"].append(agreement.reference)
        row["starts"].append(agreement.start)
        row["ends"].append(agreement.end)
    for row in by_commune.values():
        ends = row["ends"]
        table.rows.append(
            [
                row["commune"].name,
                row["commune"].canton.name,
                ", ".join(row["orgs"]),
                ", ".join(row["refs"]),
                min(row["starts"]),
                gettext("open-ended") if None in ends else max(ends),
            ]
        )
    return table


def workbook(tables: list[Table], title: str) -> bytes:
    """One sheet per table, the header in bold, every cell through ``safe_cell``."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    used = set()
    for table in tables:
        name = str(table.title)[:31].replace("/", "-").replace(":", " ")
        while name in used:
            name = name[:28] + f" {len(used)}"
        used.add(name)
        ws = wb.create_sheet(title=name)
        head = []
        for h in table.headers:
            cell = WriteOnlyCell(ws, value=safe_cell(str(h)))
            cell.font = bold
            head.append(cell)
        ws.append(head)
        for row in table.rows:
            cells = []
            for value in row:
                value = safe_cell(value)
                if isinstance(value, str):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.data_type = "s"
                    value = cell
                cells.append(value)
            ws.append(cells)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
