"""The duplicate check at the form's STOP point (intake-and-vat.md, "Duplicate check").

Candidates are ranked by likeness: the same SSN (keyed hash) first; then
trigram similarity of the names (either order, so swapped first/last names
match) and the phonetic code of the surname (fuzzystrmatch dmetaphone), for
people whose DOB is within a year of the caller's. Uses the indexes on
ces_client (dob btree, trigram GIN on lower(names), dmetaphone(last_name)).

The search is not scoped to the user (a duplicate anywhere matters); what
the agent sees of each candidate is (ces.access).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Case, F, FloatField, Func, Q, Value, When
from django.db.models.functions import Greatest, Lower

from ces.access import client_is_visible_to
from ces.models import Client, User
from ces.ssn import ssn_lookup_hash, ssn_normalize

DOB_WINDOW = timedelta(days=365)
NAME_SIMILARITY_FLOOR = 0.3
MAX_CANDIDATES = 10
SSN_MATCH_SCORE = 1.0
PHONETIC_SCORE = 0.5  # the surname sounds the same (dmetaphone)
SAME_DOB_BONUS = 0.2


@dataclass
class Candidate:
    client: Client
    score: float
    ssn_match: bool
    visible: bool

    def as_dict(self) -> dict:
        data = {"client_id": self.client.pk, "score": round(self.score, 3), "label": self.client.label}
        if self.visible:
            data.update(
                name=self.client.full_name,
                dob=self.client.dob.isoformat() if self.client.dob else None,
                ssn_last4=self.client.ssn_last4,
            )
        return data


def duplicate_candidates(
    *, user: User, first_name: str = "", last_name: str = "", dob: date | None = None, ssn: str = ""
) -> list[Candidate]:
    first, last = first_name.strip().lower(), last_name.strip().lower()
    digits = ssn_normalize(ssn)
    by_ssn = Q(ssn_hash=ssn_lookup_hash(digits)) if len(digits) == 9 else Q(pk__in=[])
    if not (first or last) and not by_ssn:
        return []

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

    rows = (
        Client.objects.annotate(
            last_dm=Func(F("last_name"), function="dmetaphone"),
            first_lower=Lower("first_name"),
            last_lower=Lower("last_name"),
        )
        .filter(by_ssn | by_name)
        .exclude(holding_agency__is_vsp=True)
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
