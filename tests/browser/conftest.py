"""Browser-test harness: Playwright for Python driving Debian's chromium against a live demo network.

The site under test runs in a subprocess (`runserver`) on its own throwaway SQLite database, built once per
session with `migrate` + `load_demo`; it never touches the test database of the other tests. Both run at the
test clock (tests/clock.py, through `frozen_manage.py`), the day the tests themselves see as today. Browser tests
take no database fixture: everything they check goes through the browser.

Fixtures (names are stable, other test modules rely on them):
- `live_url`: base URL of the running demo site (no trailing slash).
- `browser`: the headless chromium (session).
- `new_page(**context_options)`: a page in a fresh context (locale en, Luxembourg time), watched for errors.
- `page`: `new_page()` for the current test.
- `login(page, role)`: log in through the form as `<role>@moulin.demo`; returns the page on the home page.
- `allow_console_errors(*patterns)`: regular expressions for console errors the test expects (e.g. a 404).
- `task_worker()`: start the task worker (`db_worker --batch`) on the site's database; it runs the tasks queued
  so far, then exits (the site itself runs none: the tests choose when the background work happens).

Every console error, uncaught page error and Content Security Policy violation seen during a test fails it.
A failed test leaves a screenshot in `var/test-artifacts/`.
"""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CHROMIUM = os.environ.get("MOULIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
DEMO_PASSWORD = "moulin-demo"
ARTIFACTS = BASE_DIR / "var" / "test-artifacts"
SERVER_START_TIMEOUT = 60

# Reports Content Security Policy violations as console errors, which the harness collects. Injected through the
# DevTools protocol, so the policy itself does not block it.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} ` +
                `at ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
});
"""


def _in_browser_dir(item) -> bool:
    return Path(str(item.path)).is_relative_to(Path(__file__).parent)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark every test here `browser` (before tests/conftest.py hands out `django_db`)."""
    for item in items:
        if _in_browser_dir(item) and "browser" not in item.keywords:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """Run the browser tests last, after pytest-randomly has shuffled the order.

    Last, because Playwright's sync API keeps an asyncio loop running in the main thread for the rest of the
    session: Django would refuse ORM calls from the database tests that came after ("async context")."""
    items = session.items
    browser_items = [item for item in items if "browser" in item.keywords]
    items[:] = [item for item in items if "browser" not in item.keywords] + browser_items


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail the test itself (not its teardown) on any console error or CSP violation."""
    result = yield
    watcher = getattr(item, "_console_watcher", None)
    if watcher is not None:
        watcher.check()
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"_report_{report.when}", report)
    return report


class ConsoleWatcher:
    """Collects console errors, page errors and CSP violations of every page of a test."""

    def __init__(self):
        self.errors: list[str] = []
        self.allowed: list[re.Pattern] = []
        self.pages = []

    def watch(self, page):
        self.pages.append(page)
        page.on("console", lambda msg: self._console(msg))
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught {exc.name}: {exc.message} ({page.url})"))

    def _console(self, msg):
        if msg.type != "error":
            return
        location = msg.location.get("url", "") if msg.location else ""
        self.errors.append(f"{msg.text} ({location})" if location else msg.text)

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]

    def check(self):
        for page in self.pages:  # let pending events arrive
            if not page.is_closed():
                with contextlib.suppress(Exception):  # a page that crashed has nothing more to say
                    page.evaluate("0")
        unexpected = self.unexpected()
        if unexpected:
            pytest.fail("the browser reported errors:\n  " + "\n  ".join(unexpected), pytrace=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env, log, *args, background=False):
    command = [sys.executable, str(Path(__file__).parent / "frozen_manage.py"), *args]
    if background:
        return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    subprocess.run(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, check=True)


#: the live site's environment and folder (set by ``live_url``), for the commands tests run against it
_LIVE: dict = {}


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _stop(process) -> None:
    """Stop a process this conftest started, if it still runs: politely, then for good after 10 seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def live_url(tmp_path_factory):
    """Build a throwaway demo network, serve it with runserver, yield its base URL."""
    var = tmp_path_factory.mktemp("e2e")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{var / 'e2e.sqlite3'}",
        "MOULIN_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONUNBUFFERED": "1",
    }
    _LIVE["env"], _LIVE["var"] = env, var
    build_log, server_log = var / "build.log", var / "server.log"
    with build_log.open("w") as log:
        try:
            static = _manage(env, log, "collectstatic", "--no-input", "-v", "0", background=True)
            _manage(env, log, "migrate", "--no-input", "-v", "0")
            _manage(env, log, "load_demo", "--quiet")
            if static.wait() != 0:
                raise subprocess.CalledProcessError(static.returncode, "collectstatic")
        except subprocess.CalledProcessError as exc:
            pytest.fail(f"could not build the demo database ({exc}):\n{_tail(build_log)}", pytrace=False)

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with server_log.open("w") as log:
        server = _manage(env, log, "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}", background=True)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(f"runserver exited ({server.returncode}):\n{_tail(server_log)}", pytrace=False)
            try:
                with urllib.request.urlopen(f"{url}/accounts/login/", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"runserver did not answer on {url}:\n{_tail(server_log)}", pytrace=False)
            time.sleep(0.2)
        yield url
    finally:
        _stop(server)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not (os.access(CHROMIUM, os.X_OK) or shutil.which(CHROMIUM)):
        pytest.fail(f"chromium not found at {CHROMIUM}: run `make browser` (or set MOULIN_CHROMIUM)", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(request, browser, live_url):
    """Factory: a page in a new browser context (keyword arguments go to `browser.new_context`)."""
    watcher = ConsoleWatcher()
    request.node._console_watcher = watcher
    contexts = []

    def make(**options):
        options = {"locale": "en", "timezone_id": "Europe/Luxembourg", "base_url": live_url, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_WATCH)
        context.on("page", watcher.watch)
        contexts.append(context)
        return context.new_page()

    yield make

    failed = getattr(request.node, "_report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        for i, page in enumerate(watcher.pages):
            if not page.is_closed():
                page.screenshot(path=str(ARTIFACTS / f"{name}-{i}.png"), full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def allow_console_errors(request):
    """Declare console errors this test expects, as regular expressions (e.g. r"status of 404")."""

    def allow(*patterns):
        watcher = request.node._console_watcher
        watcher.allowed.extend(re.compile(p) for p in patterns)

    return allow


@pytest.fixture
def login(live_url):
    """`login(page, role)`: sign in through the login form as `<role>@moulin.demo`, land on the home page."""

    def do_login(page, role: str, password: str = DEMO_PASSWORD):
        email = role if "@" in role else f"{role}@moulin.demo"
        page.goto(f"{live_url}/accounts/login/")
        page.locator("input[name=username]").fill(email)
        page.locator("input[name=password]").fill(password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        if page.url.rstrip("/") != live_url:
            raise AssertionError(f"login as {email} did not reach the home page (at {page.url})")
        return page

    return do_login


@pytest.fixture
def task_worker(live_url):
    """`task_worker()`: start the task worker on the live site's database, in the background; it runs every task
    queued so far and exits. Returns the process (the fixture stops it, if still running, after the test)."""
    started = []

    def start():
        log = (_LIVE["var"] / "worker.log").open("a")
        worker = _manage(_LIVE["env"], log, "db_worker", "--batch", "--no-startup-delay", "-v", "0", background=True)
        started.append((worker, log))
        return worker

    yield start
    for worker, log in started:
        _stop(worker)
        log.close()
