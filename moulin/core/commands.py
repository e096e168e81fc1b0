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


def refresh_statistics(connection) -> None:
    """``ANALYZE`` on PostgreSQL after a bulk load (the demo network, a restore): the planner chooses its plans
    from each table's statistics, which autovacuum gathers only later, or never where it is turned off; a page's
    statement planned on a table believed empty can take a sequential scan of every row (docs/performance.md).
    SQLite is left to plan without statistics, as it always has."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
