"""End-to-end: the demo coach takes a day's attendance on one screen, then closes a finished session: completes an
enrolment and downloads the certificate."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

COURSE = "Green space maintenance"


def open_session(page, period: str, sort: str):
    page.goto(f"/training/sessions/?q={COURSE.replace(' ', '+')}&period={period}&sort={sort}")
    expect(page.get_by_test_id("result-count")).not_to_contain_text("0 results")
    page.locator("#results tbody tr").first.get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text(COURSE)


def count(page, status: str) -> int:
    return int(page.locator(f"[data-testid=day-summary] [data-status={status}] [data-count]").inner_text())


def test_coach_takes_a_day_of_attendance(page, login):
    login(page, "coach")
    open_session(page, "upcoming", "start_date")  # the session running today
    page.get_by_role("link", name="Take attendance").click()
    expect(page.get_by_test_id("not-recorded")).to_be_visible()  # today's sheet: everyone present by default
    people = page.locator("#attendance-form li[data-person]")
    total = people.count()
    assert total >= 3
    assert page.locator("#attendance-form input[value=present]:checked").count() == total

    people.nth(0).locator("label", has_text="Absent").click()
    people.nth(1).locator("label", has_text="Excused").click()
    page.get_by_test_id("save-day").click()

    expect(page.locator("#sheet .alert-success")).to_contain_text("1 absent, 1 excused")
    expect(page.locator("[data-testid=day-summary] [data-status=absent] [data-count]")).to_have_text("1")
    assert count(page, "present") == total - 2
    assert count(page, "excused") == 1
    # the choice survives a reload (saved, not just shown)
    page.reload()
    assert page.locator("#attendance-form input[value=absent]:checked").count() == 1
    assert page.locator("#attendance-form input[value=excused]:checked").count() == 1

    # the session page counts the day
    page.get_by_role("link", name="Back to the session").click()
    rate = page.get_by_test_id("attendance-rate").inner_text()
    assert re.match(r"^\d+(\.\d)? %$", rate), rate


def test_coach_completes_an_enrolment_and_downloads_the_certificate(page, login):
    login(page, "coach")
    open_session(page, "past", "-start_date")  # the session that ended a few days ago
    completed_before = int(page.get_by_test_id("completed").inner_text())
    page.get_by_test_id("complete-link").first.click()
    expect(page.locator("main")).to_contain_text("A certificate will be issued.")
    page.get_by_test_id("confirm").click()

    expect(page.locator("#messages")).to_contain_text("completed the course")
    expect(page.get_by_test_id("completed")).to_have_text(str(completed_before + 1))
    link = page.get_by_test_id("certificate-link").first
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
