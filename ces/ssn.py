"""Social Security numbers: normalising, HUD validity, and the stored forms."""

import re

from django.utils.translation import gettext_lazy as _

from ces import crypto

SSN_NOT_NINE_DIGITS = _("A Social Security number has 9 digits.")
# intake-and-vat.md: "invalid SSNs (area 000, 666 or 900-999, group 00, serial
# 0000) cannot have quality full".
SSN_INVALID_FOR_FULL = _(
    "This is not a valid Social Security number (area 000, 666 or 900–999, group 00 or "
    "serial 0000), so its quality cannot be “full”: check the digits or choose “partial”."
)
_LOOKUP_PURPOSE = "ssn"


def ssn_normalize(raw: str) -> str:
    """Digits only ("123-45-6789" → "123456789")."""
    return re.sub(r"\D", "", raw or "")


def ssn_is_valid(ssn: str) -> bool:
    """True when the nine digits could be an issued SSN (HUD's validity rules)."""
    if not re.fullmatch(r"\d{9}", ssn):
        return False
    area, group, serial = int(ssn[:3]), ssn[3:5], ssn[5:]
    return area != 0 and area != 666 and area < 900 and group != "00" and serial != "0000"


def ssn_lookup_hash(ssn: str) -> str:
    return crypto.lookup_hash(ssn_normalize(ssn), purpose=_LOOKUP_PURPOSE)


def ssn_masked(last4: str) -> str:
    return f"***-**-{last4}" if last4 else ""
