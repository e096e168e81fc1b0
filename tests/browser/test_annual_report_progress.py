"""End-to-end: network staff ask for the annual activity report of a year and follow it on its page. The site runs
no task by itself, so the test sees the queued report's progress bar polled (htmx) unchanged, starts the task
worker, and sees the same page (never reloaded) move the bar while the report is prepared, then say it is ready
and offer the PDF and the workbook, both of which download and open."""

import io
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# every state #report-status takes on the page, as htmx swaps it in (status and progress)
WATCH_STATUS = """(() => {
  window.seenStatus = [];
  window.polls = 0;
  window.notReloaded = true;
  const note = () => {
    const el = document.querySelector("#report-status");
    if (!el) return;
    const bar = el.querySelector("[role=progressbar]");
    const state = `${el.dataset.status}:${bar ? bar.getAttribute("aria-valuenow") : "-"}`;
    if (window.seenStatus.at(-1) !== state) window.seenStatus.push(state);
  };
  note();
  new MutationObserver(note).observe(document.querySelector("#report-status").parentElement,
                                     {childList: true, subtree: true, attributes: true});
  document.body.addEventListener("htmx:beforeRequest", () => { window.polls += 1; });
})()"""


def _until(page, expression: str, *, seconds: float):
    """Wait until ``expression`` is true in the page (``wait_for_function`` would evaluate a string, which the
    site's Content Security Policy forbids)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still not {expression} after {seconds} s"
        page.wait_for_timeout(200)


def test_staff_follow_the_annual_report_until_its_files_are_ready(page, login, task_worker):
    login(page, "staff")
    page.goto("/reporting/annual-report/")
    form = page.get_by_test_id("report-form")
    year = form.locator("select[name=year]").input_value()
    with page.expect_navigation():
        form.get_by_role("button", name="Prepare the report").click()
    expect(page).to_have_url(re.compile(r"/reporting/annual-report/\d+/$"))
    expect(page.locator("h1")).to_contain_text(f"Annual activity report {year}")
    expect(page.get_by_text("The report is being prepared")).to_be_visible()

    status = page.locator("#report-status")
    bar = status.get_by_role("progressbar")
    expect(status).to_have_attribute("data-status", "queued")
    expect(bar).to_be_visible()
    expect(bar).to_have_attribute("aria-valuenow", "0")
    page.evaluate(WATCH_STATUS)
    # the page asks for the status every 2 s: the second poll comes from the status the first one swapped in, and
    # the report is still queued, the bar still shown
    _until(page, "window.polls >= 2", seconds=15)
    expect(bar).to_be_visible()
    expect(status).to_have_attribute("data-status", "queued")

    worker = task_worker()
    # the worker takes the report: the polled bar moves, with the step being prepared
    expect(status).to_have_attribute("data-status", "running", timeout=60_000)
    expect(bar).to_have_attribute("aria-valuenow", re.compile(r"^[1-9][0-9]?$"))
    expect(status).to_contain_text("Being prepared")
    # the bar is drawn to its share (its width is set by the page's script: the site's CSP forbids style attributes)
    drawn = page.evaluate(
        """() => { const b = document.querySelector("#report-status .progress-bar");
                   return b ? [b.getBoundingClientRect().width, b.parentElement.getBoundingClientRect().width,
                               Number(b.dataset.progress)] : null; }"""
    )
    assert drawn is None or (drawn[0] > 0 and abs(drawn[0] / drawn[1] * 100 - drawn[2]) < 2), drawn
    # then the notice and the two files
    expect(status.get_by_role("status")).to_have_text("The report is ready.", timeout=180_000)
    expect(bar).to_have_count(0)
    assert worker.wait(timeout=60) == 0
    assert page.evaluate("window.notReloaded") is True  # the same page, updated by its polls
    seen = page.evaluate("window.seenStatus")
    assert seen[0] == "queued:0" and seen[-1] == "ready:-", seen
    running = [int(s.split(":")[1]) for s in seen if s.startswith("running:")]
    assert running and all(0 < p < 100 for p in running) and running == sorted(running), seen

    with page.expect_download() as pdf:
        status.get_by_role("link", name="PDF").click()
    assert pdf.value.suggested_filename.startswith(f"annual-report-{year}-")
    assert pdf.value.suggested_filename.endswith(".pdf")
    assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"

    with page.expect_download() as xlsx:
        status.get_by_role("link", name="Workbook (XLSX)").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(Path(xlsx.value.path()).read_bytes()))
    assert workbook.sheetnames[0] == "Headline figures"
    assert "Communes covered" in workbook.sheetnames
