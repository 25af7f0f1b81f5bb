"""Reads for programs, vacancies and referrals, scoped to the user's agency (404 otherwise)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from bnl.models import BnlEntry
from ces import roles
from ces.access import client_is_visible_to
from ces.models import Program, User
from intake.models import Shelter
from referrals.models import Referral, ShelterReferral, Vacancy

_OVERSIGHT = (roles.COC_STAFF, roles.HMIS_ADMIN)


def programs_run_by(user: User) -> QuerySet[Program]:
    """Housing programs whose vacancies and referrals this user works (their agency's)."""
    if not user.is_authenticated or user.agency_id is None or not user.has_perm("referrals.add_vacancy"):
        return Program.objects.none()
    return Program.objects.filter(agency_id=user.agency_id, is_active=True, type__in=Program.HOUSING_TYPES).select_related("agency")


def program_get_for_staff(*, user: User, pk: int) -> Program:
    try:
        return programs_run_by(user).get(pk=pk)
    except (Program.DoesNotExist, ValueError, TypeError):
        raise Http404("No such program.") from None


def vacancy_get_for_staff(*, user: User, pk: int) -> Vacancy:
    try:
        return Vacancy.objects.select_related("program__agency").get(pk=pk, program__in=programs_run_by(user))
    except (Vacancy.DoesNotExist, ValueError, TypeError):
        raise Http404("No such vacancy.") from None


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    base = Referral.objects.select_related("entry__client__holding_agency", "entry__vsp", "program__agency", "vacancy")
    if not user.is_authenticated or not user.has_perm("referrals.view_referral"):
        return base.none()
    if user.has_role(*_OVERSIGHT):
        return base
    return base.filter(program__in=programs_run_by(user))


def referral_get_for_staff(*, user: User, pk: int) -> Referral:
    try:
        return referrals_visible_to(user).filter(program__in=programs_run_by(user)).get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise Http404("No such referral.") from None


def contact_instruction(*, user: User, entry: BnlEntry) -> str:
    """Who a program contacts about a referred person it may not see (DV: the VSP)."""
    if entry.client_id is None:
        phone = f" ({entry.vsp.phone})" if entry.vsp.phone else ""
        return f"Contact {entry.vsp.name}{phone} about {entry.label}: the victim service provider reaches the person."
    if client_is_visible_to(user=user, client=entry.client):
        return ""
    return (f"Contact {entry.client.holding_agency.name} about {entry.label}: the person has not consented to "
            "share their information with your agency.")


def shelters_run_by(user: User) -> QuerySet[Shelter]:
    if not user.is_authenticated or user.agency_id is None or not user.has_perm("referrals.change_shelterreferral"):
        return Shelter.objects.none()
    return Shelter.objects.filter(program__agency_id=user.agency_id, is_active=True)


def shelter_get_for_staff(*, user: User, pk: int) -> Shelter:
    try:
        return shelters_run_by(user).get(pk=pk)
    except (Shelter.DoesNotExist, ValueError, TypeError):
        raise Http404("No such shelter.") from None


def shelter_referral_get_for_staff(*, user: User, pk: int) -> ShelterReferral:
    try:
        return ShelterReferral.objects.select_related("client__holding_agency", "shelter").get(pk=pk, shelter__in=shelters_run_by(user))
    except (ShelterReferral.DoesNotExist, ValueError, TypeError):
        raise Http404("No such referral.") from None


def open_referrals_of_vacancy(vacancy: Vacancy) -> QuerySet[Referral]:
    return vacancy.referrals.filter(Q(status__in=Referral.OPEN_STATUSES))
