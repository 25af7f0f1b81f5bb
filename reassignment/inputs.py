"""The declared input of each reassignment action: one class per action, bound by its screen
(request.POST) and its API endpoint (request.data), and read by the OpenAPI schema.

Field names are the API's; the screens' forms use the same names. Ids of workers are
resolved here ("No such worker." when there is none); whether that worker may take the
client is the service's rule, answered under the same field name.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ces.inputs import Choice, Id, Text
from ces.models import User
from reassignment import policy

NO_SUCH_WORKER = _("No such worker: choose one from the list.")
TEXT_MAX = 4000


class WorkerId(Id):
    """The id of a user who would take a client, resolved to the User."""

    default_error_messages = {**Id.default_error_messages, "missing": NO_SUCH_WORKER}

    def to_internal_value(self, data) -> User:
        worker = User.objects.select_related("agency").filter(pk=super().to_internal_value(data)).first()
        if worker is None:
            self.fail("missing")
        return worker

    def to_representation(self, value):
        return value.pk if isinstance(value, User) else int(value)


class ReassignmentRequestInput(serializers.Serializer):
    """Request a standard reassignment (the client is in the URL on the screen). The worker states the
    client's situation from the list (policy.CLIENT_SITUATIONS); the explanation is free text."""

    reason = Choice(policy.REQUEST_REASON_CODES)
    client_situation = Choice(policy.CLIENT_SITUATION_CODES)
    explanation = Text(max_length=TEXT_MAX)
    proposed_worker_id = WorkerId()


class ReassignmentCreateInput(ReassignmentRequestInput):
    """The API's create: the client by id (404 when the caller may not see them). `client_situation` may be
    left out by integrations written before it existed (then it is not stated); when sent, it is one of the list."""

    client_id = Id()
    client_situation = Choice(policy.CLIENT_SITUATION_CODES, required=False, default=policy.SITUATION_NOT_STATED)


class ReassignmentDecisionInput(serializers.Serializer):
    """Approve or deny (CoC staff), in writing."""

    decision = Text(max_length=TEXT_MAX)


class ReassignmentStepInput(serializers.Serializer):
    """Record one of the five steps (reassignment.policy.STEPS)."""

    number = Choice(policy.STEP_NUMBERS)
    outcome = Choice(policy.STEP_OUTCOME_CODES)
    note = Text(max_length=TEXT_MAX)


class ProposeWorkerInput(serializers.Serializer):
    """Propose another receiving worker after one declined."""

    proposed_worker_id = WorkerId()


class SafetyTransferInput(serializers.Serializer):
    """The LOM starts a transfer for worker safety (the client is in the URL on the screen)."""

    new_worker_id = WorkerId()
    explanation = Text(max_length=TEXT_MAX)
    court_obligations = Text(max_length=TEXT_MAX)


class SafetyTransferCreateInput(SafetyTransferInput):
    client_id = Id()


class SafetyStepInput(serializers.Serializer):
    """An action without fields (complete the transfer, acknowledge): the body is an empty object."""


class HandoffInput(serializers.Serializer):
    note = Text(max_length=TEXT_MAX)


class LomAssessmentInput(serializers.Serializer):
    assessment = Text(max_length=TEXT_MAX)


class FirstAssignmentInput(serializers.Serializer):
    """The client's first worker (a supervisor of the agency holding the client)."""

    worker_id = WorkerId()


class WorkerAlertInput(serializers.Serializer):
    """The WORKER ALERT label with the worker safety intervention plan."""

    safety_plan = Text(max_length=TEXT_MAX)
