from django.db import migrations

from ces.roles import roles_sync

# grievances.md: "for housing the right federal office is HUD's Office of Fair Housing and Equal
# Opportunity (FHEO), and in California the Civil Rights Department. Ship those as the defaults."
DEFAULT_OUTSIDE_AGENCIES = [
    {
        "order": 1,
        "name": "U.S. Department of Housing and Urban Development, Office of Fair Housing and Equal Opportunity (FHEO)",
        "name_es": "Departamento de Vivienda y Desarrollo Urbano de los EE. UU., Oficina de Equidad de Vivienda e Igualdad de Oportunidades (FHEO)",
        "address": "451 Seventh Street SW, Washington, DC 20410",
        "phone": "1-800-669-9777",
        "website": "https://www.hud.gov/fairhousing",
    },
    {
        "order": 2,
        "name": "California Civil Rights Department",
        "name_es": "Departamento de Derechos Civiles de California",
        "address": "651 Bannon Street, Suite 200, Sacramento, CA 95811",
        "phone": "1-800-884-1684",
        "website": "https://calcivilrights.ca.gov",
    },
]


def outside_agencies_seed(apps, schema_editor):
    OutsideAgency = apps.get_model("grievances", "OutsideAgency")
    for agency in DEFAULT_OUTSIDE_AGENCIES:
        OutsideAgency.objects.get_or_create(name=agency["name"], defaults=agency)


class Migration(migrations.Migration):
    dependencies = [
        ("grievances", "0001_complaints_grievances_meetings_letters"),
        ("engagement", "0002_roles"),
        ("reassignment", "0002_roles"),
        ("referrals", "0003_roles"),
        ("intake", "0002_policy_data"),
    ]

    operations = [
        migrations.RunPython(outside_agencies_seed, migrations.RunPython.noop),
        migrations.RunPython(roles_sync, migrations.RunPython.noop),
    ]
