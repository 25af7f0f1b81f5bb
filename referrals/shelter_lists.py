"""Each shelter's morning list: everyone referred to it in the last 24 hours (PDF and screen)."""

from datetime import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ces import roles
from ces.access import client_is_visible_to
from ces.models import User
from ces.notifications import notification_send
from intake.models import Shelter
from referrals.models import ShelterDailyList, ShelterReferral
from referrals.services import shelter_list_window


def shelter_referrals_between(shelter: Shelter, start: datetime, end: datetime, *, walk_ins: bool = True):
    referrals = ShelterReferral.objects.filter(shelter=shelter, created_at__gte=start, created_at__lt=end)
    if not walk_ins:
        referrals = referrals.filter(walk_in=False)  # the daily list is of people CE referred
    return (
        referrals
        .select_related("client__holding_agency", "intake")
        .order_by("created_at")
    )


def shelter_staff(shelter: Shelter):
    if shelter.program_id is None:
        return User.objects.none()
    return User.objects.filter(agency_id=shelter.program.agency_id, groups__name=roles.PROGRAM_STAFF, is_active=True).distinct()


def _rows(shelter: Shelter, referrals, viewer: User | None) -> list[dict]:
    rows = []
    for referral in referrals:
        client = referral.client
        visible = client is not None and viewer is not None and client_is_visible_to(user=viewer, client=client)
        rows.append({
            "referral": referral,
            "label": client.label if client else "walk-in",
            "name": (client.full_name if visible else "") if client else referral.walk_in_name,
            "dob": client.dob if visible and client else None,
            "phone": client.phone_primary if visible and client else "",
        })
    return rows


@transaction.atomic
def shelter_daily_list_make(*, shelter: Shelter, now: datetime | None = None) -> ShelterDailyList | None:
    """Make the list for the latest 07:00 window if it does not exist yet. Idempotent."""
    from weasyprint import HTML

    start, end, day = shelter_list_window(now or timezone.now())
    if ShelterDailyList.objects.filter(shelter=shelter, date=day).exists():
        return None
    referrals = list(shelter_referrals_between(shelter, start, end, walk_ins=False))
    staff = list(shelter_staff(shelter))
    # Names appear where the shelter's staff may see them (consent); otherwise the label.
    viewer = staff[0] if staff else None
    html = render_to_string("referrals/shelter_list_pdf.html", {
        "shelter": shelter, "rows": _rows(shelter, referrals, viewer), "start": start, "end": end, "day": day,
        "generated_at": timezone.localtime(),
    })
    daily = ShelterDailyList(shelter=shelter, date=day, period_start=start, period_end=end, referral_count=len(referrals))
    daily.file.save(f"{shelter.pk}-{day:%Y-%m-%d}.pdf", ContentFile(HTML(string=html).write_pdf()), save=False)
    try:
        with transaction.atomic():
            daily.save()
    except IntegrityError:  # another run made it a moment ago
        daily.file.delete(save=False)
        return None
    for user in staff:
        notification_send(recipient=user, subject=f"{shelter.name}: {len(referrals)} referred in the last 24 hours",
                          body=f"The list for {day:%Y-%m-%d} is ready.", link=f"/referrals/shelters/{shelter.pk}/")
    return daily


def shelter_daily_lists_make(*, now: datetime | None = None) -> int:
    return sum(1 for shelter in Shelter.objects.filter(is_active=True) if shelter_daily_list_make(shelter=shelter, now=now))
