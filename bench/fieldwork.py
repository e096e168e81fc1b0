"""Field-work benchmark: the schedule and the team leader's phone pages on the demo network, side by side with
the home page of the same role, and the generation of a year of work orders for the whole network (then the
same year generated again, which must add nothing and leave the same rows).

    uv run python bench/fieldwork.py [--repeat 20] [--year 2029]

Builds a fresh demo network in a temporary directory like bench/run.py (SQLite, DEBUG=false), then times each
page in turn with the role's home page and prints Markdown tables: each page's median and 95th percentile server
time, its queries and its ratio to the role's home page; the generation's time, rows, rows per second, and the
regeneration's time and ratio. Figures and how
they were taken: docs/performance.md ("Field work").
"""

import argparse
import datetime
import gc
import hashlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import Page, load, machine, page_target, run_interleaved, say, setup_django  # noqa: E402


def today_order_url() -> str:
    """The time sheet (the phone page) of one of today's work orders of the demo team leader's teams."""
    from django.utils import timezone

    from moulin.fieldwork.models import WorkOrder

    order = (
        WorkOrder.objects.on_day(timezone.localdate())
        .filter(team__leader__email="teamleader@moulin.demo")
        .order_by("pk")
        .first()
    )
    if order is None:  # a weekend or a holiday: the leader's next working day with work
        order = (
            WorkOrder.objects.filter(team__leader__email="teamleader@moulin.demo", date__gte=timezone.localdate())
            .order_by("date", "pk")
            .first()
        )
    from django.urls import reverse

    return reverse("fieldwork:time_sheet", args=[order.pk])


def leader_team_url() -> str:
    from django.urls import reverse

    from moulin.projects.models import Team

    team = Team.objects.filter(leader__email="teamleader@moulin.demo", project__service_line="environmental_team")
    return reverse("fieldwork:team_schedule", args=[team.order_by("pk").first().pk])


def busiest_organisation_week_url() -> str:
    """The schedule of this week for the organisation with the most work orders in it (network staff's pick)."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone

    from moulin.fieldwork.models import WorkOrder

    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    week = WorkOrder.objects.filter(date__range=(monday, monday + datetime.timedelta(days=6)))
    row = (
        week.values("team__project__organisation")
        .annotate(n=Count("pk"))
        .order_by("-n", "team__project__organisation")
    ).first()
    return (
        f"{reverse('fieldwork:schedule')}?week={monday.isoformat()}&organisation={row['team__project__organisation']}"
    )


#: (page, the page it is compared with: the same role's home)
PAGES = [
    Page("schedule, whole network week (per organisation)", "staff", "fieldwork:schedule"),
    Page("schedule, busiest organisation's week", "staff", busiest_organisation_week_url),
    Page("schedule, organisation week", "manager", "fieldwork:schedule"),
    Page("schedule, team leader's teams", "teamleader", "fieldwork:schedule"),
    Page("team schedule (week + feed)", "teamleader", leader_team_url),
    Page("phone: today's work", "teamleader", "fieldwork:today"),
    Page("phone: time sheet of an order", "teamleader", today_order_url),
    Page("work orders list", "manager", "fieldwork:work_order_list"),
    Page("time entries list", "manager", "fieldwork:time_entry_list"),
    Page("safety incidents list", "manager", "fieldwork:incident_list"),
]


def fingerprint(year: int) -> tuple[int, str]:
    """How many work orders fall in ``year`` and a digest of them (recurrence, occurrence, day, team, site)."""
    from moulin.fieldwork.models import WorkOrder

    rows = (
        WorkOrder.objects.filter(occurrence__year=year)
        .order_by("recurring_id", "occurrence")
        .values_list("recurring_id", "occurrence", "date", "team_id", "site_id", "planned_hours")
    )
    digest = hashlib.sha256()
    n = 0
    for row in rows.iterator(chunk_size=5000):
        digest.update(repr(row).encode())
        n += 1
    return n, digest.hexdigest()[:16]


def generate_year(year: int) -> int:
    from moulin.fieldwork.models import RecurringOrder
    from moulin.fieldwork.services import generate_work_orders

    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return sum(generate_work_orders(r, first=first, last=last) for r in RecurringOrder.objects.filter(is_active=True))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first (default 3)")
    parser.add_argument("--year", type=int, default=0, help="the year generated (default: two years ahead)")
    args = parser.parse_args(argv)

    tmp = tempfile.TemporaryDirectory(prefix="moulin-bench-field-")
    setup_django(Path(tmp.name), "sqlite")

    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from moulin.fieldwork.models import RecurringOrder, WorkOrder

    say(f"# Moulin field-work benchmark, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    say(f"\n{machine()}, Django {django.get_version()}, {connection.vendor}")
    say(f"\nCommand: python bench/fieldwork.py {' '.join(argv if argv is not None else sys.argv[1:])}".rstrip())
    say(f"\n- {load()} at the start")
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", quiet=True)
    say(f"- demo network built in {time.perf_counter() - started:.1f} s: {RecurringOrder.objects.count()} "
        f"recurring orders, {WorkOrder.objects.count()} work orders")  # fmt: skip
    gc.collect()
    gc.freeze()

    clients: dict[str, Client] = {}
    rows = []
    for page in PAGES:  # each page timed in turn with the role's home page (a, b, a, b...), so load weighs alike
        path = page.path()
        target, home = (
            page_target(clients, page, path),
            page_target(clients, Page("home", page.role, "home:home"), "/"),
        )
        run_interleaved([target, home], args.repeat, args.warmup)
        rows.append((page, path, target, home))
        say(f"  {page.label} as {page.role}: {target.median:.1f} ms", progress=True)
    say(f"- {load()} after the pages")
    say(f"\nServer time per page, {args.repeat} requests after {args.warmup} of warm-up, next to the same role's "
        "home page:\n")  # fmt: skip
    say("| page | role | path | median ms | p95 ms | queries | home median ms | × home |")
    say("|---|---|---|--:|--:|--:|--:|--:|")
    for page, path, t, home in rows:
        say(f"| {page.label} | {page.role} | `{path}` | {t.median:.1f} | {t.p95:.1f} | {len(t.queries)} "
            f"| {home.median:.1f} | {t.median / home.median:.2f} |")  # fmt: skip

    year = args.year or timezone.localdate().year + 2
    recurring = RecurringOrder.objects.filter(is_active=True).count()
    before = fingerprint(year)
    started = time.perf_counter()
    created = generate_year(year)
    first_run = time.perf_counter() - started
    after_first = fingerprint(year)
    started = time.perf_counter()
    again = generate_year(year)
    second_run = time.perf_counter() - started
    after_second = fingerprint(year)
    say(f"\nA year of work orders ({year}) for the whole network: {recurring} active recurring orders, "
        f"`generate_work_orders` for each, one transaction each ({load()} at the end):\n")  # fmt: skip
    say("| run | seconds | work orders created | rows in the year | digest of the rows | orders/s | × first |")
    say("|---|--:|--:|--:|---|--:|--:|")
    say(f"| before | | | {before[0]} | `{before[1]}` | | |")
    say(f"| generate | {first_run:.2f} | {created} | {after_first[0]} | `{after_first[1]}` "
        f"| {created / first_run:.0f} | 1.00 |")  # fmt: skip
    say(f"| generate again | {second_run:.2f} | {again} | {after_second[0]} | `{after_second[1]}` | "
        f"| {second_run / first_run:.2f} |")  # fmt: skip
    same = again == 0 and after_first == after_second
    say(f"\nRegenerated idempotently: {'yes, same rows' if same else 'NO: the second run changed the rows'}.")
    tmp.cleanup()
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
