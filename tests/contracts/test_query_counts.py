"""The money lists make an exact number of queries, whatever the number of rows (see tests/test_query_counts.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.clock import DEFAULT_TEST_TODAY, TEST_TODAY

EXACT = {
    ("contracts:list", "staff"): 8,  # with the commune filter's options
    ("contracts:list", "finance"): 8,
    ("contracts:list", "commune"): 8,
    ("contracts:funding_list", "staff"): 7,
    ("contracts:receipt_list", "finance"): 7,
    ("contracts:budget_list", "board"): 7,
    ("contracts:counterparty_list", "staff"): 7,
    ("contracts:funding_mix", "staff"): 12,
    ("contracts:funding_mix", "ministry"): 8,
    ("core:audit_list", "board"): 6,
}


@pytest.mark.parametrize(("name", "role"), list(EXACT))
def test_money_lists_make_an_exact_number_of_queries(name, role, client_as):
    client, url = client_as(role), reverse(name)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    expected = EXACT[(name, role)]
    if TEST_TODAY == DEFAULT_TEST_TODAY:
        assert len(queries) == expected, f"{name} as {role}: {len(queries)} queries"
    else:
        assert expected - 3 <= len(queries) <= expected, f"{name} as {role}: {len(queries)} queries"
