"""Benchmarks: build a fresh demo network in a temporary directory, then time the main pages.

    make bench                      # or: uv run python bench/run.py [--repeat 20] [--only organisations]

Prints the time of `migrate` and `load_demo`, then a Markdown table with the server time of each page
(median and 95th percentile of --repeat requests through Django's test client, after a warm-up), its
number of SQL queries and the size of the response. Figures and how they were taken: docs/performance.md.

To add a page, append a `Page` to PAGES (the URL may be a callable, evaluated once the demo exists). Every list
page without URL arguments (a ScopedListView) is also measured as the administrator, even if not named here.
"""

import argparse
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
HOME_ORG = "CIGL Esch-sur-Alzette"
HOME_COMMUNE = "Esch-sur-Alzette"


@dataclass
class Page:
    label: str
    role: str  # a demo login: admin, staff, manager, coach, teamleader, board, commune, ministry
    url: str | Callable[[], str]  # a path, a URL name without arguments, or a callable giving a path
    headers: dict = field(default_factory=dict)

    def path(self) -> str:
        from django.urls import NoReverseMatch, reverse

        if callable(self.url):
            return self.url()
        if self.url.startswith("/"):
            return self.url
        try:
            return reverse(self.url)
        except NoReverseMatch:
            return ""


def organisation_url(name: str = HOME_ORG) -> Callable[[], str]:
    def url():
        from moulin.organisations.models import Organisation

        return Organisation.objects.get(name=name).get_absolute_url()

    return url


def commune_url(name: str = HOME_COMMUNE) -> Callable[[], str]:
    def url():
        from moulin.territory.models import Commune

        return Commune.objects.get(name=name).get_absolute_url()

    return url


def worker_url(*, team_member: bool = False) -> Callable[[], str]:
    """The home organisation's participant with the longest pathway (or a current member of the demo team
    leader's team)."""

    def url():
        from django.db.models import Count

        from moulin.participants.models import EmploymentContract, Participant

        people = Participant.objects.filter(organisation__name=HOME_ORG)
        if team_member:
            current = EmploymentContract.objects.current().filter(team__leader__email="teamleader@moulin.demo")
            people = people.filter(pk__in=current.values("participant"))
        return people.annotate(n=Count("coachingsessions")).order_by("-n", "pk").first().get_absolute_url()

    return url


HTMX = {"HX-Request": "true"}

PAGES = [
    Page("home", "admin", "home:home"),
    Page("home", "manager", "home:home"),
    Page("home", "ministry", "home:home"),
    Page("organisations list", "admin", "organisations:list"),
    Page("organisations list, htmx search", "admin", "/organisations/?q=CIGL", HTMX),
    Page("organisations list", "commune", "organisations:list"),
    Page("organisation detail", "admin", organisation_url()),
    Page("organisation detail", "manager", organisation_url()),
    Page("communes list", "admin", "territory:commune_list"),
    Page("commune detail", "admin", commune_url()),
    Page("coverage map", "admin", "territory:map"),
    Page("coverage GeoJSON", "admin", "territory:coverage_data"),
    Page("coverage GeoJSON", "commune", "territory:coverage_data"),
    Page("volunteer hours list", "admin", "organisations:volunteering_list"),
    Page("volunteer hours list", "manager", "organisations:volunteering_list"),
    Page("search", "admin", "/search/?q=Esch"),
    # planning and pathways pages go here, e.g. Page("projects list", "manager", "projects:project_list")
    Page("home (pathway panels)", "coach", "home:home"),
    Page("participants list", "coach", "participants:list"),
    Page("participants list", "staff", "participants:list"),
    Page("participants list, htmx search", "staff", "/participants/?q=Schmit", HTMX),
    Page("participants list", "teamleader", "participants:list"),
    Page("employment contracts, ending soon", "coach", "/participants/contracts/?ending=2m"),
    Page("employment contracts", "staff", "participants:contract_list"),
    Page("follow-ups due", "coach", "participants:follow_up_list"),
    Page("waiting list", "staff", "participants:waiting_list"),
    Page("worker page (whole pathway)", "coach", worker_url()),
    Page("worker page (whole pathway)", "manager", worker_url()),
    Page("worker page (minimal)", "teamleader", worker_url(team_member=True)),
]


def list_pages(already: set[str]) -> list[Page]:
    """Every list page without URL arguments, as the administrator, unless PAGES names it already."""
    from django.urls import URLPattern, URLResolver, get_resolver

    from moulin.core.views import ScopedListView

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                yield namespace + (p.name or ""), prefix + str(p.pattern), p

    found = []
    for name, route, pattern in walk(get_resolver().url_patterns):
        view = getattr(pattern.callback, "view_class", None)
        if "<" in route or not (isinstance(view, type) and issubclass(view, ScopedListView)):
            continue
        if name in already or "/" + route in already:
            continue
        found.append(Page(f"{str(view.title) or name} (list)", "admin", "/" + route))
    return found


def setup_django(var: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{var / 'bench.sqlite3'}"
    os.environ["MOULIN_VAR_DIR"] = str(var)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def say(text: str = "", *, progress: bool = False) -> None:
    """Results go to stdout (pipe them into a file); progress goes to stderr."""
    (sys.stderr if progress else sys.stdout).write(text + "\n")


def timed(label: str, fn) -> float:
    started = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - started
    say(f"- {label}: {elapsed:.1f} s")
    return elapsed


def measure(client, page: Page, path: str, repeat: int, warmup: int) -> dict:
    from django.db import connection

    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in page.headers.items()}
    for _ in range(warmup):
        response = client.get(path, **headers)
        if response.status_code != 200:
            raise SystemExit(f"{page.label} as {page.role}: {path} answered {response.status_code}")
    queries = []  # counted with a wrapper: the test client's request signals reset connection.queries

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(path, **headers)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(path, **headers)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = statistics.quantiles(samples, n=20, method="inclusive")[-1] if len(samples) > 1 else samples[0]
    return {
        "median": statistics.median(samples),
        "p95": p95,
        "queries": len(queries),
        "kb": len(response.content) / 1024,
    }


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores{', ' + cpu if cpu else ''}, Python {platform.python_version()}"


def load() -> str:
    """The machine's load average: figures taken while other work runs are slower, and say so."""
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first (default 3)")
    parser.add_argument("--only", default="", help="measure only pages whose label or path contains this")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (and say where)")
    args = parser.parse_args(argv)

    tmp = tempfile.TemporaryDirectory(prefix="moulin-bench-", delete=not args.keep)
    var = Path(tmp.name)
    setup_django(var)

    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from moulin.accounts.models import User

    say(f"# Moulin benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    say(f"\n{machine()}, Django {django.get_version()}, {connection.vendor}, DEBUG={settings.DEBUG}")
    say(f"\nCommand: python bench/run.py {' '.join(argv if argv is not None else sys.argv[1:])}".rstrip())
    say(f"\n- {load()} at the start")
    timed("migrate", lambda: call_command("migrate", interactive=False, verbosity=0))
    timed("load_demo", lambda: call_command("load_demo", quiet=True))
    if args.keep:
        say(f"- database kept in {var}")

    # No setup_test_environment(): it instruments every template render to keep its context (for the tests'
    # response.context), which made template-heavy pages look slower than they are served. The heap is frozen
    # as config/wsgi.py does in production, so full garbage collections do not walk the start-up objects.
    gc.collect()
    gc.freeze()
    pages = PAGES + list_pages({p.url for p in PAGES if isinstance(p.url, str)})
    clients: dict[str, Client] = {}
    rows = []
    for page in pages:
        path = page.path()
        if not path:
            say(f"  (skipped {page.label}: {page.url} is not a URL name)", progress=True)
            continue
        if args.only and args.only not in page.label and args.only not in path:
            continue
        if page.role not in clients:
            clients[page.role] = Client()
            clients[page.role].force_login(User.objects.get(email=f"{page.role}@moulin.demo"))
        result = measure(clients[page.role], page, path, args.repeat, args.warmup)
        rows.append((page, path, result))
        say(f"  {page.label} as {page.role}: {result['median']:.1f} ms", progress=True)

    say(f"- {load()} at the end")
    say(f"\nServer time per page, {args.repeat} requests after {args.warmup} of warm-up (plain test client):\n")
    say("| page | role | path | median ms | p95 ms | queries | KiB |")
    say("|---|---|---|--:|--:|--:|--:|")
    for page, path, r in rows:
        say(
            f"| {page.label} | {page.role} | `{path}` | {r['median']:.1f} | {r['p95']:.1f} "
            f"| {r['queries']} | {r['kb']:.0f} |"
        )
    if not args.keep:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
