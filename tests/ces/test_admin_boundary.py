"""The Django admin sits behind the same trust boundary as the screens (issue 9, items 1-3).

A person's record outside ces.access is a 404 on every admin URL (change, history, a history
version), every look is an access-log row, no history version is ever written back, the access
log shows labels and no search terms, and the user admin gives roles, never more.
"""

from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.forms.models import model_to_dict
from django.urls import reverse
from knox.models import AuthToken

from ces import roles
from ces.models import AccessLog, Agency, Client, User
from intake.models import Assessment, Intake
from intake.services import intake_submit
from tests.factories import DEFAULT_PASSWORD, AgencyFactory, ClientFactory, UserFactory, worked_example_2_answers

pytestmark = pytest.mark.django_db

SURVIVOR_NAMES = ("Marisol", "Quintanilla")


@pytest.fixture
def lead():
    return AgencyFactory(name="Lead Agency", initials="LEA", kind=Agency.Kind.LEAD)


@pytest.fixture
def vsp():
    return AgencyFactory(name="Safe Harbor", initials="SHV", vsp=True)


@pytest.fixture
def hmis_admin(lead):
    return UserFactory(username="admin1", agency=lead, roles=[roles.HMIS_ADMIN], is_staff=True)


@pytest.fixture
def survivor(vsp):
    """A VSP's client who even said yes to HMIS sharing: still never visible outside the VSP."""
    return ClientFactory(
        holding_agency=vsp, hmis_consent="yes", first_name=SURVIVOR_NAMES[0], last_name=SURVIVOR_NAMES[1],
        dob=date(1991, 4, 5), phone_primary="+15305550199",
    )


@pytest.fixture
def shared_person():
    """A consented client of another HMIS agency: the hmis_admin may see them."""
    return ClientFactory(holding_agency=AgencyFactory(initials="OTH"), hmis_consent="yes", first_name="Teodoro")


def _client_admin_urls(person):
    version = person.history.order_by("history_id").first().history_id
    return [
        reverse("admin:ces_client_change", args=[person.pk]),
        reverse("admin:ces_client_history", args=[person.pk]),
        reverse("admin:ces_client_simple_history", args=[person.pk, version]),
    ]


def _assert_shows_no_survivor(response):
    html = response.content.decode()
    for text in (*SURVIVOR_NAMES, "1991-04-05", "April 5, 1991", "555-0199", "5305550199"):
        assert text not in html


def test_admin_pages_of_a_vsp_client_are_404_for_the_hmis_admin(client, hmis_admin, survivor):
    client.force_login(hmis_admin)
    for url in _client_admin_urls(survivor):
        response = client.get(url)
        assert response.status_code == 404, url
        _assert_shows_no_survivor(response)
    assert not AccessLog.objects.filter(client=survivor).exists()


def test_admin_list_of_clients_leaves_out_vsp_clients(client, hmis_admin, survivor, shared_person):
    client.force_login(hmis_admin)
    response = client.get(reverse("admin:ces_client_changelist"))
    assert response.status_code == 200
    _assert_shows_no_survivor(response)
    assert "Teodoro" in response.content.decode()
    assert AccessLog.objects.filter(user=hmis_admin, action=AccessLog.Action.VIEW_LIST).count() == 1


def test_every_admin_look_at_a_client_is_one_access_log_row(client, hmis_admin, shared_person):
    client.force_login(hmis_admin)
    for url in _client_admin_urls(shared_person):
        assert client.get(url).status_code == 200, url
    logged = AccessLog.objects.filter(user=hmis_admin, client=shared_person)
    assert list(logged.values_list("action", flat=True)) == [AccessLog.Action.ADMIN_VIEW] * 3
    assert {row.path for row in logged} == set(_client_admin_urls(shared_person))


def _client_form_data(person: Client, **changes) -> dict:
    data = {key: ("" if value is None else str(value)) for key, value in model_to_dict(person).items()}
    data.pop("id", None)
    data.pop("created_by", None)
    data.pop("worker_alert", None)  # an unticked checkbox is not posted
    data.update(changes)
    return data


def test_history_revert_is_off_and_its_post_changes_nothing(client, settings, hmis_admin, shared_person):
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
    elsewhere = AgencyFactory(initials="ELS")
    version = shared_person.history.order_by("history_id").first().history_id
    versions_before = shared_person.history.count()
    client.force_login(hmis_admin)
    response = client.post(
        reverse("admin:ces_client_simple_history", args=[shared_person.pk, version]),
        _client_form_data(shared_person, holding_agency=str(elsewhere.pk), first_name="Changed"),
    )
    assert response.status_code == 405
    shared_person.refresh_from_db()
    assert shared_person.holding_agency_id != elsewhere.pk and shared_person.first_name == "Teodoro"
    assert shared_person.history.count() == versions_before


def test_even_a_superuser_cannot_move_a_client_to_another_agency_in_the_admin(client, lead):
    person = ClientFactory(holding_agency=lead, hmis_consent="yes", first_name="Ines")
    superuser = UserFactory(agency=lead, roles=[roles.HMIS_ADMIN], is_staff=True, is_superuser=True)
    elsewhere = AgencyFactory(initials="ELS")
    client.force_login(superuser)
    change = reverse("admin:ces_client_change", args=[person.pk])
    page = client.get(change).content.decode()
    assert 'name="holding_agency"' not in page  # shown, never editable
    client.post(change, _client_form_data(person, holding_agency=str(elsewhere.pk), first_name="Changed"))
    person.refresh_from_db()
    assert person.holding_agency_id == lead.pk and person.first_name == "Ines"


@pytest.fixture
def vsp_intake(vsp):
    advocate = UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE])
    answers = worked_example_2_answers(first_name=SURVIVOR_NAMES[0], last_name=SURVIVOR_NAMES[1], ssn=None,
                                       ssn_data_quality="not_collected", health_mental="yes")
    return intake_submit(actor=advocate, answers=answers)


def test_intake_and_assessment_admin_pages_of_a_vsp_intake_are_404(client, hmis_admin, vsp_intake):
    intake = Intake.objects.get(pk=vsp_intake.intake.pk)
    assessment = Assessment.objects.get(intake=intake)
    urls = [
        reverse("admin:intake_intake_change", args=[intake.pk]),
        reverse("admin:intake_intake_history", args=[intake.pk]),
        reverse("admin:intake_intake_simple_history", args=[intake.pk, intake.history.first().history_id]),
        reverse("admin:intake_assessment_change", args=[assessment.pk]),
        reverse("admin:intake_assessment_history", args=[assessment.pk]),
        reverse("admin:intake_assessment_simple_history", args=[assessment.pk, assessment.history.first().history_id]),
    ]
    client.force_login(hmis_admin)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        _assert_shows_no_survivor(response)
    listing = client.get(reverse("admin:intake_intake_changelist")).content.decode()
    assert f"/admin/intake/intake/{intake.pk}/change/" not in listing


def test_intake_admin_cannot_write_back_a_version(client, lead):
    agent = UserFactory(agency=lead, roles=[roles.CALL_AGENT])
    result = intake_submit(actor=agent, answers=worked_example_2_answers())
    superuser = UserFactory(agency=lead, roles=[roles.HMIS_ADMIN], is_staff=True, is_superuser=True)
    intake = Intake.objects.get(pk=result.intake.pk)
    version = intake.history.first().history_id
    client.force_login(superuser)
    url = reverse("admin:intake_intake_simple_history", args=[intake.pk, version])
    assert client.get(url).status_code == 200
    assert client.post(url, {"status": "discarded", "hmis_consent": "no"}).status_code == 405
    intake.refresh_from_db()
    assert intake.status == "completed" and intake.hmis_consent == "yes"


# --- the access log in the admin (item 2) -----------------------------------------------------


def test_access_log_keeps_no_search_terms_and_the_admin_shows_labels_only(client, vsp, hmis_admin, survivor):
    advocate = UserFactory(agency=vsp, roles=[roles.VSP_ADVOCATE])
    client.force_login(advocate)
    client.post(reverse("client-list"), {"q": "Marisol Quintanilla"})
    client.get(reverse("client-detail", args=[survivor.pk]))
    rows = AccessLog.objects.filter(user=advocate)
    assert rows.count() == 2
    for row in rows:
        assert "Marisol" not in row.detail + row.path and "Quintanilla" not in row.detail + row.path

    client.force_login(hmis_admin)
    listing = client.get(reverse("admin:ces_accesslog_changelist"))
    assert survivor.label in listing.content.decode()
    _assert_shows_no_survivor(listing)
    for row in rows:
        page = client.get(reverse("admin:ces_accesslog_change", args=[row.pk]))
        assert page.status_code == 200
        _assert_shows_no_survivor(page)
    searched = client.get(reverse("admin:ces_accesslog_changelist"), {"q": "Marisol"}).content.decode()
    assert survivor.label not in searched


# --- the user admin (item 3) ----------------------------------------------------------------


def _user_form_data(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "agency": str(user.agency_id or ""),
        "preferred_language": user.preferred_language,
        "is_active": "on",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
    }
    data.update(changes)
    return data


def test_hmis_admin_cannot_make_anyone_superuser_or_give_single_permissions(client, lead, hmis_admin):
    worker = UserFactory(agency=lead, roles=[roles.CASE_WORKER])
    everything = Group.objects.create(name="everything")
    everything.permissions.set(Permission.objects.all())
    any_permission = Permission.objects.get(codename="change_client")
    client.force_login(hmis_admin)
    for target in (worker, hmis_admin):
        client.post(
            reverse("admin:ces_user_change", args=[target.pk]),
            _user_form_data(target, is_superuser="on", is_staff="on", user_permissions=[str(any_permission.pk)],
                            groups=[str(everything.pk), *[str(g.pk) for g in target.groups.all()]]),
        )
        target = User.objects.get(pk=target.pk)
        assert not target.is_superuser
        assert not target.user_permissions.exists()
        assert not target.groups.filter(name="everything").exists()
    assert not User.objects.get(pk=worker.pk).is_staff  # staff follows the admin role, not a tick box
    page = client.get(reverse("admin:ces_user_change", args=[worker.pk])).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert "everything" not in page  # only role groups are offered


def test_hmis_admin_cannot_change_their_own_roles(client, hmis_admin):
    supervisor_group = Group.objects.get(name=roles.SUPERVISOR)
    client.force_login(hmis_admin)
    client.post(
        reverse("admin:ces_user_change", args=[hmis_admin.pk]),
        _user_form_data(hmis_admin, groups=[str(g.pk) for g in hmis_admin.groups.all()] + [str(supervisor_group.pk)]),
    )
    assert set(User.objects.get(pk=hmis_admin.pk).groups.values_list("name", flat=True)) == {roles.HMIS_ADMIN}


def test_hmis_admin_cannot_edit_a_superuser(client, lead, hmis_admin):
    boss = UserFactory(agency=lead, is_superuser=True, is_staff=True, first_name="Boss")
    client.force_login(hmis_admin)
    response = client.post(reverse("admin:ces_user_change", args=[boss.pk]), _user_form_data(boss, first_name="Owned"))
    assert response.status_code == 403
    password = client.post(reverse("admin:auth_user_password_change", args=[boss.pk]),
                           {"password1": "a-new-password-123", "password2": "a-new-password-123"})
    assert password.status_code == 403
    boss.refresh_from_db()
    assert boss.first_name == "Boss" and boss.check_password(DEFAULT_PASSWORD)


def test_hmis_admin_gives_roles_and_admin_access_follows_the_admin_role(client, lead, hmis_admin):
    newcomer = UserFactory(agency=lead, roles=[])
    call_agent_group = Group.objects.get(name=roles.CALL_AGENT)
    admin_group = Group.objects.get(name=roles.HMIS_ADMIN)
    client.force_login(hmis_admin)
    url = reverse("admin:ces_user_change", args=[newcomer.pk])
    response = client.post(url, _user_form_data(newcomer, groups=[str(call_agent_group.pk)]))
    assert response.status_code == 302
    newcomer = User.objects.get(pk=newcomer.pk)
    assert newcomer.roles == {roles.CALL_AGENT} and not newcomer.is_staff
    client.post(url, _user_form_data(newcomer, groups=[str(admin_group.pk)]))
    assert User.objects.get(pk=newcomer.pk).is_staff


# --- API tokens in the admin (item 4) ---------------------------------------------------------


def test_token_admin_shows_prefixes_only_and_issues_nothing(client, lead, hmis_admin):
    holder = UserFactory(agency=lead, roles=[roles.PROGRAM_STAFF])
    token, key = AuthToken.objects.create(user=holder)
    client.force_login(hmis_admin)
    listing = client.get(reverse("admin:knox_authtoken_changelist"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert token.token_key in html and key not in html  # the prefix (and the hash), never the key
    assert client.get(reverse("admin:knox_authtoken_add")).status_code == 403
    assert client.post(reverse("admin:knox_authtoken_add"), {"user": str(hmis_admin.pk)}).status_code == 403
    assert AuthToken.objects.count() == 1
