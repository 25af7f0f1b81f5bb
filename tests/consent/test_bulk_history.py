"""Consents written together (ces.services.consents_record, the intake's path) leave the same rows
and history rows as consents written one by one (consent_record), a VSP's client's sealed as save()
seals them (issue 17)."""

import pytest

from ces import roles, vault
from ces.models import ConsentRecord
from ces.services import consent_record, consents_record
from tests.factories import AgencyFactory, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

KINDS = (ConsentRecord.Kind.HMIS_ROI, ConsentRecord.Kind.VOICEMAIL, ConsentRecord.Kind.TEXT, ConsentRecord.Kind.VULNERABILITY_INDEX)
SKIPPED = {"id", "history_id", "history_date", "client_id", "taken_at", "effective_on", "expires_on", "revoked_at", "vsp_sealed"}


def _given(kind: str) -> dict:
    return dict(kind=kind, answer="yes", method=ConsentRecord.Method.VERBAL_RECORDED, note=f"given on the call ({kind})",
                script_read=True, script_language="en")


def _history(client) -> list[dict]:
    """The history rows, in their order per record (records written together are written first,
    then the earlier ones they withdraw; one by one they interleave)."""
    rows = ConsentRecord.history.filter(client_id=client.pk).order_by("history_id").values()
    kept = [{name: value for name, value in row.items() if name not in SKIPPED} for row in rows]
    return sorted(kept, key=lambda row: (row["kind"], row["answer"], row["history_type"]))


def _rows(client) -> list[dict]:
    rows = ConsentRecord.objects.filter(client=client).order_by("id").values()
    return [{name: value for name, value in row.items() if name not in SKIPPED} for row in rows]


def _pair(agency, actor):
    one_by_one, together = ClientFactory(holding_agency=agency), ClientFactory(holding_agency=agency)
    for kind in KINDS:
        consent_record(client=one_by_one, actor=actor, **_given(kind))
    consents_record(client=together, actor=actor, consents=[_given(kind) for kind in KINDS])
    return one_by_one, together


def test_consents_written_together_have_the_rows_and_history_rows_written_one_by_one():
    agency = AgencyFactory()
    actor = UserFactory(agency=agency, roles=[roles.CALL_AGENT])
    one_by_one, together = _pair(agency, actor)
    assert _rows(together) == _rows(one_by_one) and len(_rows(together)) == 4
    history = _history(together)
    assert history == _history(one_by_one)
    assert {row["history_type"] for row in history} == {"+"} and {row["history_user_id"] for row in history} == {actor.pk}
    assert {row["history_change_reason"] for row in history} == {None}
    # The client's answers follow as one by one (its history rows, reasons included).
    together.refresh_from_db()
    one_by_one.refresh_from_db()
    assert (together.hmis_consent, together.voicemail_consent, together.text_consent) == ("yes", "yes", "yes")
    assert [r.history_change_reason for r in together.history.order_by("history_id")] == [
        r.history_change_reason for r in one_by_one.history.order_by("history_id")]


def test_a_vsp_clients_consents_written_together_are_sealed_as_one_by_one():
    agency = AgencyFactory(vsp=True, initials="QVB", name="Quiet Valley Bulk House")
    advocate = UserFactory(agency=agency, roles=[roles.VSP_ADVOCATE])
    with vault.vault_opened(agency.pk):
        one_by_one, together = _pair(agency, advocate)
        records = list(ConsentRecord.objects.filter(client=together).order_by("id"))
        assert [r.note for r in records] == [f"given on the call ({kind})" for kind in KINDS]
    # In the database: blank columns and a seal, in the rows and in their history rows.
    for client in (one_by_one, together):
        rows = list(ConsentRecord.objects.filter(client=client).values("note", "vsp_sealed"))
        history = list(ConsentRecord.history.filter(client_id=client.pk).values("note", "vsp_sealed"))
        assert len(rows) == len(history) == 4
        assert all(row["note"] == "" and vault.sealed_by(row["vsp_sealed"]) == agency.pk for row in rows + history)
    assert _history(together) == _history(one_by_one)
    with vault.vault_opened(agency.pk):  # what the VSP's own request reads back
        assert sorted(r.note for r in ConsentRecord.objects.filter(client=together)) == sorted(
            r.note for r in ConsentRecord.objects.filter(client=one_by_one))


def test_a_refusal_written_together_withdraws_the_earlier_consent_as_one_by_one():
    agency = AgencyFactory()
    actor = UserFactory(agency=agency, roles=[roles.CALL_AGENT])
    one_by_one, together = _pair(agency, actor)
    refused = [dict(kind=kind, answer="no", method=ConsentRecord.Method.WRITTEN) for kind in KINDS]
    for consent in refused:
        consent_record(client=one_by_one, actor=actor, **consent)
    consents_record(client=together, actor=actor, consents=refused)
    assert _history(together) == _history(one_by_one)
    assert _rows(together) == _rows(one_by_one)
    assert not ConsentRecord.objects.filter(client=together, answer="yes", revoked_at__isnull=True).exists()
