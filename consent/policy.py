"""Consent policy in one place (docs/consent.md). The periods are CoC settings
(settings.CES_HMIS_CONSENT_YEARS, CES_CONSENT_REMINDER_DAYS, from the environment)."""

from ces.models import ConsentRecord

# The API's names for the kinds and methods (api.md "Consent") and the stored codes.
API_KINDS = {
    "hmis": ConsentRecord.Kind.HMIS_ROI,
    "vi": ConsentRecord.Kind.VULNERABILITY_INDEX,
    "voicemail": ConsentRecord.Kind.VOICEMAIL,
    "text": ConsentRecord.Kind.TEXT,
}
API_KIND_OF = {stored: name for name, stored in API_KINDS.items()}
API_METHODS = {
    "verbal": ConsentRecord.Method.VERBAL_RECORDED,
    "written": ConsentRecord.Method.WRITTEN,
    "electronic": ConsentRecord.Method.ELECTRONIC,
}
API_METHOD_OF = {stored: name for name, stored in API_METHODS.items()}

# Kinds with a script the agent reads (consent.scripts).
SCRIPTED_KINDS = (ConsentRecord.Kind.HMIS_ROI, ConsentRecord.Kind.VULNERABILITY_INDEX)

# A signature image: PNG or JPEG, at most this many bytes.
SIGNATURE_MAX_BYTES = 200 * 1024
