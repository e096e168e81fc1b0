"""Background work of the reporting capability (``django.tasks``: the database worker ``make demo`` runs)."""

from django.tasks import task


@task
def generate_report(report_id: int) -> None:
    """Make one annual activity report (see ``moulin.reporting.services.generate``)."""
    from moulin.reporting.services import generate

    generate(report_id)
