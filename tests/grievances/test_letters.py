"""Letters: every kind rendered in English and Spanish through the one document store, with the
words of Appendix D and E, every version kept, downloads logged, the sending recorded.

Each letter is also rendered to PNG under tests/artifacts/letters/ (pdftoppm) for a person to look at.
"""

import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from ces.models import AccessLog, ClientDocument
from grievances import services
from grievances.letters import letter_regenerate
from grievances.models import Letter
from tests.conftest import ARTIFACTS
from tests.factories import AgencyFactory, ProgramFactory
from tests.grievances.conftest import api_for

pytestmark = pytest.mark.django_db

LA = timezone.get_fixed_timezone(-8 * 60)
LETTERS_DIR = ARTIFACTS / "letters"


def on_day(year: int, month: int, day: int):
    return time_machine.travel(datetime(year, month, day, 10, tzinfo=LA), tick=False)


def pdf_text(document: ClientDocument) -> str:
    path = Path(document.file.path)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def to_png(document: ClientDocument, name: str) -> None:
    if shutil.which("pdftoppm") is None:
        return
    LETTERS_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(Path(document.file.path)), str(LETTERS_DIR / name)], check=True)


def every_letter(actor, language: str) -> dict[str, Letter]:
    """One case per path through the procedures, so every kind of letter exists once."""
    agency = AgencyFactory(name="AMI Housing (test)")
    program = ProgramFactory(agency=agency, name="Brunswick Commons PSH", type="psh")
    common = {"complainant_name": "Ana María Reyes" if language == "es" else "Ana Reyes", "language": language,
              "address": "12 Pine St\nGrass Valley, CA 95945", "interpreter": "español" if language == "es" else "",
              "bases": ["race", "national_origin"], "description": "The call agent refused to finish my assessment."}
    with on_day(2026, 3, 20):
        untimely = services.title_vi_complaint_file(actor=actor, received_on=date(2026, 3, 10), incident_date=date(2025, 6, 1), **common)
        incomplete = services.title_vi_complaint_file(actor=actor, received_on=date(2026, 3, 10), **{**common, "bases": []})
        declined = services.title_vi_complaint_file(actor=actor, received_on=date(2026, 3, 10), incident_date=date(2026, 3, 1), **common)
        services.complaint_decline(complaint=declined, actor=actor, note="The events happened at a county office outside the CoC's programs.")
        found = services.title_vi_complaint_file(actor=actor, received_on=date(2026, 3, 10), incident_date=date(2026, 3, 1),
                                                 agency_id=agency.pk, **common)
        services.complaint_accept(complaint=found, actor=actor, on=date(2026, 3, 12))
        services.complaint_request_info(complaint=found, actor=actor, on=date(2026, 3, 13),
                                        requested="The date of your second call and the name of the person you spoke to.")
        services.complaint_info_received(complaint=found, actor=actor, on=date(2026, 3, 18))
        services.complaint_close(complaint=found, actor=actor, outcome="finding", on=date(2026, 3, 20),
                                 summary="You said the call agent ended your assessment when you asked for an interpreter.",
                                 interviews="We interviewed the call agent, the team leader and you, and listened to the recording.",
                                 actions="The call agent received a written warning; all call agents complete language-access training.")
        services.complaint_appeal(complaint=found, actor=actor, received_on=date(2026, 3, 20), grounds="The warning is not enough.")
        services.complaint_appeal_decide(complaint=found, actor=actor, decision="The finding stands; the training is extended to team leaders.")
        cleared = services.title_vi_complaint_file(actor=actor, received_on=date(2026, 3, 10), incident_date=date(2026, 3, 1), **common)
        services.complaint_accept(complaint=cleared, actor=actor, on=date(2026, 3, 12))
        services.complaint_close(complaint=cleared, actor=actor, outcome="no_violation", on=date(2026, 3, 20))
        withdrawn = services.title_vi_complaint_file(actor=actor, received_on=date(2026, 3, 10), incident_date=date(2026, 3, 1), **common)
        services.complaint_withdraw(complaint=withdrawn, actor=actor)
    silent = services.title_vi_complaint_file(actor=actor, received_on=date(2026, 3, 10), incident_date=date(2026, 3, 1), **common)
    with on_day(2026, 3, 13):
        services.complaint_accept(complaint=silent, actor=actor)
        services.complaint_request_info(complaint=silent, actor=actor, requested="Your phone records.")
    with on_day(2026, 4, 10):
        services.complaint_close(complaint=silent, actor=actor, outcome="administrative")
    grievance_common = {"complainant_name": common["complainant_name"], "language": language, "agency_id": agency.pk,
                        "program_id": program.pk, "address": common["address"], "tried_with_program": True,
                        "description": "I was rejected although my household fits the unit."}
    with on_day(2026, 3, 20):
        meeting = services.meeting_create(actor=actor, date=date(2026, 4, 2), location="HRCS office, Auburn")
        late = services.grievance_file(actor=actor, received_on=date(2026, 3, 16), denial_date=date(2025, 6, 1), **grievance_common)
        decided = services.grievance_file(actor=actor, received_on=date(2026, 3, 16), denial_date=date(2026, 3, 2), **grievance_common)
        services.grievance_respond(grievance=decided, actor=actor, note="We have asked the program for its file.")
    with on_day(2026, 4, 2):
        services.grievance_vote(grievance=decided, actor=actor, votes_for=5, votes_against=1, votes_abstain=1,
                                decision="Grievance upheld: the program re-offers the next unit that fits the household.")
    assert decided.meeting_id == meeting.pk
    cases = {"untimely": untimely, "incomplete": incomplete, "no_jurisdiction": declined, "acknowledgment": found,
             "information_request": found, "finding": found, "appeal_decision": found, "closure": cleared,
             "withdrawal": withdrawn, "administrative_closure": silent, "grievance-untimely": late, "response": decided,
             "decision": decided}
    letters = {}
    for name, case in cases.items():
        kind = name.removeprefix("grievance-")
        letters[name] = case.letters.get(kind=kind)
    return letters


EXPECTED = {
    "en": {
        "untimely": ["received no more than 180 days after the alleged incident", "282 days after the incident"],
        "incomplete": ["We can process only complete forms", "Tick at least one basis"],
        "no_jurisdiction": ["will not be investigated by our office", "county office outside", "Office of Fair Housing"],
        "acknowledgment": ["Connecting Point will investigate your complaint", "April 11, 2026", "15 business days"],
        "information_request": ["by April 3, 2026", "15 business days from the date of this letter", "name of the person you spoke to",
                                "close your case administratively"],
        "finding": ["letter of finding", "written warning", "April 19, 2026", "interviewed the call agent"],
        "appeal_decision": ["The finding stands"],
        "closure": ["no violation of Title VI", "April 19, 2026", "on the basis of race, national origin"],
        "withdrawal": ["no longer wish to pursue"],
        "administrative_closure": ["closed your case administratively", "April 3, 2026"],
        "grievance-untimely": ["no more than 180 days after the alleged denial", "does not in any way abridge"],
        "response": ["within 15 business days", "April 2, 2026", "asked the program for its file"],
        "decision": ["5 for, 1 against, 1 abstaining", "re-offers the next unit", "provides funding for the program",
                     "does not in any way abridge"],
    },
    "es": {
        "untimely": ["dentro de un plazo de 180 días después del presunto incidente", "282 días después del incidente"],
        "incomplete": ["Solo podemos tramitar formularios completos", "Marque al menos un motivo"],
        "no_jurisdiction": ["no será investigada por nuestra oficina", "Oficina de Equidad de Vivienda"],
        "acknowledgment": ["Connecting Point investigará su queja", "11 de abril de 2026", "15 días hábiles", "intérprete"],
        "information_request": ["3 de abril de 2026", "15 días hábiles a partir de la fecha de esta carta",
                                "cerrar administrativamente el caso"],
        "finding": ["carta de conclusión", "19 de abril de 2026"],
        "appeal_decision": ["Decisión sobre la apelación"],
        "closure": ["no hubo una violación del Título VI", "19 de abril de 2026", "raza, origen nacional"],
        "withdrawal": ["ya no desea continuar"],
        "administrative_closure": ["hemos cerrado administrativamente su caso"],
        "grievance-untimely": ["180 días después de la presunta negación", "no limita de ninguna manera su derecho"],
        "response": ["15 días hábiles", "2 de abril de 2026"],
        "decision": ["5 a favor, 1 en contra, 1 abstenciones", "otra agencia o junta que financie el programa"],
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_letter_reads_the_procedure_in_the_complainants_language(committee, outside_agencies, language):
    letters = every_letter(committee, language)
    assert {letter.kind for letter in letters.values()} == set(Letter.Kind.values)  # every kind exists
    for name, letter in letters.items():
        document = letter.document
        assert (letter.language, document.language, document.kind) == (language, language, "letter")
        assert document.client is None  # never on a client's record
        assert document.source_type in ("grievances.titlevicomplaint", "grievances.grievance")
        text = " ".join(pdf_text(document).split())
        for phrase in EXPECTED[language][name]:
            assert phrase in text, (name, phrase, text[:2000])
        to_png(document, f"{language}-{name}")


def test_a_new_version_of_a_letter_keeps_the_earlier_one_and_follows_the_corrected_language(committee):
    complaint = services.title_vi_complaint_file(actor=committee, complainant_name="Ana Reyes", language="en",
                                                 bases=["race"], incident_date=timezone.localdate() - timedelta(days=5),
                                                 description="Refused an assessment.")
    services.complaint_accept(complaint=complaint, actor=committee)
    letter = complaint.letters.get()
    first = letter.document
    services.title_vi_complaint_amend(complaint=complaint, actor=committee, language="es", reason="She reads Spanish.")
    letter = letter_regenerate(letter=letter, actor=committee)
    assert letter.language == "es" and letter.document.version == first.version + 1
    assert ClientDocument.objects.filter(pk=first.pk).exists()  # every version kept
    assert "Connecting Point investigará su queja" in " ".join(pdf_text(letter.document).split())
    assert letter.history.count() == 2


def test_downloading_a_letter_is_logged_and_its_sending_is_recorded(committee, coc_staff, client):
    complaint = services.title_vi_complaint_file(actor=committee, complainant_name="Ana Reyes", bases=["race"],
                                                 incident_date=timezone.localdate() - timedelta(days=5), description="x y z")
    services.complaint_accept(complaint=complaint, actor=committee)
    letter = complaint.letters.get()
    client.force_login(coc_staff)
    response = client.get(f"/grievances/letters/{letter.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    row = AccessLog.objects.filter(action="download_pdf").latest("at")
    assert (row.user, row.object_id) == (coc_staff, str(letter.document.pk))
    api = api_for(coc_staff)
    assert api.get(f"/api/v1/grievance-letters/{letter.pk}/").status_code == 200
    sent = api.post(f"/api/v1/grievance-letters/{letter.pk}/sent/", {"sent_channel": "mail"}, format="json").json()
    assert sent["sent_channel"] == "mail" and sent["sent_at"]
    letter.refresh_from_db()
    assert letter.sent_by == coc_staff
    assert api.post(f"/api/v1/grievance-letters/{letter.pk}/sent/", {"sent_channel": "pigeon"}, format="json").status_code == 400


def test_the_public_complaint_letters_are_signed_by_the_office_not_the_system_account(outside_agencies):
    complaint = services.title_vi_complaint_file_public(complainant_name="Ana Reyes", language="en", bases=["race"],
                                                        incident_date=timezone.localdate() - timedelta(days=300),
                                                        description="Refused.", address="1 Main St", signature_name="Ana Reyes",
                                                        confirmation=True)
    letter = complaint.letters.get()
    text = pdf_text(letter.document)
    assert "ces-system" not in text and "CES scheduled jobs" not in text
    assert "Title VI investigator" in text and letter.sent_at is None  # staff record the sending
