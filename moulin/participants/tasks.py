"""Scheduled work of the pathway capability (``django.tasks``); the schedule is in ``moulin/ops/schedules.py``."""

from django.tasks import task

from moulin.participants.services import anonymise_expired


@task
def anonymise_expired_participants() -> int:
    """Nightly: anonymise people whose retention period after exit has passed."""
    return anonymise_expired(actor=None)
