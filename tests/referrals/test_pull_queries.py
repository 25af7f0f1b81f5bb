"""The pull's database work is a fixed number of statements, whatever stands above on the list
(issue 17: the audit is written by one statement, no walk over the entries on referral)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from bnl.models import BnlEntry
from bnl.services import bnl_place_deidentified_on_coc_list
from ces import roles
from ces.models import Deadline
from referrals.models import CeEvent, Referral
from referrals.services import vacancy_create, vacancy_pull
from tests.factories import AgencyFactory, BnlEntryFactory, ClientFactory, ProgramFactory, UserFactory, program_staff

# 1. lock the vacancy, with its open and enrolled referrals counted, whether a chronic flag is
#    due today, and the closure days the two deadlines need;
# 2. lock the top five (SKIP LOCKED), each with the id of its CoC copy (DV parallel process);
# 3. the pull with its audit (INSERT … RETURNING, which also reserves the referrals' and HUD
#    events' ids);
# 4. one WITH statement: the referrals, the entries' status, the HUD events, their history rows
#    and the deadlines (ces.bulk_writes).
# A chronic flag due today (the sweep) and a VSP/CoC twin to lock add statements of their own.
PULL_STATEMENTS = 4


def _statements(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.mark.django_db
@pytest.mark.parametrize("on_referral_above", [3, 300])
def test_a_pull_takes_the_same_statements_however_many_entries_on_referral_stand_above(on_referral_above):
    program = ProgramFactory(type="rrh")
    staff = program_staff(program)
    entries = [BnlEntryFactory(score=30, status="on_referral") for _ in range(on_referral_above)]
    active = [BnlEntryFactory(score=20 - i) for i in range(7)]
    vacancy = vacancy_create(program=program, actor=staff)
    staff.has_perm("referrals.add_vacancy")  # a request has its permissions loaded already
    ContentType.objects.get_for_model(Referral)  # cached for the life of a process
    with CaptureQueriesContext(connection) as queries:
        pull = vacancy_pull(vacancy=vacancy, actor=staff, count=5)
    assert len(_statements(queries)) == PULL_STATEMENTS, "\n".join(_statements(queries))
    assert [row["entry_id"] for row in pull.candidates if row["action"] == "pulled"] == [e.pk for e in active[:5]]
    assert sum(row["action"] == "passed_over" for row in pull.candidates) == len(entries)
    assert sorted(pull.referrals.values_list("rank", flat=True)) == [1, 2, 3, 4, 5]


def _tracked(row, fields) -> dict:
    return {field.attname: getattr(row, field.attname) for field in fields}


@pytest.mark.django_db
def test_the_pulls_rows_and_history_rows_are_those_the_orm_writes():
    """One statement writes what bulk_create_with_history and bulk_update_with_history wrote:
    every tracked field of each row in its history row, its type, user and change reason, a
    deadline pair per referral, and a timeline event per history row."""
    vsp = AgencyFactory(vsp=True, name="Stand Up Placer", initials="SUP")
    advocate = UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE])
    source = BnlEntryFactory(client=ClientFactory(holding_agency=vsp), list_owner=vsp, dv_survivor=True, dv=True, score=20)
    copy = bnl_place_deidentified_on_coc_list(source=source, vsp_client_number="77", actor=advocate)
    others = [BnlEntryFactory(score=15 - i, dv_survivor=True) for i in range(2)]
    program = ProgramFactory(agency=vsp, type="th", requires_dv=True)
    vacancy = vacancy_create(program=program, actor=advocate)
    started = timezone.now()
    pull = vacancy_pull(vacancy=vacancy, actor=advocate, count=3)
    referrals = list(pull.referrals.order_by("rank"))
    assert [r.entry_id for r in referrals][1:] == [e.pk for e in others] and referrals[0].entry_id in (source.pk, copy.pk)
    twin_id = ({source.pk, copy.pk} - {referrals[0].entry_id}).pop()

    for referral in referrals:
        (history,) = referral.history.all()
        assert (history.history_type, history.history_user_id, history.history_change_reason) == (
            "+", advocate.pk, f"pulled for vacancy #{vacancy.pk}")
        assert _tracked(history, Referral.history.model.tracked_fields) == _tracked(referral, Referral.history.model.tracked_fields)
        assert (referral.status, referral.created_at >= started, referral.chronic_documentation) == ("pending", True, [])
        event = CeEvent.objects.get(referral=referral)
        (event_history,) = event.history.all()
        assert (event_history.history_type, event_history.history_user_id, event_history.history_change_reason) == (
            "+", advocate.pk, "HUD 4.20 referral")
        assert _tracked(event_history, CeEvent.history.model.tracked_fields) == _tracked(event, CeEvent.history.model.tracked_fields)
        assert (event.client_id, event.entry_id, event.program_id, event.event, event.event_date, event.created_by_id) == (
            referral.entry.client_id, referral.entry_id, program.pk, CeEvent.Event.TRANSITIONAL_HOUSING, timezone.localdate(),
            advocate.pk)
        kinds = dict(Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(Referral), subject_id=referral.pk)
                     .values_list("kind", "due_at"))
        assert sorted(kinds) == ["referrals.expire", "referrals.reminder"] and kinds["referrals.reminder"] < kinds["referrals.expire"]

    reasons = {r.entry_id: f"referred to {program.name} (vacancy #{vacancy.pk})" for r in referrals}
    reasons[twin_id] = f"one person: on referral through the other list (vacancy #{vacancy.pk})"
    for entry_id, reason in reasons.items():
        entry = BnlEntry.objects.get(pk=entry_id)
        history = entry.history.latest("history_id")
        assert entry.status == "on_referral"
        assert (history.history_type, history.history_user_id, history.history_change_reason) == ("~", advocate.pk, reason)
        assert _tracked(history, BnlEntry.history.model.tracked_fields) == _tracked(entry, BnlEntry.history.model.tracked_fields)
        assert started <= history.history_date and entry.updated_at <= history.history_date

    written = {(h.__class__, h.history_id) for r in referrals for h in (r.history.get(), CeEvent.objects.get(referral=r).history.get())}
    written |= {(BnlEntry.history.model, BnlEntry.objects.get(pk=pk).history.latest("history_id").history_id) for pk in reasons}
    timeline = set(AuditEvent.objects.filter(kind="change", at__gte=started).values_list("history_table", "history_id"))
    assert {(model._meta.db_table, pk) for model, pk in written} <= timeline
