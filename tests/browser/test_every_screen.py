"""Every screen of the demo, as every demo login reaches it from the dashboard, in a real Chromium:
nothing answers an error, and at 390 px (a phone) nothing is wider than the screen.

The demo is the README's (`seed_demo`, a few callers), plus one program's vacancy with referrals so
the decision table is on screen. Each login follows the links of its pages (one page per kind of
URL), as a new user would. Screenshots of each kind of screen at 390 and 1366 px land in
tests/artifacts/screenshots/every-screen/.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

from devtools.demo.network import USERS
from ces.models import Program, User
from intake.services import intake_start
from referrals.services import vacancy_create, vacancy_pull
from tests.factories import DEFAULT_PASSWORD, BnlEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PAGES_PER_LOGIN = 40
# Not screens of the daily work, or not pages: downloads, the API and its docs, the admin site, logging out.
SKIPPED = re.compile(r"/(api|admin)/|/logout|/i18n/|\.csv|\.pdf|/pdf/|/csv/|export|download|/documents/|/lists/|/letter/preview/|format=")


def _kind(path: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(path).path)


def _demo() -> None:
    call_command("seed_demo", clients=8, password=DEFAULT_PASSWORD)
    # A vacancy of Placer Rapid Re-Housing (open to everyone) with referrals waiting for decisions.
    program = Program.objects.get(name="Placer Rapid Re-Housing")
    staff = User.objects.get(username="program_staff")
    staff.agency = program.agency
    staff.save()
    for score in (24, 23, 22):  # people waiting at the top of the list (the demo's callers are already placed)
        BnlEntryFactory(score=score, chronic=True)
    pull = vacancy_pull(vacancy=vacancy_create(program=program, actor=staff, note="Unit 12"), actor=staff, count=3)
    assert pull.pulled_count == 3
    intake_start(actor=User.objects.get(username="call_agent"))  # an unfinished call: the call form is a screen too


def _log_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not log in"


def _too_wide(page) -> list[str]:
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth, out = [];
        if (document.documentElement.scrollWidth <= width) return out;
        for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.width > 0 && box.right > width + 1) out.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(box.right)} px)`);
        }
        return out.slice(0, 5);
    }""")


def _walk(page, base: str, username: str, seen_kinds: set, shots) -> tuple[list[str], list[str]]:
    """Follow the login's links breadth-first from the dashboard; return the pages visited and the problems found."""
    todo, visited, problems = ["/"], [], []
    kinds_here: set[str] = set()
    while todo and len(visited) < PAGES_PER_LOGIN:
        path = todo.pop(0)
        response = page.goto(base + path)
        visited.append(path)
        status = response.status if response else 0
        if status >= 400:
            problems.append(f"{username} {path}: HTTP {status}")
            continue
        if "text/html" not in (response.headers.get("content-type", "") if response else ""):
            continue
        if wide := _too_wide(page):
            problems.append(f"{username} {path}: wider than {PHONE['width']} px: {wide}")
        kind = _kind(page.url.replace(base, ""))
        if kind not in seen_kinds:
            seen_kinds.add(kind)
            shots(page, kind)
        for href in page.eval_on_selector_all("main a[href], nav a[href]", "links => links.map(a => a.getAttribute('href'))"):
            if not href or href.startswith(("#", "mailto:", "tel:")) or "://" in href or SKIPPED.search(href):
                continue
            target = urlsplit(urljoin(base + path, href))
            link = target.path + (f"?{target.query}" if target.query else "")
            if _kind(link) in kinds_here:
                continue
            kinds_here.add(_kind(link))
            if _kind(link) in seen_kinds:
                todo.append(link)
            else:  # a kind of screen no login has shown yet goes first
                todo.insert(next((i for i, queued in enumerate(todo) if _kind(queued) in seen_kinds), len(todo)), link)
    return visited, problems


def test_every_screen_fits_a_phone_and_answers(live_server, browser, screenshot_dir):
    _demo()
    folder = screenshot_dir / "every-screen"
    folder.mkdir(exist_ok=True)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    desktop = browser.new_context(viewport=DESKTOP).new_page()

    def shots(phone_page, kind: str) -> None:
        name = kind.strip("/").replace("/", "-") or "dashboard"
        phone_page.screenshot(path=str(folder / f"{name}-390.png"), full_page=True)
        desktop.context.add_cookies(phone_page.context.cookies())
        desktop.goto(phone_page.url)
        desktop.screenshot(path=str(folder / f"{name}-1366.png"), full_page=True)

    problems, seen_kinds, visited_all = [], set(), []
    for username, *_rest in USERS:
        _log_in(page, live_server.url, username)
        visited, found = _walk(page, live_server.url, username, seen_kinds, shots)
        visited_all += visited
        problems += found
    assert not problems, "\n".join(problems)
    # The decision controls of the referral table are whole on the phone (they were cut off).
    _log_in(page, live_server.url, "program_staff")
    page.goto(f"{live_server.url}/referrals/")
    page.get_by_role("link", name="Placer Rapid Re-Housing").click() if page.get_by_role("link", name="Placer Rapid Re-Housing").count() else None
    controls = page.locator("form.decision select, form.decision input[type=text], form.decision button")
    assert controls.count() == 3 * 4
    for index in range(controls.count()):
        box = controls.nth(index).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], controls.nth(index).evaluate("e => e.outerHTML")
    page.screenshot(path=str(folder / "decision-table-390.png"), full_page=True)
    # The walk reached the screens of the daily work (a guard against a walk that stops at the dashboard).
    for screen in ("/clients/N/", "/bnl/", "/bnl/N/", "/engagement/", "/engagement/N/", "/referrals/programs/N/",
                   "/referrals/shelters/N/", "/reassignments/", "/grievances/", "/reports/", "/network/", "/intake/"):
        assert screen in seen_kinds, f"no login reached {screen}: {sorted(seen_kinds)}"
    context.close()
