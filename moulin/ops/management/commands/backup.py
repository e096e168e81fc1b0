"""Back the database up into one file: ``manage.py backup [PATH]`` (default var/backups/moulin-<time>.*)."""

from django.core.management.base import BaseCommand, CommandError

from moulin.ops.backups import BackupError, backup, default_path


class Command(BaseCommand):
    help = "Back the database up (SQLite's online backup, or pg_dump on PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="the backup file (default: var/backups/moulin-<time>.*)")
        parser.add_argument("--database", default="default")

    def handle(self, *args, path=None, database="default", **options):
        try:
            written = backup(path or default_path(database), database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up to {written}")
