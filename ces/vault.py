"""The VSP's comparable database: envelope encryption under each victim service provider's own key.

VAWA keeps survivors' personal data out of the CoC's shared system (bnl-and-referrals.md,
"Comparable database"; docs/security.md, "The VSP's key"). So the personal fields and free text
of every record a VSP holds are sealed:

- each VSP has **data keys** (`ces.VspDataKey`, random Fernet keys, numbered versions), stored
  only **wrapped** (encrypted) by the VSP's **key-encryption key** (KEK);
- the KEK is not in the database and not the CoC's `FIELD_ENCRYPTION_KEY`: it comes from a key
  file the VSP provides (`VSP_KEY_DIR/<INITIALS>.key`, settings.VSP_KEY_ENCRYPTION_KEYS), so a
  database dump, a backup, or anyone holding only the CoC's secrets sees ciphertext;
- a sealed value is `vsp1:<agency id>:<data key id>:<Fernet token>`;
- it is **opened only in a request by that VSP's own user** (`vault_request` below, set by
  ces.middleware.VaultMiddleware; DRF's authentication updates the same request's user): every
  other reader — CoC staff, admins, reports, exports, the audit screens, scheduled jobs — gets
  the labels and the blanked columns;
- searches inside the VSP use keyed hashes (HMAC-SHA256) under a key derived from the VSP's
  current data key (`vault_lookup_hash`), never the plaintext;
- `manage.py vsp_rotate_keys` (and the yearly `vault.rotate` timer) makes a new data key,
  re-seals every row and its history under it, recomputes the hashes, rewraps under the first
  KEK, and destroys the old data key.
"""

import contextvars
from contextlib import contextmanager
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

PREFIX = "vsp1"

# The request being answered (its user decides whose seals open), or an agency id opened
# explicitly by a maintenance job (key rotation).
_request = contextvars.ContextVar("ces_vault_request", default=None)
_opened = contextvars.ContextVar("ces_vault_opened", default=None)


class VaultLocked(Exception):
    """A seal was asked to open outside a request by its VSP's user."""


def _kek(initials: str) -> MultiFernet:
    keys = settings.VSP_KEY_ENCRYPTION_KEYS.get(initials) or (
        [settings.VSP_DEV_KEY_ENCRYPTION_KEY] if settings.VSP_DEV_KEY_ENCRYPTION_KEY else []
    )
    if not keys:
        raise ImproperlyConfigured(
            f"No key-encryption key for the victim service provider {initials}: put its key file "
            f"{initials}.key in VSP_KEY_DIR (docs/security.md)."
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(f"The key file of {initials} does not hold Fernet keys.") from exc


# --- whose seals open ------------------------------------------------------------------------


def opened_agency_id() -> int | None:
    """The VSP whose seals may open now: the requesting user's VSP, or the one a job opened."""
    opened = _opened.get()
    if opened is not None:
        return opened
    request = _request.get()
    if request is None:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active or user.agency_id is None:
        return None
    agency = user.agency
    return agency.pk if agency.is_vsp and user.roles else None


@contextmanager
def vault_request(request):
    """Answer `request` with its user's VSP's seals open (ces.middleware.VaultMiddleware)."""
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


@contextmanager
def vault_opened(agency_id: int):
    """Open one VSP's seals for a maintenance job (key rotation); never for a person's request."""
    token = _opened.set(agency_id)
    try:
        yield
    finally:
        _opened.reset(token)


def vault_streaming(request, content):
    """A streaming body (CSV) is produced after the view returns: keep the request's seals open for it."""
    for chunk in content:
        with vault_request(request):
            yield chunk


# --- data keys -------------------------------------------------------------------------------


def _data_key_model():
    from ces.models import VspDataKey  # noqa: PLC0415 (ces.models imports ces.sealed, which imports this)

    return VspDataKey


# Unwrapped data keys of this process: data key id → (agency id, the key as url-safe base64 bytes).
_cache: dict[int, tuple[int, bytes]] = {}
ROTATE_KIND = "vault.rotate"


def _unwrap(row) -> Fernet:
    if row.pk not in _cache:
        if not row.wrapped_key:
            raise VaultLocked(f"Data key v{row.version} of agency {row.agency_id} was destroyed by a rotation.")
        _cache[row.pk] = (row.agency_id, _kek(row.agency.initials).decrypt(row.wrapped_key.encode()))
    return Fernet(_cache[row.pk][1])


def data_key_current(agency_id: int):
    """The VSP's data key in use (created, wrapped under its KEK, on first need)."""
    model = _data_key_model()
    row = model.objects.select_related("agency").filter(agency_id=agency_id, retired_at__isnull=True).order_by("-version").first()
    if row is None:
        row = data_key_create(agency_id)
    return row


def data_key_create(agency_id: int):
    """A new data key version for the VSP, wrapped by the first of its KEKs."""
    from ces.models import Agency  # noqa: PLC0415

    model = _data_key_model()
    agency = Agency.objects.get(pk=agency_id)
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency_id).first()  # one new version at a time
        latest = model.objects.filter(agency_id=agency_id).order_by("-version").first()
        version = (latest.version if latest else 0) + 1
        wrapped = _kek(agency.initials).encrypt(Fernet.generate_key()).decode()
        row = model.objects.create(agency=agency, version=version, wrapped_key=wrapped)
        _rotation_schedule(row)
    return row


def _rotation_schedule(row) -> None:
    """The next rotation of this VSP's data key: a timer row swept by beat (ces/timers.py)."""
    from datetime import timedelta  # noqa: PLC0415

    from ces.deadlines import deadline_schedule  # noqa: PLC0415 (imports ces.models)

    if settings.VSP_KEY_ROTATION_DAYS:
        deadline_schedule(kind=ROTATE_KIND, subject=row, due_at=row.created_at + timedelta(days=settings.VSP_KEY_ROTATION_DAYS))


def _data_key(agency_id: int, key_id: int) -> Fernet:
    cached = _cache.get(key_id)
    if cached is not None and cached[0] == agency_id:
        return Fernet(cached[1])
    row = _data_key_model().objects.select_related("agency").filter(agency_id=agency_id, pk=key_id).first()
    if row is None:
        raise VaultLocked(f"No data key {key_id} for agency {agency_id}.")
    return _unwrap(row)


def cache_forget(agency_id: int | None = None) -> None:
    for key in [k for k, (agency, _raw) in _cache.items() if agency_id is None or agency == agency_id]:
        del _cache[key]
    _lookup_key.cache_clear()


# --- sealing ---------------------------------------------------------------------------------


def seal(agency_id: int, plaintext: str) -> str:
    """Encrypt under the VSP's current data key. Anyone may seal; only the VSP opens."""
    row = data_key_current(agency_id)
    token = _unwrap(row).encrypt(plaintext.encode()).decode()
    return f"{PREFIX}:{agency_id}:{row.pk}:{token}"


def sealed_by(sealed: str) -> int | None:
    """The agency id a sealed value belongs to (None if it is not one)."""
    parts = sealed.split(":", 3) if sealed else []
    if len(parts) != 4 or parts[0] != PREFIX:
        return None
    return int(parts[1])


def sealed_key_id(sealed: str) -> int:
    return int(sealed.split(":", 3)[2])


def unseal(sealed: str) -> str:
    """The plaintext, only while that VSP's seals are open (VaultLocked otherwise)."""
    agency_id = sealed_by(sealed)
    if agency_id is None:
        raise VaultLocked("Not a sealed value.")
    if opened_agency_id() != agency_id:
        raise VaultLocked("Sealed by a victim service provider: only its own users open it.")
    _prefix, _agency, key_id, token = sealed.split(":", 3)
    try:
        return _data_key(agency_id, int(key_id)).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise VaultLocked("The seal does not open with the VSP's key.") from exc


@lru_cache(maxsize=64)
def _lookup_key(agency_id: int, key_id: int, purpose: str) -> bytes:
    _data_key(agency_id, key_id)  # unwrapped into the cache
    raw = _cache[key_id][1]
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"ces-vsp-lookup:{purpose}".encode()).derive(raw)


def vault_lookup_hash(agency_id: int, value: str, *, purpose: str) -> str:
    """A keyed hash (hex) under the VSP's current data key, for equality search inside the VSP."""
    row = data_key_current(agency_id)
    _unwrap(row)
    mac = hmac.HMAC(_lookup_key(agency_id, row.pk, purpose), hashes.SHA256())
    mac.update(value.encode())
    return mac.finalize().hex()

