"""The local planning index: the communes with a need or a project the user counts, each with its counts — read
for the page's rows in two grouped queries — equal to the counts per commune the statement computes when the list
is sorted on them, for every role."""

import pytest
from django.db.models import Count
from django.urls import reverse

from moulin.projects.enums import OPEN_NEED_STATUSES
from moulin.projects.models import Need, Project

ROLES = ("admin", "staff", "manager", "coach", "board", "commune", "ministry")


def rows(client, query=""):
    response = client.get(reverse("projects:planning_index") + query)
    assert response.status_code == 200
    page = response.context["page"]
    return [obj for obj, _cells in response.context["rows"]], page.paginator.count


def expected(user):
    """Per commune: needs, open needs, project links — counted from the records themselves."""
    counts = {}
    for need in Need.objects.counted_for(user):
        n, o, p = counts.get(need.commune_id, (0, 0, 0))
        counts[need.commune_id] = (n + 1, o + (need.status in OPEN_NEED_STATUSES), p)
    links = Project.communes.through.objects.filter(project__in=Project.objects.counted_for(user).values("pk"))
    for row in links.values("commune").annotate(k=Count("pk")):
        n, o, _p = counts.get(row["commune"], (0, 0, 0))
        counts[row["commune"]] = (n, o, row["k"])
    return {pk: c for pk, c in counts.items() if c[0] or c[2]}


@pytest.mark.parametrize("role", ROLES)
def test_every_commune_counted_and_only_those(client_as, role):
    client = client_as(role)
    want = expected(client.user)
    shown, total = rows(client, "?page=1")
    assert total == len(want), role
    for commune in shown:
        assert (commune.n_needs, commune.n_open, commune.n_projects) == want[commune.pk], (role, commune)


@pytest.mark.parametrize("sort", ["n_needs", "-n_needs", "n_open", "-n_projects"])
def test_sorted_on_a_count_the_counts_are_the_same(client_as, sort):
    client = client_as("admin")
    want = expected(client.user)
    shown, total = rows(client, f"?sort={sort}")
    assert total == len(want)
    key = sort.lstrip("-")
    values = [getattr(c, key) for c in shown]
    assert values == sorted(values, reverse=sort.startswith("-"))
    for commune in shown:
        assert (commune.n_needs, commune.n_open, commune.n_projects) == want[commune.pk]
