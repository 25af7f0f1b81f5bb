"""What a locked-out login sees (django-axes' AXES_LOCKOUT_CALLABLE).

The API answers in its own error shape (api.md); the browser gets the page.
"""

from django.http import JsonResponse
from django.shortcuts import render

LOCKED_OUT = "Too many failed log-in attempts: this account is locked for a while. Try again later."
LOCKED_OUT_STATUS = 429


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": {"non_field_errors": [LOCKED_OUT]}}, status=LOCKED_OUT_STATUS)
    return render(request, "registration/locked_out.html", status=LOCKED_OUT_STATUS)
