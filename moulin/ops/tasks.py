from django.tasks import task


@task
def run_job(run_id: int) -> None:
    """One attempt of a scheduled job's run (see moulin.ops.services.execute)."""
    from moulin.ops.services import execute

    execute(run_id)
