"""The home page's cache (moulin/home/cache.py, decision 0011): a write shows on the very next home request, for
every role, and each user gets their own page — the one they would get without the cache."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from moulin.core import dataversion
from moulin.organisations.models import Organisation, VolunteerHours

ROLES = ("admin", "staff", "manager", "coach", "teamleader", "board", "commune", "ministry")
MAIN = re.compile(r"<main\b.*</main>", re.DOTALL)


def commit():
    """What the commit of the test's transaction does for the data version: run its on-commit bump. (The test's
    data is rolled back at the end as usual; a real commit is what ``Bump`` waits for in production.)"""
    bumps = [entry for entry in connection.run_on_commit if isinstance(entry[1], dataversion.Bump)]
    connection.run_on_commit = [entry for entry in connection.run_on_commit if entry not in bumps]
    for _savepoints, callback, _robust in bumps:
        callback()


def main(client) -> str:
    response = client.get(reverse("home:home"))
    assert response.status_code == 200
    return MAIN.search(response.content.decode()).group(0)


def uncached_main(client) -> str:
    with override_settings(MOULIN_DATA_CACHE_SECONDS=0):
        return main(client)


def figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1)


@pytest.fixture
def clients(client_as):
    made = {role: client_as(role) for role in ROLES}
    commit()  # signing in wrote each user's last login
    return made


def test_cached_page_is_served_without_its_queries(clients):
    client = clients["coach"]
    with CaptureQueriesContext(connection) as first:
        main(client)
    with CaptureQueriesContext(connection) as second:
        main(client)
    # the session and the data version (for the user and for the page): none of the figures', panels' or scope's
    reads = [q["sql"] for q in second.captured_queries if q["sql"].startswith("SELECT")]
    assert 0 < len(reads) <= 3 < len(first)
    assert all(re.search(r'FROM "?(django_session|core_dataversion)\b', sql) for sql in reads), reads


def test_every_role_gets_their_own_page_from_the_cache(clients):
    pages = {role: main(client) for role, client in clients.items()}  # every role's page in the cache
    for role, client in clients.items():
        assert main(client) == pages[role] == uncached_main(client), role
    assert len(set(pages.values())) == len(ROLES)  # no two roles share a page


@pytest.mark.parametrize("role", ROLES)
def test_a_write_shows_on_the_next_home_request(clients, role):
    client = clients[role]
    before = main(client)
    assert main(client) == before  # served from the cache now
    organisation = Organisation.objects.counted_for(client.user).filter(is_active=True).order_by("pk").first()
    # bulk_create sends no signal: the data version sees the INSERT itself
    VolunteerHours.objects.bulk_create(
        [VolunteerHours(organisation=organisation, volunteer_name="Lynn", date=timezone.localdate(),
                        hours=Decimal("7"), activity="Fair")]
    )  # fmt: skip
    commit()
    after = main(client)
    assert figure(after, "volunteering") != figure(before, "volunteering")
    assert after == uncached_main(client)


def test_an_update_of_a_queryset_shows_on_the_next_home_request(clients):
    client = clients["ministry"]
    before = main(client)
    Organisation.objects.filter(is_active=True, kind="member").update(is_active=False)  # no signal either
    commit()
    after = main(client)
    assert figure(after, "members").strip() == "0" != figure(before, "members").strip()


def test_a_pending_write_of_this_transaction_bypasses_the_cache(clients):
    client = clients["admin"]
    main(client)
    Organisation.objects.filter(is_active=True, kind="member").update(is_active=False)
    assert dataversion.pending(connection)
    assert figure(main(client), "members").strip() == "0"  # not the cached page, and nothing cached under it
    connection.run_on_commit = [e for e in connection.run_on_commit if not isinstance(e[1], dataversion.Bump)]
    Organisation.objects.filter(kind="member").update(is_active=True)  # back as it was, and committed
    commit()
    assert figure(main(client), "members").strip() != "0"


@pytest.mark.parametrize(
    "sql",
    [
        'INSERT INTO "organisations_volunteerhours" ("hours") VALUES (%s)',
        'UPDATE "organisations_organisation" SET "name" = %s',
        'DELETE FROM "projects_need" WHERE "id" = %s',
        "WITH k(n) AS (VALUES (1)) INSERT INTO x SELECT n FROM k",
        'INSERT OR IGNORE INTO "organisations_organisation_members" ("a") VALUES (1)',
        "TRUNCATE organisations_volunteerhours",
        "DROP TABLE x",
    ],
)
def test_statements_that_write(sql):
    assert dataversion.writes(sql)


@pytest.mark.parametrize(
    "sql",
    [
        'SELECT COUNT(*) FROM "organisations_organisation"',
        "  select 1",
        "WITH k(n) AS (VALUES (1)) SELECT n FROM k",
        "BEGIN IMMEDIATE",
        "SAVEPOINT s1",
        "RELEASE SAVEPOINT s1",
        "PRAGMA foreign_keys = ON",
        'UPDATE "django_session" SET "session_data" = %s WHERE "session_key" = %s',
        'INSERT INTO "axes_accessattempt" ("username") VALUES (%s)',
        'INSERT INTO "core_auditevent" ("action") VALUES (%s)',  # a person page's read audit
    ],
)
def test_statements_that_change_nothing_a_page_shows(sql):
    assert not dataversion.writes(sql)


def test_a_save_and_raw_sql_mark_the_transaction_and_change_the_version(home_org):
    commit()
    assert not dataversion.pending(connection)
    version = dataversion.current(connection)
    Organisation.objects.count()  # a read
    assert not dataversion.pending(connection)
    home_org.save(update_fields=["name"])
    assert dataversion.pending(connection)
    assert dataversion.current(connection) is None  # nothing cached while this transaction holds a write
    commit()
    assert dataversion.current(connection) not in (None, version)
    version = dataversion.current(connection)
    with connection.cursor() as cursor:  # raw SQL through Django's cursor
        cursor.execute('UPDATE "organisations_organisation" SET "name" = "name" WHERE "id" = %s', [home_org.pk])
    assert dataversion.pending(connection)
    commit()
    assert dataversion.current(connection) not in (None, version)
