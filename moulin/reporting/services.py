"""Asking for an annual activity report and making it in the background (``django.tasks``)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from moulin.core.models import AuditEvent
from moulin.core.services import audit
from moulin.reporting.models import AnnualReport, ReportStatus
from moulin.reporting.period import Period


def request_report(*, actor, year: int, kind: str = "network", obj=None) -> AnnualReport:
    """Queue the report of ``year`` for the network or one organisation, commune, project or domain the actor may
    see (the views resolve ``obj`` through ``visible_to``; the ministry asks for the network only)."""
    if not actor.scope.authenticated:
        raise PermissionDenied
    if kind != "network" and (obj is None or actor.scope.aggregate_only):
        raise PermissionDenied(gettext("Your role reads the network's figures only."))
    label = gettext("the network") if obj is None else (getattr(obj, "display_name", None) or str(obj))
    with transaction.atomic():
        report = AnnualReport.objects.create(
            requested_by=actor,
            year=year,
            dimension=kind,
            object_id=None if obj is None else obj.pk,
            scope_label=label[:200],
        )
        audit(actor=actor, action=AuditEvent.Action.CREATE, obj=report, detail={"year": year, "scope": kind})
        transaction.on_commit(lambda pk=report.pk: _enqueue(pk))
    return report


def _enqueue(pk: int) -> None:
    from moulin.reporting.tasks import generate_report

    generate_report.enqueue(pk)


def _set(pk: int, **fields) -> None:
    AnnualReport.objects.filter(pk=pk).update(**fields)


def generate(pk: int) -> None:
    """Make the report's PDF and workbook, telling its progress as it goes; on failure the report says why and
    keeps no file (both are stored together with the "ready" status, in one statement)."""
    from moulin.reporting.pdf import report_pdf
    from moulin.reporting.report import build, workbook

    report = AnnualReport.objects.defer("pdf", "xlsx").select_related("requested_by").get(pk=pk)
    if report.is_done:
        return
    _set(pk, status=ReportStatus.RUNNING, progress=5, step=gettext("Starting"))
    try:
        query = _query_of(report)

        def progress(share, step):
            _set(pk, progress=share, step=step[:120])

        tables, sections = build(query, progress)
        progress(90, gettext("Writing the PDF and the workbook"))
        title = str(report)
        pdf = report_pdf(title, query, tables, sections)
        xlsx = workbook(tables, title)
    except Exception as exc:  # noqa: BLE001 - any failure is told on the page, never half a file
        _set(
            pk,
            status=ReportStatus.FAILED,
            progress=100,
            error=_reason(exc)[:300],
            finished_at=timezone.now(),
            pdf=None,
            xlsx=None,
        )
        return
    _set(pk, status=ReportStatus.READY, progress=100, step="", pdf=pdf, xlsx=xlsx, finished_at=timezone.now())


def _reason(exc) -> str:
    if isinstance(exc, PermissionDenied):
        return gettext("The scope of this report is no longer yours to see.")
    return gettext(
        "The report could not be prepared (%(error)s). Ask for it again; if it fails again, tell your administrator."
    ) % {"error": type(exc).__name__}


def _query_of(report):
    from moulin.access.scope import forget_scope
    from moulin.reporting.dimensions import DIMENSION_MODELS
    from moulin.reporting.figures import Query

    user = report.requested_by
    forget_scope(user)
    obj = None
    if report.dimension != "network":
        model = DIMENSION_MODELS[report.dimension]
        obj = model._default_manager.all().visible_to(user).filter(pk=report.object_id).first()
        if obj is None or user.scope.aggregate_only:
            raise PermissionDenied
    return Query(user, report.dimension, obj, Period(report.year))
