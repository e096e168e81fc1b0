"""End-to-end: the hours are in the time sheets; the network's finance officer prepares last month's batch of an
organisation, checks the preview (no number yet), issues it, downloads an invoice's PDF and a public body's Peppol
UBL, records a payment and issues a credit note."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ORGANISATION = "CIGL Esch-sur-Alzette"


def test_time_entries_to_a_month_batch_to_pdf_ubl_payment_and_credit_note(new_page, login):
    admin = login(new_page(), "admin")
    admin.goto("/field/time-entries/")
    expect(admin.locator("#results tbody tr").first).to_be_visible()  # the hours worked are there

    page = login(new_page(), "finance.network")
    page.goto("/invoices/batches/new/")
    page.locator("#id_organisation").select_option(label=ORGANISATION)
    month = page.locator("#id_month option:checked").inner_text()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text(month)
    expect(page.locator("main")).to_contain_text("no invoice has a number yet")
    drafts = page.locator("main table tbody tr")
    count = drafts.count()
    assert count >= 1
    expect(drafts.first.locator("td").first).to_have_text("—")  # a draft has no number

    page.locator("[data-action=issue]").click()
    page.get_by_role("button", name="Issue the invoices").click()
    expect(page.locator("#messages")).to_contain_text(f"{count} invoices issued")
    first = page.locator("main table tbody tr").first.locator("td a")
    assert re.fullmatch(r"[A-Z0-9-]+-\d{4}-\d{5}", first.inner_text())
    first.click()
    pdf = page.request.get(page.get_by_role("link", name="PDF").first.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    # a public body's open invoice: its e-invoice, a payment, a credit note
    page.goto("/invoices/?q=Administration+communale&status=issued&sort=-issued_on")
    page.locator("#results tbody tr").first.get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text("passes the UBL 2.1 schema")
    with page.expect_download() as download:
        page.get_by_role("link", name="Peppol e-invoice (UBL)").click()
    xml = Path(download.value.path()).read_bytes()
    assert b"urn:fdc:peppol.eu:2017:poacc:billing:3.0" in xml and b"<cbc:InvoiceTypeCode>380" in xml

    balance = page.locator("[data-balance]").inner_text()
    page.get_by_role("link", name="Record a payment").click()
    page.locator("#id_amount").fill("10.00")
    page.locator("#id_method").select_option("transfer")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text("Payment recorded")
    expect(page.locator("#payments")).to_contain_text("Bank transfer")
    assert page.locator("[data-balance]").inner_text() != balance

    page.get_by_role("link", name="Issue a credit note").click()
    page.locator("#id_amount").fill("5.00")
    page.locator("#id_reason").fill("One visit billed twice")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text("Credit note")
    expect(page.locator("#credit-notes")).to_contain_text("One visit billed twice")
    note_ubl = page.locator("#credit-notes").get_by_role("link", name="UBL")
    response = page.request.get(note_ubl.get_attribute("href"))
    assert response.status == 200 and b"<cbc:CreditNoteTypeCode>381" in response.body()
