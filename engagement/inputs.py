"""The declared input of each engagement action: one class per action, bound by its screen
(request.POST) and its API endpoint (request.data), and read by the OpenAPI schema."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ces.inputs import Choice, Day, Id, IdOrNull, Moment, Text
from ces.models import Program
from engagement import policy
from engagement.models import ContactAttempt, EngagementCase, Letter
from referrals.models import Referral

NO_SUCH_PROGRAM = _("No such program: choose one from the list.")
NO_SUCH_REFERRAL = _("No such referral: choose one from the list.")
TEXT_MAX = 4000


class ProgramId(Id):
    """The id of a program, resolved to the Program (whether it is the worker's is the service's rule)."""

    default_error_messages = {**Id.default_error_messages, "missing": NO_SUCH_PROGRAM}

    def to_internal_value(self, data) -> Program:
        program = Program.objects.select_related("agency").filter(pk=super().to_internal_value(data)).first()
        if program is None:
            self.fail("missing")
        return program

    def to_representation(self, value):
        return value.pk if isinstance(value, Program) else int(value)


class ReferralId(Id):
    """The id of a CE referral, resolved to the Referral (whether it is this case's is the service's rule)."""

    default_error_messages = {**Id.default_error_messages, "missing": NO_SUCH_REFERRAL}

    def to_internal_value(self, data) -> Referral:
        referral = Referral.objects.select_related("entry", "program").filter(pk=super().to_internal_value(data)).first()
        if referral is None:
            self.fail("missing")
        return referral

    def to_representation(self, value):
        return value.pk if isinstance(value, Referral) else int(value)


class ReferralIdOrNull(ReferralId, IdOrNull):
    """No referral (empty or null), or the id of one."""


class EngagementOpenInput(serializers.Serializer):
    """Open outreach for a client (the client is in the URL on the screen); the worker is the caller.
    `referral_id`: the CE referral the case comes from, if any (the referral source is told at step 7)."""

    program_id = ProgramId()
    kind = Choice(EngagementCase.Kind.values, default=EngagementCase.Kind.NEW_REFERRAL)
    referral_id = ReferralIdOrNull()


class EngagementCreateInput(EngagementOpenInput):
    """The API's create: the client by id (404 when the caller may not see them)."""

    client_id = Id()


class ContactAttemptInput(serializers.Serializer):
    channel = Choice(ContactAttempt.Channel.values)
    outcome = Choice(ContactAttempt.Outcome.values)
    note = Text(max_length=TEXT_MAX)
    at = Moment(required=False, allow_null=True, default=None)


class ReferralLinkInput(serializers.Serializer):
    """Link a case to the CE referral it came from."""

    referral_id = ReferralId()


class LostContactInput(serializers.Serializer):
    """An action without fields (an engaged client lost contact): the body is an empty object."""


class ServiceInput(serializers.Serializer):
    """A service delivered to the client (`at`: when; now if left out)."""

    kind = Choice(policy.SERVICE_KIND_CODES)
    note = Text(max_length=TEXT_MAX)
    at = Moment(required=False, allow_null=True, default=None)


class NoContactLetterInput(serializers.Serializer):
    """Send the no-contact letter, by mail or email."""

    channel = Choice(Letter.Channel.values, default=Letter.Channel.MAIL)


class StatusFormInput(serializers.Serializer):
    """The 30/60 protocol's Step 1 (→ Engagement) or Step 2 (→ Hold) form, filed and signed by the worker."""

    step = Choice(policy.FORM_STEPS)
    status_change_date = Day(required=False, allow_null=True, default=None)
    requestor = Choice(policy.REQUESTOR_CODES)
    reason = Choice(policy.REASON_CODES)
    comments = Text(max_length=TEXT_MAX)
    team_consensus_date = Day(required=False, allow_null=True, default=None)


class CountersignInput(serializers.Serializer):
    """An action without fields (the second sign-off): the body is an empty object."""
