"""Settings for a developer's machine and the README's run command.

Secrets have fixed, public defaults here: never use these settings in production.
"""

from .base import *  # noqa: F403
from .base import database_from_env, env

CES_ENVIRONMENT = "dev"
DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-not-for-production-use-0123456789")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
DATABASES = {"default": database_from_env("postgres://postgres@127.0.0.1:5432/ces", pool=True)}
# A public development key (Fernet): data encrypted with it is not secret.
# A public key-encryption key for every VSP without a key file (ces.vault): not secret.
VSP_DEV_KEY_ENCRYPTION_KEY = "ZGV2LXZzcC1rZWstZm9yLWNlcy1kZXZlbG9wbWVudDA="
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEY", default=["c2VjcmV0LWRldi1rZXktZm9yLWNlcy0wMDAwMDAwMDA="]
)
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise serves straight from the finders here; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
