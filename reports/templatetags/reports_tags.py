"""The reports card of the dashboard: real figures for the committee on first login."""

from django import template

from reports.figures import cell_text
from reports.selectors import may_see_reports
from reports.summary import dashboard_card_context

register = template.Library()


@register.inclusion_tag("reports/_dashboard_card.html", takes_context=True)
def reports_card(context) -> dict:
    return dashboard_card_context(context["request"].user) or {"show": False}


@register.filter
def cell(row: dict, key: str) -> str:
    """A table cell as the screen and the PDF show it ("<11" when suppressed)."""
    return cell_text(row, key)


@register.filter
def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@register.filter
def get_item(row: dict, key: str):
    return row.get(key)


@register.simple_tag(takes_context=True)
def reports_allowed(context) -> bool:
    """For the navigation bar: whether this user may open the reports."""
    request = context.get("request")
    return bool(request is not None and may_see_reports(request.user))
