"""Every screen in Spanish: each demo login follows the links of its pages (as in the browser walk,
tests/browser/test_every_screen.py) with the interface in Spanish, and no page may show an English
string of the catalogue — one whose Spanish is missing, or one that reached the page without
passing through gettext (stored in English, or formatted before the language was known)."""

import html
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import Client

from ces.models import User
from devtools.demo.network import USERS
from tests.demo_world import demo_world

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PAGES_PER_LOGIN = 40
SKIPPED = re.compile(r"/(api|admin)/|/logout|/i18n/|\.csv|\.pdf|/pdf/|/csv/|export|download|/documents/|/lists/|/letter/preview/|format=")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}|%[sd]")
# Catalogue strings that read the same in both languages (names, codes) are not evidence of English.
MIN_WORDS = 3


def _catalogue() -> dict[str, str]:
    """msgid → msgstr over every Spanish catalogue (an empty msgstr: not translated)."""
    entries: dict[str, str] = {}
    for po in ROOT.glob("*/locale/es/LC_MESSAGES/django.po"):
        text = po.read_text(encoding="utf-8")
        for block in text.split("\n\n"):
            if "msgid_plural" in block or "#, fuzzy" in block:
                continue
            match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block, re.M)
            if not match:
                continue
            msgid, msgstr = (
                "".join(re.findall(r'"(.*)"', part)).replace('\\"', '"').replace("\\n", "\n") for part in match.groups()
            )
            if msgid and (msgstr or msgid not in entries):
                entries[msgid] = msgstr
    return entries


def _english_fragments(catalogue: dict[str, str]) -> dict[str, str]:
    """The English text of each catalogue string long enough to tell (fragment → msgid)."""
    fragments = {}
    for msgid, msgstr in catalogue.items():
        if msgstr == msgid:
            continue
        for fragment in PLACEHOLDER.split(msgid):
            fragment = fragment.strip(" .:,;·()—-")
            if len(fragment.split()) >= MIN_WORDS and fragment not in msgstr:
                fragments[fragment] = msgid
    return fragments


def _text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    # Notices are written once, in the recipient's own language (ces.notifications; docs/decisions.md).
    page = re.sub(r'<ul class="notices">.*?</ul>', " ", page, flags=re.S)
    # A consent script is read in the client's language, marked with its own lang attribute.
    page = re.sub(r'<div class="consent-script" lang="en">.*?</div>', " ", page, flags=re.S)
    attributes = " ".join(re.findall(r'(?:placeholder|aria-label|title|alt)="([^"]*)"', page))
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page) + " " + attributes))


def _kind(path: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(path).path)


def _walk(client: Client, seen_kinds: set) -> dict[str, str]:
    todo, pages, kinds_here = ["/"], {}, set()
    while todo and len(pages) < PAGES_PER_LOGIN:
        path = todo.pop(0)
        response = client.get(path, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        pages[path] = body
        seen_kinds.add(_kind(path))
        main = body[body.find("<nav"):] if "<nav" in body else body
        for href in re.findall(r'<a\b[^>]*href="([^"]+)"', main):
            href = html.unescape(href)
            if href.startswith(("#", "mailto:", "tel:")) or "://" in href or SKIPPED.search(href):
                continue
            target = urlsplit(urljoin(path, href))
            link = target.path + (f"?{target.query}" if target.query else "")
            if _kind(link) in kinds_here:
                continue
            kinds_here.add(_kind(link))
            if _kind(link) in seen_kinds:
                todo.append(link)
            else:
                todo.insert(next((i for i, queued in enumerate(todo) if _kind(queued) in seen_kinds), len(todo)), link)
    return pages


def test_every_screen_in_spanish_shows_no_english_catalogue_string():
    demo_world()
    fragments = _english_fragments(_catalogue())
    assert len(fragments) > 500  # the catalogue was read
    found: dict[str, set[str]] = {}
    seen_kinds: set[str] = set()
    for username, *_rest in USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        for path, body in _walk(client, seen_kinds).items():
            assert '<html lang="es">' in body, path
            text = _text(body)
            for fragment, msgid in fragments.items():
                if fragment in text:
                    found.setdefault(msgid, set()).add(f"{username} {_kind(path)}")
    for screen in ("/clients/N/", "/bnl/", "/engagement/N/", "/referrals/programs/N/", "/reports/", "/intake/N/"):
        assert screen in seen_kinds
    report = [f"{msgid!r} on {', '.join(sorted(where)[:3])}" for msgid, where in sorted(found.items())]
    assert not report, f"{len(report)} English strings on Spanish screens:\n" + "\n".join(report)
