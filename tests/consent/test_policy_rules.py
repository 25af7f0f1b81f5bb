"""consent/policy.py's rules, each from docs/consent.md's words (issue 18: a test per rule, boundaries
included): a signature image is a PNG or JPEG of at most 200 KiB; the API names of the kinds and methods;
the kinds whose script the agent reads."""

from datetime import date

import pytest

from ces import roles
from ces.errors import Invalid
from ces.models import ConsentRecord
from ces.services import client_create
from consent import policy
from consent.services import consent_give
from tests.factories import AgencyFactory, UserFactory

PNG = b"\x89PNG\r\n\x1a\n"
KIB = 1024


@pytest.fixture
def holder():
    return UserFactory(agency=AgencyFactory(hmis_participating=True), roles=[roles.CASE_WORKER, roles.CALL_AGENT])


@pytest.fixture
def person(holder):
    return client_create(holding_agency=holder.agency, actor=holder, first_name="Philippa", last_name="Quarrington",
                         name_data_quality="full", dob=date(1979, 2, 3), dob_data_quality="full")


def written(person, holder, image: bytes) -> ConsentRecord:
    return consent_give(client=person, actor=holder, kind=ConsentRecord.Kind.HMIS_ROI, answer="yes",
                        method=ConsentRecord.Method.WRITTEN, signature_image=image)


@pytest.mark.django_db
def test_a_signature_image_of_exactly_200_kib_is_taken(person, holder):
    record = written(person, holder, PNG + b"\0" * (200 * KIB - len(PNG)))
    assert record.pk


@pytest.mark.django_db
@pytest.mark.parametrize("size", [200 * KIB + 1, 201 * KIB, 250 * KIB])
def test_a_signature_image_over_200_kib_is_refused(person, holder, size):
    with pytest.raises(Invalid) as refused:
        written(person, holder, PNG + b"\0" * (size - len(PNG)))
    assert "signature_image" in refused.value.errors
    assert not ConsentRecord.objects.filter(client=person).exists()


def test_the_api_names_of_the_kinds_and_methods_are_the_documented_ones():
    assert set(policy.API_KINDS) == {"hmis", "vi", "voicemail", "text"}
    assert set(policy.API_METHODS) == {"verbal", "written", "electronic"}
    assert all(policy.API_KIND_OF[stored] == name for name, stored in policy.API_KINDS.items())
    assert all(policy.API_METHOD_OF[stored] == name for name, stored in policy.API_METHODS.items())


def test_the_agent_reads_a_script_for_the_hmis_release_and_the_vi_only():
    assert set(policy.SCRIPTED_KINDS) == {ConsentRecord.Kind.HMIS_ROI, ConsentRecord.Kind.VULNERABILITY_INDEX}
