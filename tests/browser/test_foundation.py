"""End-to-end: the foundation as a user meets it in a browser (login, language, organisations, map, scope, phone)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HOME_ORG = "CIGL Esch-sur-Alzette"


def test_login_lands_on_home_with_role_figures(page, login):
    login(page, "admin")
    expect(page.locator("h1")).to_have_text("Hello, Romain")
    expect(page.get_by_test_id("roles")).to_contain_text("Network administrator")
    expect(page.locator("[data-figure=members]")).to_have_text("30")
    expect(page.locator("[data-figure=coverage]")).to_contain_text("/ 100")
    covered = int(page.locator("[data-figure=coverage]").inner_text().split("/")[0])
    assert 40 <= covered <= 60, covered
    expect(page.locator("[data-figure=board]")).to_have_text(re.compile(r"^\d+$"))
    # the navbar offers the areas of the menu and the user menu
    expect(page.locator("#user-menu")).to_contain_text("Romain")
    assert page.locator("#mainnav [data-area]").count() >= 2


def test_wrong_password_is_refused(page, live_url):
    page.goto(f"{live_url}/accounts/login/")
    page.locator("input[name=username]").fill("admin@moulin.demo")
    page.locator("input[name=password]").fill("not-the-password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .alert-danger")).to_be_visible()
    assert page.url.endswith("/accounts/login/")


def choose_language(page, code):
    with page.expect_navigation():
        page.locator("#language-form select[name=language]").select_option(code)


def test_language_switch_persists(page, login):
    login(page, "staff")
    page.goto("/accounts/me/password/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text("Old password")

    choose_language(page, "fr")
    assert page.url.endswith("/accounts/me/password/"), "the switch returns to the same page"
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("main")).to_contain_text("Ancien mot de passe")  # Django's own catalog
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#language-form select")).to_have_value("fr")

    choose_language(page, "de")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("main")).to_contain_text("Altes Passwort")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "de")

    # the choice is kept on the account: a new browser session signs in to German
    page.context.clear_cookies()
    login(page, "staff")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    choose_language(page, "en")  # leave the demo user as we found it
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_organisation_search_and_detail(page, login):
    login(page, "admin")
    page.goto("/organisations/")
    count = page.get_by_test_id("result-count")
    expect(count).to_have_text("31 results")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(25)  # first page

    page.locator("#id_q").press_sequentially("Esch")
    expect(count).not_to_have_text("31 results")  # htmx replaced the results, no page load
    expect(rows.first).to_contain_text("Esch")
    assert rows.count() < 31
    expect(page).to_have_url(re.compile(r"[?&]q=Esch"))  # the filter is pushed to the address bar
    for name in rows.locator("td:first-child").all_inner_texts():
        assert name.strip()

    page.locator("#results").get_by_role("link", name=HOME_ORG, exact=True).click()
    expect(page.locator("h1")).to_have_text(HOME_ORG)
    assert page.url.endswith("/organisations/cigl-esch-sur-alzette/")
    premises = page.locator("#premises li.list-group-item")
    expect(premises.first).to_be_visible()
    assert premises.count() >= 1
    expect(page.locator("#board")).to_contain_text("Governing board")
    board_rows = page.locator("#board tbody tr")
    assert board_rows.count() >= 3
    expect(page.locator("#board")).to_contain_text("Josée Majerus")  # the board login is its president
    expect(page.locator("#agreements tbody tr").first).to_contain_text("Esch-sur-Alzette")


def test_coverage_map_draws_the_communes(page, login):
    login(page, "admin")
    page.goto("/territory/")
    coverage_map = page.locator("#coverage-map")
    expect(coverage_map).to_have_class(re.compile(r"\bmap-ready\b"))
    expect(coverage_map).to_have_attribute("data-communes", "100")
    expect(page.locator("#coverage-map path.commune")).to_have_count(100)
    covered = int(coverage_map.get_attribute("data-covered"))
    expect(page.locator("#coverage-map path.commune.covered")).to_have_count(covered)
    expect(page.get_by_test_id("coverage-figure")).to_contain_text(f"{covered} of 100 communes covered")
    assert 40 <= covered <= 60
    fills = page.eval_on_selector_all(
        "#coverage-map path.commune",
        "paths => paths.map(p => [p.classList.contains('covered'), p.getAttribute('fill')])",
    )
    assert {fill for is_covered, fill in fills if not is_covered} == {"#ffffff"}
    assert all(fill != "#ffffff" for is_covered, fill in fills if is_covered)
    expect(page.locator(".map-legend a").first).to_be_visible()  # legend of the organisations

    # a commune's popup links to its page
    page.locator("#coverage-map path.commune.covered").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("covered by")
    with page.expect_navigation():
        popup.get_by_role("link", name="Open the commune page").click()
    assert "/territory/communes/" in page.url
    expect(page.locator("h1")).to_be_visible()


def test_commune_officer_sees_only_their_scope(page, login, allow_console_errors):
    login(page, "commune")
    expect(page.get_by_test_id("roles")).to_contain_text("Commune officer")
    page.goto("/organisations/")
    names = page.locator("#results tbody tr td:first-child").all_inner_texts()
    assert HOME_ORG in names
    assert "CIGS Environnement et Patrimoine" in names  # holds an agreement with Esch-sur-Alzette
    assert "CIGR Nordstad" not in names
    assert len(names) < 31

    allow_console_errors(r"status of 404")  # the browser logs the 404 document itself
    response = page.goto("/organisations/cigr-nordstad/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator("main")).to_contain_text("outside what your role lets you see")
    expect(page.locator("main")).not_to_contain_text("Nordstad")

    # no board, no write actions
    page.goto("/organisations/cigl-esch-sur-alzette/")
    expect(page.locator("h1")).to_have_text(HOME_ORG)
    expect(page.locator("#board")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)


def test_phone_viewport(new_page, login):
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
    login(page, "teamleader")
    toggler = page.locator(".navbar-toggler")
    menu = page.locator("#mainnav")
    expect(toggler).to_be_visible()
    expect(menu).to_be_hidden()

    toggler.tap()
    expect(menu).to_be_visible()
    area = page.locator("#mainnav [data-area]").first
    area.tap()
    entry = area.locator("xpath=..").locator(".dropdown-item").first
    expect(entry).to_be_visible()
    with page.expect_navigation():
        entry.tap()
    expect(page.locator("h1")).to_be_visible()

    page.goto("/organisations/")
    expect(page.get_by_test_id("result-count")).to_have_text("1 result")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"
    page.locator("#results").get_by_role("link", name=HOME_ORG).tap()
    expect(page.locator("h1")).to_have_text(HOME_ORG)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the detail page scrolls sideways by {overflow}px on a phone"


@pytest.mark.parametrize("role", ["board", "manager"])
def test_only_network_staff_change_agreements(page, login, role):
    """Agreements make coverage: the organisation's own roles read them, only the network office writes them."""
    login(page, role)
    page.goto("/organisations/cigl-esch-sur-alzette/")
    expect(page.locator("#agreements tbody tr").first).to_be_visible()
    assert page.locator("#agreements").get_by_role("link", name="Edit").count() == 0
    assert page.locator("#agreements").get_by_role("link", name="Add agreement").count() == 0
