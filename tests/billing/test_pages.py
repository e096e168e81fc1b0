"""The billing pages as each role meets them: a finance officer prepares, previews and issues a month, downloads
the PDF and the UBL, records a payment and a credit note; the board reads; a commune officer reads only the
commune's invoices; the ministry reads none; the exports and the API give the same rows."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from moulin.billing import services
from moulin.billing.enums import InvoiceStatus
from moulin.billing.models import Batch, CreditNote, Invoice, Payment
from moulin.contracts.agreements import commune_counterparty
from moulin.contracts.models import Counterparty
from moulin.organisations.models import Organisation
from tests.billing.conftest import add_contract
from tests.picking import pick


@pytest.fixture
def finance_org(demo_user):
    user = demo_user("finance")
    return Organisation.objects.get(pk=min(user.scope.finance_org_ids))


def test_prepare_preview_issue_pdf_ubl_payment_credit_note(client_as, org, care_work, public_contract, month,
                                                           demo_user):  # fmt: skip
    client = client_as("staff")
    page = client.get(reverse("billing:batch_create"))
    assert page.status_code == 200
    response = client.post(reverse("billing:batch_create"), {"organisation": org.pk, "month": month.isoformat()})
    batch = Batch.objects.get(organisation=org, month=month)
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    preview = client.get(batch.get_absolute_url()).content.decode()
    assert "no invoice has a number yet" in preview and "Zahlenmeyer" in preview
    assert client.post(reverse("billing:batch_issue", args=[batch.pk]), {}).status_code == 302
    invoice = Invoice.objects.get(batch=batch, contract__isnull=False)
    assert invoice.status == InvoiceStatus.ISSUED

    detail = client.get(invoice.get_absolute_url()).content.decode()
    assert "passes the UBL 2.1 schema" in detail
    pdf = client.get(reverse("billing:invoice_pdf", args=[invoice.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    ubl = client.get(reverse("billing:invoice_ubl", args=[invoice.pk]))
    assert ubl["Content-Type"] == "application/xml" and invoice.number.encode() in ubl.content

    too_much = client.post(
        reverse("billing:payment_create", args=[invoice.pk]),
        {"amount": "2000.01", "paid_on": invoice.issued_on.isoformat(), "method": "transfer"},
    )
    assert too_much.status_code == 422 and "more than the balance" in too_much.content.decode()
    assert not Payment.objects.filter(invoice=invoice).exists()
    client.post(reverse("billing:payment_create", args=[invoice.pk]),
                {"amount": "500", "paid_on": invoice.issued_on.isoformat(), "method": "transfer"})  # fmt: skip
    refused = client.post(reverse("billing:credit_note_create", args=[invoice.pk]),
                          {"amount": "2000.01", "reason": "x"})  # fmt: skip
    assert refused.status_code == 422 and "more than what remains" in refused.content.decode()
    client.post(reverse("billing:credit_note_create", args=[invoice.pk]), {"amount": "100", "reason": "One week off"})
    note = CreditNote.objects.get(invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.balance == 1400
    assert client.get(reverse("billing:credit_note_pdf", args=[note.pk])).content.startswith(b"%PDF")
    assert b"<cbc:CreditNoteTypeCode>381" in client.get(reverse("billing:credit_note_ubl", args=[note.pk])).content

    care = Invoice.objects.get(batch=batch, beneficiary__isnull=False)
    no_ubl = client.get(reverse("billing:invoice_ubl", args=[care.pk]))  # no e-invoice to a person
    assert no_ubl["Content-Type"].startswith("text/html") and "without a Peppol address" in no_ubl.content.decode()


def test_a_ubl_that_breaks_a_rule_is_not_offered_and_the_rule_is_shown(client_as, org, public_contract, month,
                                                                       demo_user):  # fmt: skip
    batch = services.prepare_batch(actor=demo_user("staff"), organisation=org, month=month)
    Invoice.objects.filter(batch=batch).update(buyer_peppol_scheme="9999")
    services.issue_batch(batch, actor=demo_user("staff"), on=month + datetime.timedelta(days=33), validate_ubl=False)
    invoice = Invoice.objects.get(batch=batch)
    response = client_as("staff").get(reverse("billing:invoice_ubl", args=[invoice.pk]))
    assert response.status_code == 422
    body = response.content.decode()
    assert "cannot be sent over Peppol" in body and "BR-CL-25" in body


def test_a_board_member_reads_the_organisation_s_invoices_but_changes_nothing(client_as, demo_user):
    board = demo_user("board")
    invoice = pick(Invoice.objects.visible_to(board).numbered().filter(status=InvoiceStatus.ISSUED), "open invoice")
    client = client_as("board")
    assert client.get(invoice.get_absolute_url()).status_code == 200
    assert client.get(reverse("billing:payment_create", args=[invoice.pk])).status_code == 403
    assert client.get(reverse("billing:batch_create")).status_code == 403
    orgs = set(Invoice.objects.visible_to(board).values_list("organisation", flat=True))
    assert orgs == set(board.scope.org_ids("board_member"))


def test_the_finance_officer_handles_the_organisation_s_invoices_only(client_as, demo_user, finance_org):
    user = demo_user("finance")
    assert set(Invoice.objects.visible_to(user).values_list("organisation", flat=True)) == {finance_org.pk}
    outside = pick(Invoice.objects.exclude(organisation=finance_org).numbered(), "invoice of another organisation")
    assert client_as("finance").get(outside.get_absolute_url()).status_code == 404
    network = demo_user("finance.network")
    assert Invoice.objects.visible_to(network).count() == Invoice.objects.count()


def test_a_commune_officer_reads_the_commune_s_invoices_never_a_beneficiary_s(client_as, demo_user, org, month):
    officer = demo_user("commune")
    commune_id = min(officer.scope.commune_ids)
    from moulin.territory.models import Commune

    party = commune_counterparty(Counterparty, Commune.objects.get(pk=commune_id))
    Counterparty.objects.filter(pk=party.pk).update(peppol_scheme="0240", peppol_id="9000000042",
                                                    address="Place de l'Hôtel de Ville")  # fmt: skip
    party.refresh_from_db()
    add_contract(org, party)
    batch = services.prepare_batch(actor=demo_user("staff"), organisation=org, month=month)
    services.issue_batch(batch, actor=demo_user("staff"), on=month + datetime.timedelta(days=33))
    visible = Invoice.objects.visible_to(officer)
    assert visible.filter(batch=batch).count() == 1
    assert not visible.filter(beneficiary__isnull=False).exists()
    client = client_as("commune")
    listed = client.get(reverse("billing:list")).content.decode()
    assert batch.invoices.get().number in listed
    assert client.get(reverse("billing:batch_list")).status_code == 403
    commune_page = client.get(Commune.objects.get(pk=commune_id).get_absolute_url()).content.decode()
    assert "Billed under the contracts" in commune_page and "Entretien des espaces verts" in commune_page


def test_the_ministry_reads_no_invoice(client_as):
    client = client_as("ministry")
    for name in ["billing:list", "billing:batch_list", "billing:payment_list", "billing:credit_note_list"]:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get("/api/v1/invoices/").json()["items"] == []


def test_the_accountant_s_exports_give_the_period_s_rows(client_as, demo_user):
    user = demo_user("staff")
    client = client_as("staff")
    day = pick(Invoice.objects.numbered().order_by("-issued_on"), "issued invoice").issued_on
    start, end = day.replace(day=1), services.month_end(day)
    expected = Invoice.objects.numbered().filter(issued_on__gte=start, issued_on__lte=end)
    params = {"issued_from": start.isoformat(), "issued_until": end.isoformat()}
    csv = client.get(reverse("billing:list"), {**params, "export": "csv"}).content.decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == expected.count() + 1
    xlsx = client.get(reverse("billing:list"), {**params, "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == expected.count() + 1
    payments = Payment.objects.visible_to(user).filter(paid_on__gte=start, paid_on__lte=end)
    csv = client.get(reverse("billing:payment_list"), {"date_from": start.isoformat(), "date_until": end.isoformat(),
                                                       "export": "csv"}).content.decode("utf-8-sig")  # fmt: skip
    assert len(csv.strip().splitlines()) == payments.count() + 1
    xlsx = client.get(reverse("billing:credit_note_list"), {"export": "xlsx"})
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.max_row == CreditNote.objects.count() + 1


@pytest.mark.parametrize("role", ["staff", "finance", "board", "commune", "manager"])
def test_the_api_lists_what_the_pages_list(role, client_as, demo_user):
    user = demo_user(role)
    client = client_as(role)
    data = client.get("/api/v1/invoices/", {"page_size": 1000}).json()
    visible = Invoice.objects.visible_to(user).numbered()
    assert data["count"] == visible.count()
    outside = Invoice.objects.numbered().exclude(pk__in=visible.values("pk")).first()
    if outside is not None:
        assert client.get(f"/api/v1/invoices/{outside.pk}").status_code == 404
    inside = visible.first()
    if inside is not None:
        body = client.get(f"/api/v1/invoices/{inside.pk}").json()
        assert body["number"] == inside.number and len(body["lines"]) == inside.lines.count()
    payments = client.get("/api/v1/invoices/payments").json()
    assert payments["count"] == Payment.objects.visible_to(user).count()


@pytest.mark.parametrize("name", ["billing:list", "billing:payment_list", "billing:credit_note_list",
                                  "billing:batch_list"])  # fmt: skip
def test_list_pages_have_a_bounded_number_of_queries(name, client_as, django_assert_max_num_queries):
    client = client_as("staff")
    with django_assert_max_num_queries(25):
        assert client.get(reverse(name)).status_code == 200
