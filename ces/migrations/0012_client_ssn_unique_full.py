"""One person per full-quality SSN, and VSP-held SSNs in their own hash space.

1. The lookup hash of every SSN held by a victim service provider is moved to
   that VSP's own space (ces.ssn), in the client table and its history, so no
   CoC-side check can match a DV survivor's SSN.
2. A partial unique index on the hash of full-quality SSNs: two intakes
   racing with one SSN cannot both create a person.

If the data already holds two people with one full-quality SSN in one space,
the index cannot be built: the migration stops and names them (by label) so
an HMIS admin can merge or correct them first. It never merges people itself.
"""

from django.db import migrations, models

from ces import crypto
from ces.ssn import ssn_lookup_hash


def _rehash(rows, vsp_of_agency: dict[int, bool]):
    changed = []
    for row in rows:
        if not row.ssn_ciphertext or not vsp_of_agency.get(row.holding_agency_id):
            continue
        wanted = ssn_lookup_hash(crypto.decrypt(row.ssn_ciphertext), vsp_agency_id=row.holding_agency_id)
        if row.ssn_hash != wanted:
            row.ssn_hash = wanted
            changed.append(row)
    return changed


def vsp_ssns_to_their_own_space(apps, schema_editor):
    Agency = apps.get_model("ces", "Agency")
    Client = apps.get_model("ces", "Client")
    HistoricalClient = apps.get_model("ces", "HistoricalClient")
    vsp_of_agency = dict(Agency.objects.values_list("pk", "is_vsp"))
    if not any(vsp_of_agency.values()):
        return
    with_ssn = ~models.Q(ssn_ciphertext="")
    Client.objects.bulk_update(_rehash(Client.objects.filter(with_ssn).iterator(), vsp_of_agency), ["ssn_hash"], batch_size=500)
    HistoricalClient.objects.bulk_update(
        _rehash(HistoricalClient.objects.filter(with_ssn).iterator(), vsp_of_agency), ["ssn_hash"], batch_size=500
    )


def refuse_existing_duplicates(apps, schema_editor):
    Client = apps.get_model("ces", "Client")
    duplicated = (
        Client.objects.filter(ssn_data_quality="full").exclude(ssn_hash="")
        .values("ssn_hash").annotate(n=models.Count("id")).filter(n__gt=1).values_list("ssn_hash", flat=True)
    )
    groups = []
    for ssn_hash in duplicated[:20]:
        people = Client.objects.filter(ssn_hash=ssn_hash, ssn_data_quality="full").select_related("holding_agency")
        groups.append(", ".join(f"{c.holding_agency.initials}-{c.pk:06d}" for c in people.order_by("pk")))
    if groups:
        raise RuntimeError(
            "These people share one full-quality SSN; merge or correct them before this migration "
            "(one group per line):\n" + "\n".join(groups)
        )


class Migration(migrations.Migration):

    dependencies = [
        ("ces", "0011_document_store"),
    ]

    operations = [
        migrations.RunPython(vsp_ssns_to_their_own_space, migrations.RunPython.noop),
        migrations.RunPython(refuse_existing_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="client",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ssn_data_quality", "full"), models.Q(("ssn_hash", ""), _negated=True)),
                fields=("ssn_hash",),
                name="client_ssn_unique_full",
                violation_error_code="client_ssn_unique_full",
                violation_error_message="This Social Security number is already recorded for another person.",
            ),
        ),
    ]
