"""The test clock: the day every test, the demo built for the tests and the browser tests' server live in.

``MOULIN_TEST_TODAY=YYYY-MM-DD`` moves it (CI runs the suite on a 31 December, a 1 January and a 29 February);
without it, a fixed day, so that a run does not depend on the real date."""

import datetime as dt
import os
import zoneinfo

DEFAULT_TEST_TODAY = dt.date(2026, 6, 15)
TEST_TODAY = dt.date.fromisoformat(os.environ.get("MOULIN_TEST_TODAY") or DEFAULT_TEST_TODAY.isoformat())
TEST_NOW = dt.datetime.combine(TEST_TODAY, dt.time(10, 0), tzinfo=zoneinfo.ZoneInfo("Europe/Luxembourg"))
