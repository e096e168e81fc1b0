"""The hottest pages pin their **exact** number of queries on the demo network: a change that adds one shows here
(and says so), and a page's cost does not grow with the data (lists are paginated, panels aggregate in SQL).

Update a figure only for a reason you can name in the commit: a new panel, a new column, a removed query.

The figures are those of the demo built for the default test day: a home panel with nothing to show that day
skips its second query, so on another day (``MOULIN_TEST_TODAY``) a page may make up to ``OTHER_DAY_SLACK``
fewer queries, never more."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moulin.participants.enums import PathwayStatus
from moulin.participants.models import Participant
from tests.clock import DEFAULT_TEST_TODAY, TEST_TODAY
from tests.picking import pick

OTHER_DAY_SLACK = 3

EXACT = {
    ("home", "admin"): 20,
    ("home", "staff"): 20,
    ("home", "manager"): 23,
    ("home", "coach"): 27,
    ("home", "teamleader"): 27,
    ("home", "board"): 21,
    ("home", "commune"): 22,
    ("home", "ministry"): 20,
    ("participants", "staff"): 10,
    ("participants", "manager"): 10,
    ("participants", "coach"): 10,
    ("participants", "teamleader"): 9,
    ("projects", "admin"): 11,
    ("projects", "staff"): 11,
    ("projects", "manager"): 11,
    ("projects", "commune"): 11,
    ("worker", "coach"): 28,
    ("worker", "manager"): 29,
    ("worker", "teamleader"): 12,
    # the week's schedule: network staff get it summed up per organisation (grouped in SQL), the others the grid
    ("schedule", "staff"): 11,
    ("schedule", "manager"): 9,
    ("schedule", "teamleader"): 9,
}


@pytest.fixture
def url_of(home_org, demo_user):
    def url(page: str) -> str:
        if page == "home":
            return reverse("home:home")
        if page == "participants":
            return reverse("participants:list")
        if page == "projects":
            return reverse("projects:project_list")
        if page == "schedule":
            return reverse("fieldwork:schedule")
        leader = demo_user("teamleader")
        worker = pick(
            Participant.objects.visible_to(leader).filter(organisation=home_org, status=PathwayStatus.HIRED),
            "hired worker of the home organisation that the demo team leader sees (in their team today)",
        )
        return worker.get_absolute_url()

    return url


@pytest.mark.parametrize(("page", "role"), list(EXACT))
def test_hottest_pages_make_an_exact_number_of_queries(page, role, client_as, url_of):
    client, url = client_as(role), url_of(page)
    client.get(url)  # the first request of a session may write it: count a steady one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    sql = "\n".join(q["sql"] for q in queries.captured_queries)
    expected = EXACT[(page, role)]
    if TEST_TODAY == DEFAULT_TEST_TODAY:
        assert len(queries) == expected, f"{page} as {role}: {len(queries)} queries\n{sql}"
    else:
        assert expected - OTHER_DAY_SLACK <= len(queries) <= expected, f"{page} as {role}: {len(queries)}\n{sql}"
