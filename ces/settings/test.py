"""Settings for the test suite: the real PostgreSQL and Redis, fast hashing."""

from .base import *  # noqa: F403
from .base import database_from_env, env

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
