"""{% panel shown %}: render one app's panel with the page's context plus its own."""

from django import template
from django.template.loader import get_template

register = template.Library()


@register.simple_tag(takes_context=True)
def panel(context, shown):
    with context.push(**shown.context):
        return get_template(shown.template).render(context.flatten(), context.get("request"))
