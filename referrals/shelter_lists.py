"""Each shelter's morning list: everyone referred to it in the last 24 hours (PDF and screen)."""

from datetime import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ces import roles
from ces.access import client_is_visible_to
from ces.documents import pdf_render
from ces.models import User
from ces.notifications import notification_send
from ces.selectors import users_with_role
from intake.models import Shelter
from referrals.models import ShelterDailyList
from referrals.selectors import shelter_referrals_between
from referrals.services import shelter_list_window

LIST_READY_SUBJECT = _("{shelter}: {count} referred in the last 24 hours")
LIST_READY_BODY = _("The list for {day} is ready.")


def shelter_staff(shelter: Shelter):
    if shelter.program_id is None:
        return User.objects.none()
    return users_with_role(roles.PROGRAM_STAFF, agency=shelter.program.agency_id)


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
    start, end, day = shelter_list_window(now or timezone.now())
    if ShelterDailyList.objects.filter(shelter=shelter, date=day).exists():
        return None
    referrals = list(shelter_referrals_between(shelter, start, end, walk_ins=False))
    staff = list(shelter_staff(shelter))
    # Names appear where the shelter's staff may see them (consent); otherwise the label.
    viewer = staff[0] if staff else None
    content = pdf_render("referrals/shelter_list_pdf.html", {
        "shelter": shelter, "rows": _rows(shelter, referrals, viewer), "start": start, "end": end, "day": day,
        "generated_at": timezone.localtime(),
    })
    daily = ShelterDailyList(shelter=shelter, date=day, period_start=start, period_end=end, referral_count=len(referrals))
    daily.file.save(f"{shelter.pk}-{day:%Y-%m-%d}.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            daily.save()
    except IntegrityError:  # another run made it a moment ago
        daily.file.delete(save=False)
        return None
    for user in staff:
        notification_send(recipient=user,
                          subject=format_lazy(LIST_READY_SUBJECT, shelter=shelter.name, count=len(referrals)),
                          body=format_lazy(LIST_READY_BODY, day=f"{day:%Y-%m-%d}"),
                          link=reverse("shelter-detail", args=[shelter.pk]))
    return daily


def shelter_daily_lists_make(*, now: datetime | None = None) -> int:
    return sum(1 for shelter in Shelter.objects.filter(is_active=True) if shelter_daily_list_make(shelter=shelter, now=now))
