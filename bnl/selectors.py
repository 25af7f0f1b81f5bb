"""Reads of the By-Name List, scoped to the user: who sees which list, whose personal data, and
who may do what to an entry (the predicates the services call).

Everyone who may see the BNL sees score, flags, eligibility, county, dates and
status; personal data only where ces.access allows (annotated `pii_visible`).
What stands behind a person's score (the VAT answers, the case-management
justifications, the reasons in the entry's history) is personal too: only
those who may see the person see it. A VSP's own list is visible only to that VSP.
"""

from collections.abc import Iterable

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bnl.eligibility import eligibility_test, eligible_q, list_scope_q
from bnl.models import BnlEntry
from bnl.policy import CASE_MANAGEMENT_ITEMS, FLAG_FILTERS, bnl_ordered
from ces import roles
from ces.access import client_is_visible_to, client_visibility_q
from ces.models import Client, Program, User
from intake.pdf import VAT_ROWS

# What everyone who sees the list may see change in an entry's history.
LIST_FIELDS = frozenset({
    "status", "score", "subtotal", "homeless_since", "chronic_due_on", "county", "placed_on_list_at", "household_size",
    *FLAG_FILTERS, "dv_survivor", "disability", "sex_offender",
})


# --- who may see and do what ----------------------------------------------------


def may_see_bnl(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.agency_id is not None and user.has_perm("bnl.view_bnlentry")


def bnl_access_require(user: User) -> None:
    """The list's screens: 404 for anyone who may not see the list at all."""
    if not may_see_bnl(user):
        raise Http404("No such page.")


def may_manage_bnl(user: User) -> bool:
    """CoC staff's status corrections and exits."""
    return user.is_authenticated and user.is_active and user.has_perm("bnl.manage_bnl")


def own_vsp_list_owner(user: User):
    """The VSP whose own list this user keeps, if any."""
    if user.is_authenticated and user.agency_id and user.agency.is_vsp and user.has_role(roles.VSP_ADVOCATE):
        return user.agency
    return None


def bnl_entry_person_visible(*, user: User, entry: BnlEntry) -> bool:
    """Whether `user` may see the person behind an entry: their name and DOB, and what stands
    behind their score. For a de-identified entry: the VSP that placed it, which keeps the person."""
    if entry.client_id is None:
        return user.is_authenticated and user.agency_id is not None and entry.vsp_id == user.agency_id
    return client_is_visible_to(user=user, client=entry.client)


def may_manage_case(user: User, entry: BnlEntry) -> bool:
    """Case-management points: a case manager (case worker, supervisor, program staff) who may see the person."""
    if not user.is_authenticated or not user.has_perm("bnl.add_casemanagementpoint"):
        return False
    return bnl_entry_person_visible(user=user, entry=entry)


def may_place_on_coc_list(user: User, entry: BnlEntry) -> bool:
    """Only the VSP's advocates place an entry of their own list on the CoC list, once."""
    owner = own_vsp_list_owner(user)
    return (
        owner is not None
        and entry.list_owner_id == owner.pk
        and not BnlEntry.objects.filter(source_entry=entry).exists()
    )


# --- the list -----------------------------------------------------------------------


def housing_programs() -> list[Program]:
    return list(Program.objects.filter(is_active=True, type__in=Program.HOUSING_TYPES).select_related("agency").order_by("name"))


def _with_person_visibility(entries: QuerySet[BnlEntry], user: User) -> QuerySet[BnlEntry]:
    return entries.select_related("client__holding_agency", "vsp").annotate(
        pii_visible=Case(When(client_visibility_q(user, prefix="client__"), then=Value(True)), default=Value(False),
                         output_field=BooleanField())
    )


def bnl_entries_for(
    *,
    user: User,
    vsp_list: bool = False,
    program: Program | None = None,
    status: str | None = None,
    county: str | None = None,
    flags: dict[str, bool | None] | None = None,
) -> QuerySet[BnlEntry]:
    """The list as `user` may see it, filtered (bnl.inputs.BnlFilter), in the list's order."""
    if not may_see_bnl(user):
        return _with_person_visibility(BnlEntry.objects.none(), user)
    entries = BnlEntry.objects.all()
    if vsp_list:
        owner = own_vsp_list_owner(user)
        if owner is None:
            return _with_person_visibility(BnlEntry.objects.none(), user)
        entries = entries.filter(list_owner=owner)
    elif program is not None:
        entries = entries.filter(list_scope_q(program) & eligible_q(program))
        if program.agency.is_vsp and program.agency_id != user.agency_id:
            entries = entries.filter(list_owner__isnull=True)
    else:
        entries = entries.filter(list_owner__isnull=True)
    if status:
        entries = entries.filter(status=status)
    else:
        entries = entries.filter(status__in=BnlEntry.OPEN_STATUSES)
    if county:
        entries = entries.filter(county=county)
    for flag, wanted in (flags or {}).items():
        if flag in FLAG_FILTERS and wanted is not None:
            entries = entries.filter(**{flag: wanted})
    return bnl_ordered(_with_person_visibility(entries, user))


def bnl_entries_ranked(entries: Iterable[BnlEntry], *, offset: int | None, programs: list[Program]) -> list[BnlEntry]:
    """Entries of one page with their `rank` in the filtered list (None outside a list) and the
    housing programs each is eligible for (`eligible_programs`)."""
    tests = [(program, eligibility_test(program)) for program in programs]
    ranked = []
    for index, entry in enumerate(entries):
        entry.rank = None if offset is None else offset + index + 1
        entry.eligible_programs = [program for program, eligible in tests if eligible(entry)]
        ranked.append(entry)
    return ranked


# --- a page of the list, as plain columns ---------------------------------------------
#
# The list's screen and API show 50 to 200 entries a page. Read as model instances (an entry, its
# client, the client's agency, the VSP: four objects a row) the page costs several times its SQL,
# so a page reads only the columns it shows, and each row is a BnlListRow.

LIST_ENTRY_FIELDS = (
    "id", "client_id", "vsp_id", "vsp_client_number", "status", "score", "homeless_since", "county", "placed_on_list_at",
    *FLAG_FILTERS, "dv_survivor", "disability", "sex_offender", "household_size",
)
# The person's columns a row may show (only where `pii_visible`), and their seal (ces.sealed).
LIST_CLIENT_FIELDS = ("holding_agency_id", "worker_alert", "first_name", "middle_name", "last_name", "dob",
                      "phone_primary", "vsp_sealed")


class BnlListPerson:
    """The person behind a row: their label and worker alert for everyone; names, date of birth and
    phone only read where the row is `pii_visible`."""

    __slots__ = ("pk", "label", *LIST_CLIENT_FIELDS)

    @property
    def id(self) -> int:
        return self.pk

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.middle_name, self.last_name) if part)


class BnlListVsp:
    """The VSP to contact for a de-identified row."""

    __slots__ = ("pk", "initials", "name")


class BnlListRow:
    """One entry of a page of the list (bnl_list_page): its columns, `pii_visible`, `client`
    (a BnlListPerson, None for a de-identified entry), `vsp`, and `rank` and `eligible_programs`
    as bnl_entries_ranked gives them. It reads like a BnlEntry where the screens, the API and the
    eligibility rules read one (label, days homeless, flags)."""

    __slots__ = (*LIST_ENTRY_FIELDS, "pii_visible", "client", "vsp", "rank", "eligible_programs", "__dict__")

    @property
    def pk(self) -> int:
        return self.id

    @property
    def label(self) -> str:
        if self.client_id is None:
            return f"{self.vsp.initials}-{self.vsp_client_number}"
        return self.client.label

    @property
    def length_of_time_homeless_days(self) -> int:
        return max(0, (timezone.localdate() - self.homeless_since).days)


def _list_person(values: dict) -> BnlListPerson:
    person = BnlListPerson()
    person.pk = values["client_id"]
    person.label = f"{values['client__holding_agency__initials']}-{person.pk:06d}"
    for name in LIST_CLIENT_FIELDS:
        setattr(person, name, values[f"client__{name}"])
    if person.vsp_sealed and values["pii_visible"]:
        # Held by a VSP: the columns are blank and the seal opens only in its own users' requests.
        # The model opens it (ces.sealed.VspSealed.from_db), exactly as for a client read whole.
        client = Client.from_db("default", _SEALED_READ, [values["client_id"] if name == "id" else values[f"client__{name}"]
                                                          for name in _SEALED_READ])
        for name in LIST_CLIENT_FIELDS:
            setattr(person, name, getattr(client, name))
    return person


# Client.from_db takes the values in the model's field order.
_SEALED_READ = [field.attname for field in Client._meta.concrete_fields if field.attname in {"id", *LIST_CLIENT_FIELDS}]


def bnl_list_values(entries: QuerySet[BnlEntry]) -> QuerySet[dict]:
    """The columns of the list's pages, of bnl_entries_for's entries (in its order): paginate these."""
    return entries.values(
        *LIST_ENTRY_FIELDS, "pii_visible", *(f"client__{name}" for name in LIST_CLIENT_FIELDS),
        "client__holding_agency__initials", "vsp__initials", "vsp__name",
    )


def bnl_list_rows(page: Iterable[dict], *, offset: int | None, programs: list[Program]) -> list[BnlListRow]:
    """A page of bnl_list_values as BnlListRows, with `rank` and `eligible_programs` as bnl_entries_ranked gives them."""
    tests = [(program, eligibility_test(program)) for program in programs]
    rows = []
    for index, values in enumerate(page):
        row = BnlListRow()
        for name in LIST_ENTRY_FIELDS:
            setattr(row, name, values[name])
        row.pii_visible = bool(values["pii_visible"])
        row.client = None if row.client_id is None else _list_person(values)
        row.vsp = None
        if row.vsp_id is not None:
            row.vsp = BnlListVsp()
            row.vsp.pk, row.vsp.initials, row.vsp.name = row.vsp_id, values["vsp__initials"], values["vsp__name"]
        row.rank = None if offset is None else offset + index + 1
        row.eligible_programs = [program for program, eligible in tests if eligible(row)]
        rows.append(row)
    return rows


def bnl_entry_get_for_user(*, user: User, pk: int) -> BnlEntry:
    """An entry the user may see (404 otherwise: another VSP's list, or no BNL access)."""
    if not may_see_bnl(user):
        raise Http404("No such entry.")
    scope = Q(list_owner__isnull=True)
    owner = own_vsp_list_owner(user)
    if owner is not None:
        scope |= Q(list_owner=owner)
    entry = (
        _with_person_visibility(BnlEntry.objects.filter(scope), user)
        .select_related("assessment", "list_owner")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404("No such entry.")
    return entry


def _ahead_of(entry: BnlEntry) -> Q:
    """The entries ahead of `entry` in the list order (score, time homeless, time on the list, id)."""
    return (
        Q(score__gt=entry.score)
        | Q(score=entry.score, homeless_since__lt=entry.homeless_since)
        | Q(score=entry.score, homeless_since=entry.homeless_since, placed_on_list_at__lt=entry.placed_on_list_at)
        | Q(score=entry.score, homeless_since=entry.homeless_since, placed_on_list_at=entry.placed_on_list_at,
            pk__lt=entry.pk)
    ) & ~Q(pk=entry.pk)


def bnl_rank_querysets(entry: BnlEntry) -> tuple[QuerySet, QuerySet]:
    """(the active entries ahead of `entry` on its list, all active entries of its list): its rank is
    one more than the first's count, the active total the second's."""
    same_list = BnlEntry.objects.filter(status=BnlEntry.Status.ACTIVE, list_owner_id=entry.list_owner_id)
    return same_list.filter(_ahead_of(entry)), same_list


def bnl_rank_of(entry: BnlEntry) -> tuple[int, int]:
    """(rank, active total) of an entry on its list among active entries; where it would stand if not active.
    One statement: both counts in one pass over the list."""
    _ahead, same_list = bnl_rank_querysets(entry)
    counts = same_list.aggregate(ahead=Count("pk", filter=_ahead_of(entry)), total=Count("pk"))
    return counts["ahead"] + 1, counts["total"]


# --- one entry, as this user may see it --------------------------------------------


def bnl_score_breakdown_for(*, user: User, entry: BnlEntry) -> list[dict] | None:
    """The VAT indicators behind the score (health, DV, ...), for those who may see the person;
    None for everyone else (they see the score and the flags)."""
    if entry.assessment_id is None or not bnl_entry_person_visible(user=user, entry=entry):
        return None
    indicators = entry.assessment.indicators or {}
    return [{"code": code, "wording": wording, "points": indicators.get(code, 0)} for code, wording in VAT_ROWS]


def bnl_case_management_items_for(*, user: User, entry: BnlEntry) -> list[dict]:
    """Each Case Management Entry item: given or not, and (for those who may see the person) why."""
    private = bnl_entry_person_visible(user=user, entry=entry)
    given = {point.item: point for point in entry.case_management_points.select_related("added_by")}
    return [{"item": item, "given": item in given, "point": given.get(item) if private else None}
            for item in CASE_MANAGEMENT_ITEMS]


def _value_words(field, value) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def _change_words(change) -> str:
    """One change of the entry's history in words: the field's name, and its values as the screens show them
    (no raw codes; a linked record, such as a newer assessment, is said to have changed, not shown by id)."""
    field = BnlEntry._meta.get_field(change.field)
    label = str(field.verbose_name).capitalize() if field.verbose_name else change.field
    if field.is_relation:
        return str(format_lazy(_("{field}: replaced by a newer one"), field=label))
    return f"{label}: {_value_words(field, change.old)} → {_value_words(field, change.new)}"


def bnl_entry_history_for(*, user: User, entry: BnlEntry) -> list[dict]:
    """The entry's history, newest first. The reasons (which quote justifications) and changes of
    fields outside the list's own (the person's record, free-text status reasons) only for those
    who may see the person."""
    private = bnl_entry_person_visible(user=user, entry=entry)
    records = list(entry.history.select_related("history_user").order_by("history_date", "history_id"))
    rows, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                if change.field != "updated_at" and (private or change.field in LIST_FIELDS):
                    changes.append(_change_words(change))
        rows.append({"record": record, "reason": record.history_change_reason if private else "", "changes": changes})
        previous = record
    return list(reversed(rows))
