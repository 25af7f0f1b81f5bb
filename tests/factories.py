"""factory-boy factories whose sub-factories keep the cross-app rules true."""

import string
from datetime import datetime, timedelta, timezone

import factory
from django.contrib.auth.models import Group
from django.utils import timezone as dj_timezone

from ces.models import Agency, Client, Program, User

DEFAULT_PASSWORD = "correct-horse-battery-staple"


def _initials(n: int) -> str:
    letters = string.ascii_uppercase
    return "Q" + letters[(n // 26) % 26] + letters[n % 26]


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["initials"]

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    initials = factory.Sequence(_initials)
    kind = Agency.Kind.HOUSING
    is_vsp = False
    hmis_participating = True

    class Params:
        vsp = factory.Trait(kind=Agency.Kind.VSP, is_vsp=True, hmis_participating=False)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    type = Program.Type.RRH
    counties = factory.LazyFunction(lambda: ["placer", "nevada"])
    requires_dv = factory.LazyAttribute(lambda o: o.agency.is_vsp)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    agency = factory.SubFactory(AgencyFactory)
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
            self.__dict__.pop("roles", None)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client
        skip_postgeneration_save = True

    holding_agency = factory.SubFactory(AgencyFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    name_data_quality = "full"
    dob = factory.Faker("date_of_birth", minimum_age=18, maximum_age=80)
    dob_data_quality = "full"
    hmis_consent = "no"

    @factory.post_generation
    def ssn(self, create, extracted, **kwargs):
        if extracted:
            self.set_ssn(extracted)
            self.ssn_data_quality = "full"
            if create:
                self.save()


def call_agent(**kwargs) -> User:
    """A call agent of a lead agency (Connecting Point-like)."""
    from ces import roles

    agency = kwargs.pop("agency", None) or AgencyFactory(kind=Agency.Kind.LEAD)
    return UserFactory(agency=agency, roles=[roles.CALL_AGENT], **kwargs)


def worked_example_2_answers(**overrides) -> dict:
    """intake-and-vat.md worked example 2: man aged 62, household 3, score 13 (Nevada County)."""
    answers = {
        "collected_at": "2026-11-20T10:15:00-08:00",
        "collection_method": "phone",
        "county": "nevada",
        "safety_minor_without_adult": "no",
        "safety_safe_place_tonight": "no",
        "safety_safe_talking": "yes",
        "safety_afraid_of_partner": "no",
        "first_name": "Robert",
        "last_name": "Hale",
        "name_data_quality": "full",
        "dob": "1964-05-01",
        "dob_data_quality": "full",
        "phone_primary": "530-555-0142",
        "ssn": "287-65-4321",
        "ssn_data_quality": "full",
        "preferred_language": "en",
        "voicemail_consent": "yes",
        "wants_shelter_tonight": "no",
        "hmis_consent": "yes",
        "continue_to_vi": "yes",
        "vi_consent": "yes",
        "vi_unaccompanied_youth": "no",
        "household_size": 3,
        "household_children": 2,
        "gender": "male",
        "household_transgender": "no",
        "household_pregnant": "no",
        "veteran": "no",
        "sleep_location_30d": "emergency_shelter",
        "unstable_housing_length": "over_5_years",
        "er_visits_3plus_6m": "yes",
        "police_6plus_6m": "no",
        "health_mental": "no",
        "health_physical_sensory": "yes",
        "health_developmental": "yes",
        "health_substance": "no",
        "health_alcohol": "no",
        "health_hiv_aids": "no",
        "health_chronic": "yes",
        "household_member_health": "no",
        "attacked_since_homeless": "no",
        "self_harm": "no",
        "dv_experienced": "no",
        "dv_fleeing": "no",
        "registered_sex_offender": "no",
        "has_income": "yes",
        "household_income": "21000",
        "income_period": "annual",
    }
    answers.update(overrides)
    return {k: v for k, v in answers.items() if v is not None}


class BnlEntryFactory(factory.django.DjangoModelFactory):
    """An entry straight on the list (the intake path is tested in tests/intake)."""

    class Meta:
        model = "bnl.BnlEntry"

    client = factory.SubFactory(ClientFactory, hmis_consent="yes")
    status = "active"
    score = 10
    subtotal = factory.LazyAttribute(lambda o: min(o.score, 27))
    county = "nevada"
    household_size = 1
    placed_on_list_at = factory.Sequence(lambda n: datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=n))
    # Days homeless up to today: the entry stores the date homelessness began.
    homeless_since = factory.LazyAttribute(lambda o: dj_timezone.localdate() - timedelta(days=o.length_of_time_homeless_days))

    class Params:
        length_of_time_homeless_days = 100


def program_staff(program, **kwargs) -> User:
    from ces import roles

    role = roles.VSP_ADVOCATE if program.agency.is_vsp else roles.PROGRAM_STAFF
    return UserFactory(agency=program.agency, roles=[role], **kwargs)
