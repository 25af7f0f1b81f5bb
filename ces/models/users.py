from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ces.choices import Language


class User(AbstractUser):
    """A staff account. Every person belongs to one agency; roles are groups.

    The named system user (settings.CES_SYSTEM_USERNAME) has no agency and no
    usable password: scheduled jobs act as it so history says who did what.
    """

    agency = models.ForeignKey(
        "ces.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("agency"),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=[(Language.ENGLISH, Language.ENGLISH.label), (Language.SPANISH, Language.SPANISH.label)],
        default=Language.ENGLISH,
    )
    is_system = models.BooleanField(
        _("system user"), default=False, help_text=_("The account scheduled jobs act as.")
    )
    password_changed_at = models.DateTimeField(
        _("password changed"), null=True, blank=True, editable=False,
        help_text=_("API tokens issued before this no longer work (ces.api.auth)."),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["username"]

    @cached_property
    def roles(self) -> frozenset[str]:
        """The role codes (group names) this user holds."""
        if not self.pk:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *codes: str) -> bool:
        return bool(self.roles.intersection(codes))

    def set_password(self, raw_password) -> None:
        """Django's, noting when: whatever path sets a password (the admin, `changepassword`,
        a reset), API tokens issued before it stop working (ces.api.auth)."""
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        self.password_changed_at = timezone.now()
