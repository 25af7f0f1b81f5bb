"""The duplicate check at the form's STOP point (intake-and-vat.md, "Duplicate check").

Candidates are ranked by likeness: the same SSN (keyed hash) first; then
trigram similarity of the names (either order, so swapped first/last names
match) and the phonetic code of the surname (fuzzystrmatch dmetaphone), for
people whose DOB is within a year of the caller's. Uses the indexes on
ces_client (dob btree, trigram GIN on lower(names), dmetaphone(last_name)).

The search is not scoped to the user (a duplicate anywhere matters); what
the agent sees of each candidate is (ces.access). People held by a victim
service provider are never candidates outside that VSP: they are left out of
the name search, and their SSN hashes live in the VSP's own space (ces.ssn),
so an SSN cannot match them either. Inside a VSP, its own people are found
(by name, and by SSN in its space) besides the CoC's.

Every search through a door (`duplicate_search`) leaves one access-log row
(SEARCH) that says which fields were given and which labels came back, never
the values searched for (an SSN or a name never reaches the log).
"""

import copy
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Case, F, FloatField, Func, Q, Value, When
from django.db.models.functions import Greatest, Lower
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ces.access import client_is_visible_to
from ces.audit import access_log_record
from ces.errors import Forbidden
from ces.models import AccessLog, Client, User
from ces.sealed import search_hashes, search_normalize
from ces.ssn import ssn_hash_for_holder, ssn_lookup_hash, ssn_normalize, ssn_space
from intake.validation import plausible_dob

DOB_WINDOW = timedelta(days=365)
NAME_SIMILARITY_FLOOR = 0.3
MAX_CANDIDATES = 10
SSN_MATCH_SCORE = 1.0
PHONETIC_SCORE = 0.5  # the surname sounds the same (dmetaphone)
SAME_DOB_BONUS = 0.2
QUERY_FIELDS = ("first_name", "last_name", "dob", "ssn")
MAY_NOT_CHECK = _("Your role does not take intakes, so it does not run the duplicate check.")


@dataclass
class Candidate:
    client: Client
    score: float
    ssn_match: bool
    visible: bool


def duplicate_candidates(
    *, user: User, first_name: str = "", last_name: str = "", dob: date | None = None, ssn: str = ""
) -> list[Candidate]:
    if not user.has_perm("intake.add_intake"):
        raise Forbidden(MAY_NOT_CHECK)
    first, last = first_name.strip().lower(), last_name.strip().lower()
    digits = ssn_normalize(ssn)
    own_vsp = ssn_space(user.agency)
    # Who may be a candidate: the CoC's people, and a VSP user's own agency's.
    searched = Q(holding_agency__is_vsp=False)
    by_ssn = Q(ssn_hash=ssn_lookup_hash(digits), holding_agency__is_vsp=False) if len(digits) == 9 else Q(pk__in=[])
    if own_vsp is not None:
        searched |= Q(holding_agency_id=own_vsp)
        if len(digits) == 9:
            by_ssn |= Q(ssn_hash=ssn_hash_for_holder(digits, user.agency), holding_agency_id=own_vsp)
    if not (first or last) and len(digits) != 9:
        return []
    if dob is not None and plausible_dob(dob) is None:
        return []  # a DOB still being typed (year 1, 19, 197...): nothing to check yet

    name_sim = Value(0.0, output_field=FloatField())
    phonetic = Value(False)
    by_name = Q(pk__in=[])
    if first or last:
        straight = (TrigramSimilarity(Lower("first_name"), first) + TrigramSimilarity(Lower("last_name"), last)) / 2
        swapped = (TrigramSimilarity(Lower("first_name"), last) + TrigramSimilarity(Lower("last_name"), first)) / 2
        name_sim = Greatest(straight, swapped)
        sounds_like = Q()
        similar = Q()
        for word in (w for w in (first, last) if w):
            similar |= Q(first_lower__trigram_similar=word) | Q(last_lower__trigram_similar=word)
            sounds_like |= Q(last_dm=Func(Value(word), function="dmetaphone"))
        phonetic = Case(When(sounds_like, then=Value(True)), default=Value(False))
        by_name = similar | sounds_like
        if dob is not None:
            by_name &= Q(dob__range=(dob - DOB_WINDOW, dob + DOB_WINDOW))
        if own_vsp is not None:  # the VSP's own people: names sealed, found by keyed hashes (ces.sealed)
            by_name |= vsp_sealed_match(own_vsp, first=first, last=last)

    rows = (
        Client.objects.annotate(
            last_dm=Func(F("last_name"), function="dmetaphone"),
            first_lower=Lower("first_name"),
            last_lower=Lower("last_name"),
        )
        .filter(searched)
        .filter(by_ssn | by_name)
        .annotate(
            name_sim=name_sim,
            sounds_like=phonetic,
            ssn_match=Case(When(by_ssn, then=Value(True)), default=Value(False)),
        )
        .select_related("holding_agency")
        .order_by("-ssn_match", "-name_sim", "id")[: MAX_CANDIDATES * 3]
    )
    candidates = []
    for client in rows:
        score = float(client.name_sim)
        if client.vsp_sealed and not client.vault_locked:  # opened in the VSP's own request
            score = max(score, vsp_sealed_score(client, first=first, last=last))
        if client.sounds_like:
            score = max(score, PHONETIC_SCORE)
        if dob is not None and client.dob == dob:
            score += SAME_DOB_BONUS  # same birthday: more likely the same person
        score = SSN_MATCH_SCORE if client.ssn_match else min(score, 0.99)
        if client.ssn_match or score >= NAME_SIMILARITY_FLOOR:
            visible = client_is_visible_to(user=user, client=client)
            candidates.append(Candidate(client=client, score=score, ssn_match=client.ssn_match, visible=visible))
    candidates.sort(key=lambda c: (-c.score, c.client.pk))
    return candidates[:MAX_CANDIDATES]


def vsp_sealed_match(agency_id: int, *, first: str, last: str) -> Q:
    """The VSP's own sealed people whose first or last name is one of the words typed."""
    words = [word for word in search_normalize(f"{first} {last}").split()]
    if not words:
        return Q(pk__in=[])
    return Q(holding_agency_id=agency_id, vsp_search_hashes__overlap=search_hashes(agency_id, [f"word:{w}" for w in words]))


def vsp_sealed_score(client: Client, *, first: str, last: str) -> float:
    """Exact words only (the hashes match words, not spellings): both names 0.9, the surname 0.6, else 0.4."""
    typed_first, typed_last = search_normalize(first), search_normalize(last)
    same_first = bool(typed_first) and typed_first == search_normalize(client.first_name)
    same_last = bool(typed_last) and typed_last == search_normalize(client.last_name)
    return 0.9 if same_first and same_last else 0.6 if same_last else 0.4


def _request_without_query(request: HttpRequest) -> HttpRequest:
    """The request as the access log may record it: a GET's query string can hold an SSN or a
    name, so the logged path leaves it out."""
    bare = copy.copy(getattr(request, "_request", request))  # a DRF Request wraps Django's
    bare.META = {**bare.META, "QUERY_STRING": ""}
    return bare


def duplicate_search(
    *, user: User, request: HttpRequest | None = None, first_name: str = "", last_name: str = "",
    dob: date | None = None, ssn: str = "",
) -> list[Candidate]:
    """The duplicate check through a door (API, the form's STOP box): the candidates, and one
    access-log row (SEARCH) naming the fields given and the labels found, never the values."""
    candidates = duplicate_candidates(user=user, first_name=first_name, last_name=last_name, dob=dob, ssn=ssn)
    query = {"first_name": first_name.strip(), "last_name": last_name.strip(), "dob": dob, "ssn": ssn_normalize(ssn)}
    given = ", ".join(name for name in QUERY_FIELDS if query[name]) or "nothing"
    found = " ".join(candidate.client.label for candidate in candidates)
    access_log_record(
        user=user,
        action=AccessLog.Action.SEARCH,
        request=_request_without_query(request) if request is not None else None,
        detail=f"duplicate check ({given} given): {len(candidates)} candidates {found}".strip(),
    )
    return candidates
