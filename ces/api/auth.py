"""API token authentication: django-rest-knox's, and a token issued before the person's last
password change no longer works, whichever way the password was set (docs/security.md).

The admin's password form also revokes the tokens outright (ces.services.api_tokens_revoke);
this check covers every other way a password is set (`manage.py changepassword`, a reset).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox import auth
from rest_framework import exceptions

TOKEN_OLDER_THAN_PASSWORD = _("Invalid token.")


class TokenAuthentication(auth.TokenAuthentication):
    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        if user.password_changed_at is not None and token.created < user.password_changed_at:
            token.delete()
            raise exceptions.AuthenticationFailed(TOKEN_OLDER_THAN_PASSWORD)
        return user, token


class TokenScheme(OpenApiAuthenticationExtension):
    """How the schema (/api/schema/) describes it."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'An API token: "Token <key>", the key from POST /api/v1/auth/token/.',
        }
