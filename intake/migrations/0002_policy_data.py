"""Policy data: the 2017 poverty guidelines in force, the default shelters and their
screening rules (intake-and-vat.md), and the role permissions for intake."""

from django.db import migrations

from ces.roles import roles_sync
from intake import policy

NEVADA_RULES = [
    # code, match, answer, unless code, unless answer, reason, reason (es)
    ("nv_resident_30_days", "equals", "no", "", "", "30 day residency requirement", "Requisito de 30 días de residencia"),
    ("nv_barred_hospitality_house", "equals", "yes", "", "", "Told by Hospitality House they cannot stay there",
     "Hospitality House le indicó que no puede quedarse"),
    ("nv_substance_issue", "equals", "yes", "", "", "Guests may not be under the influence",
     "Los huéspedes no pueden estar bajo la influencia de sustancias"),
    ("nv_warrant_or_violent_conviction", "equals", "yes", "", "", "Current arrest warrant or violent crime conviction",
     "Orden de arresto vigente o condena por delito violento"),
]
PLACER_RULES = [
    ("pl_resident_15_days", "equals", "no", "", "", "15 day residency requirement", "Requisito de 15 días de residencia"),
    ("pl_substance_issue", "equals", "yes", "", "", "Guests may not be under the influence",
     "Los huéspedes no pueden estar bajo la influencia de sustancias"),
    ("pl_registered_sex_offender", "equals", "yes", "", "", "Registered sex offender", "Delincuente sexual registrado"),
    ("pl_minor_unaccompanied", "equals", "yes", "", "", "Unaccompanied minor: refer to youth services",
     "Menor sin compañía: referir a servicios para jóvenes"),
    ("pl_tuberculosis", "equals", "yes", "", "", "Tuberculosis", "Tuberculosis"),
    ("pl_pets", "equals", "yes", "pl_pets_arranged", "yes",
     "Pets must be temporarily housed or we cannot provide resources",
     "Las mascotas deben alojarse temporalmente en otro lugar o no podemos ofrecer recursos"),
]


def seed(apps, schema_editor):
    Year = apps.get_model("intake", "PovertyGuidelineYear")
    Row = apps.get_model("intake", "PovertyGuideline")
    year, _ = Year.objects.get_or_create(
        year=policy.POVERTY_POLICY_YEAR,
        defaults={"additional_person_annual": policy.POVERTY_2017_ADDITIONAL_PERSON_ANNUAL, "in_force": True},
    )
    for size, (monthly, annual) in policy.POVERTY_2017.items():
        Row.objects.get_or_create(year=year, household_size=size, defaults={"monthly": monthly, "annual": annual})

    Shelter = apps.get_model("intake", "Shelter")
    Rule = apps.get_model("intake", "ShelterRule")
    for name, county, rules in (
        ("Hospitality House", "nevada", NEVADA_RULES),
        ("Placer Warm/Cold Shelter", "placer", PLACER_RULES),
    ):
        shelter, created = Shelter.objects.get_or_create(name=name, defaults={"county": county})
        if created:
            for code, match, answer, unless_code, unless_answer, reason, reason_es in rules:
                Rule.objects.create(
                    shelter=shelter, code=code, match=match, answer=answer, unless_code=unless_code,
                    unless_answer=unless_answer, reason=reason, reason_es=reason_es,
                )


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial"), ("ces", "0003_clientdocument_and_name_indexes")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(roles_sync, migrations.RunPython.noop),
    ]
