"""Field encryption at rest and keyed lookup hashes, on the `cryptography` library.

Fernet (AES-128-CBC + HMAC-SHA256) encrypts; MultiFernet lets an operator
rotate keys (the first key in FIELD_ENCRYPTION_KEY encrypts, all decrypt).
Lookups (find a client by SSN) use HMAC-SHA256 with a key derived from the
first encryption key by HKDF, so equal values hash equally without the
plaintext ever being stored.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _keys() -> tuple[str, ...]:
    keys = tuple(key.strip() for key in settings.FIELD_ENCRYPTION_KEYS if key.strip())
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is not set.")
    return keys


@lru_cache(maxsize=8)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes), comma-separated."
        ) from exc


@lru_cache(maxsize=8)
def _lookup_key(first_key: str, purpose: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"ces-lookup:{purpose}".encode()
    ).derive(first_key.encode())


def encrypt(plaintext: str) -> str:
    return _multifernet(_keys()).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    return _multifernet(_keys()).decrypt(token.encode()).decode()


def lookup_hash(value: str, *, purpose: str) -> str:
    """A keyed, deterministic hash (hex) for equality search on an encrypted value."""
    mac = hmac.HMAC(_lookup_key(_keys()[0], purpose), hashes.SHA256())
    mac.update(value.encode())
    return mac.finalize().hex()
