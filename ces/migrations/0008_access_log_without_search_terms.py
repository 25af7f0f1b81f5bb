"""Search terms and query strings are personal data (names, dates of birth, SSNs): the access
log no longer stores them (ces.audit), and this removes those already stored.

The one rewrite of audit rows the project makes: the append-only trigger is set aside for this
transaction only, by the owner role that runs migrations (the app's role cannot).
"""

from django.db import migrations

REDACT = r"""
ALTER TABLE ces_accesslog DISABLE TRIGGER ces_accesslog_append_only;
UPDATE ces_accesslog SET detail = 'search (terms not kept)' WHERE action = 'search' AND detail <> '';
UPDATE ces_accesslog SET path = split_part(path, '?', 1) WHERE strpos(path, '?') > 0;
UPDATE ces_accesslog
   SET detail = regexp_replace(detail, '(^|[^0-9])[0-9]{3}[- ]?[0-9]{2}[- ]?[0-9]{4}($|[^0-9])', '\1…\2', 'g')
 WHERE detail ~ '[0-9]{3}[- ]?[0-9]{2}[- ]?[0-9]{4}';
ALTER TABLE ces_accesslog ENABLE TRIGGER ces_accesslog_append_only;
"""


class Migration(migrations.Migration):
    dependencies = [("ces", "0007_agency_vsp_locked_while_holding_people")]

    operations = [migrations.RunSQL(REDACT, migrations.RunSQL.noop)]
