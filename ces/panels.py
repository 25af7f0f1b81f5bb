"""Pages of the shared core that the apps add to: the client page and the dashboard.

`ces` sits below the apps and never imports them. Each app contributes its
own panels in `<app>/panels.py` (loaded at start-up, like `timers.py`):

    @client_panel(template="engagement/_client_panel.html", order=40)
    def outreach(*, user, client) -> dict | None: ...

    @dashboard_panel(template="intake/_drafts.html", order=10)
    def unfinished_calls(*, user) -> dict | None: ...

A panel function returns the context its template needs, or None when the
panel has nothing for this user (then it is not shown). The page renders
each shown panel's template with the page's context plus the panel's own.
"""

from collections.abc import Callable
from dataclasses import dataclass

from ces.models import Client, User


@dataclass(frozen=True)
class Panel:
    template: str
    order: int
    build: Callable[..., dict | None]


@dataclass(frozen=True)
class ShownPanel:
    template: str
    context: dict


_CLIENT_PANELS: list[Panel] = []
_DASHBOARD_PANELS: list[Panel] = []


def _register(registry: list[Panel], template: str, order: int):
    def decorate(build):
        if not any(panel.template == template for panel in registry):  # a module loaded twice registers once
            registry.append(Panel(template=template, order=order, build=build))
            registry.sort(key=lambda panel: (panel.order, panel.template))
        return build

    return decorate


def client_panel(*, template: str, order: int = 50):
    return _register(_CLIENT_PANELS, template, order)


def dashboard_panel(*, template: str, order: int = 50):
    return _register(_DASHBOARD_PANELS, template, order)


def client_panels_for(*, user: User, client: Client) -> list[ShownPanel]:
    shown = []
    for panel in _CLIENT_PANELS:
        context = panel.build(user=user, client=client)
        if context is not None:
            shown.append(ShownPanel(template=panel.template, context=context))
    return shown


def dashboard_panels_for(*, user: User) -> list[ShownPanel]:
    shown = []
    for panel in _DASHBOARD_PANELS:
        context = panel.build(user=user)
        if context is not None:
            shown.append(ShownPanel(template=panel.template, context=context))
    return shown
