"""A person files a discrimination complaint in Spanish on the public page, without an account; the
committee accepts it and opens the acknowledgment letter, in Spanish. Real Chromium."""

import subprocess
import tempfile
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from ces import roles
from grievances.models import TitleViComplaint
from tests.browser.conftest import log_in
from tests.factories import AgencyFactory, UserFactory
from tests.grievances.conftest import outside_agencies  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("outside_agencies")
def test_a_spanish_complaint_from_the_public_page_to_its_acknowledgment_letter(live_server, page: Page, screenshot_dir):
    UserFactory(username="morgan", first_name="Morgan", last_name="Reyes", agency=AgencyFactory(kind="coc"),
                roles=[roles.COMMITTEE])
    page.goto(f"{live_server.url}/complaints/")
    expect(page.get_by_role("heading", name="File a discrimination complaint")).to_be_visible()
    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", name="Presentar una queja por discriminación")).to_be_visible()

    page.get_by_label("Nombre *", exact=True).fill("Rosa Delgado")
    page.get_by_label("Dirección", exact=True).fill("PO Box 12, Grass Valley, CA 95945")
    page.get_by_label("Teléfono celular").fill("530-555-0199")
    expect(page.get_by_label("Idioma de nuestras cartas")).to_have_value("es")
    page.get_by_label("Origen nacional").check()
    page.get_by_label("Fecha de la supuesta discriminación").fill(str(timezone.localdate() - timedelta(days=6)))
    page.get_by_label("Explique tan claramente como pueda", exact=False).fill(
        "La persona que me atendió dijo que sin papeles no podía entrar a la lista de vivienda.")
    page.get_by_label("Firma: escriba su nombre completo").fill("Rosa Delgado")
    page.get_by_label("Creo que la información proveída es verdadera", exact=False).check()
    page.screenshot(path=str(screenshot_dir / "grievances-public-form-es.png"), full_page=True)
    page.get_by_role("button", name="Enviar mi queja").click()

    expect(page.get_by_role("heading", name="Queja recibida")).to_be_visible()
    complaint = TitleViComplaint.objects.get()
    expect(page.get_by_text(complaint.reference)).to_be_visible()
    assert (complaint.language, complaint.status, complaint.channel) == ("es", "received", "public_web")

    log_in(page, live_server, "morgan")
    page.get_by_role("link", name="Complaints", exact=True).click()
    expect(page.get_by_role("heading", name="Complaints and grievances")).to_be_visible()
    page.get_by_role("link", name=complaint.reference).first.click()
    expect(page.locator(".case-status")).to_have_text("Received: jurisdiction review")
    page.get_by_role("button", name="Accept and make the acknowledgment letter").click()
    expect(page.get_by_text("Jurisdiction accepted. The acknowledgment letter is ready.")).to_be_visible()
    expect(page.locator('.deadline[data-deadline="investigation"]')).to_have_text(
        date_format(timezone.localdate() + timedelta(days=30), "DATE_FORMAT"))
    page.screenshot(path=str(screenshot_dir / "grievances-accepted.png"), full_page=True)

    letter_link = page.locator('a.letter-link[data-kind="acknowledgment"]')
    expect(letter_link).to_have_text("Acknowledgment: will be investigated")
    response = page.request.get(f"{live_server.url}{letter_link.get_attribute('href')}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(response.body())
        pdf.flush()
        text = " ".join(subprocess.run(["pdftotext", pdf.name, "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "Estimada(o)" in text or "Estimado(a) Rosa Delgado" in text
    assert "Connecting Point investigará su queja" in text
    assert "Departamento de Derechos Civiles de California" in text
