"""Harness: every test gets the database; the demo network is loaded once per test session, so that
scope and query-count tests run against the network a user sees with `make demo`.

The clock is frozen for the whole session at ``tests.clock.TEST_NOW`` (10:00 in Luxembourg, ticking from there):
the demo is built for that day and every test sees it as today, whatever the real date.
``MOULIN_TEST_TODAY=YYYY-MM-DD`` moves it; CI runs the suite on other days too (a 31 December, a 1 January,
a 29 February), so no test may rely on what one particular day's demo happens to hold.
"""

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from moulin.access.scope import forget_scope
from moulin.accounts.models import User
from tests.clock import TEST_NOW

_clock = time_machine.travel(TEST_NOW, tick=True)

DEMO_ROLES = ["admin", "staff", "manager", "coach", "teamleader", "board", "commune", "ministry", "finance"]


def pytest_configure(config):
    _clock.start()
    config.stash[_CLOCK_KEY] = True


def pytest_unconfigure(config):
    if config.stash.get(_CLOCK_KEY, False):
        _clock.stop()


def pytest_report_header(config):
    return f"moulin: the clock is frozen at {TEST_NOW:%Y-%m-%d %H:%M %Z} (MOULIN_TEST_TODAY moves it)"


_CLOCK_KEY = pytest.StashKey[bool]()


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" not in item.keywords:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request as a French or German user activates that language in the thread: start each test in
    English and leave it so, whatever the previous test did."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _empty_cache_between_tests():
    """Pages and home content cached by one test (under its settings, its mocks) are never another test's."""
    cache.clear()
    yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", quiet=True)


@pytest.fixture
def demo_user():
    def get(role: str) -> User:
        user = User.objects.get(email=f"{role}@moulin.demo")
        forget_scope(user)
        return user

    return get


@pytest.fixture
def client_as(demo_user):
    """A test client logged in as one of the demo roles (or as a given user)."""

    def make(who) -> Client:
        user = demo_user(who) if isinstance(who, str) else who
        client = Client()
        client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture
def home_org():
    from moulin.organisations.models import Organisation

    return Organisation.objects.get(name="CIGL Esch-sur-Alzette")


@pytest.fixture
def other_org():
    from moulin.organisations.models import Organisation

    return Organisation.objects.get(name="CIGR Nordstad")
