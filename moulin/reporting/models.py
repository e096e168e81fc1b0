"""An annual activity report asked for a year and a scope, made in the background: its PDF and XLSX are stored
whole, in the same transaction as its "ready" status, so a failed generation leaves no half-written file."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import ScopedQuerySet
from moulin.core.models import TimeStampedModel


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class AnnualReportQuerySet(ScopedQuerySet):
    policy_name = "moulin.reporting.policies.AnnualReportPolicy"


class AnnualReport(TimeStampedModel):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="annual_reports",
        verbose_name=_("requested by"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    dimension = models.CharField(_("scope"), max_length=12, default="network")
    object_id = models.PositiveIntegerField(null=True, blank=True)
    scope_label = models.CharField(_("for"), max_length=200)
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=120, blank=True)
    error = models.CharField(_("why it failed"), max_length=300, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    pdf = models.BinaryField(null=True, editable=False)
    xlsx = models.BinaryField(null=True, editable=False)

    objects = AnnualReportQuerySet.as_manager()

    LIST_DEFERRED = ("pdf", "xlsx")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("annual activity report")
        verbose_name_plural = _("annual activity reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="report_progress_at_most_100",
                violation_error_message=_("Progress is at most 100 %."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | (models.Q(pdf__isnull=False) & models.Q(xlsx__isnull=False)),
                name="report_ready_has_its_files",
                violation_error_message=_("A ready report has its PDF and its workbook."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Annual activity report %(year)s — %(scope)s") % {"year": self.year, "scope": self.scope_label})

    breadcrumb_list = (_("Annual activity reports"), "reporting:annual_report")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reporting:annual_report_detail", kwargs={"pk": self.pk})

    @property
    def is_done(self) -> bool:
        return self.status in (ReportStatus.READY, ReportStatus.FAILED)
