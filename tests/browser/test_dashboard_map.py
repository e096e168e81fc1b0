"""End-to-end: the dashboards' map of the communes covered draws under the site's Content Security Policy (the
harness fails the test on any CSP violation or console error), the same count as the figure beside it."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_ministry_sees_the_network_map(page, login):
    login(page, "ministry")
    page.goto("/reporting/")
    coverage_map = page.locator("#coverage-map")
    expect(coverage_map).to_have_class(re.compile(r"\bmap-ready\b"))
    expect(coverage_map).to_have_attribute("data-communes", "100")
    figure = page.locator("[data-figure=communes_covered] [data-value]").first.get_attribute("data-value")
    expect(coverage_map).to_have_attribute("data-covered", figure)
    expect(page.locator("#coverage-map path.commune.covered")).to_have_count(int(figure))
    page.locator("#coverage-map path.commune.covered").first.click(force=True)
    expect(page.locator(".leaflet-popup-content")).to_contain_text("covered by")


def test_a_manager_sees_the_organisations_communes(page, login):
    login(page, "manager")
    page.goto("/reporting/")
    coverage_map = page.locator("#coverage-map")
    expect(coverage_map).to_have_class(re.compile(r"\bmap-ready\b"))
    figure = page.locator("[data-figure=communes_covered] [data-value]").first.get_attribute("data-value")
    expect(coverage_map).to_have_attribute("data-covered", figure)
    assert int(figure) >= 1
    expect(page.locator(".map-legend")).to_contain_text("CIGL Esch-sur-Alzette")
