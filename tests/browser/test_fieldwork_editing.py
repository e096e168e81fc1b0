"""On a phone (375 px wide): the team leader ticks a work order's checklist from the time sheet, then corrects a
time entry of their team."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


def test_team_leader_ticks_the_checklist_on_the_phone(new_page, login):
    page = new_page(**PHONE)
    login(page, "teamleader")
    page.locator("[data-panel=work-today]").get_by_role("link", name="Hours", exact=True).first.click()
    form = page.locator("[data-testid=checklist-form]")
    expect(form).to_be_visible()
    box = form.locator("input[type=checkbox]").first
    box.check()
    form.get_by_role("button", name="Save the checklist").click()
    expect(page.locator("form[data-time-sheet]")).to_be_visible()  # back on the time sheet
    form = page.locator("[data-testid=checklist-form]")
    expect(form.locator("input[type=checkbox]").first).to_be_checked()
    expect(form).to_contain_text("ticked by")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone


def test_team_leader_corrects_a_time_entry_on_the_phone(new_page, login):
    page = new_page(**PHONE)
    login(page, "teamleader")
    page.goto("/field/time-entries/?kind=coaching")
    page.locator("#results tbody a").first.click()
    expect(page.locator("[data-testid=hours]")).to_be_visible()
    page.get_by_role("link", name="Edit").click()
    page.locator("input[name=hours]").fill("0.75")
    page.locator("input[name=note]").fill("Corrected on the phone")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.locator("[data-testid=hours]")).to_have_text("0.75 h")
    expect(page.get_by_text("Corrected on the phone")).to_be_visible()
