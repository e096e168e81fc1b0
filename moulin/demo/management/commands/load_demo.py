import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from moulin.core.commands import refresh_statistics
from moulin.core.reference import load_all
from moulin.demo.context import DEMO_PASSWORD, DemoContext
from moulin.demo.people import DEMO_LOGINS
from moulin.demo.steps import steps
from moulin.organisations.models import Organisation


class Command(BaseCommand):
    help = "Build the demo network (deterministic from --seed) in an empty database, then print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1999, help="Same seed, same network.")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, seed, quiet, **options):
        if Organisation.objects.exists():
            raise CommandError(
                "This database already holds organisations. The demo loads into an empty database: "
                "`make demo` starts from a fresh one."
            )
        started = time.perf_counter()
        with transaction.atomic():
            load_all()
            ctx = DemoContext(seed=seed, today=timezone.localdate())
            for dotted in steps():
                step_started = time.perf_counter()
                import_string(dotted)(ctx)
                if not quiet:
                    label = dotted.split(".")[1] if dotted.endswith(".demo.generate") else dotted.rsplit(".", 2)[-2]
                    self.stdout.write(f"  {label:<14} {time.perf_counter() - step_started:6.2f} s")
        refresh_statistics(connection)
        if not quiet:
            self.stdout.write(self.style.SUCCESS(f"Demo network ready in {time.perf_counter() - started:.1f} s."))
            self.stdout.write(f"\nDemo logins (password: {DEMO_PASSWORD})")
            for email, _name, role, _attached, _language in DEMO_LOGINS:
                self.stdout.write(f"  {email:<26} {role.label}")
