"""The assessment PDF is the one page of Appendix B: rendered, counted and rasterised with poppler."""

import shutil
import subprocess

import pytest

from ces import roles
from intake.pdf import assessment_pdf_bytes
from intake.services import intake_submit
from tests.factories import AgencyFactory, UserFactory, worked_example_2_answers

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils (pdfinfo, pdftoppm) not installed"),
]


def test_assessment_pdf_fits_one_page_with_every_case_management_entry(tmp_path, screenshot_dir):
    agent = UserFactory(agency=AgencyFactory(initials="CP"), roles=[roles.CALL_AGENT])
    assessment = intake_submit(actor=agent, answers=worked_example_2_answers()).assessment
    assessment.case_management = 3  # the longest form: every Case Management Entry row given
    pdf = tmp_path / "vat.pdf"
    pdf.write_bytes(assessment_pdf_bytes(assessment))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(pdf), str(screenshot_dir / "assessment-pdf")], check=True)
    assert (screenshot_dir / "assessment-pdf.png").stat().st_size > 0
