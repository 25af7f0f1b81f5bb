"""Rotating a VSP's data key (ces.vault): `manage.py vsp_rotate_keys` and the `vault.rotate` timer.

One transaction per VSP: a new data key (wrapped under the first of the VSP's key-encryption
keys), every sealed row of every sealed model *and of its history* opened with the old key and
sealed again with the new one, the keyed hashes recomputed (the client's search hashes and SSN
hash), then the old data keys destroyed (`wrapped_key` emptied). Rows of the VSP that were
never sealed (data from before the comparable database) are sealed on the way, and their
clear columns blanked — in the history too. Nothing here writes history rows: re-encryption
changes no one's data.
"""

import json
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ces import crypto, vault
from ces.models import Agency, Deadline, VspDataKey
from ces.sealed import VspSealed, _is_date, search_hashes, search_tokens
from ces.ssn import ssn_lookup_hash


@dataclass
class RotationResult:
    agency: str
    key_version: int
    rows: dict[str, int] = field(default_factory=dict)


def sealed_models() -> list[type]:
    """Every model whose rows a VSP seals, and the history model of each."""
    found = []
    for model in apps.get_models():
        if issubclass(model, VspSealed) and not model._meta.abstract:
            found.append(model)
            history = getattr(getattr(model, "history", None), "model", None)
            if history is not None:
                found.append(history)
    return found


def _belongs(model, agency_id: int) -> Q:
    names = {f.name for f in model._meta.get_fields()}
    return Q(holding_agency_id=agency_id) if "holding_agency" in names else Q(client__holding_agency_id=agency_id)


def _sealed_fields(model) -> tuple[str, ...]:
    original = getattr(model, "instance_type", model)  # a historical model names its original
    return original.SEALED_FIELDS


def _dump(value):
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _reseal_rows(model, agency_id: int) -> int:
    names = _sealed_fields(model)
    is_client = "ssn_hash" in {f.name for f in model._meta.concrete_fields}
    pk_name = model._meta.pk.name
    blank = {name: (None if _is_date(model._meta.get_field(name)) else "") for name in names}
    count = 0
    rows = model.objects.filter(_belongs(model, agency_id)).values(pk_name, "vsp_sealed", *names)
    for row in rows.iterator():
        if row["vsp_sealed"]:
            values = json.loads(vault.unseal(row["vsp_sealed"]))
        elif any(row[name] for name in names):
            values = {name: _dump(row[name]) for name in names}
        else:
            continue
        update = {**blank, "vsp_sealed": vault.seal(agency_id, json.dumps(values))}
        if is_client:
            update["vsp_search_hashes"] = search_hashes(agency_id, search_tokens(
                first=values.get("first_name") or "", middle=values.get("middle_name") or "",
                last=values.get("last_name") or "", dob=values.get("dob") or "", phone=values.get("phone_primary") or ""))
            ciphertext = values.get("ssn_ciphertext") or ""
            update["ssn_hash"] = ssn_lookup_hash(crypto.decrypt(ciphertext), vsp_agency_id=agency_id) if ciphertext else ""
        model.objects.filter(**{pk_name: row[pk_name]}).update(**update)
        count += 1
    return count


def vsp_keys_rotate(*, agency: Agency) -> RotationResult:
    """A new data key for the VSP, every seal renewed under it, the old keys destroyed."""
    with transaction.atomic():
        Agency.objects.select_for_update().get(pk=agency.pk)
        old = list(VspDataKey.objects.filter(agency=agency, retired_at__isnull=True))
        new = vault.data_key_create(agency.pk)
        result = RotationResult(agency=agency.initials, key_version=new.version)
        with vault.vault_opened(agency.pk):
            for model in sealed_models():
                result.rows[model._meta.label] = _reseal_rows(model, agency.pk)
        now = timezone.now()
        for key in old:
            key.retired_at, key.wrapped_key = now, ""
            key.save(update_fields=["retired_at", "wrapped_key"])
        Deadline.objects.filter(kind=vault.ROTATE_KIND, subject_id__in=[key.pk for key in old],
                                state=Deadline.State.PENDING).update(
            state=Deadline.State.CANCELLED, cancelled_at=now, cancel_reason="rotated")
    vault.cache_forget(agency.pk)
    return result
