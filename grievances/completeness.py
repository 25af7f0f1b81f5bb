"""What a complete form has (Appendix D: "Connecting Point will process complaints that are
complete"; Appendix E: "HRCS will only process grievance forms that are complete"), and whether
it came in time. The service, the screens, the letters and the API all read these.
"""

from datetime import date

from django.utils.translation import gettext_lazy as _

from grievances.models import Grievance, TitleViComplaint

NAME_MISSING = _("Write the name of the person complaining.")
BASES_MISSING = _("Tick at least one basis of the discrimination (race, color, national origin, disability, ...).")
INCIDENT_DATE_MISSING = _("Give the date of the alleged discrimination (an approximate date is fine).")
DESCRIPTION_MISSING = _("Explain what happened and why you believe you were discriminated against.")
THIRD_PARTY_NAME_MISSING = _("Filing for someone else: write their name.")
THIRD_PARTY_RELATIONSHIP_MISSING = _("Filing for someone else: write your relationship to them.")
THIRD_PARTY_REASON_MISSING = _("Filing for someone else: explain why you file for them.")
THIRD_PARTY_PERMISSION_MISSING = _("Filing for someone else: confirm that you have their permission.")
AGENCY_MISSING = _("Choose the agency that denied you.")
DENIAL_DATE_MISSING = _("Give the date of the denial.")
DENIAL_DESCRIPTION_MISSING = _("Explain what happened and why you believe you were wrongly denied.")
NOT_TRIED_WITH_PROGRAM = _("First try to resolve it with the program that denied you, then tell us its answer.")
# The public page also needs a way to reach the person and their signature.
CONTACT_MISSING = _("Give an address, a phone number or an email address so we can answer you.")
SIGNATURE_MISSING = _("Type your full name as your signature.")
CONFIRMATION_MISSING = _("Confirm that the information is true and correct to the best of your knowledge.")


def complaint_missing(values: dict) -> list[tuple[str, object]]:
    """(field, message) for each answer a Title VI complaint still needs before it is processed."""
    missing = []
    if not (values.get("complainant_name") or "").strip():
        missing.append(("complainant_name", NAME_MISSING))
    if not values.get("bases"):
        missing.append(("bases", BASES_MISSING))
    if not values.get("incident_date"):
        missing.append(("incident_date", INCIDENT_DATE_MISSING))
    if not (values.get("description") or "").strip():
        missing.append(("description", DESCRIPTION_MISSING))
    if values.get("on_own_behalf") is False:
        if not (values.get("third_party_name") or "").strip():
            missing.append(("third_party_name", THIRD_PARTY_NAME_MISSING))
        if not (values.get("third_party_relationship") or "").strip():
            missing.append(("third_party_relationship", THIRD_PARTY_RELATIONSHIP_MISSING))
        if not (values.get("third_party_reason") or "").strip():
            missing.append(("third_party_reason", THIRD_PARTY_REASON_MISSING))
        if values.get("third_party_permission") is not True:
            missing.append(("third_party_permission", THIRD_PARTY_PERMISSION_MISSING))
    return missing


def grievance_missing(values: dict) -> list[tuple[str, object]]:
    """(field, message) for each answer a CE grievance still needs before it is processed."""
    missing = []
    if not (values.get("complainant_name") or "").strip():
        missing.append(("complainant_name", NAME_MISSING))
    if not values.get("agency"):
        missing.append(("agency_id", AGENCY_MISSING))
    if not values.get("denial_date"):
        missing.append(("denial_date", DENIAL_DATE_MISSING))
    if not (values.get("description") or "").strip():
        missing.append(("description", DENIAL_DESCRIPTION_MISSING))
    if values.get("tried_with_program") is not True:
        missing.append(("tried_with_program", NOT_TRIED_WITH_PROGRAM))
    return missing


def public_missing(values: dict) -> list[tuple[str, object]]:
    """What the public page also asks for: a way to answer, a signature, the confirmation."""
    missing = []
    if not any((values.get(key) or "").strip() for key in ("address", "phone_home", "phone_work", "phone_cell", "email")):
        missing.append(("address", CONTACT_MISSING))
    if not (values.get("signature_name") or "").strip():
        missing.append(("signature_name", SIGNATURE_MISSING))
    if values.get("confirmation") is not True:
        missing.append(("confirmation", CONFIRMATION_MISSING))
    return missing


def _values(case) -> dict:
    values = {field.name: getattr(case, field.name) for field in case._meta.concrete_fields}
    values["agency"] = case.agency_id
    return values


def case_missing(case: TitleViComplaint | Grievance) -> list[tuple[str, object]]:
    values = _values(case)
    return grievance_missing(values) if isinstance(case, Grievance) else complaint_missing(values)


def is_untimely(*, event: date | None, received: date, days: int) -> bool:
    """Received more than `days` days after the event (exactly `days` is still in time)."""
    return event is not None and (received - event).days > days
