"""The reassignment policy's rules and words (seeds 000 and 001), each once.

The five steps of a standard reassignment are one table (`STEPS`): who records
each step, the answers it allows, and where each answer leads. The service
(reassignment.services.reassignment_step_record), the screen (the buttons of
reassignment/detail.html) and the tests all read it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reassignment.models import ReassignmentRequest

Status = ReassignmentRequest.Status

STANDARD_REASONS = (
    ReassignmentRequest.Reason.SAME_AGENCY_TRANSFER,
    ReassignmentRequest.Reason.CLIENT_REQUEST,
    ReassignmentRequest.Reason.THREATENING_BEHAVIOR,
)
# "Non-Permissible Reasons ... The client is transient or frequently relocates. In such
# cases, maintaining continuity of care is essential to support housing stability and
# uphold trauma-informed practices."
TRANSIENT_REFUSAL = _(
    "A client may not be reassigned because they are transient or frequently relocate: maintaining continuity "
    "of care is essential to support housing stability and uphold trauma-informed practices."
)
TRANSIENT_REASON_CODE = "transient"
# Sent as the reason (the API takes it), the non-permissible reason is answered with the policy's words.
REQUEST_REASON_CODES = (*STANDARD_REASONS, TRANSIENT_REASON_CODE)

# The worker states the client's situation from a list; "The client is transient or frequently relocates"
# (the policy's own sentence) refuses the request. The explanation is free text, read by CoC staff.
TRANSIENT_SITUATION = ReassignmentRequest.Situation.TRANSIENT
CLIENT_SITUATIONS = ReassignmentRequest.Situation.choices
CLIENT_SITUATION_CODES = tuple(code for code, _label in CLIENT_SITUATIONS)
SITUATION_NOT_STATED = ""  # an API caller that does not state it (integrations written before the list existed)

# reassignment.md: a request "whose explanation is only that" (transience) is refused too. An explanation
# is only that when it names transience and every other word is one of these (the client, is, or, very...).
TRANSIENCE_WORDS = frozenset({
    "transient", "transiently", "transience", "relocate", "relocates", "relocated", "relocating", "relocation", "relocations",
    "moves", "move", "moved", "moving", "mobile", "nomadic", "itinerant",
})
TRANSIENCE_FILLER = frozenset({
    "the", "a", "an", "client", "clients", "customer", "participant", "person", "he", "she", "they", "them", "his", "her",
    "their", "is", "are", "was", "has", "have", "been", "being", "keeps", "keep", "kept", "or", "and", "very", "too", "so",
    "frequently", "frequent", "often", "constantly", "always", "around", "about", "lot", "lots", "much", "from", "place",
    "places", "to", "all", "time", "times", "again", "because", "since", "due", "of", "reason", "reasons",
    "who", "that", "which", "just", "really", "quite", "homeless", "unstably", "housed", "here", "there", "where",
    "between", "areas", "area", "town", "towns", "city", "cities", "county", "counties", "location", "locations",
})
# The previous worker hands off "promptly": a hand-off note within 2 business days.
HANDOFF_BUSINESS_DAYS = 2
# A safety transfer does not cancel court dates or other obligations.
COURT_OBLIGATIONS_REMINDER = _(
    "A safety transfer does not cancel court dates or other obligations: they stand, and the new worker takes them on."
)
STEP_COUNT = 5

# --- the five steps of a standard reassignment -------------------------------------------

# Who records a step (reassignment.selectors.step_owner_may reads these).
RECEIVING_WORKER = "receiving_worker"
CURRENT_WORKER = "current_worker"
# Step 5: the non-HMIS list holder for a client held outside HMIS; otherwise CoC staff or the receiving worker.
SYSTEM_UPDATER = "system_updater"

OWNER_LABELS = {
    RECEIVING_WORKER: _("the receiving worker in their own account"),
    CURRENT_WORKER: _("the current worker"),
}
SYSTEM_UPDATER_NONHMIS_LABEL = _("the non-HMIS list holder")
SYSTEM_UPDATER_HMIS_LABEL = _("CoC staff or the receiving worker")


@dataclass(frozen=True)
class StepOutcome:
    code: str
    button: Promise  # what the person presses on the request's page
    leads_to: str | None = None  # the request's status afterwards; None: it stays approved and the next step follows


@dataclass(frozen=True)
class StepRule:
    owner: str  # the step's number is its key in STEPS
    outcomes: tuple[StepOutcome, ...]
    # After this step, a client held outside HMIS waits for the non-HMIS list holder, who is told.
    tells_nonhmis_list_holder: bool = False

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(outcome.code for outcome in self.outcomes)

    def outcome(self, code: str) -> StepOutcome | None:
        return next((outcome for outcome in self.outcomes if outcome.code == code), None)


STEPS: dict[int, StepRule] = {
    # 1. Consultation: the receiving worker agrees (or declines: then another worker is proposed).
    1: StepRule(RECEIVING_WORKER, (
        StepOutcome("agreed", _("I agree to take this client")),
        StepOutcome("declined", _("I decline"), Status.RECEIVING_DECLINED),
    )),
    # 2. Client notification and consent: no consent stops the request.
    2: StepRule(CURRENT_WORKER, (
        StepOutcome("consented", _("The client consented")),
        StepOutcome("refused", _("The client did not consent"), Status.CLIENT_DECLINED),
    )),
    # 3. Contact information given to the client.
    3: StepRule(CURRENT_WORKER, (StepOutcome("done", _("Step 3 done")),)),
    # 4. The new worker's introduction.
    4: StepRule(RECEIVING_WORKER, (StepOutcome("done", _("Step 4 done")),), tells_nonhmis_list_holder=True),
    # 5. System update: only now does the assigned worker change.
    5: StepRule(SYSTEM_UPDATER, (StepOutcome("done", _("Step 5 done"), Status.COMPLETED),)),
}
STEP_NUMBERS = tuple(STEPS)
STEP_OUTCOME_CODES = tuple(dict.fromkeys(code for rule in STEPS.values() for code in rule.codes))
# Answers that stop the request rather than complete a step.
STOPPING_OUTCOMES = tuple(
    outcome.code for rule in STEPS.values() for outcome in rule.outcomes
    if outcome.leads_to not in (None, Status.COMPLETED)
)
