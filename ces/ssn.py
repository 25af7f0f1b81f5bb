"""Social Security numbers: normalising, HUD validity, and the stored forms.

The lookup hash (a keyed HMAC, `ces.crypto.lookup_hash`) lives in one of
several *spaces*: the CoC's, shared by every agency that is not a victim
service provider, and one per VSP for the people that VSP holds. The same
SSN hashes differently in each space, so no CoC-side search, duplicate check
or uniqueness rule can ever match, reveal or be blocked by a person a VSP
holds; a VSP still finds its own duplicates in its own space.
"""

import re

from django.utils.translation import gettext_lazy as _

from ces import crypto, vault

SSN_NOT_NINE_DIGITS = _("A Social Security number has 9 digits.")
# intake-and-vat.md: "invalid SSNs (area 000, 666 or 900-999, group 00, serial
# 0000) cannot have quality full".
SSN_INVALID_FOR_FULL = _(
    "This is not a valid Social Security number (area 000, 666 or 900–999, group 00 or "
    "serial 0000), so its quality cannot be “full”: check the digits or choose “partial”."
)
_LOOKUP_PURPOSE = "ssn"


def ssn_normalize(raw: str) -> str:
    """ASCII digits only ("123-45-6789" → "123456789"; other scripts' digits are not SSN digits)."""
    return re.sub(r"[^0-9]", "", raw or "")


def ssn_is_valid(ssn: str) -> bool:
    """True when the nine digits could be an issued SSN (HUD's validity rules)."""
    if not re.fullmatch(r"[0-9]{9}", ssn):
        return False
    area, group, serial = int(ssn[:3]), ssn[3:5], ssn[5:]
    return area != 0 and area != 666 and area < 900 and group != "00" and serial != "0000"


def ssn_space(agency) -> int | None:
    """The lookup-hash space of the people `agency` holds: its own id for a VSP, None for the CoC's."""
    if agency is None or not agency.is_vsp:
        return None
    return agency.pk


def ssn_lookup_hash(ssn: str, *, vsp_agency_id: int | None = None) -> str:
    """The keyed hash of an SSN in the CoC's space (the CoC's key), or in the space of the VSP
    `vsp_agency_id` — under that VSP's own key (ces.vault), which the CoC does not hold."""
    if vsp_agency_id is None:
        return crypto.lookup_hash(ssn_normalize(ssn), purpose=_LOOKUP_PURPOSE)
    return vault.vault_lookup_hash(int(vsp_agency_id), ssn_normalize(ssn), purpose=_LOOKUP_PURPOSE)


def ssn_hash_for_holder(ssn: str, agency) -> str:
    """The hash a person held by `agency` has (and the one to search them by)."""
    return ssn_lookup_hash(ssn, vsp_agency_id=ssn_space(agency))


def ssn_search_hashes(ssn: str, agency) -> list[str]:
    """The hashes a user of `agency` may search by: the CoC's, and its own space if it is a VSP."""
    hashes = [ssn_lookup_hash(ssn)]
    if ssn_space(agency) is not None:
        hashes.append(ssn_hash_for_holder(ssn, agency))
    return hashes


def ssn_masked(last4: str) -> str:
    return f"***-**-{last4}" if last4 else ""
