"""The actions on a reassignment request, as one table read by its screen
(`/reassignments/<id>/<action>/`) and its API (`/api/v1/reassignments/<id>/<path>/`):
each action's declared input, the service it calls, and what the screen says when it is done."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reassignment import services
from reassignment.inputs import (
    HandoffInput,
    LomAssessmentInput,
    ProposeWorkerInput,
    ReassignmentDecisionInput,
    ReassignmentStepInput,
    SafetyStepInput,
)
from reassignment.models import ReassignmentRequest


@dataclass(frozen=True)
class RequestAction:
    input: type[serializers.Serializer]
    run: Callable[..., ReassignmentRequest]  # (request, actor, **the input's values) -> the request
    done: Promise


ACTIONS: dict[str, RequestAction] = {
    "approve": RequestAction(
        ReassignmentDecisionInput, lambda item, actor, decision: services.reassignment_decide(
            request=item, approve=True, decision=decision, actor=actor), _("Approved.")),
    "deny": RequestAction(
        ReassignmentDecisionInput, lambda item, actor, decision: services.reassignment_decide(
            request=item, approve=False, decision=decision, actor=actor), _("Denied.")),
    "step": RequestAction(
        ReassignmentStepInput, lambda item, actor, number, outcome, note: services.reassignment_step_record(
            request=item, number=number, outcome=outcome, note=note, actor=actor), _("Step recorded.")),
    "propose": RequestAction(
        ProposeWorkerInput, lambda item, actor, proposed_worker_id: services.reassignment_propose_another(
            request=item, worker=proposed_worker_id, actor=actor), _("Another receiving worker proposed.")),
    "complete": RequestAction(
        SafetyStepInput, lambda item, actor: services.safety_transfer_complete(request=item, actor=actor),
        _("Transfer completed: the new worker is told.")),
    "acknowledge": RequestAction(
        SafetyStepInput, lambda item, actor: services.safety_transfer_acknowledge(request=item, actor=actor),
        _("Acknowledged.")),
    "handoff": RequestAction(
        HandoffInput, lambda item, actor, note: services.safety_handoff_record(request=item, note=note, actor=actor),
        _("Hand-off note saved: the new worker is told.")),
    "assessment": RequestAction(
        LomAssessmentInput, lambda item, actor, assessment: services.safety_lom_assessment_record(
            request=item, text=assessment, actor=actor), _("Assessment recorded.")),
}
