"""Enqueue the periodic jobs that are due (moulin/ops/schedules.py).

    python manage.py run_schedules          # the service: check every minute, forever
    python manage.py run_schedules --once   # one pass (for cron), then exit

Idempotent: a job runs at most once per period, even with two schedulers or two passes in the same minute.
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from moulin.ops.services import run_due_jobs


class Command(BaseCommand):
    help = "Enqueue the periodic jobs that are due (once per period)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit (for cron)")
        parser.add_argument("--interval", type=int, default=60, help="seconds between passes (default 60)")

    def handle(self, *args, once=False, interval=60, **options):
        self.running = True
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        while self.running:
            for run in run_due_jobs():
                self.stdout.write(f"{run.job.name}: {run.period} queued")
            if once:
                break
            for _ in range(interval):
                if not self.running:
                    break
                time.sleep(1)
            # a long-running service drops a connection the database closed meanwhile (not within a single pass)
            close_old_connections()

    def stop(self, *args):
        self.running = False
