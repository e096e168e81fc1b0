"""End-to-end: a worker's whole pathway as the demo coach meets it — refer → intake → hire → plan → coaching →
training with certificate → exit → follow-up due, then recorded — and the exit summary PDF.

The pathway is back-dated (referred some thirteen months ago, left some seven months ago) so that the six-month
follow-up is due today; the training session is held today, while the worker is still on the pathway."""

import datetime
import random
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

COURSE = "Green space maintenance"


def iso(day: datetime.date) -> str:
    return day.isoformat()


def test_refer_to_follow_up(page, login, allow_console_errors):
    # the two refusals (measure maximum, exit before the contract) answer 422 by design
    allow_console_errors(r"status of 422 .*/contracts/new/", r"status of 422 .*/exit/new/")
    today = datetime.datetime.now(ZoneInfo("Europe/Luxembourg")).date()  # the test clock (tests/clock.py)
    days = datetime.timedelta
    last = f"Pathway{random.randint(1000, 9999)}"
    name = f"Flora {last}"
    login(page, "coach")

    # referral by ADEM
    page.goto("/participants/refer/")
    page.locator("#id_date").fill(iso(today - days(400)))
    page.locator("#id_source").select_option("pes")
    page.locator("#id_referrer").fill("ADEM Esch-sur-Alzette")
    page.locator("#id_first_name").fill("Flora")
    page.locator("#id_last_name").fill(last)
    page.locator("#id_birth_date").fill("1990-04-12")
    page.locator("#id_gender").select_option("woman")
    page.locator("#id_jobseeker_number").fill(str(random.randint(1_000_000, 9_999_999)))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("participant-name")).to_have_text(name)
    expect(page.get_by_test_id("pathway-status")).to_have_text("Referred")

    # intake interview: hire
    page.get_by_role("link", name="Intake interview").click()
    page.locator("#id_date").fill(iso(today - days(395)))
    page.locator("#id_outcome").select_option("hire")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-testid=timeline] [data-kind=intake]")).to_contain_text("Hire")

    # ESF+ entry data
    page.locator("#entry-data").get_by_role("link", name="Record").click()
    page.locator("#id_recorded_on").fill(iso(today - days(390)))
    page.locator("#id_labour_market_status").select_option("long_term_unemployed")
    page.locator("#id_education_level").select_option("2")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#entry-data")).to_contain_text("Long-term unemployed")

    # hire: an ISE contract on one of the organisation's projects; an overlap is refused first
    page.get_by_role("link", name="Hire").click()
    page.locator("#id_project").select_option(index=1)
    page.locator("#id_start").fill(iso(today - days(390)))
    page.locator("#id_planned_end").fill(iso(today - days(390) + days(800)))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-field-error=planned_end]")).to_contain_text("at most 24")
    page.locator("#id_planned_end").fill(iso(today - days(390) + days(540)))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("pathway-status")).to_have_text("In employment with the network")
    expect(page.locator("#contracts")).to_contain_text("ISE")

    # development plan: an obstacle, a goal, an action
    page.locator("#plan a[href$='/obstacles/new/']").click()
    page.locator("#id_kind").select_option("mobility")
    page.locator("#id_detail").fill("No driving licence")
    page.get_by_role("button", name="Save").click()
    page.locator("#plan a[href$='/goals/new/']").click()
    page.locator("#id_title").fill("Obtain a driving licence")
    page.get_by_role("button", name="Save").click()
    page.locator("#plan a[href$='/actions/new/']").click()
    page.locator("#id_description").fill("Register at a driving school")
    page.locator("#id_due_date").fill(iso(today - days(300)))
    page.locator("#id_status").select_option("done")
    page.locator("#id_done_on").fill(iso(today - days(310)))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("plan-actions")).to_contain_text("Register at a driving school")

    # coaching session
    page.get_by_role("link", name="Add session").click()
    page.locator("#id_date").fill(iso(today - days(360)))
    page.locator("#id_kind").select_option("careers")
    page.locator("#id_notes").fill("Wants to work outdoors; licence is the first step.")
    page.locator("#id_next_steps").fill("Apply to the green space team")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("session-notes")).to_contain_text("Wants to work outdoors")
    person_url = page.url

    # training: a one-day session today, the worker enrolled, the day's attendance, completion and certificate
    page.goto(f"/training/?q={COURSE.replace(' ', '+')}")
    page.locator("#results tbody tr").first.get_by_role("link").first.click()
    page.get_by_role("link", name="New session").click()
    page.locator("#id_start_date").fill(iso(today))
    page.locator("#id_end_date").fill(iso(today))
    page.locator(f"input[name=weekdays][value='{today.weekday()}']").check()
    page.locator("#id_hours_per_day").fill("4")
    page.locator("#id_capacity").fill("8")
    page.locator("#id_location").fill("Depot, rue du Canal")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Enrol a worker").click()
    page.locator("#id_participant").select_option(label=name)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text("is enrolled")
    page.get_by_role("link", name="Take attendance").click()
    page.get_by_test_id("save-day").click()
    page.get_by_role("link", name="Back to the session").click()
    page.locator("tr", has_text=name).get_by_test_id("complete-link").click()
    page.get_by_test_id("confirm").click()
    expect(page.locator("#messages")).to_contain_text("completed the course")
    certificate = page.locator("tr", has_text=name).get_by_test_id("certificate-link")
    expect(certificate).to_be_visible()

    # the worker's page shows the training and its certificate on the timeline
    page.goto(person_url)
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator("[data-kind=certificate]")).to_contain_text(COURSE)

    # exit (back-dated seven months): an exit before the contract start is refused first
    page.get_by_role("link", name="Record exit").click()
    page.locator("#id_date").fill(iso(today - days(400)))
    page.locator("#id_reason").select_option("job_found")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-field-error=date]")).to_contain_text("before the start of the contract")
    exit_day = today - days(200)
    page.locator("#id_date").fill(iso(exit_day))
    page.locator("#id_situation").select_option("employed_open_ended")
    page.locator("#id_situation_recorded_on").fill(iso(exit_day + days(7)))
    page.locator("#id_employer").fill("Jardinerie Schmit")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("pathway-status")).to_have_text("Left")

    # the follow-up is due: on the worker's page and in the coach's follow-up list
    follow_up = page.get_by_test_id("follow-up")
    expect(follow_up).to_contain_text("Follow-up due")
    page.goto(f"/participants/follow-ups/?q={last}")
    expect(page.get_by_test_id("result-count")).to_have_text("1 result")
    page.goto(person_url)
    page.get_by_test_id("follow-up").get_by_role("link", name="Record it").click()
    page.locator("#id_situation").select_option("employed_open_ended")
    page.locator("#id_employer").fill("Jardinerie Schmit")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("follow-up")).to_contain_text("recorded on")
    page.goto(f"/participants/follow-ups/?q={last}")
    expect(page.get_by_test_id("result-count")).to_have_text("0 results")

    # the exit summary the worker takes to their next adviser
    page.goto(person_url)
    href = page.get_by_role("link", name=re.compile("Exit summary")).get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
