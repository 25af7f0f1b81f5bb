"""Template filters for the complaint forms."""

from django import template

register = template.Library()


@register.filter
def as_list(value) -> list:
    """A form value as a list: kept input holds one value per name, a case's prefill a list."""
    if value is None or value == "":
        return []
    return [str(item) for item in value] if isinstance(value, (list, tuple)) else [str(value)]
