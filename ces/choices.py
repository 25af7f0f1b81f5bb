"""The shared answer vocabularies of the intake form (intake-and-vat.md).

The codes are contracts: database values, form values, API values and export
values are the same strings.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class YesNo(models.TextChoices):
    """Type `yn`: HUD standard responses (HMIS CSV 1, 0, 8, 9, 99)."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    DOESNT_KNOW = "doesnt_know", _("Client doesn't know")
    REFUSED = "refused", _("Client prefers not to answer")
    NOT_COLLECTED = "not_collected", _("Data not collected")


YES_NO_HMIS = {"yes": 1, "no": 0, "doesnt_know": 8, "refused": 9, "not_collected": 99}


class DataQuality(models.TextChoices):
    """HUD 3.01/3.02/3.03 data quality (HMIS CSV 1, 2, 8, 9, 99)."""

    FULL = "full", _("Full")
    PARTIAL = "partial", _("Partial, approximate or street name")
    DOESNT_KNOW = "doesnt_know", _("Client doesn't know")
    REFUSED = "refused", _("Client prefers not to answer")
    NOT_COLLECTED = "not_collected", _("Data not collected")


DATA_QUALITY_HMIS = {"full": 1, "partial": 2, "doesnt_know": 8, "refused": 9, "not_collected": 99}


class County(models.TextChoices):
    PLACER = "placer", _("Placer County")
    NEVADA = "nevada", _("Nevada County")
    OUTSIDE_COC = "outside_coc", _("Outside the CoC")


class ServedCounty(models.TextChoices):
    """The counties of CA-515 that a program can serve."""

    PLACER = "placer", _("Placer County")
    NEVADA = "nevada", _("Nevada County")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    OTHER = "other", _("Other")
