"""The big lists' default sort is read from an index, whatever the size of the table: ties are broken in the sort's
own direction (``ScopedListView.apply_sort``: ``-date`` then ``-pk``), so an index on (field, id) serves the sort
either way, and the page's 25 or 50 rows are the first ones of the index instead of a sort of every row
(docs/performance.md, growth at ten times the network)."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

# the lists over the tables that grow with the years of work: (url, the table, the sort asked for)
LISTS = [
    ("/care/", "care_request", ""),
    ("/care/", "care_request", "received_on"),
    ("/care/interventions/", "care_intervention", ""),
    ("/care/surveys/", "care_survey", ""),
    ("/care/beneficiaries/", "care_beneficiary", ""),
    ("/web-cafes/visits/", "webcafe_visitday", ""),
    ("/contracts/receipts/", "contracts_receipt", ""),
    ("/field/work-orders/", "fieldwork_workorder", ""),
    ("/field/time-entries/", "fieldwork_timeentry", ""),
    ("/training/sessions/", "training_session", ""),
    ("/field/sites/", "fieldwork_site", ""),
    ("/partners/", "partners_partner", ""),
    ("/audit/", "core_auditevent", ""),
    ("/accounts/users/", "accounts_user", ""),
    ("/needs/", "projects_need", ""),
    ("/projects/", "projects_project", ""),
    ("/teams/", "projects_team", ""),
    ("/training/", "training_course", ""),
    ("/field/incidents/", "fieldwork_safetyincident", ""),
    ("/contracts/", "contracts_contract", ""),
    ("/contracts/funding/", "contracts_fundingagreement", ""),
    ("/contracts/budgets/", "contracts_budget", ""),
    ("/web-cafes/registrations/", "webcafe_registration", ""),
    ("/invoices/batches/", "billing_batch", ""),
    ("/invoices/payments/", "billing_payment", ""),
    ("/participants/", "participants_participant", ""),
    ("/training/enrolments/", "training_enrolment", ""),  # on the session's start date, then the session
    ("/reporting/records/", "participants_employmentcontract", ""),  # the year's first contracts (FIRST_CONTRACT)
]

#: lists sorted on a related row's field: the related table's index gives the order of the groups, and within a
#: group PostgreSQL sorts the few rows of one related row (an incremental sort, "Presorted Key"); SQLite's foreign
#: key index holds its rows in id order and needs no sort at all
GROUPED = {"/training/enrolments/"}
#: the index a list's default sort reads, where it is not named ``<model>_sort``
SORT_INDEX = {"/reporting/records/": "contract_start_idx"}


def page_statement(client, url, table, sort):
    with override_settings(MOULIN_PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"sort": sort} if sort else {})
    assert response.status_code == 200
    rows = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"] and "ORDER BY" in q["sql"]
    ]
    assert rows, (url, [q["sql"][:80] for q in queries.captured_queries])
    return rows[0]


@pytest.mark.parametrize(("url", "table", "sort"), LISTS)
def test_ties_follow_the_sort_direction(client_as, url, table, sort):
    sql = page_statement(client_as("admin"), url, table, sort)
    order = sql.split("ORDER BY", 1)[1]
    descending = order.split(",")[0].strip().endswith("DESC")
    assert f'"{table}"."id" {"DESC" if descending else "ASC"}' in order, order


def query_plan(sql: str) -> str:
    """The plan of ``sql``. PostgreSQL chooses by the size of the tables, and the demo's are small enough to sort
    whole: with sorting priced out (``enable_sort`` off, for this transaction only) it still sorts if no index
    gives the order."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize(("url", "table", "sort"), LISTS)
def test_the_default_sort_reads_an_index(client_as, url, table, sort):
    plan = query_plan(page_statement(client_as("admin"), url, table, sort))
    assert "TEMP B-TREE" not in plan, plan  # SQLite; nor "FOR RIGHT PART OF ORDER BY": ties sorted apart
    if url in GROUPED:
        assert "Sort Key" not in plan or "Presorted Key" in plan, plan  # PostgreSQL
    else:
        assert "Sort Key" not in plan, plan  # PostgreSQL
    assert SORT_INDEX.get(url, "_sort") in plan, plan
