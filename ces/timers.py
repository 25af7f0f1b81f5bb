"""The core's timers (ces.deadlines): the yearly rotation of each VSP's data key (ces.vault)."""

from ces.deadlines import deadline_kind
from ces.models import Deadline, VspDataKey
from ces.vault import ROTATE_KIND
from ces.vault_rotation import vsp_keys_rotate


@deadline_kind(ROTATE_KIND)
def vsp_key_rotation_due(deadline: Deadline) -> None:
    key = VspDataKey.objects.filter(pk=deadline.subject_id, retired_at__isnull=True).first()
    if key is not None:  # rotated by hand meanwhile: that rotation scheduled the next one
        vsp_keys_rotate(agency=key.agency)
