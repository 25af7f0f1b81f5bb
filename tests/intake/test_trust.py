"""Trust boundary (issue 9), the intake's doors: no intake changes or reveals a person the agent
may not see, an SSN never reveals a DV survivor, parallel intakes never duplicate a person, and
every read of a person's data through the intake leaves one access-log row."""

import importlib
import threading
from datetime import date

import pytest
from django.apps import apps
from django.db import IntegrityError, connections, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from bnl.models import BnlEntry
from ces import roles
from ces.models import AccessLog, Client, ConsentRecord
from ces.selectors import client_search
from ces.services import client_create
from ces.ssn import ssn_lookup_hash
from ces.vault_rotation import vsp_keys_rotate
from intake.models import Assessment, Intake
from intake.services import PERSON_NOT_YOURS, SSN_TAKEN_MEANWHILE, intake_submit
from tests.factories import AgencyFactory, ClientFactory, UserFactory, call_agent, worked_example_2_answers

pytestmark = pytest.mark.django_db
URL = "/api/v1/intakes/"
DUPLICATES = "/api/v1/clients/duplicates/"
SSN = "287-65-4321"


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def agent():
    return call_agent(username="carla")


@pytest.fixture
def api(agent):
    return api_for(agent)


def post(api, answers, **body):
    return api.post(URL, {"answers": answers, **body}, format="json")


# --- a call agent cannot overwrite a stranger ---------------------------------------


@pytest.fixture
def stranger():
    """A person another agency holds without HMIS consent: the call agent may not see them."""
    other = AgencyFactory()
    holder = UserFactory(agency=other, roles=[roles.CALL_AGENT])
    return client_create(
        holding_agency=other, actor=holder, first_name="Maria", last_name="Lopez", name_data_quality="full",
        dob=date(1980, 2, 2), dob_data_quality="full", ssn="123-45-6789", ssn_data_quality="full",
        phone_primary="+15305550199", hmis_consent="no",
    )


def test_call_agent_cannot_overwrite_a_stranger(api, agent, stranger):
    before = Client.objects.get(pk=stranger.pk)
    history_rows = stranger.history.count()
    answers = worked_example_2_answers(hmis_consent="yes", voicemail_consent="yes", phone_primary="530-555-0142")
    response = post(api, answers, client_id=stranger.pk, update_identity=True)
    assert response.status_code == 201, response.json()
    body = response.json()
    after = Client.objects.get(pk=stranger.pk)
    for name in ("first_name", "last_name", "dob", "ssn_hash", "ssn_last4", "phone_primary", "hmis_consent",
                 "voicemail_consent", "name_data_quality", "dob_data_quality", "ssn_data_quality"):
        assert getattr(after, name) == getattr(before, name), name
    assert stranger.history.count() == history_rows
    assert not ConsentRecord.objects.filter(client=stranger).exists()
    # The assessment and the list entry are attached to the person, who stays hidden from the agent.
    assert Assessment.objects.get(pk=body["assessment"]["id"]).client_id == stranger.pk
    assert BnlEntry.objects.get(pk=body["bnl_entry"]["id"]).client_id == stranger.pk
    assert body["person_left_alone"] is True
    assert set(body["identity_kept"]) == {"first_name", "last_name", "name_data_quality", "dob", "dob_data_quality", "ssn",
                                          "ssn_data_quality"}
    assert api.get(f"/api/v1/clients/{stranger.pk}/").status_code == 404


def test_identity_kept_for_a_stranger_does_not_depend_on_their_record(api, stranger):
    """Listing only the *differing* fields would let anyone probe a stranger's DOB or name."""
    same = worked_example_2_answers(first_name="Maria", last_name="Lopez", dob="1980-02-02", ssn="123-45-6789")
    other = worked_example_2_answers(first_name="Nope", last_name="Nobody", dob="1999-09-09", ssn="287-65-4399")
    first = post(api, same, client_id=stranger.pk).json()["identity_kept"]
    second = post(api, other, client_id=stranger.pk).json()["identity_kept"]
    assert first == second


def test_identity_of_a_person_the_agent_may_see_is_kept_unless_asked(api, agent):
    first = post(api, worked_example_2_answers()).json()
    person = Client.objects.get(pk=first["client"]["id"])
    again = worked_example_2_answers(first_name="Rob", dob="1964-05-02", phone_primary="530-555-0177", voicemail_consent="no")
    body = post(api, again, client_id=person.pk).json()
    assert body["identity_kept"] == ["first_name", "dob"] and body["person_left_alone"] is False
    person.refresh_from_db()
    assert person.first_name == "Robert" and person.dob == date(1964, 5, 1)
    assert str(person.phone_primary) == "+15305550177" and person.voicemail_consent == "no"  # contact data may update

    body = post(api, again, client_id=person.pk, update_identity=True).json()
    assert body["identity_kept"] == []
    person.refresh_from_db()
    assert person.first_name == "Rob" and person.dob == date(1964, 5, 2)
    reason = person.history.first().history_change_reason
    assert f"intake #{body['intake_id']}" in reason and "carla" in reason


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    "spell",
    [
        lambda pk: str(pk).translate(ARABIC_INDIC),  # int() reads these as the person's id
        lambda pk: str(pk).translate(FULLWIDTH),
        lambda pk: "²",  # isdigit() says yes, int() raises
        lambda pk: True,
        lambda pk: 10**30,
        lambda pk: f"{pk}.0",
        lambda pk: [pk],
        lambda pk: -pk,
        lambda pk: 0,
    ],
    ids=["arabic-indic", "fullwidth", "superscript", "bool", "huge", "decimal", "list", "negative", "zero"],
)
def test_client_id_must_be_a_real_id(api, agent, spell):
    person = ClientFactory(holding_agency=agent.agency, first_name="Known")
    response = post(api, worked_example_2_answers(), client_id=spell(person.pk))
    assert response.status_code == 400 and "client_id" in response.json()["errors"]
    assert not Intake.objects.exists() and not Assessment.objects.filter(client=person).exists()
    person.refresh_from_db()
    assert person.first_name == "Known"


def test_a_vsp_held_person_cannot_be_chosen_from_outside_the_vsp(api):
    vsp = AgencyFactory(vsp=True)
    survivor = ClientFactory(holding_agency=vsp, hmis_consent="yes")
    response = post(api, worked_example_2_answers(), client_id=survivor.pk)
    assert response.status_code == 400 and "client_id" in response.json()["errors"]
    assert not Assessment.objects.filter(client=survivor).exists()


# --- consent withdrawn by amendment ------------------------------------------------


def test_consent_withdrawn_by_amendment_stops_sharing_at_once(client, agent):
    result = intake_submit(actor=agent, answers=worked_example_2_answers(hmis_consent="yes"))
    person = result.client
    elsewhere = api_for(UserFactory(agency=AgencyFactory(hmis_participating=True), roles=[roles.PROGRAM_STAFF]))
    assert elsewhere.get(f"/api/v1/clients/{person.pk}/").status_code == 200

    client.force_login(agent)
    response = client.post(reverse("intake-amend", args=[result.intake.pk]),
                           {"reason": "Caller withdrew the HMIS consent", "hmis_consent": "no"})
    assert response.status_code == 302
    assert elsewhere.get(f"/api/v1/clients/{person.pk}/").status_code == 404
    person.refresh_from_db()
    assert person.hmis_consent == "no"
    latest = ConsentRecord.objects.filter(client=person, kind="hmis_roi").order_by("-taken_at", "-id").first()
    assert latest.answer == "no" and latest.taken_by == agent and "Caller withdrew" in latest.note


def test_amending_a_strangers_details_is_refused_and_the_form_hides_them(client, agent, stranger):
    intake = intake_submit(actor=agent, answers=worked_example_2_answers(), client_id=stranger.pk).intake
    client.force_login(agent)
    url = reverse("intake-amend", args=[intake.pk])
    page = client.get(url).content.decode()
    assert "Maria" not in page and "Lopez" not in page and "1980-02-02" not in page and "5550199" not in page
    response = client.post(url, {"reason": "typo", "first_name": "Eve", "hmis_consent": "yes"})
    assert response.status_code == 200 and 'href="#q-first_name"' in response.content.decode()
    assert str(PERSON_NOT_YOURS).replace("'", "&#x27;") in response.content.decode()
    stranger.refresh_from_db()
    assert stranger.first_name == "Maria" and stranger.hmis_consent == "no"
    assert not ConsentRecord.objects.filter(client=stranger).exists()


# --- an SSN never reveals a DV survivor -----------------------------------------------


@pytest.fixture
def vsp():
    return AgencyFactory(vsp=True, name="Safe Harbor", initials="SHV")


@pytest.fixture
def survivor(vsp):
    advocate = UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE])
    return client_create(holding_agency=vsp, actor=advocate, first_name="Dana", last_name="Quiet", ssn=SSN,
                         ssn_data_quality="full", dob=date(1990, 1, 1), dob_data_quality="full")


def test_an_ssn_held_by_a_vsp_neither_blocks_nor_reveals_at_the_call_centre(api, survivor):
    response = post(api, worked_example_2_answers(ssn=SSN))
    assert response.status_code == 201, response.json()
    assert "SHV" not in response.content.decode() and survivor.label not in response.content.decode()
    created = Client.objects.get(pk=response.json()["client"]["id"])
    assert created.holding_agency != survivor.holding_agency and created.ssn_hash != survivor.ssn_hash
    found = api.get(DUPLICATES, {"ssn": SSN, "first_name": "Dana", "last_name": "Quiet"}).json()
    assert survivor.pk not in [candidate["client_id"] for candidate in found]


def test_a_vsp_still_finds_its_own_duplicates(vsp, survivor):
    advocate = UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE])
    found = api_for(advocate).get(DUPLICATES, {"ssn": SSN}).json()
    assert [(c["client_id"], c["score"]) for c in found] == [(survivor.pk, 1.0)]
    assert list(client_search(user=advocate, query=SSN)) == [survivor]
    refused = post(api_for(advocate), worked_example_2_answers(ssn=SSN))
    assert refused.status_code == 400 and survivor.label in refused.json()["errors"]["ssn"][0]


def test_a_vsp_held_ssn_is_hashed_in_that_vsps_own_space(vsp, survivor):
    assert survivor.ssn_hash == ssn_lookup_hash(SSN, vsp_agency_id=vsp.pk) != ssn_lookup_hash(SSN)
    other_vsp = AgencyFactory(vsp=True)
    assert ssn_lookup_hash(SSN, vsp_agency_id=other_vsp.pk) != survivor.ssn_hash


def test_the_migration_moves_existing_vsp_ssns_to_their_own_space(vsp, survivor):
    Client.objects.filter(pk=survivor.pk).update(ssn_hash=ssn_lookup_hash(SSN))  # as stored before the fix
    migration = importlib.import_module("ces.migrations.0012_client_ssn_unique_full")
    migration.vsp_ssns_to_their_own_space(apps, None)
    # Since the comparable database (issue 15) a VSP's SSN is sealed under its own key, so the
    # rehash under that key is the key rotation's (ces.vault_rotation), run after deploying.
    vsp_keys_rotate(agency=vsp)
    survivor.refresh_from_db()
    assert survivor.ssn_hash == ssn_lookup_hash(SSN, vsp_agency_id=vsp.pk)
    assert all(row.ssn_hash != ssn_lookup_hash(SSN) for row in survivor.history.all())


# --- parallel intakes never duplicate a person ------------------------------------------


def test_the_database_holds_one_person_per_full_quality_ssn():
    agency = AgencyFactory()
    rows = [Client(holding_agency=agency, ssn_hash=ssn_lookup_hash(SSN), ssn_data_quality="full") for _ in range(2)]
    with pytest.raises(IntegrityError), transaction.atomic():
        Client.objects.bulk_create(rows)
    partial = [Client(holding_agency=agency, ssn_hash=ssn_lookup_hash(SSN), ssn_data_quality="partial") for _ in range(2)]
    Client.objects.bulk_create(partial)  # only full-quality SSNs are unique


@pytest.mark.django_db(transaction=True)
def test_parallel_intakes_with_one_ssn_make_one_person():
    agent = call_agent()
    answers = worked_example_2_answers(ssn=SSN)
    barrier = threading.Barrier(20)
    results: list = []

    def take_the_call(n: int) -> None:
        try:
            api = api_for(agent)
            barrier.wait(timeout=30)
            response = post(api, {**answers, "first_name": f"Robert{n}"})
            results.append((response.status_code, response.json()))
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=take_the_call, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    statuses = sorted(status for status, _body in results)
    assert statuses == [201] + [400] * 19, results
    assert all("ssn" in body["errors"] for status, body in results if status == 400)
    assert Client.objects.filter(ssn_last4="4321").count() == 1
    assert BnlEntry.objects.count() == 1 and Intake.objects.filter(status="completed").count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_intake_that_loses_the_race_at_the_index_answers_400_keyed_ssn():
    """Another intake inserted the same SSN but has not committed: this one's checks cannot see it,
    its insert waits on the unique index, and when the other commits it is refused, not doubled."""
    agent = call_agent()
    inserted, done = threading.Event(), threading.Event()

    def the_other_intake() -> None:
        try:
            with transaction.atomic():
                client_create(holding_agency=agent.agency, actor=agent, first_name="First", ssn=SSN, ssn_data_quality="full")
                inserted.set()
                done.wait(timeout=10)  # this intake is now blocked on the index (or about to be)
        finally:
            connections.close_all()

    other = threading.Thread(target=the_other_intake)
    other.start()
    assert inserted.wait(timeout=30)
    threading.Timer(2.0, done.set).start()
    response = post(api_for(agent), worked_example_2_answers(ssn=SSN))
    other.join(timeout=30)
    assert response.status_code == 400
    assert response.json()["errors"] == {"ssn": [str(SSN_TAKEN_MEANWHILE)]}
    assert list(Client.objects.filter(ssn_last4="4321").values_list("first_name", flat=True)) == ["First"]
    assert not Intake.objects.exists()


# --- reads leave one access-log row -----------------------------------------------------


def test_intake_summary_leaves_one_access_log_row(client, agent):
    result = intake_submit(actor=agent, answers=worked_example_2_answers())
    client.force_login(agent)
    before = AccessLog.objects.count()
    assert client.get(reverse("intake-detail", args=[result.intake.pk])).status_code == 200
    assert AccessLog.objects.count() == before + 1
    row = AccessLog.objects.first()
    assert row.action == AccessLog.Action.VIEW_CLIENT and row.client == result.client and row.user == agent


def test_amend_form_leaves_one_access_log_row(client, agent):
    result = intake_submit(actor=agent, answers=worked_example_2_answers())
    client.force_login(agent)
    before = AccessLog.objects.count()
    assert client.get(reverse("intake-amend", args=[result.intake.pk])).status_code == 200
    assert AccessLog.objects.count() == before + 1
    row = AccessLog.objects.first()
    assert row.action == AccessLog.Action.VIEW_CLIENT and row.client == result.client


@pytest.mark.parametrize("method", ["get", "post"])
def test_duplicate_check_leaves_one_access_log_row_without_the_ssn(api, agent, method):
    person = intake_submit(actor=agent, answers=worked_example_2_answers(ssn=SSN)).client
    before = AccessLog.objects.count()
    query = {"first_name": "Robert", "last_name": "Hale", "ssn": SSN}
    response = api.get(DUPLICATES, query) if method == "get" else api.post(DUPLICATES, query, format="json")
    assert response.status_code == 200 and response.json()[0]["client_id"] == person.pk
    assert AccessLog.objects.count() == before + 1
    row = AccessLog.objects.first()
    assert row.action == AccessLog.Action.SEARCH and row.user == agent
    assert "ssn given" in row.detail and person.label in row.detail
    logged = f"{row.path} {row.detail}"
    for secret in ("287654321", "287-65-4321", "4321", "Robert", "Hale"):
        assert secret not in logged, secret


def test_duplicate_check_answers_the_same_by_get_and_post(api, agent):
    intake_submit(actor=agent, answers=worked_example_2_answers(ssn=SSN))
    query = {"first_name": "Robert", "last_name": "Hale", "dob": "1964-05-01", "ssn": SSN}
    assert api.get(DUPLICATES, query).json() == api.post(DUPLICATES, query, format="json").json()
