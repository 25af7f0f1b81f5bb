"""Issue 15: the VSP's comparable database. The personal fields and free text of records a
victim service provider holds are sealed under its own key (ces.vault, ces.sealed): only its own
users' requests open them; everyone else — the CoC's staff and admins, exports, scheduled jobs,
and a dump of the database — sees labels and ciphertext."""

import subprocess
from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ces import roles, vault
from ces.deadlines import deadlines_sweep
from ces.models import Client, ConsentRecord, VspDataKey
from ces.selectors import client_search
from ces.services import client_create, client_note_add
from consent.services import consent_give, disclosure_record
from intake.services import intake_autosave, intake_draft_answers, intake_start
from tests.factories import AgencyFactory, UserFactory, call_agent, worked_example_2_answers

SSN = "287-65-4329"
VSP_PERSON = {"first_name": "Xiomara", "last_name": "Vandersloot", "dob": "1987-06-05", "phone_primary": "530-555-0187",
              "ssn": SSN, "ssn_data_quality": "full", "mailing_address": "PO Box 77 Quillfeather Lane"}


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def page_for(user) -> WebClient:
    web = WebClient()
    web.force_login(user)
    return web


@pytest.fixture
def vsp():
    agency = AgencyFactory(vsp=True, initials="QVS", name="Quiet Valley Safe House")
    return agency, UserFactory(agency=agency, roles=[roles.VSP_ADVOCATE])


def vsp_intake(advocate) -> Client:
    answers = worked_example_2_answers(**VSP_PERSON)
    response = api_for(advocate).post("/api/v1/intakes/", {"answers": answers}, format="json")
    assert response.status_code == 201, response.content
    return Client.objects.get(pk=response.json()["client"]["id"])


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_vsp_clients_name_dob_phone_or_ssn(vsp):
    agency, advocate = vsp
    person = vsp_intake(advocate)
    with vault.vault_opened(agency.pk):
        person = Client.objects.get(pk=person.pk)
    client_note_add(client=person, actor=advocate, topic="safety", text="Xiomara moved to the Quillfeather shelter")
    consent_give(client=person, actor=advocate, kind=ConsentRecord.Kind.VULNERABILITY_INDEX, answer="yes",
                 method=ConsentRecord.Method.WRITTEN, typed_name="Xiomara Vandersloot", note="Vandersloot signed")
    disclosure_record(client=person, actor=advocate, basis="medical_emergency", disclosed_to="Sierra ER",
                      information="Xiomara Vandersloot, 1987-06-05", reason="unconscious")
    with vault.vault_opened(agency.pk):  # a call in progress: its draft is sealed too
        draft = intake_start(actor=advocate)
        intake_autosave(intake=draft, actor=advocate, answers={"first_name": "Xiomara", "last_name": "Vandersloot"})
    # A CoC person, so the dump is shown to hold clear text where it may.
    coc_agent = call_agent()
    client_create(holding_agency=coc_agent.agency, actor=coc_agent, first_name="Bartholomew", last_name="Okonkwo-Reyes")

    db = connection.settings_dict
    dump = subprocess.run(
        ["pg_dump", "--data-only", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"], db["NAME"]],
        capture_output=True, text=True, check=True, env={"PGPASSWORD": db.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"},
    ).stdout
    assert "Okonkwo-Reyes" in dump  # the dump is real and holds the CoC's clear text
    for needle in ("Xiomara", "Vandersloot", "1987-06-05", "5305550187", "530-555-0187", "287654329", "287-65-4329",
                   "Quillfeather"):
        assert needle not in dump, f"{needle} is in the database dump"
    assert "vsp1:" in dump  # sealed, not dropped
    with vault.vault_opened(agency.pk):
        draft.refresh_from_db()
        assert intake_draft_answers(draft)["last_name"] == "Vandersloot"


@pytest.mark.django_db
def test_only_the_vsps_own_requests_open_the_seal(vsp):
    agency, advocate = vsp
    person = vsp_intake(advocate)
    stored = Client.objects.get(pk=person.pk)
    assert stored.first_name == "" and stored.dob is None and stored.ssn_last4 == "" and stored.vault_locked
    assert stored.vsp_sealed.startswith(f"vsp1:{agency.pk}:")
    with vault.vault_opened(agency.pk):
        opened = Client.objects.get(pk=person.pk)
    assert opened.full_name == "Xiomara Vandersloot" and opened.dob == date(1987, 6, 5) and opened.ssn_last4 == "4329"
    with pytest.raises(vault.VaultLocked):
        vault.unseal(stored.vsp_sealed)
    # The VSP's advocate sees the person on the screen and through the API.
    assert "Vandersloot" in page_for(advocate).get(reverse("client-detail", args=[person.pk])).content.decode()
    assert api_for(advocate).get(f"/api/v1/clients/{person.pk}/").json()["last_name"] == "Vandersloot"
    # Another VSP's advocate never does (404), and the history keeps ciphertext only.
    other = UserFactory(agency=AgencyFactory(vsp=True), roles=[roles.VSP_ADVOCATE])
    assert page_for(other).get(reverse("client-detail", args=[person.pk])).status_code == 404
    assert not any(row.first_name for row in Client.history.filter(id=person.pk))


@pytest.mark.django_db
def test_a_locked_row_saved_by_a_job_keeps_its_seal(vsp):
    agency, advocate = vsp
    person = vsp_intake(advocate)
    locked = Client.objects.get(pk=person.pk)
    locked.worker_alert = True
    locked.save()
    with vault.vault_opened(agency.pk):
        assert Client.objects.get(pk=person.pk).last_name == "Vandersloot"


@pytest.mark.django_db
def test_the_vsp_finds_its_people_by_keyed_hashes(vsp):
    agency, advocate = vsp
    person = vsp_intake(advocate)
    assert person.pk in client_search(user=advocate, query="vandersloot").values_list("pk", flat=True)
    assert person.pk in client_search(user=advocate, query="Xiomara Vandersloot").values_list("pk", flat=True)
    assert person.pk in client_search(user=advocate, query="", dob=date(1987, 6, 5)).values_list("pk", flat=True)
    assert person.pk in client_search(user=advocate, query=SSN).values_list("pk", flat=True)
    assert not client_search(user=advocate, query="Vanderslooth").exists()
    # The screen shows the person found; the duplicate check offers them to the VSP's next intake.
    page = page_for(advocate).post(reverse("client-list"), {"q": "Vandersloot"}).content.decode()
    assert reverse("client-detail", args=[person.pk]) in page and "Xiomara" in page
    found = api_for(advocate).get("/api/v1/clients/duplicates/", {"first_name": "Xiomara", "last_name": "Vandersloot"}).json()
    rows = found["candidates"] if isinstance(found, dict) else found
    assert [(row["client_id"], row["name"]) for row in rows] == [(person.pk, "Xiomara Vandersloot")]
    # Nobody outside finds them, by name or by SSN.
    coc = UserFactory(agency=AgencyFactory(), roles=[roles.COC_STAFF])
    assert not client_search(user=coc, query="Vandersloot").exists() and not client_search(user=coc, query=SSN).exists()


@pytest.mark.django_db
def test_rotation_reseals_rows_and_history_and_destroys_the_old_key(vsp):
    agency, advocate = vsp
    person = vsp_intake(advocate)
    with vault.vault_opened(agency.pk):
        client_note_add(client=Client.objects.get(pk=person.pk), actor=advocate, topic="t", text="call after 6pm")
    old_key = VspDataKey.objects.get(agency=agency)
    old_seal = Client.objects.get(pk=person.pk).vsp_sealed
    call_command("vsp_rotate_keys", "--agency", agency.initials, stdout=open("/dev/null", "w"))
    old_key.refresh_from_db()
    assert old_key.retired_at is not None and old_key.wrapped_key == ""
    new_key = VspDataKey.objects.get(agency=agency, retired_at__isnull=True)
    stored = Client.objects.get(pk=person.pk)
    assert stored.vsp_sealed != old_seal and vault.sealed_key_id(stored.vsp_sealed) == new_key.pk
    assert all(vault.sealed_key_id(h.vsp_sealed) == new_key.pk for h in Client.history.filter(id=person.pk) if h.vsp_sealed)
    vault.cache_forget()
    with vault.vault_opened(agency.pk):
        assert Client.objects.get(pk=person.pk).last_name == "Vandersloot"
        assert person.notes.get().text == "call after 6pm"
    assert person.pk in client_search(user=advocate, query=SSN).values_list("pk", flat=True)
    assert person.pk in client_search(user=advocate, query="Vandersloot").values_list("pk", flat=True)


@pytest.mark.django_db
def test_rows_from_before_the_comparable_database_are_sealed_by_the_command(vsp):
    agency, advocate = vsp
    person = client_create(holding_agency=agency, actor=advocate, first_name="Legacy", last_name="Plaintext")
    Client.objects.filter(pk=person.pk).update(first_name="Legacy", last_name="Plaintext", vsp_sealed="")
    Client.history.filter(id=person.pk).update(first_name="Legacy", last_name="Plaintext", vsp_sealed="")
    call_command("vsp_rotate_keys", stdout=open("/dev/null", "w"))
    assert not Client.objects.filter(first_name="Legacy").exists()
    assert not Client.history.filter(first_name="Legacy").exists()
    with vault.vault_opened(agency.pk):
        assert Client.objects.get(pk=person.pk).full_name == "Legacy Plaintext"


@pytest.mark.django_db
def test_the_sweep_rotates_each_vsps_key_yearly(vsp):
    agency, advocate = vsp
    person = vsp_intake(advocate)
    first = VspDataKey.objects.get(agency=agency)
    later = timezone.now() + timedelta(days=settings.VSP_KEY_ROTATION_DAYS + 1)
    with time_machine.travel(later, tick=False):
        deadlines_sweep()
    first.refresh_from_db()
    assert first.retired_at is not None
    with vault.vault_opened(agency.pk):
        assert Client.objects.get(pk=person.pk).first_name == "Xiomara"
    assert VspDataKey.objects.filter(agency=agency, retired_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_a_vsp_clients_consent_copy_is_served_and_never_stored(vsp):
    agency, advocate = vsp
    person = vsp_intake(advocate)
    record = person.consents.filter(kind="vi").first()
    response = page_for(advocate).post(reverse("consent-copy", args=[person.pk, record.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert not person.documents.filter(kind="consent").exists()
