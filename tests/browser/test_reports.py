"""The committee opens the reports from the dashboard and sees charts drawn; an HMIS admin runs an export
and watches its progress bar reach the download. Real Chromium, at desktop and phone widths."""

import pytest
from playwright.sync_api import Page, expect

from ces import roles
from reports.models import HmisExport
from reports.worker import hmis_export_run
from tests.browser.conftest import log_in
from tests.factories import BnlEntryFactory, UserFactory
from tests.reports.helpers import assessed, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_committee_sees_real_reports_with_charts_from_the_dashboard(live_server, page: Page, screenshot_dir):
    UserFactory(username="morgan", first_name="Morgan", roles=[roles.COMMITTEE])
    for score in (4, 9, 12):
        a = assessed(client=person(), total=score, on="2026-10-01")
        BnlEntryFactory(client=a.client, assessment=a, score=score)
    log_in(page, live_server, "morgan")
    expect(page.get_by_role("heading", name="Evaluation reports")).to_be_visible()
    page.get_by_role("link", name="All evaluation reports (with charts, PDF and CSV)").click()
    page.get_by_role("link", name="Score distribution").click()
    expect(page.get_by_role("heading", name="Distribution of prioritisation scores")).to_be_visible()
    canvas = page.locator("canvas[data-chart-index='0']")
    expect(canvas).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart-index]'))")
    assert page.evaluate("Chart.getChart(document.querySelector('canvas[data-chart-index]')).data.datasets.length") == 2
    page.screenshot(path=str(screenshot_dir / "reports-score-distribution-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Q4 2026").click()
    expect(page.get_by_role("link", name="PDF for the meeting")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "reports-score-distribution-390.png"), full_page=True)


def test_hmis_admin_starts_an_export_and_the_progress_bar_ends_at_the_download(live_server, page: Page, screenshot_dir):
    UserFactory(username="hayden", first_name="Hayden", roles=[roles.HMIS_ADMIN])
    log_in(page, live_server, "hayden")
    page.goto(f"{live_server.url}/reports/exports/")
    page.get_by_label("From").fill("2026-01-01")
    page.get_by_label("To").fill("2026-03-31")
    page.get_by_role("button", name="Start the export").click()
    expect(page.get_by_text("Export queued.")).to_be_visible()
    job = HmisExport.objects.get()
    expect(page.locator(f"#export-{job.pk} progress")).to_be_visible()
    hmis_export_run(job_id=job.pk)  # the worker
    expect(page.get_by_role("link", name="Download zip")).to_be_visible(timeout=30_000)  # the 2-second poll
    page.screenshot(path=str(screenshot_dir / "reports-export-done.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download zip").click()
    assert download.value.suggested_filename == "hmis-csv-CA-515-2026-01-01-2026-03-31.zip"
