"""A list page's row count kept under the data version (moulin.core.pagination): the count shown is the count
computed, for every user their own (their scope is in the statement), and a write shows on the very next request."""

import re

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moulin.fieldwork.models import WorkOrder
from tests.home.test_cache import commit

URL = reverse("fieldwork:work_order_list")


def shown_count(client, **params) -> tuple[str, list[str]]:
    with override_settings(MOULIN_PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "fieldwork_workorder" in q["sql"]]
    pager = re.search(r'data-testid="result-count">([^<]*?) results?<', response.content.decode())
    assert pager, "the pager says how many rows there are"
    return re.sub(r"\D", "", pager.group(1)), counts


def test_the_kept_count_is_the_count_and_is_read_once(client_as):
    admin = client_as("admin")
    commit()
    first, counted = shown_count(admin)
    assert first == str(WorkOrder.objects.count()) and counted
    again, counted = shown_count(admin)
    assert again == first and not counted  # kept
    with override_settings(MOULIN_DATA_CACHE_SECONDS=0):
        computed, counted = shown_count(admin)
    assert computed == first and counted


def test_each_user_and_each_filter_gets_its_own_count(client_as):
    admin, manager = client_as("admin"), client_as("manager")
    commit()
    network, _ = shown_count(admin)
    own, _ = shown_count(manager)
    assert own == str(WorkOrder.objects.visible_to(manager.user).count())
    assert int(own) < int(network)
    assert shown_count(admin)[0] == network  # neither took the other's
    searched, counted = shown_count(admin, q="zzz-no-such-work-order")
    assert searched == "0" and counted


def test_a_write_shows_in_the_count_on_the_very_next_request(client_as):
    admin = client_as("admin")
    commit()
    before, _ = shown_count(admin)
    WorkOrder.objects.filter(time_entries__isnull=True).order_by("pk").first().delete()
    commit()
    after, counted = shown_count(admin)
    assert int(after) == int(before) - 1 and counted


def test_a_list_that_can_match_nothing_counts_nothing(client_as):
    """A scope or filter Django knows to be empty (``pk__in=[]``) compiles to no statement: nothing is kept, the
    count is 0."""
    from moulin.core.pagination import KeptCountPaginator

    commit()
    with CaptureQueriesContext(connection) as queries:
        assert KeptCountPaginator(WorkOrder.objects.filter(pk__in=[]), 25).count == 0
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"]]


def test_the_survey_results_are_kept_until_a_survey_is_answered(client_as):
    """The results per organisation and service add up every answered survey the user may count: kept like the
    count, they are the computed ones, for each user their own, and an answer shows on the next request."""
    from moulin.care.models import Survey
    from moulin.care.services import survey_results

    url = reverse("care:survey_list")
    staff, manager = client_as("staff"), client_as("manager")

    def results(client):
        with override_settings(MOULIN_PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        summed = [q for q in queries.captured_queries if "AVG(" in q["sql"].upper()]
        return list(response.context["results"]), summed

    def computed(client):
        return list(survey_results(Survey.objects.counted_for(client.user)))

    commit()
    first, summed = results(staff)
    assert first == computed(staff) and first and summed
    again, summed = results(staff)
    assert again == first and not summed  # kept
    own, _ = results(manager)
    assert own == computed(manager) and own != first

    survey = Survey.objects.filter(answered_on__isnull=True).order_by("pk").first()
    survey.answered_on, survey.satisfaction, survey.would_recommend = survey.sent_on, 1, False
    survey.save()
    commit()
    after, summed = results(staff)
    assert after == computed(staff) != first and summed


def test_the_care_figures_of_a_page_are_kept_until_a_request_changes(client_as):
    """The figures per service of the page's rows (requests by status, surveys answered) are kept like the count:
    the figures shown are those computed, and a request declined shows on the next request."""
    from moulin.care.enums import RequestStatus
    from moulin.care.models import Request

    url = reverse("care:service_results")
    staff = client_as("staff")

    def figures():
        with override_settings(MOULIN_PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
            response = staff.get(url)
        assert response.status_code == 200
        grouped = [q for q in queries.captured_queries if "GROUP BY" in q["sql"] and "care_request" in q["sql"]]
        shown = {s.pk: (s.n_requests, s.n_declined, s.n_answers) for s, _cells in response.context["rows"]}
        return shown, grouped

    commit()
    first, grouped = figures()
    assert grouped
    again, grouped = figures()
    assert again == first and not grouped  # kept
    service = next(pk for pk, (n, declined, _a) in first.items() if n > declined)
    request = Request.objects.filter(service_type=service).exclude(status=RequestStatus.DECLINED).first()
    Request.objects.filter(pk=request.pk).update(status=RequestStatus.DECLINED, reason="Outside the service area")
    commit()
    after, grouped = figures()
    assert grouped and after[service][1] == first[service][1] + 1
    assert after[service][0] == first[service][0] == Request.objects.filter(service_type=service).count()


def test_the_invoice_totals_are_kept_until_a_payment_is_recorded(client_as, demo_user):
    """The totals above the invoice list add up every invoice with its payments: kept like the count, they are
    those computed, and a payment shows in them on the next request."""
    from moulin.billing import services
    from moulin.billing.enums import InvoiceStatus
    from moulin.billing.models import Invoice

    staff = client_as("staff")

    def totals():
        with override_settings(MOULIN_PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
            response = staff.get(reverse("billing:list"))
        assert response.status_code == 200
        summed = [q for q in queries.captured_queries if 'SUM("' in q["sql"] and q["sql"].startswith("SELECT COUNT(")]
        return response.context["figures"], summed

    commit()
    first, summed = totals()
    assert summed and first["count"] > 0
    again, summed = totals()
    assert again == first and not summed  # kept
    invoice = Invoice.objects.with_balance().filter(status=InvoiceStatus.ISSUED, balance_due__gt=1).first()
    services.record_payment(invoice, actor=demo_user("staff"), amount="1.00", paid_on=invoice.issued_on,
                            method="transfer")  # fmt: skip
    commit()
    after, summed = totals()
    assert summed and after["paid"] == first["paid"] + 1 and after["balance"] == first["balance"] - 1


def test_the_volunteer_hours_total_is_kept_until_hours_are_added(client_as, demo_user, home_org):
    """The total above the volunteer hours list adds up every row the user may see, whatever the page: kept like
    the count, it is the sum computed, each user gets their own, and new hours show on the next request."""
    from decimal import Decimal

    from django.db.models import Sum

    from moulin.organisations.models import VolunteerHours

    admin, manager = client_as("admin"), client_as("manager")

    def total(client):
        with override_settings(MOULIN_PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("organisations:volunteering_list"))
        assert response.status_code == 200
        summed = [q for q in queries.captured_queries if 'SUM("organisations_volunteerhours"."hours")' in q["sql"]]
        return response.context["total_hours"], summed

    commit()
    first, summed = total(admin)
    assert summed and first == VolunteerHours.objects.aggregate(t=Sum("hours"))["t"]
    again, summed = total(admin)
    assert again == first and not summed  # kept
    own, _ = total(manager)
    assert own == VolunteerHours.objects.visible_to(manager.user).aggregate(t=Sum("hours"))["t"] < first
    row = VolunteerHours.objects.filter(organisation=home_org).first()
    row.pk = None
    row.save()
    commit()
    after, summed = total(admin)
    assert summed and after == first + row.hours and isinstance(after, Decimal)
