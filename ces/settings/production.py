"""Production settings: every secret and host comes from the environment.

There is no default for SECRET_KEY, FIELD_ENCRYPTION_KEY, DATABASE_URL,
REDIS_URL or ALLOWED_HOSTS: a missing one stops the process at start-up.
`manage.py check --deploy` passes with no warnings (tests/ces/test_settings.py).
"""

from ces.keyfiles import kek_from_directory

from .base import *  # noqa: F403
from .base import database_from_env, env

CES_ENVIRONMENT = "production"
DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DATABASES = {"default": database_from_env(pool=True)}
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEY")
# Each VSP's key-encryption key from its own key file; no shared fallback (ces.vault).
VSP_KEY_ENCRYPTION_KEYS = kek_from_directory(VSP_KEY_DIR)  # noqa: F405
REDIS_URL = env.str("REDIS_URL")
if CES_BROKER != "filesystem":  # noqa: F405
    CELERY_BROKER_URL = REDIS_URL

# HTTPS only: TLS ends at the proxy in front of gunicorn, which sets X-Forwarded-Proto.
# The same one proxy appends the browser's address to X-Forwarded-For (docs/operations.md);
# set TRUSTED_PROXY_COUNT=0 when nothing stands in front of gunicorn, 2 for two proxies.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
