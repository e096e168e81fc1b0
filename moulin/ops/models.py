"""What the scheduler ran: one ``ScheduledJob`` per periodic job of ``moulin.ops.schedules.JOBS``, one ``JobRun``
per job and period. The unique (job, period) pair is what makes a job run at most once per period, however many
schedulers run."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from moulin.access.querysets import ScopedQuerySet


class OpsQuerySet(ScopedQuerySet):
    policy_name = "moulin.ops.policies.OpsPolicy"


class ScheduledJob(models.Model):
    name = models.SlugField(_("name"), max_length=64, unique=True)
    title = models.CharField(_("job"), max_length=150)
    schedule = models.CharField(_("schedule"), max_length=100)
    enabled = models.BooleanField(_("enabled"), default=True)
    last_run = models.ForeignKey(
        "JobRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("last run")
    )

    objects = OpsQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.title


class JobRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        RETRYING = "retrying", _("Failed, will retry")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    job = models.ForeignKey(ScheduledJob, on_delete=models.CASCADE, related_name="runs", verbose_name=_("job"))
    period = models.CharField(_("period"), max_length=16, help_text=_("The day or week this run is for."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = OpsQuerySet.as_manager()

    class Meta:
        ordering = ["-queued_at", "-pk"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        constraints = [
            models.UniqueConstraint(
                fields=["job", "period"],
                name="job_run_once_per_period",
                violation_error_message=_("This job already ran for this period."),
            )
        ]
        indexes = [models.Index(fields=["queued_at", "id"], name="job_run_sort")]  # the list's default sort

    def __str__(self) -> str:
        return f"{self.job.name} {self.period}"
