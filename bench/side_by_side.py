"""Every page on two databases side by side, request by request in turn: the demo network and the same network
grown (the production issue's "at ten times the data, every page within 1.3× its time at one time").

    python bench/side_by_side.py --grow 10                   # two throwaway SQLite files: the demo, and it grown
    python bench/side_by_side.py --grow 10 --database postgres   # two throwaway PostgreSQL databases
    python bench/side_by_side.py postgres://…/small postgres://…/grown [--only courses] [--repeat 20]

`bench/run.py --growth` times every page, grows the network, then times every page again: a minute apart, on a
shared machine that is a minute of someone else's load on one side only (the same page on the same database
varied 13 → 25 ms between two runs on 2026-12-07). Here each database has its own process, a Django of its own
(so that nothing kept under one database's data version is read for the other), and the two answer the same page
in turn, a, b, a, b…, so a passing load weighs on both alike and the ratio is the figure to read. Each process
measures its own server time, as bench/run.py does (the test client, the page cache off, the heap frozen).

Prints a Markdown table: both medians, the ratio, both query counts and response sizes, ⚠ beside a ratio over
1.3 or a query count that changed. Figures and how they were taken: docs/performance.md.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
LIMIT = 1.3


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# -- the process answering for one database -------------------------------------------------------------------


def serve(url: str) -> None:
    """Answer the parent's requests on stdin, one JSON line each, with one JSON line on stdout."""
    import gc

    out = sys.stdout
    sys.stdout = sys.stderr  # whatever Django or the app prints must not mix with the answers
    var = Path(tempfile.mkdtemp(prefix="moulin-side-"))
    sys.path.insert(0, str(BENCH))
    import run

    run.setup_django(var, "", url)
    gc.collect()
    gc.freeze()
    clients: dict = {}
    targets: dict = {}
    pages = run.PAGES + run.list_pages({p.url for p in run.PAGES if isinstance(p.url, str)})

    def answer(value) -> None:
        out.write(json.dumps(value) + "\n")
        out.flush()

    for line in sys.stdin:
        ask = json.loads(line)
        if ask["op"] == "pages":
            answer([[p.label, p.role, p.path(), p.headers] for p in pages if p.path()])
        elif ask["op"] == "warm":
            label, role, path, headers = ask["page"]
            target = run.page_target(clients, run.Page(label, role, path, headers), path)
            for _ in range(ask["warmup"]):
                target.once()
            target.capture()
            targets[path, role, json.dumps(headers)] = target
            answer({"queries": len(target.queries), "kb": target.kb})
        elif ask["op"] == "time":
            label, role, path, headers = ask["page"]
            target = targets[path, role, json.dumps(headers)]
            started = time.perf_counter()
            target.once()
            answer((time.perf_counter() - started) * 1000)
        elif ask["op"] == "bye":
            break
    shutil.rmtree(var, ignore_errors=True)


class Side:
    """One database's process."""

    def __init__(self, url: str):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.url = url
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", url], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env=env,
        )  # fmt: skip

    def ask(self, **question):
        self.process.stdin.write(json.dumps(question) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the process for {self.url} stopped (its error is above)")
        return json.loads(line)

    def close(self) -> None:
        if self.process.poll() is None:
            self.ask_nothing()
        self.process.wait(timeout=30)

    def ask_nothing(self) -> None:
        try:
            self.process.stdin.write(json.dumps({"op": "bye"}) + "\n")
            self.process.stdin.close()
        except BrokenPipeError:
            pass


# -- the two databases ---------------------------------------------------------------------------------------------


def build(database: str, factor: int, years: int, workdir: Path) -> tuple[str, str, list[str]]:
    """A demo network and a grown copy of it; returns both DATABASE_URLs and the PostgreSQL databases to drop."""
    import run

    if database == "postgres":
        import psycopg

        stem = f"moulin_side_{os.getpid()}"
        base = run.PG_ADMIN_URL.rsplit("/", 1)[0]
        small, grown = f"{base}/{stem}_small", f"{base}/{stem}_grown"
        with psycopg.connect(run.PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{stem}_small"')
        load(small, workdir)
        with psycopg.connect(run.PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{stem}_grown" TEMPLATE "{stem}_small"')
        drop = [f"{stem}_small", f"{stem}_grown"]
    else:
        small, grown = f"sqlite:///{workdir / 'small.sqlite3'}", f"sqlite:///{workdir / 'grown.sqlite3'}"
        load(small, workdir)
        shutil.copyfile(workdir / "small.sqlite3", workdir / "grown.sqlite3")
        drop = []
    command = [sys.executable, str(BENCH / "generate.py"), "--factor", str(factor), "--years", str(years)]
    step(f"bench/generate.py --factor {factor} --years {years}", command, grown, workdir)
    return small, grown, drop


def load(url: str, workdir: Path) -> None:
    manage = str(BENCH.parent / "manage.py")
    step("migrate", [sys.executable, manage, "migrate", "--no-input", "-v0"], url, workdir)
    step("load_demo", [sys.executable, manage, "load_demo", "--quiet"], url, workdir)


def step(label: str, command: list[str], url: str, workdir: Path) -> None:
    env = {**os.environ, "DATABASE_URL": url, "MOULIN_VAR_DIR": str(workdir), "DEBUG": "false"}
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, cwd=BENCH.parent)
    say(f"- {label} ({url.rsplit('/', 1)[-1]}): {time.perf_counter() - started:.1f} s")


def drop_postgres(names: list[str]) -> None:
    if not names:
        return
    import psycopg
    import run

    with psycopg.connect(run.PG_ADMIN_URL, autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- the comparison ------------------------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


def compare(small_url: str, grown_url: str, args) -> int:
    import run

    say(f"\n{run.machine()}; {run.load()} at the start\n")
    small, grown = Side(small_url), Side(grown_url)
    over = []
    try:
        pages = small.ask(op="pages")
        say("| page | role | path | 1× median ms | grown median ms | grown ÷ 1× | queries 1× / grown "
            "| KiB 1× / grown |")  # fmt: skip
        say("|---|---|---|--:|--:|--:|--:|--:|")
        for page in pages:
            label, role, path, _headers = page
            if args.only and args.only not in label and args.only not in path:
                continue
            before = small.ask(op="warm", page=page, warmup=args.warmup)
            after = grown.ask(op="warm", page=page, warmup=args.warmup)
            a, b = [], []
            for _ in range(args.repeat):
                a.append(small.ask(op="time", page=page))
                b.append(grown.ask(op="time", page=page))
            ratio = median(b) / median(a)
            changed = before["queries"] != after["queries"]
            flag = " ⚠" if ratio > LIMIT or changed else ""
            if flag:
                over.append(label)
            say(
                f"| {label} | {role} | `{path}` | {median(a):.1f} | {median(b):.1f} | {ratio:.2f}{flag} "
                f"| {before['queries']} / {after['queries']} | {before['kb']:.0f} / {after['kb']:.0f} |"
            )
    finally:
        small.close()
        grown.close()
    say(f"\n- {run.load()} at the end; {len(over)} page(s) over {LIMIT}× or with a changed query count")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("small", nargs="?", default="", help="DATABASE_URL of the demo network")
    parser.add_argument("grown", nargs="?", default="", help="DATABASE_URL of the same network grown")
    parser.add_argument("--grow", type=int, default=0, help="build both: the demo, and a copy grown this many times")
    parser.add_argument("--years", type=int, default=0, help="with --grow: years of field work history")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite", help="with --grow")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page and database (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first (default 3)")
    parser.add_argument("--only", default="", help="measure only pages whose label or path contains this")
    parser.add_argument("--serve", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve)
        return 0
    sys.path.insert(0, str(BENCH))
    if bool(args.small) != bool(args.grown) or bool(args.small) == bool(args.grow):
        parser.error("give the two DATABASE_URLs, or --grow N to build them")
    say(f"# Pages side by side, the demo network and it grown — {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC")
    say(f"\nCommand: python bench/side_by_side.py {' '.join(argv if argv is not None else sys.argv[1:])}\n")
    if args.small:
        return compare(args.small, args.grown, args)
    workdir = Path(tempfile.mkdtemp(prefix="moulin-side-"))
    drop: list[str] = []
    try:
        small, grown, drop = build(args.database, args.grow, args.years, workdir)
        return compare(small, grown, args)
    finally:
        drop_postgres(drop)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
