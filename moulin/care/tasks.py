"""Scheduled work of community care (``django.tasks``); the schedule is in ``moulin/ops/schedules.py``."""

from django.tasks import task

from moulin.care.services import anonymise_expired_beneficiaries as anonymise_expired


@task
def anonymise_expired_beneficiaries() -> int:
    """Nightly: anonymise beneficiaries whose retention period after their last intervention has passed."""
    return anonymise_expired(actor=None)
