"""What people read: phones as written, dates in words, names not usernames, no raw codes, CSV to the second,
the client page linking to the person's list entry, referrals and assessments, and the network on a screen."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from ces import roles
from ces.csv_export import csv_cell
from ces.templatetags.ces_extras import ago, likeness_words, phone
from referrals.services import referral_decide, vacancy_create, vacancy_pull
from tests.factories import AgencyFactory, BnlEntryFactory, ClientFactory, ProgramFactory, UserFactory, program_staff


def test_phones_read_as_people_write_them():
    assert phone("+15305550142") == "(530) 555-0142"
    assert phone("530-555-0142") == "(530) 555-0142"
    assert phone("ext. 12") == "ext. 12" and phone("") == ""


def test_likeness_and_time_ago_are_words():
    assert str(likeness_words(0.56)) == "possible match" and str(likeness_words(0.95)) == "very close match"
    assert str(ago(timezone.now() - timedelta(seconds=20))) == "just now"
    assert "0 minutes" not in str(ago(timezone.now() - timedelta(seconds=20)))
    assert str(ago(timezone.now() - timedelta(minutes=5))).endswith("ago")


def test_dates_in_spanish_read_day_then_month():
    day = datetime(2026, 11, 23, 10, 0)
    with translation.override("es"):
        text = Template('{{ d|date:"DATE_FORMAT" }}').render(Context({"d": day}))
    assert text == "23 de noviembre de 2026"


def test_csv_timestamps_are_local_and_to_the_second():
    moment = datetime(2026, 11, 23, 18, 4, 5, 123456, tzinfo=UTC)
    assert csv_cell(moment) == "2026-11-23 10:04:05"  # America/Los_Angeles, no microseconds


@pytest.mark.django_db
def test_bnl_csv_has_no_microseconds(client):
    BnlEntryFactory(score=12)
    client.force_login(UserFactory(roles=[roles.COC_STAFF]))
    body = b"".join(client.get(reverse("bnl-export")).streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    placed = rows[0].index(next(h for h in rows[0] if "placed" in h.lower()))
    assert len(rows[1][placed]) == len("2026-11-23 10:04:05") and "." not in rows[1][placed]


@pytest.mark.django_db
def test_client_page_links_to_list_entry_referrals_and_assessments(client):
    program = ProgramFactory(type="rrh")
    staff = program_staff(program)
    entry = BnlEntryFactory(score=15, chronic=True)
    pull = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff), actor=staff, count=1)
    referral_decide(referral=pull.referrals.get(), outcome="provider_rejected", reason="household_size", justification="Studio",
                    actor=staff)
    client.force_login(staff)
    html = client.get(reverse("client-detail", args=[entry.client_id])).content.decode()
    assert reverse("bnl-detail", args=[entry.pk]) in html
    assert reverse("program-detail", args=[program.pk]) in html
    assert "Household size does not fit the unit" in html and "household_size" not in html


@pytest.mark.django_db
def test_client_page_phone_and_names(client):
    agency = AgencyFactory()
    person = ClientFactory(holding_agency=agency, phone_primary="+15305550142")
    client.force_login(UserFactory(agency=agency, roles=[roles.CASE_WORKER]))
    html = client.get(reverse("client-detail", args=[person.pk])).content.decode()
    assert "(530) 555-0142" in html and "+15305550142" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", [roles.COC_STAFF, roles.COMMITTEE])
def test_dashboards_link_to_the_network_screen_not_the_api(client, role):
    agency = AgencyFactory(name="Hospitality House")
    ProgramFactory(agency=agency, name="Hospitality House Emergency Shelter", type="es")
    client.force_login(UserFactory(roles=[role]))
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert reverse("network") in dashboard and "/api/v1/agencies/" not in dashboard
    page = client.get(reverse("network")).content.decode()
    assert "Hospitality House Emergency Shelter" in page and "Emergency shelter" in page
