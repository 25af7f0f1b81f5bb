"""The consent page of a person: their consents (give, renew, withdraw, print a copy), the
scripts to read, and the log of disclosures without consent. Each action: declared input
(consent.inputs), access helper (ces.access), one service (consent.services)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ces.access import client_get_for_user
from ces.audit import access_log_record
from ces.inputs import bind
from ces.models import AccessLog, Agency, ConsentRecord
from ces.services import consent_current
from ces.web import screen_action
from consent import policy
from consent.inputs import ConsentInput, ConsentWithdrawInput, CopyInput, DisclosureInput
from consent.models import Disclosure
from consent.scripts import DISABILITY_NOTICE_PARAGRAPH, DV_OFFER_PARAGRAPH, HMIS_RELEASE, VI_CONSENT
from consent.selectors import consent_get_for_user, consents_of, disclosures_of
from consent.services import consent_copy, consent_copy_unkept, consent_give, consent_withdraw, disclosure_record


def _page_context(request, client) -> dict:
    today = timezone.localdate()
    language = request.GET.get("script") if request.GET.get("script") in ("en", "es") else client.preferred_language
    language = language if language in ("en", "es") else "en"
    records = list(consents_of(client))
    for record in records:
        record.in_force = record.in_force_on(today)
    return {
        "client": client,
        "records": records,
        "current_hmis": consent_current(client=client, kind=ConsentRecord.Kind.HMIS_ROI),
        "disclosures": disclosures_of(client),
        "script_language": language,
        "hmis_script": HMIS_RELEASE.text(language),
        "hmis_title": HMIS_RELEASE.heading(language),
        "vi_script": VI_CONSENT.text(language),
        "vi_title": VI_CONSENT.heading(language),
        "dv_offer_paragraph": DV_OFFER_PARAGRAPH,
        "disability_paragraph": DISABILITY_NOTICE_PARAGRAPH,
        "kinds": [(name, ConsentRecord.Kind(stored).label) for name, stored in policy.API_KINDS.items()],
        "methods": [(name, ConsentRecord.Method(stored).label) for name, stored in policy.API_METHODS.items()],
        "scope_agencies": Agency.objects.filter(hmis_participating=True, is_vsp=False, is_active=True).order_by("name"),
        "bases": Disclosure.Basis.choices,
        "may_record": request.user.has_perm("ces.add_consentrecord"),
        "may_disclose": request.user.has_perm("consent.add_disclosure"),
        "today": today,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@screen_action(fallback="client-list")
def consent_page(request, pk: int):
    client = client_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        data = request.POST.copy()
        if "signature_image" in request.FILES:
            data.setlist("signature_image", request.FILES.getlist("signature_image"))
        consent_give(client=client, actor=request.user, require_script=True, **bind(ConsentInput, data))
        messages.success(request, _("Consent recorded."))
        return redirect("consent-page", pk=client.pk)
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_CLIENT, request=request, client=client, obj=client,
                      detail="consents")
    return render(request, "consent/page.html", _page_context(request, client))


@login_required
@require_POST
@screen_action(fallback="client-list")
def consent_withdraw_view(request, pk: int, consent_pk: int):
    record = consent_get_for_user(user=request.user, client_pk=pk, pk=consent_pk)
    consent_withdraw(record=record, actor=request.user, **bind(ConsentWithdrawInput, request.POST))
    messages.success(request, _("Consent withdrawn. It stopped at once: other agencies no longer see this person."))
    return redirect("consent-page", pk=pk)


@login_required
@require_POST
@screen_action(fallback="client-list")
def consent_copy_view(request, pk: int, consent_pk: int):
    record = consent_get_for_user(user=request.user, client_pk=pk, pk=consent_pk)
    bind(CopyInput, request.POST)
    if record.client.sealing_agency_id() is not None:  # a VSP's person: served, never stored
        content = consent_copy_unkept(record=record, actor=request.user)
        access_log_record(user=request.user, action=AccessLog.Action.DOWNLOAD_PDF, request=request, client=record.client,
                          obj=record, detail="consent copy (not kept)")
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="consent-{record.client.label}.pdf"'
        return response
    document = consent_copy(record=record, actor=request.user)
    return redirect("client-document", pk=pk, document_pk=document.pk)


@login_required
@require_POST
@screen_action(fallback="client-list")
def disclosure_view(request, pk: int):
    client = client_get_for_user(user=request.user, pk=pk)
    disclosure_record(client=client, actor=request.user, **bind(DisclosureInput, request.POST))
    messages.success(request, _("Disclosure logged."))
    return redirect("consent-page", pk=pk)
