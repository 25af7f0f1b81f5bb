"""Settings for the test suite: the real PostgreSQL and Redis, fast hashing.

Under pytest-xdist (`make test` runs the whole suite on one worker per core) each worker gets
its own database (pytest-django: test_<name>_gwN), its own Redis database and its own media
directory, set here before the base settings read them, so the processes the fault tests start
inherit them too.
"""

import os

if _worker := os.environ.get("PYTEST_XDIST_WORKER"):
    _n = int(_worker.removeprefix("gw") or 0)
    _base, _sep, _db = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1").rpartition("/")
    os.environ["REDIS_URL"] = f"{_base}/{(int(_db or 0) + 8 + _n) % 16}"

from .base import *  # noqa: E402, F403
from .base import MEDIA_ROOT, database_from_env, env  # noqa: E402

CES_ENVIRONMENT = "test"
DEBUG = False
SECRET_KEY = "test-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["*"]
DATABASES = {"default": database_from_env("postgres://postgres@127.0.0.1:5432/ces")}
# No pool in the suite (pytest-django switches databases under it); the fault tests start
# gunicorn with DATABASE_POOL=true, as production runs.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# A public key-encryption key for every VSP without a key file (ces.vault): not secret.
VSP_DEV_KEY_ENCRYPTION_KEY = "dGVzdC12c3Ata2VrLWZvci1jZXMtdGVzdHMtMDAwMDA="
FIELD_ENCRYPTION_KEYS = ["dGVzdC1rZXktZm9yLWNlcy10ZXN0LXN1aXRlLTAwMDA="]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The fault tests start workers that talk SMTP to a sink (tests/faults/smtp.py).
EMAIL_BACKEND = env.str("CES_TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise serves straight from the finders here; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
if _worker:
    MEDIA_ROOT = MEDIA_ROOT / _worker
