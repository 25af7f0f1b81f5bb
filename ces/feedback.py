"""Showing a service's validation errors on the next page, in the words the service chose."""

from django.contrib import messages


def errors_to_messages(request, errors: dict[str, list[str]]) -> None:
    """`{"field": ["message"]}` → one error message each; non-field errors without a prefix."""
    for field, texts in errors.items():
        for text in texts:
            messages.error(request, text if field == "non_field_errors" else f"{field.replace('_', ' ')}: {text}")
