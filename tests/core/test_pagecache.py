"""Whole pages kept per user under the data version (moulin/core/pagecache.py, decision 0012): a cached page is the
page the user would get without the cache, a write shows on the very next request, and personal data, the audit
log and pages with messages are never served from it."""

import datetime as dt
import re

import pytest
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from moulin.core import pagecache
from moulin.core.models import AuditEvent
from moulin.organisations.models import Organisation
from tests.clock import TEST_NOW
from tests.home.test_cache import commit

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response


def warmed(client, url, **headers):
    """The first request sets the browser's CSRF cookie (a page is cached only for a browser that has one); the
    second computes the page and keeps it."""
    get(client, url, **headers)
    return get(client, url, **headers)


def fresh(client, url, **headers):
    with override_settings(MOULIN_PAGE_CACHE=False):
        return get(client, url, **headers)


def same_page(a: bytes, b: bytes) -> bool:
    """Equal but for the CSRF tokens (masked anew for every page Django renders, from the same secret)."""
    return TOKEN.sub("", a.decode()) == TOKEN.sub("", b.decode())


@pytest.fixture
def admin(client_as):
    client = client_as("admin")
    commit()  # signing in wrote the last login
    return client


def test_a_list_page_is_served_from_the_cache_with_the_session_and_version_reads_only(admin):
    url = reverse("organisations:list")
    computed = warmed(admin, url)
    with CaptureQueriesContext(connection) as queries:
        served = get(admin, url)
    assert served.content == computed.content
    assert same_page(served.content, fresh(admin, url).content)
    tables = {re.search(r'FROM "?(\w+)"?', q["sql"]).group(1) for q in queries.captured_queries if "FROM" in q["sql"]}
    assert tables <= {"django_session", "core_dataversion", "accounts_user"}, tables
    assert len(queries) <= 4


def test_a_write_shows_on_the_very_next_request(admin):
    organisation = Organisation.objects.filter(is_active=True).order_by("pk").first()
    for url in (reverse("organisations:list"), organisation.get_absolute_url()):
        before = warmed(admin, url)
        assert "AAA Moulin à vent asbl" not in before.content.decode()
        Organisation.objects.filter(pk=organisation.pk).update(name="AAA Moulin à vent asbl")  # no signal: the SQL
        commit()
        assert "AAA Moulin à vent asbl" in get(admin, url).content.decode()
        Organisation.objects.filter(pk=organisation.pk).update(name=organisation.name)
        commit()
        assert "AAA Moulin à vent asbl" not in get(admin, url).content.decode()


def test_nothing_is_kept_while_the_request_s_own_transaction_holds_a_write(admin):
    url = reverse("organisations:list")
    warmed(admin, url)
    organisation = Organisation.objects.filter(is_active=True).order_by("pk").first()
    Organisation.objects.filter(pk=organisation.pk).update(name="AAA Pas encore validé")  # not committed
    assert "AAA Pas encore validé" in get(admin, url).content.decode()


def test_every_role_gets_their_own_page(client_as):
    clients = {role: client_as(role) for role in ("admin", "manager", "commune", "board")}
    commit()
    url = reverse("organisations:list")
    pages = {role: warmed(client, url).content for role, client in clients.items()}
    for role, client in clients.items():
        served = get(client, url).content
        assert served == pages[role], role
        assert same_page(served, fresh(client, url).content), role
    assert len({TOKEN.sub("", p.decode()) for p in pages.values()}) == len(clients)


def test_the_htmx_fragment_and_the_whole_page_are_kept_apart(admin):
    url = reverse("organisations:list") + "?q=esch"
    page = warmed(admin, url).content.decode()
    fragment = warmed(admin, url, HX_Request="true", HX_Target="results").content.decode()
    assert "<html" in page and "<html" not in fragment and 'id="results"' in fragment
    assert "<html" in get(admin, url).content.decode()
    assert "<html" not in get(admin, url, HX_Request="true", HX_Target="results").content.decode()


def test_each_query_string_is_its_own_page(admin):
    url = reverse("organisations:list")
    everything = warmed(admin, url).content.decode()
    searched = warmed(admin, url + "?q=esch").content.decode()
    assert searched != everything
    assert get(admin, url + "?q=esch").content.decode() == searched


def test_personal_pages_are_computed_and_audited_on_every_request(client_as):
    coach = client_as("coach")
    commit()
    url = reverse("participants:list")
    warmed(coach, url)
    before = AuditEvent.objects.filter(actor=coach.user, action=AuditEvent.Action.VIEW).count()
    with CaptureQueriesContext(connection) as queries:
        response = get(coach, url)
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(actor=coach.user, action=AuditEvent.Action.VIEW).count() == before + 1
    assert any("participants_participant" in q["sql"] for q in queries.captured_queries)


def result_count(response) -> str:
    return re.search(r'data-testid="result-count">([^<]*)<', response.content.decode()).group(1)


def test_the_audit_log_is_never_kept(admin, client_as):
    url = reverse("core:audit_list")
    before = result_count(warmed(admin, url))
    coach = client_as("coach")
    commit()
    get(coach, reverse("participants:list"))  # recorded in the log: a write the data version does not count
    after = result_count(get(admin, url))
    assert after != before
    assert int(re.sub(r"\D", "", after)) > int(re.sub(r"\D", "", before))


def request_for(user, csrf="s" * 32):
    request = RequestFactory().get("/organisations/")
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    if csrf:
        request.META["CSRF_COOKIE"] = csrf
    return request


def test_the_key_holds_the_user_the_browser_the_language_and_the_day(demo_user, time_machine):
    admin, manager = demo_user("admin"), demo_user("manager")
    commit()
    key = pagecache.key_for(request_for(admin))
    assert key is not None
    assert pagecache.key_for(request_for(admin)) == key
    assert pagecache.key_for(request_for(manager)) != key
    assert pagecache.key_for(request_for(admin, csrf="t" * 32)) != key
    with translation.override("fr"):
        assert pagecache.key_for(request_for(admin)) != key
    time_machine.move_to(TEST_NOW + dt.timedelta(days=1))
    assert pagecache.key_for(request_for(admin)) != key


def test_no_page_is_kept_for_a_browser_without_csrf_cookie_or_with_messages_waiting(demo_user):
    admin = demo_user("admin")
    commit()
    assert pagecache.key_for(request_for(admin, csrf="")) is None
    request = request_for(admin)
    request._messages.add(constants.SUCCESS, "Saved.")
    assert pagecache.key_for(request) is None
    assert [str(m) for m in get_messages(request)] == ["Saved."]  # asking did not consume the message


def test_a_page_with_a_message_shows_it_instead_of_the_kept_page(client_as):
    manager = client_as("manager")
    commit()
    url = reverse("organisations:volunteering_list")
    warmed(manager, url)
    from django.contrib.messages.storage.cookie import CookieStorage

    storage = CookieStorage(RequestFactory().get("/"))
    response = get(manager, url)
    storage.add(constants.SUCCESS, "Les heures sont enregistrées.")
    storage.update(response)
    manager.cookies["messages"] = response.cookies["messages"].value
    assert "Les heures sont enregistrées." in get(manager, url).content.decode()


@pytest.mark.parametrize("role", ["admin", "manager", "commune", "coach"])
def test_every_list_and_detail_page_from_the_cache_is_the_page_computed(client_as, role):
    """Every list page and one detail page of each kind in the role's scope: asked twice, the second answer is
    the first one kept (the session and the data version read), or — personal data, no-store — computed again;
    never another page."""
    from moulin.access.querysets import policy_for
    from moulin.access.scope import scope_for
    from moulin.core.views import ScopedDetailView, ScopedListView
    from tests.test_scope import ALL_PATTERNS, url_for

    client = client_as(role)
    commit()
    get(client, reverse("home:home"))  # the CSRF cookie
    scope = scope_for(client.user)
    urls = []
    for name, route, _pattern, view_class in ALL_PATTERNS:
        if not isinstance(view_class, type) or not view_class.caches_pages():
            continue
        if "<" not in route and issubclass(view_class, ScopedListView):
            urls.append("/" + route)
        elif issubclass(view_class, ScopedDetailView) and route.count("<") == 1:
            inside = policy_for(view_class.model).visible(view_class.model._default_manager.all(), scope)
            obj = inside.order_by("pk").first()
            if obj is not None:
                urls.append(
                    url_for(
                        route, {"__name": name, view_class.lookup_url_kwarg: getattr(obj, view_class.lookup_field)}
                    )
                )
    kept = 0
    for url in urls:
        first = client.get(url)
        if first.status_code != 200 or not first.get("Content-Type", "").startswith("text/html"):
            continue
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
        assert second.status_code == 200, url
        if "no-store" in first.get("Cache-Control", ""):
            assert "no-store" in second["Cache-Control"], url
            continue
        assert second.content == first.content, url
        reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        assert len(reads) <= 3, (url, reads)  # the session, the data version (for the user, for the page)
        kept += 1
    assert kept >= 10, (role, kept, len(urls))
