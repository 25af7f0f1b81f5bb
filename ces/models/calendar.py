from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ClosureDay(models.Model):
    """A day the CoC's offices are closed besides weekends and federal holidays
    (e.g. a local holiday). Business-day deadlines skip it (engagement.md)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("closure day")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
