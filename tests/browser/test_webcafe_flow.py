"""End-to-end: a visitor, not signed in, opens a commune's public web café page, registers for a coming course
with places left, and is told they are registered; the page then shows one place less, and the web café's staff
find the registration, made from the public page, in their list."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

VISITOR = "Alex Visiteur-Navigateur"


def _public_page_with_a_course(page, login):
    """The public page of a web café with a coming course that has places left (found as network staff, through
    the web cafés' own pages)."""
    login(page, "staff")
    page.goto("/web-cafes/")
    venues = [a.get_attribute("href") for a in page.locator("main table tbody a").all()]
    for href in venues:
        page.goto(href)
        public = page.get_by_role("link", name="Public page").get_attribute("href")
        page.goto(public)
        if page.locator("[data-testid=course]", has=page.get_by_role("link", name="Register", exact=True)).count():
            return public
    raise AssertionError("no web café of the demo has a coming course with places left")


def _places_left(course) -> int:
    return int(re.search(r"(\d+) places? left", course.inner_text()).group(1))


def test_a_visitor_registers_for_a_public_course(new_page, login, allow_console_errors):
    allow_console_errors(r"status of 422")  # the form sent without the agreement comes back with its error
    staff = new_page()
    public = _public_page_with_a_course(staff, login)

    visitor = new_page()
    visitor.goto(public)
    expect(visitor.locator("h1")).to_contain_text("Web cafés in")
    expect(visitor.get_by_test_id("venue").first).to_be_visible()
    register = visitor.get_by_test_id("course").get_by_role("link", name="Register", exact=True).first
    href = register.get_attribute("href")
    course = visitor.get_by_test_id("course").filter(has=visitor.locator(f"a[href='{href}']"))
    title = course.locator(".fw-semibold").inner_text()
    places = _places_left(course)
    register.click()
    expect(visitor.locator("h1")).to_have_text(f"Register for “{title}”")

    # without the agreement to keep the details, the form says why and keeps what was typed
    visitor.get_by_label("Your name").fill(VISITOR)
    visitor.get_by_label("Phone").fill("621 123 456")
    visitor.wait_for_timeout(3500)  # a person takes a few seconds (faster is taken for a robot: see care.public)
    visitor.get_by_role("button", name="Register", exact=True).click()
    expect(visitor.locator("[data-field-error=consent]")).to_contain_text("We need your agreement")
    expect(visitor.get_by_label("Your name")).to_have_value(VISITOR)

    visitor.get_by_label(re.compile("I agree that the web café keeps these details")).check()
    visitor.wait_for_timeout(3500)
    visitor.get_by_role("button", name="Register", exact=True).click()
    expect(visitor.locator("h1")).to_have_text("Thank you")
    expect(visitor.get_by_test_id("registered-course")).to_have_text(f"You are registered for “{title}”.")

    visitor.get_by_role("link", name="Back to the web cafés").click()
    again = visitor.get_by_test_id("course").filter(has=visitor.locator(f"a[href='{href}']"))
    if places > 1:
        assert _places_left(again) == places - 1
    else:
        expect(again).to_contain_text("Full")

    staff.goto("/web-cafes/registrations/?q=" + VISITOR.split()[1])
    row = staff.locator("main table tbody tr", has_text=VISITOR)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(title)
    expect(row).to_contain_text("Public page")
