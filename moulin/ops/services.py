"""Running the schedules: claim a period for a job (idempotent), run it through the task queue, record the result,
retry a failure a bounded number of times and tell the administrators when it keeps failing."""

import logging
import traceback

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from moulin.ops.models import JobRun, ScheduledJob
from moulin.ops.schedules import JOBS, MAX_ATTEMPTS, RETRY_AFTER, Job, job_named

logger = logging.getLogger("moulin.ops")


def sync_jobs() -> dict[str, ScheduledJob]:
    """The ScheduledJob rows for the jobs in code (titles and schedules kept up to date)."""
    rows = {}
    for job in JOBS:
        row, _created = ScheduledJob.objects.update_or_create(
            name=job.name, defaults={"title": str(job.title)[:150], "schedule": job.describe()[:100]}
        )
        rows[job.name] = row
    return rows


def claim(job: Job, row: ScheduledJob, period: str) -> JobRun | None:
    """A new run for this period, or None if one exists already (another scheduler, or an earlier pass)."""
    if JobRun.objects.filter(job=row, period=period).exists():
        return None
    try:
        with transaction.atomic():
            run = JobRun.objects.create(job=row, period=period)
    except IntegrityError:
        return None
    row.last_run = run
    row.save(update_fields=["last_run"])
    return run


def run_due_jobs(now=None) -> list[JobRun]:
    """Enqueue every job whose current period has come and has no run yet. Returns the runs started."""
    from moulin.ops.tasks import run_job

    now = timezone.localtime(now)
    started = []
    for name, row in sync_jobs().items():
        job = job_named(name)
        period = job.period(now)
        if not row.enabled or period is None:
            continue
        run = claim(job, row, period)
        if run is None:
            continue
        logger.info("job %s: period %s queued (run %s)", job.name, period, run.pk)
        transaction.on_commit(lambda run_id=run.pk: run_job.enqueue(run_id))
        started.append(run)
    return started


def execute(run_id: int) -> None:
    """One attempt of a run (the body of the ``run_job`` task)."""
    run = JobRun.objects.select_related("job").get(pk=run_id)
    if run.status in {JobRun.Status.SUCCEEDED, JobRun.Status.FAILED}:
        return  # a duplicate delivery of the task: the run is over
    job = job_named(run.job.name)
    run.status, run.attempts, run.started_at = JobRun.Status.RUNNING, run.attempts + 1, timezone.now()
    run.save(update_fields=["status", "attempts", "started_at"])
    try:
        function = import_string(job.function)
        with transaction.atomic():
            result = function.call() if hasattr(function, "call") else function()
    except Exception as error:  # noqa: BLE001 - every failure is recorded, retried, then reported
        run.error = "".join(traceback.format_exception_only(error)).strip()[:4000]
        run.finished_at = timezone.now()
        if run.attempts < MAX_ATTEMPTS:
            run.status = JobRun.Status.RETRYING
            run.save(update_fields=["status", "error", "finished_at"])
            logger.warning("job %s %s: attempt %d failed: %s", job.name, run.period, run.attempts, run.error)
            retry(run)
        else:
            run.status = JobRun.Status.FAILED
            run.save(update_fields=["status", "error", "finished_at"])
            logger.error("job %s %s: failed after %d attempts: %s", job.name, run.period, run.attempts, run.error)
            from moulin.ops.alerts import report_failed_run

            report_failed_run(run)
        return
    run.status, run.finished_at = JobRun.Status.SUCCEEDED, timezone.now()
    run.result = str(result if result is not None else "")[:255]
    run.error = ""
    run.save(update_fields=["status", "finished_at", "result", "error"])
    logger.info("job %s %s: succeeded (%s)", job.name, run.period, run.result)


def retry(run: JobRun) -> None:
    from moulin.ops.tasks import run_job

    if run_job.get_backend().supports_defer:
        run_job.using(run_after=timezone.now() + RETRY_AFTER * run.attempts).enqueue(run.pk)
    else:  # the immediate backend (tests, development): the next attempt now
        run_job.enqueue(run.pk)
