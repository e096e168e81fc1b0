"""A bounded load test of a running Moulin (`make serve-prod`), from this machine only.

    make loadtest                                   # or: python bench/loadtest.py --base http://127.0.0.1:8000
    python bench/loadtest.py --requests 6000 --duration 30 --concurrency 8          # every role, with form posts
    python bench/loadtest.py --role coach --post-every 0                            # one role, reads only
    make soak                                       # 10 minutes, workers' memory sampled (--pidfile)

Logs in as every demo login (``--role all``, password moulin-demo), one session per role; the --concurrency
keep-alive connections take the roles in turn and cycle over the read pages that role may open (the candidate
PATHS, kept when they answer 200 for it at the start). Every --post-every'th request of a connection is a form
post instead: the organisation manager records volunteer hours (a real write through the form, its CSRF token and
redirect). At most --requests requests, for at most --duration seconds. Prints requests per second, p50/p90/p99 of
the reads and of the posts, errors and the machine's load average; with --pidfile (gunicorn's master), the
workers' memory (RSS) every --sample seconds and its change from the first sample after --settle seconds.

It talks to 127.0.0.1/localhost only: it is a measurement of our own server, never a tool to point at someone
else's. Not part of `make test`.
"""

import argparse
import asyncio
import os
import re
import statistics
import sys
import time
from urllib.parse import urlencode, urlsplit

PATHS = [
    "/",
    "/participants/",
    "/participants/contracts/",
    "/participants/waiting-list/",
    "/participants/follow-ups/",
    "/organisations/",
    "/organisations/cigl-esch-sur-alzette/",
    "/organisations/volunteering/",
    "/territory/communes/",
    "/projects/",
    "/teams/",
    "/partners/",
    "/needs/",
    "/training/",
    "/training/sessions/",
    "/search/?q=Esch",
]
ROLES = ["admin", "staff", "manager", "coach", "teamleader", "board", "commune", "ministry"]
POST_FORM = "/organisations/cigl-esch-sur-alzette/volunteering/new/"  # as the manager


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


class Connection:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: dict, body: bytes = b"") -> tuple[int, dict, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: keep-alive"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        response_headers: dict[str, list[str]] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            response_headers.setdefault(name.strip().lower(), []).append(value.strip())
        if "chunked" in ",".join(response_headers.get("transfer-encoding", [])):
            content = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                content += chunk[:-2]
        else:
            content = await self.reader.readexactly(int(response_headers.get("content-length", ["0"])[0]))
        if "close" in ",".join(response_headers.get("connection", [])).lower():
            self.close()
        return status, response_headers, content

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def cookies_from(headers: dict) -> dict:
    jar = {}
    for value in headers.get("set-cookie", []):
        name, _, rest = value.partition("=")
        jar[name.strip()] = rest.split(";")[0]
    return jar


async def login(host: str, port: int, email: str, password: str) -> str:
    conn = Connection(host, port)
    status, headers, content = await conn.request("GET", "/accounts/login/", {})
    jar = cookies_from(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()
    body = urlencode({"csrfmiddlewaretoken": token, "username": email, "password": password}).encode()
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    status, headers, _ = await conn.request(
        "POST", "/accounts/login/",
        {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
         "Referer": f"http://{host}:{port}/accounts/login/", "Origin": f"http://{host}:{port}"},
        body,
    )  # fmt: skip
    conn.close()
    jar.update(cookies_from(headers))
    if status != 302 or "sessionid" not in jar:
        raise SystemExit(f"login as {email} failed (HTTP {status})")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def worker_rss(pidfile: str) -> dict[int, int]:
    """The gunicorn workers' resident memory in KiB (children of the master named in the pidfile)."""
    try:
        master = int(open(pidfile).read().strip())
        children = open(f"/proc/{master}/task/{master}/children").read().split()
    except (OSError, ValueError):
        return {}
    rss = {}
    for pid in map(int, children):
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmRSS:"):
                    rss[pid] = int(line.split()[1])
        except OSError:
            continue
    return rss


def cut(values: list[float]) -> str:
    if not values:
        return "none"
    values = sorted(values)
    q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    return f"p50 {q[49]:.0f} ms, p90 {q[89]:.0f} ms, p99 {q[98]:.0f} ms, max {values[-1]:.0f} ms ({len(values)})"


async def run(args) -> int:
    url = urlsplit(args.base)
    if url.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("The load test only runs against this machine (127.0.0.1 / localhost).")
    host, port = url.hostname, url.port or 80
    roles = ROLES if args.role == "all" else args.role.split(",")
    sessions = {role: await login(host, port, f"{role}@moulin.demo", args.password) for role in roles}
    # the pages each role may open (a commune officer has no participants list): kept when they answer 200
    pages: dict[str, list[str]] = {}
    probe = Connection(host, port)
    for role, cookie in sessions.items():
        pages[role] = [
            p for p in (args.paths or PATHS) if (await probe.request("GET", p, {"Cookie": cookie}))[0] == 200
        ]
    for role, mine in pages.items():
        say(f"  {role}: {len(mine)} pages")
        if not mine:
            raise SystemExit(f"{role} may open none of the pages (2FA? serve with MOULIN_REQUIRE_2FA=false)")
    token = ""
    if args.post_every and "manager" in sessions:
        probe.close()  # a fresh connection: the server may have closed the idle one
        status, _headers, content = await probe.request("GET", POST_FORM, {"Cookie": sessions["manager"]})
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or found is None:
            where = _headers.get("location", [""])[0]
            raise SystemExit(f"the manager's form {POST_FORM} answered {status} {where} without a CSRF token")
        token = found.group(1).decode()
    probe.close()
    reads: list[float] = []
    posts: list[float] = []
    errors: dict[str, int] = {}
    sent = 0
    deadline = time.monotonic() + args.duration
    today = time.strftime("%Y-%m-%d")

    async def client(number: int):
        nonlocal sent
        role = roles[number % len(roles)]
        cookie, mine = sessions[role], pages[role]
        conn = Connection(host, port)
        n = 0
        while sent < args.requests and time.monotonic() < deadline:
            n += 1
            sent += 1
            post = bool(token) and args.post_every and n % args.post_every == 0
            started = time.perf_counter()
            try:
                if post:
                    body = urlencode(
                        {
                            "csrfmiddlewaretoken": token,
                            "volunteer_name": f"Load test {number}",
                            "date": today,
                            "hours": "1.5",
                            "activity": "Board preparation",
                        }
                    ).encode()
                    origin = f"http://{host}:{port}"
                    status, _, _ = await conn.request("POST", POST_FORM, {
                        "Cookie": sessions["manager"], "Content-Type": "application/x-www-form-urlencoded",
                        "Referer": origin + POST_FORM, "Origin": origin}, body)  # fmt: skip
                    ok, path = status == 302, POST_FORM
                else:
                    path = mine[n % len(mine)]
                    status, _, _ = await conn.request("GET", path, {"Cookie": cookie})
                    ok = status == 200
                if not ok:
                    key = f"HTTP {status} {'POST' if post else 'GET'} {path} as {role}"
                    errors[key] = errors.get(key, 0) + 1
            except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as error:
                errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
                conn.close()
                continue
            (posts if post else reads).append((time.perf_counter() - started) * 1000)
        conn.close()

    memory: list[tuple[float, dict]] = []

    async def sampler():
        while time.monotonic() < deadline and sent < args.requests:
            memory.append((time.monotonic() - began, worker_rss(args.pidfile)))
            await asyncio.sleep(args.sample)

    load_before = os.getloadavg()
    began = time.monotonic()
    started = time.perf_counter()
    tasks = [client(i) for i in range(args.concurrency)]
    if args.pidfile:
        tasks.append(sampler())
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    load_after = os.getloadavg()
    answered = len(reads) + len(posts)
    say(f"Command: python bench/loadtest.py {' '.join(sys.argv[1:])}".rstrip())
    say(
        f"{answered} answered of {sent} sent in {elapsed:.1f} s, concurrency {args.concurrency}, "
        f"roles {','.join(roles)}"
    )
    say(f"requests/s: {answered / elapsed:.1f}")
    say(f"reads: {cut(reads)}")
    say(f"posts: {cut(posts)}")
    say(f"errors: {sum(errors.values())} {errors if errors else ''}".rstrip())
    say(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} cores)")
    if memory:
        steady = [(t, m) for t, m in memory if t >= args.settle and m] or memory
        first, last = steady[0][1], steady[-1][1]
        total_first, total_last = sum(first.values()), sum(last.values())
        say(f"workers' RSS (KiB) at {steady[0][0]:.0f} s: {sorted(first.values())}, at {steady[-1][0]:.0f} s: "
            f"{sorted(last.values())}; total {total_first} -> {total_last} "
            f"({(total_last - total_first) / max(total_first, 1) * 100:+.1f} %), "
            f"same workers: {set(first) == set(last)}")  # fmt: skip
        peak = max(sum(m.values()) for _t, m in steady)
        say(f"peak total RSS {peak} KiB ({(peak - total_first) / max(total_first, 1) * 100:+.1f} % over the first)")
    return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=6000, help="at most this many requests (default 6000)")
    parser.add_argument("--duration", type=float, default=30, help="at most this many seconds (default 30)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--role", default="all", help="demo logins, comma-separated, or all (default)")
    parser.add_argument("--post-every", type=int, default=20, help="every Nth request is a form post (0: none)")
    parser.add_argument("--pidfile", default="", help="gunicorn's pidfile: sample its workers' memory")
    parser.add_argument("--sample", type=float, default=10, help="seconds between memory samples (default 10)")
    parser.add_argument("--settle", type=float, default=60, help="memory is compared from this second on")
    parser.add_argument("--password", default="moulin-demo")
    parser.add_argument("--paths", nargs="*", help="pages to cycle over (default: the main read pages)")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
