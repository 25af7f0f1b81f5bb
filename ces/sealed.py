"""Records whose personal fields a victim service provider seals under its own key (ces.vault).

A model lists its `SEALED_FIELDS` and says which VSP holds a row (`sealing_agency_id`). Saving
a row a VSP holds puts those fields, as JSON, into `vsp_sealed` (encrypted under the VSP's data
key) and writes the columns blank — so the table, its history table (django-simple-history
copies the blank columns and the seal), every dump and backup hold ciphertext and labels only.
Loading a row opens the seal only in a request by that VSP's user; anyone else gets the
blank columns, and a row loaded that way keeps its seal untouched when saved.
"""

import json
import unicodedata
from contextlib import contextmanager
from datetime import date
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from ces import vault


def _is_date(field) -> bool:
    return isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)


class VspSealed(models.Model):
    vsp_sealed = models.TextField(_("sealed by the victim service provider"), blank=True, editable=False)

    SEALED_FIELDS: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not set(update_fields) & set(self.SEALED_FIELDS):
            return super().save(*args, **kwargs)  # nothing sealed is written
        sealed = self.sealed_for_write()
        if sealed is None:
            return super().save(*args, **kwargs)
        clear, extra = sealed
        if update_fields is not None and clear is not None:
            kwargs["update_fields"] = list({*update_fields, "vsp_sealed", *extra})
        try:
            return super().save(*args, **kwargs)
        finally:
            self.sealed_written(clear)

    def sealed_for_write(self) -> tuple[dict | None, list[str]] | None:
        """Put the row in the form it is written in: the sealed fields into `vsp_sealed`, their
        columns blank. Returns (the clear values, to give back with sealed_written; the columns
        sealing computed), or None when the CoC holds the row (nothing to seal). A row loaded
        from a seal this request could not open is written blank, its seal untouched (clear
        values None)."""
        agency_id = self.sealing_agency_id()
        if agency_id is None:
            return None
        if self.vault_locked:  # never write blanks over a seal one could not open
            self._sealed_blank()
            return None, []
        values = {name: self._sealed_dump(name) for name in self.SEALED_FIELDS}
        self.vsp_sealed = vault.seal(agency_id, json.dumps(values))
        extra = self.sealed_extra(values, agency_id)
        clear = {name: getattr(self, name) for name in self.SEALED_FIELDS}
        self._sealed_blank()
        return clear, extra

    def sealed_written(self, clear: dict | None) -> None:
        """After the write: the clear values back on the instance (the caller's view of the row)."""
        if clear is None:
            return
        for name, value in clear.items():
            setattr(self, name, value)
        self._vault_state = "open"

    # --- per model ---

    def sealing_agency_id(self) -> int | None:
        """The VSP holding this row (its seal), or None when the CoC holds it."""
        raise NotImplementedError

    def sealed_extra(self, values: dict, agency_id: int) -> list[str]:
        """Columns computed from the clear values at sealing time (the client's search hashes)."""
        return []

    # --- mechanics ---

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        sealed = instance.__dict__.get("vsp_sealed")
        if sealed:
            instance.vault_open(sealed)
        return instance

    @property
    def vault_locked(self) -> bool:
        """Loaded from a seal this request may not open: the personal columns are blank."""
        return getattr(self, "_vault_state", "") == "locked"

    def vault_open(self, sealed: str) -> None:
        agency_id = vault.sealed_by(sealed)
        if agency_id is None or vault.opened_agency_id() != agency_id:
            self._vault_state = "locked"
            return
        for name, value in json.loads(vault.unseal(sealed)).items():
            if name in self.SEALED_FIELDS:
                setattr(self, name, self._sealed_load(name, value))
        self._vault_state = "open"

    def _sealed_dump(self, name: str):
        value = getattr(self, name)
        if value is None:
            return None
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    def _sealed_load(self, name: str, value):
        field = self._meta.get_field(name)
        if _is_date(field):
            return date.fromisoformat(value) if value else None
        return value if value is not None else ""

    def _sealed_blank(self) -> None:
        for name in self.SEALED_FIELDS:
            field = self._meta.get_field(name)
            setattr(self, name, None if _is_date(field) else "")


@contextmanager
def sealed_rows(rows):
    """Seal each VSP-held row of `rows` for a write that bypasses save() (bulk_create, and the
    history rows bulk_history_create copies from them): inside the block the rows hold what
    save() would write (blank columns and the seal); after it, their clear values again."""
    written = [(row, row.sealed_for_write()) for row in rows if isinstance(row, VspSealed)]
    try:
        yield
    finally:
        for row, sealed in written:
            if sealed is not None:
                row.sealed_written(sealed[0])


def history_row_open(row, model) -> None:
    """Open the seal of a history row of `model` in place, when this request may (the VSP's own
    audit review); otherwise leave its blank columns."""
    sealed = getattr(row, "vsp_sealed", "")
    if not sealed or not isinstance(model, type) or not issubclass(model, VspSealed):
        return
    agency_id = vault.sealed_by(sealed)
    if agency_id is None or vault.opened_agency_id() != agency_id:
        return
    for name, value in json.loads(vault.unseal(sealed)).items():
        if name in model.SEALED_FIELDS:
            if _is_date(model._meta.get_field(name)):
                setattr(row, name, date.fromisoformat(value) if value else None)
            else:
                setattr(row, name, value if value is not None else "")


def search_normalize(text: str) -> str:
    """Lower case, no accents, single spaces: the form a search term and a name are hashed in."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.lower().split())


def search_tokens(*, first: str = "", middle: str = "", last: str = "", dob: str = "", phone: str = "") -> list[str]:
    """The plain tokens a VSP's person is found by (hashed before they are stored)."""
    tokens = []
    for kind, value in (("first", first), ("middle", middle), ("last", last)):
        for word in search_normalize(value).split():
            tokens.append(f"{kind}:{word}")
            tokens.append(f"word:{word}")
    if dob:
        tokens.append(f"dob:{dob}")
    digits = "".join(char for char in phone or "" if char.isdigit())[-10:]
    if digits:
        tokens.append(f"phone:{digits}")
    return sorted(set(tokens))


def search_hashes(agency_id: int, tokens: list[str]) -> list[str]:
    return sorted({vault.vault_lookup_hash(agency_id, token, purpose="search") for token in tokens})
