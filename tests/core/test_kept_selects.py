"""A list page's filter selects kept under the data version (moulin.core.forms: ``choices_key``,
``KeptSelectBoundField``), and the data version read once per request (moulin.core.dataversion.current): a kept
select is the select computed, for each user their own, and a write shows in it on the very next request."""

import re

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moulin.core import dataversion
from moulin.core.forms import KeptSelectBoundField
from moulin.organisations.models import Organisation
from tests.core.test_rendering import _list_views
from tests.home.test_cache import commit

ROLES = ("admin", "staff", "manager", "coach", "commune", "ministry")


def selects(form) -> dict[str, str]:
    return {bound.name: str(bound) for bound in form if isinstance(bound, KeptSelectBoundField)}


def computed(view, data, request) -> dict[str, str]:
    with override_settings(MOULIN_DATA_CACHE_SECONDS=0):
        return selects(view.filter_form_class(data, request=request))


@pytest.mark.parametrize("role", ROLES)
def test_every_kept_filter_select_is_the_select_computed(rf, demo_user, role):
    """Every filter form of every list page, unbound and with its first option chosen: the first rendering
    keeps each select, the second reads it back, and both are what the form writes without the cache."""
    commit()
    request = rf.get("/")
    request.user = demo_user(role)
    kept = 0
    for view in _list_views():
        form = view.filter_form_class(None, request=request)
        chosen = {}
        for bound in form:
            if isinstance(bound, KeptSelectBoundField):
                options = [value for value, _label in bound.field.choices if value != ""]
                if options:
                    chosen[bound.name] = str(options[0])
        for data in (None, chosen):
            expected = computed(view, data, request)
            assert selects(view.filter_form_class(data, request=request)) == expected, view  # computed, kept
            with CaptureQueriesContext(connection) as queries:
                assert selects(view.filter_form_class(data, request=request)) == expected, view  # read back
            options = [q["sql"] for q in queries.captured_queries if dataversion.TABLE not in q["sql"]]
            assert data or not options, (view, options)  # unbound: nothing but the version read
            kept += len(expected)
    assert kept >= (10 if role == "admin" else 1)


def test_each_user_gets_their_own_options(client_as):
    """The volunteer hours' organisation select offers what each person may see: the manager's own organisation
    only, the administrator's every one; kept one after the other, neither gets the other's."""
    url = reverse("organisations:volunteering_list")
    admin, manager = client_as("admin"), client_as("manager")
    commit()
    for _ in range(2):
        admin_page = admin.get(url).content.decode()
        manager_page = manager.get(url).content.decode()
    visible = Organisation.objects.visible_to(manager.user)
    hidden = Organisation.objects.exclude(pk__in=visible.values("pk")).order_by("pk").first()
    option = f'<option value="{hidden.pk}">'
    assert option in admin_page
    assert option not in manager_page


def test_a_write_shows_in_the_select_on_the_very_next_request(client_as):
    url = reverse("training:course_list")
    admin = client_as("admin")
    commit()
    organisation = Organisation.objects.order_by("pk").first()
    assert "AAA Moulin à vent asbl" not in admin.get(url).content.decode()
    admin.get(url)  # read back from the cache
    Organisation.objects.filter(pk=organisation.pk).update(name="AAA Moulin à vent asbl")  # no signal: the SQL
    commit()
    page = admin.get(url).content.decode()
    assert re.search(rf'<option value="{organisation.pk}"[^>]*>AAA Moulin à vent asbl</option>', page)


def test_nothing_is_kept_while_the_request_holds_a_write_of_its_own(rf, demo_user):
    request = rf.get("/")
    request.user = demo_user("admin")
    view = next(v for v in _list_views() if v.__name__ == "CourseList")
    Organisation.objects.filter(pk=Organisation.objects.order_by("pk").first().pk).update(name="AAA pending")
    assert dataversion.pending(connection)
    for _ in range(2):  # read from the database each time
        with CaptureQueriesContext(connection) as queries:
            html = selects(view.filter_form_class(None, request=request))
        assert "AAA pending" in html["organisation"]
        assert any('FROM "organisations_organisation"' in q["sql"] for q in queries.captured_queries)


def test_a_page_reads_the_data_version_once(client_as):
    """The signed-in user, the page and its selects are all kept under the data version; the request reads it
    once (``dataversion.current`` keeps it until the request ends)."""
    admin = client_as("admin")
    commit()
    with override_settings(MOULIN_PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
        assert admin.get(reverse("training:course_list")).status_code == 200
    reads = [q for q in queries.captured_queries if dataversion.TABLE in q["sql"]]
    assert len(reads) == 1


@pytest.fixture
def request_signals():
    """Send the request signals as the test client does: without ``close_old_connections``, which would close the
    test's connection on PostgreSQL (it runs inside the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_a_write_committed_during_the_request_gives_the_new_version(request_signals):
    commit()
    request_started.send(sender=None)
    try:
        before = dataversion.current(connection)
        with CaptureQueriesContext(connection) as again:
            assert dataversion.current(connection) == before
        assert len(again) == 0  # kept for the request
        dataversion.bump(connection)
        after = dataversion.current(connection)
        assert after is not None and after != before
    finally:
        request_finished.send(sender=None)
    with CaptureQueriesContext(connection) as outside:
        assert dataversion.current(connection) == after
        dataversion.current(connection)
    assert len(outside) == 2  # outside a request, read each time
