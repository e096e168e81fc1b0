"""End-to-end: local strategic planning as a manager meets it — record a need in a commune, start a project
answering it, add an indicator with a year's figures, see the chain on the project page and the need addressed."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NEED = "Footpaths overgrown behind the Nonnewisen school"
PROJECT = "Sentiers de Nonnewisen"


def test_need_to_project_to_indicator(page, login):
    login(page, "manager")

    # the commune page lists its needs and offers to record one
    page.goto("/territory/communes/?q=Esch-sur-Alzette")
    page.get_by_role("link", name="Esch-sur-Alzette", exact=True).click()
    expect(page.locator("#needs")).to_be_visible()
    expect(page.locator("#projects")).to_be_visible()
    page.locator("#needs").get_by_role("link", name="Record a need").click()

    expect(page.locator("#id_commune option:checked")).to_have_text("Esch-sur-Alzette")
    page.locator("#id_title").fill(NEED)
    page.locator("#id_raised_by").select_option("council")
    page.locator("#id_domain").select_option(label="Environment")
    page.locator("#id_priority").select_option("3")
    page.locator("#id_description").fill("Raised by the commune council: paths no longer usable by residents.")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("h1")).to_have_text(NEED)
    expect(page.get_by_test_id("need-status")).to_have_text("Identified")

    # a project answering it: the form arrives with the need, its commune and its domain
    page.get_by_role("link", name="Start a project answering it").click()
    expect(page.locator("#id_needs option:checked")).to_contain_text(NEED)
    expect(page.locator("#id_communes option:checked")).to_have_text("Esch-sur-Alzette")
    page.locator("#id_organisation").select_option(label="CIGL Esch-sur-Alzette")
    page.locator("#id_name").fill(PROJECT)
    page.locator("#id_status").select_option("running")
    page.locator("#id_objectives").fill("Reopen 4 km of paths; two jobs for jobseekers.")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("h1")).to_have_text(PROJECT)
    expect(page.locator("#needs")).to_contain_text(NEED)

    # an indicator, then a year's target and actual
    page.locator("#indicators").get_by_role("link", name="Add indicator").click()
    page.locator("#id_name").fill("Paths reopened")
    page.locator("#id_unit").fill("km")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#indicators")).to_contain_text("Paths reopened")
    page.locator("#indicators").get_by_role("link", name="Add a year").click()
    page.locator("#id_target").fill("4")
    page.locator("#id_actual").fill("1.5")
    page.get_by_role("button", name="Save").click()

    # the chain on the project page: need, indicator against its target (chart drawn)
    expect(page.locator("h1")).to_have_text(PROJECT)
    expect(page.locator("#indicators table")).to_contain_text("1.50")
    expect(page.locator("canvas.indicator-chart")).to_have_attribute("data-ready", "1")

    # the need is now addressed, by this project
    page.locator("#needs").get_by_role("link", name=NEED).click()
    expect(page.get_by_test_id("need-status")).to_have_text("Addressed by a project")
    expect(page.locator("#projects")).to_contain_text(PROJECT)

    # and the commune's planning for this year counts it
    page.locator(".text-body-secondary a").first.click()
    expect(page.locator("#needs")).to_contain_text(NEED)
    page.locator("#needs").get_by_role("link", name="Planning").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"Esch-sur-Alzette"))
    expect(page.locator("main")).to_contain_text(PROJECT)
    expect(page.locator("[data-figure=addressed]")).not_to_have_text("0")

    # printable for the council meeting
    href = page.get_by_role("link", name="PDF for the council").get_attribute("href")
    pdf = page.request.get(href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_declining_without_a_reason_is_refused(page, login, allow_console_errors):
    allow_console_errors(r"status of 422")
    login(page, "commune")
    page.goto("/needs/?status=identified")
    page.locator("#results tbody a").first.click()
    page.get_by_role("link", name="Change status").click()
    page.locator("#id_transition").select_option("decline")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-field-error=decline_reason]")).to_be_visible()
    page.locator("#id_decline_reason").fill("The commune handles it with its own staff.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("need-status")).to_have_text("Declined")
