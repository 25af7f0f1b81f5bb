"""factory-boy factories whose sub-factories keep the cross-app rules true."""

import string

import factory
from django.contrib.auth.models import Group

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
