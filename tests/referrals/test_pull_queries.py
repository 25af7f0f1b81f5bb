"""The pull's database work is a fixed number of statements, whatever stands above on the list
(issue 17: the audit is written by one statement, no walk over the entries on referral)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from referrals.models import Referral
from referrals.services import vacancy_create, vacancy_pull
from tests.factories import BnlEntryFactory, ProgramFactory, program_staff

# lock the vacancy and count its open and enrolled referrals; is a chronic flag due today;
# lock the top five (SKIP LOCKED); their VSP/CoC copies; the pull; its audit (one UPDATE …
# RETURNING); referrals + their history; the entries' status + history; the closure days for
# both deadlines; the deadlines; the HUD events + their history.
PULL_STATEMENTS = 14


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
