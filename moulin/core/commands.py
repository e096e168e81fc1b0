"""Base of the commands that change data on a schedule: nothing changes without ``--wet-run``."""

from django.core.management.base import BaseCommand
from django.db import transaction


class WetRunCommand(BaseCommand):
    """Subclasses implement ``run(wet: bool) -> str`` (a one-line report). Without ``--wet-run`` the work is
    done inside a transaction that is rolled back, so the report says what *would* change."""

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Really change the data (default: dry run).")

    def handle(self, *args, wet_run=False, **options):
        self.options = options
        with transaction.atomic():
            report = self.run(wet=wet_run)
            if not wet_run:
                transaction.set_rollback(True)
        prefix = "" if wet_run else "[dry run, nothing changed] "
        self.stdout.write(f"{prefix}{report}")

    def run(self, *, wet: bool) -> str:
        raise NotImplementedError
