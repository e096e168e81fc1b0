from django.utils.translation import gettext_lazy as _

from moulin.core.tables import Column
from moulin.core.views import ScopedListView
from moulin.ops.models import JobRun, ScheduledJob

OPS_CRUMB = (_("Scheduled jobs"), "")


def _last(attribute):
    def read(job):
        return getattr(job.last_run, attribute) if job.last_run else None

    return read


def _status(run):
    return run.get_status_display() if run else None


class JobList(ScopedListView):
    model = ScheduledJob
    title = _("Scheduled jobs")
    intro = _(
        "The product's periodic jobs, run by the scheduler (manage.py run_schedules) once per period. "
        "A failed run is retried, then reported to the administrators by email."
    )
    default_sort = "name"
    export_name = "scheduled-jobs"
    select_related = ["last_run"]
    columns = [
        Column("title", _("Job"), sort="title"),
        Column("schedule", _("Schedule")),
        Column("enabled", _("Enabled"), kind="bool"),
        Column("period", _("Last period"), _last("period"), sort="last_run__period"),
        Column("status", _("Last result"), lambda job: _status(job.last_run), sort="last_run__status"),
        Column("finished", _("Finished"), _last("finished_at"), sort="last_run__finished_at"),
        Column("attempts", _("Attempts"), _last("attempts"), align="text-end"),
        Column("result", _("Result"), lambda job: job.last_run and (job.last_run.result or job.last_run.error)),
    ]

    def get_breadcrumbs(self):
        return [OPS_CRUMB]


class RunList(ScopedListView):
    model = JobRun
    title = _("Job runs")
    intro = _("Every run of the scheduled jobs, the latest first.")
    search_fields = ["job__name", "period", "error"]
    default_sort = "-queued_at"
    export_name = "job-runs"
    select_related = ["job"]
    columns = [
        Column("job", _("Job"), "job.title", sort="job__name"),
        Column("period", _("Period"), sort="period"),
        Column("status", _("Status"), lambda run: run.get_status_display(), sort="status"),
        Column("attempts", _("Attempts"), align="text-end"),
        Column("queued_at", _("Queued"), sort="queued_at"),
        Column("finished_at", _("Finished"), sort="finished_at"),
        Column("result", _("Result"), lambda run: run.result or run.error),
    ]

    def get_breadcrumbs(self):
        return [OPS_CRUMB, (_("Job runs"), "")]
