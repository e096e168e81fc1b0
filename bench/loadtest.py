"""A bounded load test of a running Moulin (`make serve-prod`), from this machine only.

    make loadtest                                   # or: python bench/loadtest.py --base http://127.0.0.1:8000
    python bench/loadtest.py --requests 400 --duration 30 --concurrency 8 --role coach

Logs in as a demo login (password moulin-demo), then sends at most --requests GET requests over --concurrency
keep-alive connections, for at most --duration seconds, cycling over logged-in read pages. Prints requests per
second, p50/p90/p99 latencies, errors and the machine's load average. It talks to 127.0.0.1/localhost only: it is
a measurement of our own server, never a tool to point at someone else's. Not part of `make test`.
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
    "/organisations/volunteering/",
    "/territory/communes/",
    "/projects/",
]


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


async def run(args) -> int:
    url = urlsplit(args.base)
    if url.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("The load test only runs against this machine (127.0.0.1 / localhost).")
    host, port = url.hostname, url.port or 80
    cookie = await login(host, port, f"{args.role}@moulin.demo", args.password)
    paths = args.paths or PATHS
    latencies: list[float] = []
    errors: dict[str, int] = {}
    sent = 0
    deadline = time.monotonic() + args.duration

    async def client(number: int):
        nonlocal sent
        conn = Connection(host, port)
        while sent < args.requests and time.monotonic() < deadline:
            path = paths[sent % len(paths)]
            sent += 1
            started = time.perf_counter()
            try:
                status, _, _ = await conn.request("GET", path, {"Cookie": cookie})
                if status != 200:
                    errors[f"HTTP {status} {path}"] = errors.get(f"HTTP {status} {path}", 0) + 1
            except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as error:
                errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
                conn.close()
                continue
            latencies.append((time.perf_counter() - started) * 1000)
        conn.close()

    load_before = os.getloadavg()
    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(args.concurrency)))
    elapsed = time.perf_counter() - started
    load_after = os.getloadavg()
    latencies.sort()
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    say(f"Command: python bench/loadtest.py {' '.join(sys.argv[1:])}".rstrip())
    say(f"{len(latencies)} answered of {sent} sent in {elapsed:.1f} s, concurrency {args.concurrency}, as {args.role}")
    say(f"requests/s: {len(latencies) / elapsed:.1f}")
    say(f"p50 {cuts[49]:.0f} ms, p90 {cuts[89]:.0f} ms, p99 {cuts[98]:.0f} ms, max {latencies[-1]:.0f} ms")
    say(f"errors: {sum(errors.values())} {errors if errors else ''}".rstrip())
    say(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} cores)")
    return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=400, help="at most this many requests (default 400)")
    parser.add_argument("--duration", type=float, default=30, help="at most this many seconds (default 30)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--role", default="coach", help="demo login (default coach)")
    parser.add_argument("--password", default="moulin-demo")
    parser.add_argument("--paths", nargs="*", help="pages to cycle over (default: the main read pages)")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
