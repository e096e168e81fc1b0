"""Restore a backup of ``manage.py backup``: ``manage.py restore PATH [--force]``.

Everything in the target database is replaced, so a database that already holds users is refused unless
``--force``. Stop the web server and the workers first."""

from django.core.management.base import BaseCommand, CommandError

from moulin.ops.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (refused on a non-empty database unless --force)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--database", default="default")
        parser.add_argument("--force", action="store_true", help="replace a database that holds data")

    def handle(self, *args, path, database="default", force=False, **options):
        try:
            restore(path, database, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {path}")
