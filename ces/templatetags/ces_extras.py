from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """{{ dict|get_item:key }} for templates."""
    return mapping.get(key) if hasattr(mapping, "get") else None
