import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ces import roles
from ces.models import Agency, Program, User
from devtools.demo.network import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

SEEDED_TABLES = [
    "ces_agency",
    "ces_program",
    "ces_user",
    "ces_user_groups",
    "ces_historicalagency",
    "ces_historicalprogram",
    "ces_historicaluser",
    "intake_shelter",
    "intake_shelterrule",
    "intake_historicalshelter",
]


def _snapshot() -> dict[str, list]:
    tables = {}
    with connection.cursor() as cursor:
        for table in SEEDED_TABLES:
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # fixed names, not input
            tables[table] = cursor.fetchall()
    return tables


def test_seed_demo_run_twice_leaves_the_same_rows():
    call_command("seed_demo", clients=0)
    first = _snapshot()
    call_command("seed_demo", clients=0)
    assert _snapshot() == first


def test_seed_demo_creates_the_ca515_network():
    call_command("seed_demo", clients=0)
    assert Agency.objects.get(initials="CP").name == "Connecting Point"
    assert Agency.objects.get(name="Hospitality House").kind == "shelter"
    vsp = Agency.objects.get(is_vsp=True)
    assert not vsp.hmis_participating
    assert Program.objects.filter(agency=vsp, requires_dv=True).exists()
    housing = Program.objects.filter(type__in=["psh", "rrh", "th"])
    assert {p.type for p in housing} == {"psh", "rrh", "th"}
    assert housing.filter(type="psh", requires_chronic=True).exists()
    assert housing.filter(requires_veteran=True).exists()
    assert housing.filter(requires_family=True).exists()
    open_to_all = [p for p in housing if not any(v for v in p.criteria.values())]
    assert open_to_all
    assert {c for p in housing for c in p.counties} == {"placer", "nevada"}
    assert Program.objects.filter(type="es", counties__contains=["placer"]).exists()
    assert Agency.objects.filter(kind="services").exists()


def test_one_user_per_role_named_after_it_who_can_log_in():
    call_command("seed_demo", clients=0, password="another-long-password")
    for role in roles.ROLE_PERMISSIONS:
        user = User.objects.get(username=role)
        assert set(user.groups.values_list("name", flat=True)) == {role}
        assert user.agency is not None
        assert user.check_password("another-long-password")


def test_default_password_is_documented_in_the_readme():
    from pathlib import Path

    readme = Path(__file__).resolve().parents[2] / "README.md"
    assert DEFAULT_PASSWORD in readme.read_text()


def test_seed_demo_refuses_production_settings(settings):
    settings.CES_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", clients=0)
    assert not Agency.objects.exists()


def test_synthetic_callers_go_through_the_intake_and_are_added_once():
    from bnl.models import BnlEntry
    from intake.models import Assessment

    call_command("seed_demo", clients=6)
    assessments = Assessment.objects.count()
    assert assessments >= 5  # a caller whose generated SSN is already on file is skipped
    assert BnlEntry.objects.count() == assessments
    assert all(a.subtotal == sum(a.indicators.values()) for a in Assessment.objects.all())
    call_command("seed_demo", clients=6)
    assert Assessment.objects.count() == assessments


def test_demo_shelters_are_linked_and_roseville_requires_residents():
    from intake.models import Shelter
    from intake.screening import screen_shelters
    from intake.selectors import shelters_with_rules

    call_command("seed_demo", clients=0)
    assert Shelter.objects.get(name="Hospitality House").program.agency.initials == "HH"
    results = {r.shelter.name: r for r in screen_shelters(shelters_with_rules(), {"county": "placer", "pl_roseville": "no"})}
    assert results["Placer Warm/Cold Shelter"].eligible
    assert results["Roseville Winter Sanctuary"].reasons == ["Roseville residents only"]
