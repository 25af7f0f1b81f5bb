from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()

# The duplicate check's likeness (intake.duplicates) in words.
LIKENESS_VERY_CLOSE = 0.85
LIKENESS_CLOSE = 0.6


@register.filter
def get_item(mapping, key):
    """{{ dict|get_item:key }} for templates."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def phone(value):
    """A US number as people write it: "+15305550142" → "(530) 555-0142"; anything else unchanged."""
    if not value:
        return value
    digits = "".join(ch for ch in str(value) if ch.isascii() and ch.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return value
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


@register.filter
def phones(values):
    """A list of numbers, each as people write it, separated by commas."""
    return ", ".join(str(phone(value)) for value in values or [])


@register.filter
def likeness_words(score):
    """A duplicate-check likeness (0–1) in words an agent reads at a glance."""
    try:
        score = float(score)
    except (TypeError, ValueError):
        return ""
    if score >= LIKENESS_VERY_CLOSE:
        return _("very close match")
    if score >= LIKENESS_CLOSE:
        return _("close match")
    return _("possible match")


@register.filter
def ago(moment):
    """How long ago, never "0 minutes ago": "just now" under a minute."""
    if not moment:
        return ""
    if timezone.now() - moment < timedelta(minutes=1):
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment)}
