"""Community care in figures: the request and survey figures of a page's rows, read in a grouped query each,
are those the statement computes per service, for every role (a service with no answered survey shows no
average, not 0); sorting on them still works."""

import pytest
from django.urls import reverse

from moulin.care import services
from moulin.care.models import Request, ServiceType, Survey

ROLES = ("admin", "staff", "manager", "board", "commune", "ministry")


def page_rows(client, query=""):
    response = client.get(reverse("care:service_results") + query)
    assert response.status_code == 200
    return [obj for obj, _cells in response.context["rows"]]


@pytest.mark.parametrize("role", ROLES)
def test_each_row_shows_the_figures_of_the_statement(client_as, role):
    client = client_as(role)
    rows = page_rows(client)
    user = client.user
    expected = {
        s.pk: ((s.n_requests, s.n_referred, s.n_declined, s.n_completed), s.n_answers, s.satisfaction, s.n_recommend)
        for s in services.service_figures(
            ServiceType.objects.visible_to(user), Request.objects.counted_for(user), Survey.objects.counted_for(user)
        )
    }
    assert rows, role
    if role in ("admin", "staff", "ministry"):  # the network's figures hold answered surveys and referrals
        assert any(row.n_answers for row in rows) and any(row.n_referred for row in rows)
        assert any(0 < row.n_recommend < row.n_answers for row in rows)
    for row in rows:
        counts, n_answers, satisfaction, n_recommend = expected[row.pk]
        assert (row.n_requests, row.n_referred, row.n_declined, row.n_completed) == counts, (role, row)
        assert row.n_answers == n_answers, (role, row)
        assert (
            row.n_recommend
            == n_recommend
            == (
                Survey.objects.counted_for(user)
                .answered()
                .filter(request__service_type=row, would_recommend=True)
                .count()
            )
        ), (role, row)
        # no answer counted: no average (the statement gave 0 for a role that counts no survey at all)
        assert row.satisfaction == (satisfaction if n_answers else None), (role, row)


@pytest.mark.parametrize(
    "sort",
    [
        "satisfaction",
        "-satisfaction",
        "n_answers",
        "-n_answers",
        "-n_recommend",
        "n_requests",
        "-n_completed",
        "-n_referred",
    ],
)
def test_sorting_on_a_figure(client_as, sort):
    rows = page_rows(client_as("admin"), f"?sort={sort}")
    key = sort.lstrip("-")
    values = [getattr(row, key) for row in rows if getattr(row, key) is not None]
    assert values == sorted(values, reverse=sort.startswith("-"))
    assert len(set(values)) > 1
