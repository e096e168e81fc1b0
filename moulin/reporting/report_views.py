"""The annual activity report: ask for it (a year and a scope the user may see), follow its progress (htmx polling),
download its PDF or workbook once ready."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext, gettext_lazy as _
from django.views import View

from moulin.core.tables import Column
from moulin.core.views import ScopedDetailView, ScopedListView, ScopedObjectMixin
from moulin.reporting.dimensions import DIMENSION_LABELS, name_of
from moulin.reporting.models import AnnualReport, ReportStatus
from moulin.reporting.period import parse_period, year_choices
from moulin.reporting.services import request_report
from moulin.reporting.views import dimension_object


class AnnualReportPage(ScopedListView):
    """The user's annual activity reports, and the form to ask for one (``?dimension=…&id=…&year=…`` preset it,
    from a dashboard)."""

    model = AnnualReport
    template_name = "reporting/annual_report_list.html"
    title = _("Annual activity reports")
    intro = _(
        "The year's headline figures and the detail behind them, computed from the records you may count, as "
        "a PDF with charts and as a workbook with one sheet per table. They are prepared in the background."
    )
    columns = [
        Column("report", _("report"), "__str__", link=True),
        Column("status", _("status"), "status"),
        Column("created_at", _("asked on"), "created_at", sort="created_at"),
        Column("finished_at", _("finished"), "finished_at"),
    ]
    default_sort = "-created_at"

    def get_queryset(self):
        return super().get_queryset().defer("pdf", "xlsx")

    def target(self):
        """The scope asked for (by default the network), refused when the user may not see it."""
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        kind = data.get("dimension") or "network"
        obj = None if kind == "network" else dimension_object(self.request.user, kind, data.get("id"))
        return kind, obj

    def extra_context(self):
        kind, obj = self.target()
        try:
            year = parse_period(self.request.GET.get("year")).year
        except ValidationError:
            year = year_choices()[1]
        return {
            "kind": kind,
            "object": obj,
            "scope_label": name_of(obj) if obj else gettext("the network"),
            "kind_label": DIMENSION_LABELS[kind],
            "years": year_choices(),
            "year": year,
        }

    def post(self, request, *args, **kwargs):
        kind, obj = self.target()
        try:
            period = parse_period(request.POST.get("year"))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(request.get_full_path())
        if kind != "network" and self.scope.aggregate_only:
            raise PermissionDenied(gettext("Your role reads the network's figures only."))
        report = request_report(actor=request.user, year=period.year, kind=kind, obj=obj)
        messages.info(request, gettext("The report is being prepared; this page tells you when it is ready."))
        return redirect(report.get_absolute_url())


class AnnualReportDetail(ScopedDetailView):
    """One report: its progress (polled by htmx while it is prepared), why it failed, or its files."""

    model = AnnualReport
    template_name = "reporting/annual_report_detail.html"

    def get_object(self):
        qs = self.base_queryset().defer("pdf", "xlsx")
        try:
            return qs.get(pk=self.kwargs["pk"])
        except AnnualReport.DoesNotExist:
            raise Http404 from None

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.htmx and request.htmx.target == "report-status":
            response.template_name = f"{self.template_name}#status"
        return response

    def get_context(self, obj):
        return {"object": obj, "title": str(obj), "ready": obj.status == ReportStatus.READY}


class AnnualReportDownload(ScopedObjectMixin, View):
    """The report's PDF (``?format=pdf``) or workbook (``?format=xlsx``), once ready."""

    model = AnnualReport

    def get(self, request, *args, **kwargs):
        report = self.get_object()
        fmt = request.GET.get("format", "pdf")
        if fmt not in ("pdf", "xlsx"):
            raise Http404(gettext("Choose the PDF or the workbook."))
        if report.status != ReportStatus.READY:
            raise Http404(gettext("This report is not ready."))
        content = bytes(getattr(report, fmt))
        kind = (
            "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = HttpResponse(content, content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="annual-report-{report.year}-{report.pk}.{fmt}"'
        return response
