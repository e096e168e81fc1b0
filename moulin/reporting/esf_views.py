"""The ESF+ common indicators of an operation (the projects the reporter names) and a period, and the list of the
participants behind each count for the roles that report them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _
from django.views import View

from moulin.access.roles import Role
from moulin.core.exports import export_rows
from moulin.core.tables import Column
from moulin.core.views import ScopedListView, ScopedMixin
from moulin.participants.models import Participant, SensitiveData
from moulin.projects.models import Project
from moulin.reporting import esf
from moulin.reporting.figures import SMALL_COUNT
from moulin.reporting.period import parse_period, part_choices, year_choices

KINDS = [
    ("output", _("Output indicators (Annex I, 1)")),
    ("immediate_result", _("Immediate result indicators (Annex I, 3): upon leaving")),
    ("longer_term_result", _("Longer-term result indicators (Annex I, 4): six months after leaving")),
]


def is_reporter(scope) -> bool:
    """The roles that report ESF+ and may see who is behind a count: network staff and administrators, and an
    organisation's manager for its own participants."""
    return scope.network_wide or bool(scope.org_ids(Role.ORG_MANAGER))


def operation_from(request):
    """The period and the projects of the operation named in the URL: an ESF+ funding agreement
    (``?operation=<pk>``) or projects (``?project=<pk>&project=…``), only those the user may see."""
    period = parse_period(request.GET.get("year"), request.GET.get("period"))
    operation = request.GET.get("operation")
    if operation:
        if not operation.isdigit():
            raise ValidationError(gettext("Choose the operation from the list."))
        agreement = esf.operations(request.user).filter(pk=int(operation)).first()
        if agreement is None:
            raise Http404(gettext("This operation is not among those you may see."))
        projects = esf.operation_projects(agreement)
        return period, [p for p in projects if Project.objects.visible_to(request.user).filter(pk=p.pk).exists()]
    raw = request.GET.getlist("project")
    if any(not p.isdigit() for p in raw):
        raise ValidationError(gettext("Choose the projects of the operation from the list."))
    projects = list(Project.objects.visible_to(request.user).filter(pk__in=[int(p) for p in raw]))
    if len(projects) != len(set(raw)):
        raise Http404(gettext("One of these projects is not among those you may see."))
    return period, projects


class EsfIndicators(ScopedMixin, View):
    model = Project
    audit_reads = False  # counts only; the participants behind a count are on their own, audited, page

    def get_breadcrumbs(self):
        return [(_("ESF+ indicators"), "")]

    def get(self, request):
        scope = self.scope
        context = {
            "title": gettext("ESF+ common indicators"),
            "years": year_choices(),
            "parts": part_choices(),
            "choices": Project.objects.visible_to(request.user)
            .select_related("organisation")
            .order_by("organisation__name", "name"),
        }
        try:
            period, projects = operation_from(request)
        except ValidationError as exc:
            context["error"] = exc.messages[0]
            return self.render("reporting/esf.html", context, status=400)
        context.update(period=period, projects=projects, chosen={p.pk for p in projects})
        if projects:
            found = esf.indicators(projects, period.start, period.end, user=request.user)
            reporter = is_reporter(scope) and not scope.aggregate_only
            params = request.GET.copy()
            params.pop("export", None)
            groups = []
            for kind, label in KINDS:
                rows = []
                for ind in (i for i in found if i.kind == kind):
                    cells = []
                    for gender, _glabel in esf.GENDERS:
                        n = len(ind.by_gender.get(gender, ()))
                        hidden = scope.aggregate_only and 0 < n < SMALL_COUNT
                        url = ""
                        if reporter and n and not ind.not_recorded:
                            q = params.copy()
                            q["code"], q["gender"] = ind.code, gender
                            url = reverse("reporting:esf_participants") + "?" + q.urlencode()
                        cells.append({"n": n, "hidden": hidden, "url": url})
                    total = ind.total
                    rows.append(
                        {
                            "indicator": ind,
                            "cells": cells,
                            "total": total,
                            "hidden": scope.aggregate_only and 0 < total < SMALL_COUNT,
                        }
                    )
                groups.append((label, rows))
            context.update(groups=groups, genders=[label for _g, label in esf.GENDERS])
            fmt = request.GET.get("export")
            if fmt in {"csv", "xlsx"}:
                return self.export(groups, fmt, period)
        return self.render("reporting/esf.html", context)

    def export(self, groups, fmt, period):
        rows = []
        for _label, items in groups:
            for r in items:
                row = {
                    "code": r["indicator"].code,
                    "name": r["indicator"].name,
                    "total": None if r["hidden"] else r["total"],
                }
                for (gender, _glabel), cell in zip(esf.GENDERS, r["cells"], strict=True):
                    row[gender or "unknown"] = None if cell["hidden"] else cell["n"]
                rows.append(row)
        columns = [Column("code", _("code")), Column("name", _("indicator")), Column("total", _("total"))]
        columns += [Column(g or "unknown", label) for g, label in esf.GENDERS]
        columns = [Column(c.key, c.label, accessor=lambda row, k=c.key: row[k]) for c in columns]
        return export_rows(columns, rows, filename=f"esf-indicators-{period.year}", fmt=fmt)


class EsfParticipants(ScopedListView):
    """The participants behind one count (``code`` and ``gender``), for the roles that report ESF+: read through
    the participants' policy (and, for a special category, the sensitive data's), audited like any personal
    list."""

    model = Participant
    columns = [
        Column("name", _("name"), "display_name", link=True),
        Column("organisation", _("organisation"), "organisation"),
        Column("status", _("status"), "status"),
    ]
    select_related = ["organisation"]

    def dispatch(self, request, *args, **kwargs):
        scope = self.scope
        if scope.aggregate_only or not is_reporter(scope):
            raise PermissionDenied(_("The participants behind the ESF+ figures are listed for their reporters only."))
        self.code = request.GET.get("code") or "EECO01"
        if self.code not in esf.RULES:
            raise Http404(gettext("There is no such indicator."))
        self.gender = request.GET.get("gender", None)
        try:
            self.period, self.projects = operation_from(request)
        except ValidationError as exc:
            raise Http404(exc.messages[0]) from None
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        qs = super().get_queryset()
        if not self.projects:
            return qs.none()
        found = {
            i.code: i
            for i in esf.indicators(self.projects, self.period.start, self.period.end, user=self.request.user)
        }
        indicator = found[self.code]
        pks = indicator.participants if self.gender is None else indicator.by_gender.get(self.gender, set())
        qs = qs.filter(pk__in=pks)
        if self.code in esf.SENSITIVE:
            qs = qs.filter(sensitive_data__in=SensitiveData.objects.visible_to(self.request.user))
        return qs

    @property
    def title(self):
        name = esf.definitions()[self.code]["name_en"]
        return gettext("%(code)s %(name)s — participants, %(period)s") % {
            "code": self.code,
            "name": name,
            "period": self.period.label,
        }

    @property
    def intro(self):
        return esf.definitions()[self.code]["counting_rule"]

    @property
    def export_name(self):
        return f"esf-{self.code}-{self.period.year}"
