"""Benchmarks: build a fresh demo network in a throwaway database, then time the main pages.

    make bench                                   # SQLite, then PostgreSQL if it answers on 127.0.0.1:5432
    python bench/run.py [--repeat 30] [--only organisations] [--database postgres]
    python bench/run.py --growth 10 [--years 10]  # then grow the network tenfold (bench/generate.py), measure again

Prints the time of `migrate` and `load_demo`, then Markdown tables:

- every page: the server time (median and 95th percentile of --repeat requests through Django's test client,
  after a warm-up), its number of SQL queries, the size of the response, and p95 / median;
- **against the Django admin**: every list page beside the admin's changelist of the same model, showing the same
  rows (the admin's page size and ordering set to the list's for the run), requests interleaved one by one. The
  reference is the admin as Django ships it, rendering its widgets (a checkbox per row) with Django's form
  renderer; the admin on Moulin's renderer (``moulin.core.rendering``, which writes inputs and selects in Python)
  is measured beside it, its own column;
- **against the bare SQL**: the home page per role, served from its cache and computed afresh (the cache off), beside
  the SQL statements that compute it (those of the uncached request, captured with their parameters) replayed on the
  database driver's own connection (sqlite3 / psycopg), interleaved;
- with --growth: every page again on the grown network, with the ratio and both query counts.

List and detail pages are measured computed, with the whole-page cache off (decision 0012; ``--page-cache`` to
measure the cached copies instead); the home page both ways.

Figures and how they were taken: docs/performance.md.

To add a page, append a `Page` to PAGES (the URL may be a callable, evaluated once the demo exists). Every list
page without URL arguments (a ScopedListView) is also measured as the administrator, even if not named here.
"""

import argparse
import contextlib
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
        title = getattr(view, "title", "")  # on the class: a title computed per request is a property there
        title = name if isinstance(title, property) else str(title) or name
        found.append(Page(f"{title} (list)", "admin", "/" + route))
    return found


PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def setup_django(var: Path, database: str, existing: str = "") -> str:
    """Point Django at a throwaway database (SQLite file in ``var``, or a new PostgreSQL database); returns the
    PostgreSQL database's name (to drop at the end) or ''."""
    name = ""
    if existing:
        os.environ["DATABASE_URL"] = existing
    elif database == "postgres":
        import psycopg

        name = f"moulin_bench_{os.getpid()}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{var / 'bench.sqlite3'}"
    os.environ["MOULIN_VAR_DIR"] = str(var)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("REQUEST_LOG", "false")
    # the pages computed, as a write would leave them (the test client keeps its CSRF cookie: with the page cache
    # on, every request after the first would be a cached copy, decision 0012); --page-cache measures those
    os.environ.setdefault("MOULIN_PAGE_CACHE", "false")
    sys.path.insert(0, str(BASE_DIR))
    sys.path.insert(0, str(BASE_DIR / "bench"))
    import django

    django.setup()
    return name


def drop_postgres(name: str) -> None:
    from django.db import connections

    connections.close_all()
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def say(text: str = "", *, progress: bool = False) -> None:
    """Results go to stdout (pipe them into a file); progress goes to stderr."""
    (sys.stderr if progress else sys.stdout).write(text + "\n")
    (sys.stderr if progress else sys.stdout).flush()


def timed(label: str, fn) -> float:
    started = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - started
    say(f"- {label}: {elapsed:.1f} s")
    return elapsed


@dataclass
class Target:
    """Something to time: a page as a role (``client``, ``path``) or a callable (the bare SQL replay)."""

    client: object = None
    path: str = ""
    headers: dict = field(default_factory=dict)
    call: Callable | None = None
    around: Callable | None = None  # a context manager to run each request in, outside the time measured
    samples: list = field(default_factory=list)
    queries: list = field(default_factory=list)  # (sql, params) of one request
    kb: float = 0.0

    def once(self):
        if self.call is not None:
            return self.call()
        response = self.client.get(self.path, **self.headers)
        if response.status_code != 200:
            raise SystemExit(f"{self.path} answered {response.status_code}")
        return response

    def capture(self):
        from django.db import connection

        captured = []

        def count(execute, sql, params, many, context):
            captured.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = self.once()
        self.queries = captured
        self.kb = len(response.content) / 1024 if response is not None else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        if len(self.samples) < 2:
            return self.samples[0]
        return statistics.quantiles(self.samples, n=20, method="inclusive")[-1]


def run_interleaved(targets: list[Target], repeat: int, warmup: int) -> None:
    """Warm each target up, count one request's queries, then time them in turn: a, b, a, b, ... so a
    passing load on the machine weighs on every target alike."""
    for t in targets:
        with t.around() if t.around is not None else contextlib.nullcontext():
            for _ in range(warmup):
                t.once()
            if t.call is None:
                t.capture()
    for _ in range(repeat):
        for t in targets:
            with t.around() if t.around is not None else contextlib.nullcontext():
                started = time.perf_counter()
                t.once()
                t.samples.append((time.perf_counter() - started) * 1000)


def page_target(clients, page: Page, path: str) -> Target:
    from moulin.accounts.models import User

    if page.role not in clients:
        from django.test import Client

        clients[page.role] = Client()
        clients[page.role].force_login(User.objects.get(email=f"{page.role}@moulin.demo"))
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in page.headers.items()}
    return Target(client=clients[page.role], path=path, headers=headers)


def replay_target(statements: list) -> tuple[Target, int]:
    """The bare driver replaying a page's SELECT statements with their parameters on the same database, on the
    driver's own connection and cursor (no Django in between), fetching every row. Returns it and the number
    of statements it skips (transaction control and writes, if any)."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    selects = [(sql, params) for sql, params in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    if connection.vendor == "sqlite":
        from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX

        selects = [(FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%"), params) for sql, params in selects]

    def call():
        cursor = raw.cursor()
        for sql, params in selects:
            cursor.execute(sql, params or ())
            cursor.fetchall()
        cursor.close()

    return Target(call=call), len(statements) - len(selects)


def view_of(path: str):
    from django.urls import resolve

    return getattr(resolve(path.split("?")[0]).func, "view_class", None)


def admin_twin(path: str):
    """The admin changelist showing the same rows as the list page at ``path`` (its model, page size and default
    ordering), or None when the admin does not register its model."""
    from django.conf import settings
    from django.contrib import admin
    from django.urls import reverse

    from moulin.core.views import ScopedListView

    view = view_of(path)
    if not (isinstance(view, type) and issubclass(view, ScopedListView)) or "?" in path:
        return None
    model = getattr(view, "model", None)
    if model is None or model not in admin.site._registry:
        return None
    model_admin = admin.site._registry[model]
    model_admin.list_per_page = view.paginate_by or settings.MOULIN_PAGE_SIZE
    key = view.default_sort.lstrip("-")
    sort = next((c.sort for c in view.columns if c.key == key and c.sort), "")
    if sort:
        model_admin.ordering = [("-" if view.default_sort.startswith("-") else "") + sort, "pk"]
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def table_pages(rows):
    say("| page | role | path | median ms | p95 ms | p95/median | queries | KiB |")
    say("|---|---|---|--:|--:|--:|--:|--:|")
    for page, path, t in rows:
        say(
            f"| {page.label} | {page.role} | `{path}` | {t.median:.1f} | {t.p95:.1f} | {t.p95 / t.median:.2f} "
            f"| {len(t.queries)} | {t.kb:.0f} |"
        )


def measure_pages(pages, clients, args) -> list:
    rows = []
    for page in pages:
        path = page.path()
        if not path:
            say(f"  (skipped {page.label}: {page.url} is not a URL name)", progress=True)
            continue
        if args.only and args.only not in page.label and args.only not in path:
            continue
        target = page_target(clients, page, path)
        run_interleaved([target], args.repeat, args.warmup)
        rows.append((page, path, target))
        say(f"  {page.label} as {page.role}: {target.median:.1f} ms", progress=True)
    return rows


@contextlib.contextmanager
def django_form_renderer():
    """Widgets rendered as Django ships them (``DjangoTemplates``), for the admin taken as the reference."""
    from django.conf import settings
    from django.forms.renderers import get_default_renderer

    ours = settings.FORM_RENDERER
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
    get_default_renderer.cache_clear()
    try:
        yield
    finally:
        settings.FORM_RENDERER = ours
        get_default_renderer.cache_clear()


def measure_admin(rows, clients, args) -> None:
    say("\n### Against the Django admin (same model, same rows: page size and ordering of the list)\n")
    say("The admin as Django ships it (its widgets through Django's form renderer), and beside it the admin on ")
    say("Moulin's form renderer.\n")
    say("| list | Moulin median / p95 ms | admin median / p95 ms | admin ÷ Moulin | admin on Moulin's renderer, "
        "median ms (÷ Moulin) | queries Moulin / admin |")  # fmt: skip
    say("|---|--:|--:|--:|--:|--:|")
    admin_page = Page("admin", "admin", "/")
    for page, path, _t in rows:
        if page.role != "admin" or page.headers:
            continue
        twin = admin_twin(path)
        if twin is None:
            continue
        ours, theirs = page_target(clients, page, path), page_target(clients, admin_page, twin)
        theirs.around = django_form_renderer
        rendered = page_target(clients, admin_page, twin)
        run_interleaved([ours, theirs, rendered], args.repeat, args.warmup)
        say(
            f"| {page.label} `{path}` | {ours.median:.1f} / {ours.p95:.1f} | {theirs.median:.1f} / {theirs.p95:.1f} "
            f"| **{theirs.median / ours.median:.2f}×** | {rendered.median:.1f} ({rendered.median / ours.median:.2f}×) "
            f"| {len(ours.queries)} / {len(theirs.queries)} |"
        )


def uncached(target: Target) -> Target:
    """The same page with the home cache off (``MOULIN_DATA_CACHE_SECONDS = 0``) for its requests only."""
    from django.conf import settings

    def call():
        seconds = settings.MOULIN_DATA_CACHE_SECONDS
        settings.MOULIN_DATA_CACHE_SECONDS = 0
        try:
            return target.client.get(target.path, **target.headers)
        finally:
            settings.MOULIN_DATA_CACHE_SECONDS = seconds

    return Target(client=target.client, path=target.path, headers=target.headers, call=call)


def measure_sql(clients, args) -> None:
    """Each role's home page, served from its cache and computed afresh, beside the SQL that computes it (the
    statements of a request with the cache off) replayed on the bare driver."""
    from django.db import connection

    say(f"\n### Home per role against its own SQL replayed on the bare driver ({connection.vendor})\n")
    say(
        "| role | cached page median / p95 ms | uncached page median / p95 ms | its SQL replayed, median ms "
        "| cached ÷ SQL | uncached ÷ SQL | statements uncached (skipped) / cached |"
    )
    say("|---|--:|--:|--:|--:|--:|--:|")
    for role in ("admin", "staff", "manager", "coach", "teamleader", "board", "commune", "ministry"):
        page = Page("home", role, "home:home")
        cached = page_target(clients, page, page.path())
        fresh = uncached(cached)
        for _ in range(args.warmup):
            cached.once()
            fresh.once()
        cached.capture()
        fresh.capture()
        replay, skipped = replay_target(fresh.queries)
        run_interleaved([cached, fresh, replay], args.repeat, args.warmup)
        say(
            f"| {role} | {cached.median:.1f} / {cached.p95:.1f} | {fresh.median:.1f} / {fresh.p95:.1f} "
            f"| {replay.median:.2f} | **{cached.median / replay.median:.1f}×** "
            f"| **{fresh.median / replay.median:.1f}×** | {len(fresh.queries)} ({skipped}) / {len(cached.queries)} |"
        )


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
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first (default 3)")
    parser.add_argument("--only", default="", help="measure only pages whose label or path contains this")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--no-pages", action="store_true", help="skip the table of pages (measure them for --only)")
    parser.add_argument("--no-admin", action="store_true", help="skip the comparison with the Django admin")
    parser.add_argument("--no-sql", action="store_true", help="skip the comparison with the bare SQL")
    parser.add_argument("--growth", type=int, default=0, help="then grow the network this many times, measure again")
    parser.add_argument("--years", type=int, default=0, help="with --growth: years of field work history")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (and say where)")
    parser.add_argument("--existing", default="", help="a DATABASE_URL already holding the demo: measure it as is")
    parser.add_argument("--page-cache", action="store_true", help="pages served from the page cache (decision 0012)")
    args = parser.parse_args(argv)
    if args.page_cache:
        os.environ["MOULIN_PAGE_CACHE"] = "true"

    tmp = tempfile.TemporaryDirectory(prefix="moulin-bench-", delete=not args.keep)
    var = Path(tmp.name)
    pg_name = setup_django(var, args.database, args.existing)
    try:
        return bench(args, argv, var)
    finally:
        if pg_name and not args.keep:
            drop_postgres(pg_name)
        if not args.keep:
            tmp.cleanup()


def bench(args, argv, var) -> int:
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    say(f"# Moulin benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    say(f"\n{machine()}, Django {django.get_version()}, {connection.vendor}, DEBUG={settings.DEBUG}")
    say(f"\nCommand: python bench/run.py {' '.join(argv if argv is not None else sys.argv[1:])}".rstrip())
    say(f"\n- {load()} at the start")
    if not args.existing:
        timed("migrate", lambda: call_command("migrate", interactive=False, verbosity=0))
        timed("load_demo", lambda: call_command("load_demo", quiet=True))
    if args.keep:
        say(f"- database kept in {var if connection.vendor == 'sqlite' else connection.settings_dict['NAME']}")

    # No setup_test_environment(): it instruments every template render to keep its context (for the tests'
    # response.context), which made template-heavy pages look slower than they are served. The heap is frozen
    # as config/wsgi.py does in production, so full garbage collections do not walk the start-up objects.
    gc.collect()
    gc.freeze()
    pages = PAGES + list_pages({p.url for p in PAGES if isinstance(p.url, str)})
    clients: dict = {}
    if args.no_pages:  # the comparisons only: every page of the list, not measured alone
        rows = [(p, p.path(), None) for p in pages if p.path()]
        rows = [r for r in rows if not args.only or args.only in r[0].label or args.only in r[1]]
    else:
        rows = measure_pages(pages, clients, args)
        say(f"- {load()} after the pages")
        say(f"\nServer time per page, {args.repeat} requests after {args.warmup} of warm-up (plain test client):\n")
        table_pages(rows)
    if not args.no_admin:
        measure_admin(rows, clients, args)
        say(f"\n- {load()} after the admin comparison")
    if not args.no_sql:
        measure_sql(clients, args)
        say(f"\n- {load()} after the SQL comparison")
    if args.growth > 1 and not args.no_pages:
        from generate import grow

        figures = grow(args.growth, args.years, verbose=True)
        say(
            f"\n### Growth: the network {args.growth}×{f', {args.years} years of field work' if args.years else ''}"
            f" ({connection.vendor})\n\n- bench/generate.py: {figures['seconds']:.1f} s"
            f" ({figures['history_blocks']} history blocks); {load()}\n"
        )
        clients = {}  # the same logins; their caches start afresh
        grown = measure_pages([p for p, _path, _t in rows], clients, args)
        say("| page | role | 1× median ms | grown median ms | grown ÷ 1× | p95/median grown | queries 1× → grown |")
        say("|---|---|--:|--:|--:|--:|--:|")
        for (page, _path, before), (_p, _path2, after) in zip(rows, grown, strict=True):
            ratio = after.median / before.median
            flag = "" if ratio <= 1.3 else " ⚠"
            say(
                f"| {page.label} | {page.role} | {before.median:.1f} | {after.median:.1f} | {ratio:.2f}{flag} "
                f"| {after.p95 / after.median:.2f} | {len(before.queries)} → {len(after.queries)} |"
            )
        say(f"\n- {load()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
