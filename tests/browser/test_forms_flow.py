"""End-to-end: forms whose choices follow another field (htmx), as a coach and a manager meet them."""

import datetime
import random
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _today():
    return datetime.datetime.now(ZoneInfo("Europe/Luxembourg")).date()


def test_contract_team_follows_the_chosen_project(page, login):
    login(page, "coach")
    last = f"Teamform{random.randint(1000, 9999)}"
    page.goto("/participants/refer/")
    page.locator("#id_date").fill((_today() - datetime.timedelta(days=20)).isoformat())
    page.locator("#id_source").select_option("self")
    page.locator("#id_first_name").fill("Tessa")
    page.locator("#id_last_name").fill(last)
    page.locator("#id_birth_date").fill("1991-03-02")
    page.locator("#id_gender").select_option("woman")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("participant-name")).to_have_text(f"Tessa {last}")

    # a click waits for the new page to start, not for its scripts: a choice made before htmx is bound is lost
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Hire").click()
    project = page.locator("#id_project")
    team = page.locator("#id_team")
    options = project.locator("option")
    names = [options.nth(i).inner_text().strip() for i in range(1, options.count())]
    assert len(names) >= 2
    chosen = None
    for name in names[:4]:  # each project in turn: the team list is swapped for that project's teams
        project.select_option(label=name)
        expect(page.locator("#field-team")).to_have_attribute("data-follows-value", str(project.input_value()))
        teams = [t.strip() for t in team.locator("option").all_inner_texts()[1:]]
        assert all(t.endswith(f"({name})") for t in teams), (name, teams)
        if teams and chosen is None:
            chosen = (name, teams[0])
    assert chosen is not None, "no project of the coach's organisation has a team"
    project.select_option(label=chosen[0])
    expect(page.locator("#field-team")).to_have_attribute("data-follows-value", str(project.input_value()))
    team.select_option(label=chosen[1])
    page.locator("#id_start").fill(_today().isoformat())
    page.locator("#id_planned_end").fill((_today() + datetime.timedelta(days=300)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("pathway-status")).to_have_text("In employment with the network")
    team_name = chosen[1].rsplit(" (", 1)[0]
    expect(page.locator("#contracts")).to_contain_text(f"{chosen[0]} / {team_name}")


def _attendees(page):
    return page.locator("#field-attendees .form-check-label").all_inner_texts()


def test_board_meeting_attendees_follow_the_date_and_minutes_survive_a_refusal(page, login, allow_console_errors):
    allow_console_errors(r"status of 422 .*/meetings/new/")  # the refusal answers 422 by design
    login(page, "manager")
    page.goto("/organisations/cigl-esch-sur-alzette/meetings/new/")
    date = page.locator("#id_date")
    today = datetime.date.fromisoformat(date.input_value())  # a new meeting starts on the server's today
    now = _attendees(page)
    assert sum(label.endswith("(President)") for label in now) == 1, now

    # two years ago the former member still sat on the board; eight years ago the former president presided
    for past in (datetime.date(today.year - 2, 1, 15), datetime.date(today.year - 8, 6, 1)):
        date.fill(past.isoformat())
        date.dispatch_event("change")
        expect(page.locator("#field-attendees")).to_have_attribute("data-follows-value", past.isoformat())
        then = _attendees(page)
        assert then != now, past
        assert sum(label.endswith("(President)") for label in then) <= 1, then
    date.fill(today.isoformat())
    date.dispatch_event("change")
    expect(page.locator("#field-attendees")).to_have_attribute("data-follows-value", today.isoformat())
    assert _attendees(page) == now

    # a refusal (no date) keeps the chosen minutes file
    page.locator("#field-attendees input[type=checkbox]").first.check()
    page.locator("#id_decisions").fill("Accounts approved")
    page.locator("#id_minutes").set_input_files(
        files=[{"name": "minutes-board.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 board minutes"}]
    )
    date.fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-field-error=date]")).to_be_visible()
    expect(page.locator("#field-minutes")).to_contain_text("minutes-board.pdf")
    meeting_day = today.replace(day=28)  # the demo's meetings fall between the 3rd and the 25th
    date.fill(meeting_day.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Download the minutes")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Accounts approved")


def test_long_selects_are_searchable_and_multiple_choice_needs_no_ctrl(page, login):
    login(page, "manager")
    page.goto("/projects/new/")
    expect(page.locator("#id_organisation")).to_have_value(re.compile(r"\d+"))  # their only organisation
    communes = page.locator("#id_communes")
    search = page.locator("#field-communes input.chooser-search")
    search.fill("esch")
    visible = communes.locator("option:not([hidden])")
    names = visible.all_inner_texts()
    assert names and all("esch" in n.lower() for n in names), names
    visible.nth(0).click()
    search.fill("kayl")
    communes.locator("option:not([hidden])").first.click()  # a plain click adds to the choice
    chosen = communes.evaluate("s => Array.from(s.selectedOptions).map(o => o.textContent.trim())")
    assert chosen == sorted([names[0], "Kayl"]) or set(chosen) == {names[0], "Kayl"}, chosen
    expect(page.locator("#field-communes .chooser-summary")).to_contain_text("2 selected")


def test_project_table_fits_a_1366_pixel_screen(new_page, login):
    page = new_page(viewport={"width": 1366, "height": 768})
    login(page, "staff")
    page.goto("/projects/")
    table = page.locator("#results .table-responsive")
    expect(table).to_be_visible()
    overflow = table.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow <= 1, f"the project table is cut off by {overflow} px"


def _choose_language(page, url, code):
    """Switch the signed-in user's language from a fully loaded page (the choice is saved on the account)."""
    for _attempt in range(2):
        page.goto(url)
        page.wait_for_load_state("load")
        with page.expect_navigation():
            page.locator("#language-form select").select_option(code)
        page.goto(url)
        if page.locator("html").get_attribute("lang") == code:
            return
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_french_esf_card_breaks_lines_between_words(new_page, login):
    page = new_page(viewport={"width": 1366, "height": 900})
    login(page, "coach")
    last = f"Carte{random.randint(1000, 9999)}"
    page.goto("/participants/refer/")
    page.locator("#id_date").fill((_today() - datetime.timedelta(days=10)).isoformat())
    page.locator("#id_source").select_option("self")
    page.locator("#id_first_name").fill("Chloé")
    page.locator("#id_last_name").fill(last)
    page.locator("#id_birth_date").fill("1988-09-30")
    page.locator("#id_gender").select_option("woman")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("participant-name")).to_have_text(f"Chloé {last}")
    person_url = page.url
    page.locator("#entry-data").get_by_role("link", name="Record").click()
    page.locator("#id_labour_market_status").select_option("long_term_unemployed")
    page.locator("#id_education_level").select_option("2")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#entry-data")).to_contain_text("Long-term unemployed")
    # the language choice is saved on the shared demo coach: always switch back, other tests read English
    try:
        _choose_language(page, person_url, "fr")
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        for cell in page.locator("#entry-data dd").all():
            box = cell.bounding_box()
            assert box["width"] >= 100, f"a value of the ESF+ card is squeezed into {box['width']:.0f} px"
        for label in page.locator("#entry-data dt").all():
            words = label.inner_text().split()
            # every line holds at least one whole word: no label is cut letter by letter
            height, line = label.bounding_box()["height"], 24
            assert height <= line * len(words), label.inner_text()
    finally:
        _choose_language(page, person_url, "en")
