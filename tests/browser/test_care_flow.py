"""End-to-end, community care as the issue tells it: two people ask on their commune's public form (no account);
the craft check refers the roofing job with the referral text and accepts the other; network staff schedule the
accepted one for the team leader's team; the team leader, on a phone 375 px wide, records the team's hours with
the network cut, gets them stored once when it is back, and completes the intervention; the beneficiary answers
the satisfaction survey through its one-time link."""

import re

import pytest
from playwright.sync_api import expect

from moulin.core.calendar import is_public_holiday
from tests.clock import TEST_TODAY

pytestmark = pytest.mark.browser

ESCH = "0204"  # Esch-sur-Alzette, served by the demo team leader's organisation
SERVICE = "Service de proximité Esch-sur-Alzette"
TEAM = "Équipe Esch-sur-Alzette A"  # led by teamleader@moulin.demo, on the community-care project


def ask(page, *, last_name: str, description: str) -> str:
    """Fill in the commune's public request form as a person does; return the confirmation's reference."""
    page.goto(f"/care/public/{ESCH}/request/")
    value = page.locator("select[name=service_type] option").evaluate_all(
        "(options, name) => options.find((o) => o.text.includes(name) && !o.text.includes('(2)')).value", SERVICE
    )
    page.locator("select[name=service_type]").select_option(value)
    page.locator("[name=description]").fill(description)
    page.locator("[name=first_name]").fill("Mady")
    page.locator("[name=last_name]").fill(last_name)
    page.locator("[name=address]").fill("3, rue du Parc")
    page.locator("[name=postcode]").fill("L-4001")
    page.locator("[name=phone]").fill("621 123 456")
    page.locator("[name=consent]").check()
    page.wait_for_timeout(3300)  # a person takes longer than the timing token's minimum
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_test_id("reference")).to_be_visible()
    return page.get_by_test_id("reference").inner_text().strip()


def open_request(page, reference: str):
    page.goto(f"/care/?q={reference}")
    page.locator("#results tbody tr").first.get_by_role("link", name=reference).click()
    expect(page.locator("h1")).to_contain_text(reference)


def test_public_request_to_survey(new_page, login, allow_console_errors):
    if is_public_holiday(TEST_TODAY):
        pytest.skip("nothing is scheduled on a public holiday")
    today = TEST_TODAY.isoformat()

    # 1. two people ask through the commune's public form, without an account
    public = new_page()
    roofing = ask(public, last_name="Roofwalker", description="Replace broken roof tiles after the storm")
    expect(public.get_by_test_id("referral")).to_be_visible()  # told at once where to find a craftsman
    referral = public.get_by_test_id("referral").inner_text()
    shopping = ask(public, last_name="Shopwell", description="Help with the weekly shopping, two hours")
    expect(public.get_by_test_id("referral")).to_have_count(0)
    assert roofing != shopping and re.fullmatch(r"REQ-\d{4}-\d{5}", shopping)

    # 2. the craft check, as network staff see it: one referred with the referral text, one accepted
    staff = new_page()
    login(staff, "staff")
    open_request(staff, roofing)
    expect(staff.locator("main")).to_contain_text("Referred")
    expect(staff.locator("main")).to_contain_text(referral.strip().splitlines()[0])
    expect(staff.locator("#main").get_by_role("link", name="Schedule", exact=True)).to_have_count(0)
    open_request(staff, shopping)
    expect(staff.locator("main")).to_contain_text("Accepted")

    # 3. staff schedule it for the team leader's team, today
    staff.locator("#main").get_by_role("link", name="Schedule", exact=True).click()
    team = staff.locator("select[name=team] option", has_text=TEAM).first.get_attribute("value")
    staff.locator("select[name=team]").select_option(team)
    staff.locator("[name=date]").fill(today)
    staff.locator("[name=planned_hours]").fill("2")
    staff.locator("main form button[type=submit]").click()
    expect(staff.locator("main")).to_contain_text(TEAM)

    # 4. the team leader's phone: today's hours with the network cut, then back; stored once
    phone = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    login(phone, "teamleader")
    panel = phone.locator("[data-panel=work-today]")
    expect(panel).to_be_visible()
    # the last order and worker of the day: the other phone test (test_fieldwork_offline) takes the first ones
    panel.get_by_role("link", name="Hours", exact=True).last.click()
    sheet = phone.locator("form[data-time-sheet]")
    expect(sheet).to_be_visible()
    row = sheet.locator("[data-worker]").last
    worker = row.get_attribute("data-worker")
    sheet_url = phone.url
    phone.context.set_offline(True)
    allow_console_errors(r"ERR_INTERNET_DISCONNECTED", r"An unknown error occurred when fetching the script")
    expect(phone.locator("[data-offline-banner]")).to_be_visible()
    sheet.locator("input[type=number]").evaluate_all("(inputs) => inputs.forEach((i) => { i.value = ''; })")
    row.locator("input[type=number]").fill("1.5")
    phone.get_by_role("button", name="Save the hours").click()
    phone.get_by_role("button", name="Save the hours").click()  # tapped twice: queued once
    expect(phone.locator("[data-queue-count]")).to_have_text("1")
    phone.context.set_offline(False)
    expect(phone.locator("[data-queue-banner]")).to_be_hidden()
    phone.goto(sheet_url)
    expect(phone.locator(f"[data-worker='{worker}']")).to_contain_text("1.5 h recorded")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375 + 1  # nothing wider than the phone

    # 5. the team leader completes the intervention, from the phone too
    phone.goto(f"/care/interventions/?q={shopping}")
    phone.locator("#results tbody tr").first.get_by_role("link").first.click()
    phone.get_by_role("link", name="Complete", exact=True).click()
    phone.locator("[name=completed_on]").fill(today)
    phone.locator("[name=hours]").fill("2")
    # no hours are on the intervention yet: the worker who did it (one of its team) gets them as a time entry
    phone.locator("[name=worker]").select_option(index=1)
    phone.locator("[name=note]").fill("Shopping carried up to the second floor")
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("main")).to_contain_text("Shopping carried up")
    expect(phone.get_by_role("link", name="Complete", exact=True)).to_have_count(0)

    # 6. the survey, answered through its one-time link (the person has no account)
    open_request(staff, shopping)
    expect(staff.locator("main")).to_contain_text("Completed")
    link = staff.get_by_test_id("survey-link").inner_text().strip()
    public.goto(link)
    public.locator("[name=satisfaction][value='5']").check()
    public.locator("[name=comment]").fill("Very kind team")
    public.get_by_role("button", name="Send").click()
    expect(public.get_by_test_id("thanks")).to_be_visible()
    public.goto(link)
    expect(public.locator("[name=satisfaction]")).to_have_count(0)  # one time only
    open_request(staff, shopping)
    expect(staff.locator("#survey")).to_contain_text("5 of 5")
