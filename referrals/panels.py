"""The client page's "Coordinated Entry" panel (ces.panels): where the person stands on the list,
their housing referrals and their assessments, each a link to its own screen where the user may open it."""

from bnl.models import BnlEntry
from bnl.selectors import may_see_bnl
from ces.models import ClientDocument
from ces.panels import client_panel
from intake.models import Assessment
from intake.selectors import intakes_visible_to
from referrals import policy
from referrals.models import Referral
from referrals.selectors import programs_run_by


@client_panel(template="referrals/_client_panel.html", order=20)
def coordinated_entry(*, user, client) -> dict | None:
    entries = list(BnlEntry.objects.filter(client=client).order_by("-placed_on_list_at")) if may_see_bnl(user) else []
    referrals = list(Referral.objects.filter(entry__client=client).select_related("program").order_by("-created_at")[:20])
    assessments = list(Assessment.objects.filter(client=client).order_by("-assessed_at")[:10])
    if not (entries or referrals or assessments):
        return None
    own_programs = set(programs_run_by(user).values_list("pk", flat=True))
    readable_intakes = set(intakes_visible_to(user).filter(pk__in=[a.intake_id for a in assessments]).values_list("pk", flat=True))
    pdfs = {}
    for document in ClientDocument.objects.filter(client=client, source_type="intake.assessment",
                                                  source_id__in=[str(a.pk) for a in assessments]).order_by("version"):
        pdfs[document.source_id] = document  # the latest version wins
    reasons = dict(policy.REJECTION_REASONS)
    for referral in referrals:
        referral.own_program = referral.program_id in own_programs
        referral.reason_label = reasons.get(referral.reason, referral.reason)
    for assessment in assessments:
        assessment.readable_intake = assessment.intake_id in readable_intakes
        assessment.pdf = pdfs.get(str(assessment.pk))
    return {"ce_entries": entries, "ce_referrals": referrals, "ce_assessments": assessments}
