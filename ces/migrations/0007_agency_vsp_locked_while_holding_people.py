"""An agency's VSP status decides who may see its people, so it cannot change while the agency
holds clients or By-Name List entries, and no client moves into or out of a VSP.

The services refuse first with a clear 400 (ces.services.agency_save, the admin's form); these
triggers refuse every other way in, raw SQL included. Inserting a client or a list entry takes a
share lock on its agency row, so a concurrent change of is_vsp waits for it and then sees it.
"""

from django.db import migrations

AGENCY_VSP_LOCKED = """
CREATE OR REPLACE FUNCTION ces_agency_vsp_locked() RETURNS trigger AS $$
BEGIN
    IF NEW.is_vsp IS DISTINCT FROM OLD.is_vsp AND (
        EXISTS (SELECT 1 FROM ces_client WHERE holding_agency_id = OLD.id)
        OR EXISTS (SELECT 1 FROM bnl_bnlentry WHERE list_owner_id = OLD.id OR vsp_id = OLD.id)
    ) THEN
        RAISE EXCEPTION 'ces_agency %: is_vsp cannot change while the agency holds clients or list entries', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ces_agency_vsp_locked
    BEFORE UPDATE OF is_vsp ON ces_agency
    FOR EACH ROW EXECUTE FUNCTION ces_agency_vsp_locked();

CREATE OR REPLACE FUNCTION ces_client_vsp_holding() RETURNS trigger AS $$
DECLARE
    new_vsp boolean;
    old_vsp boolean;
BEGIN
    SELECT is_vsp INTO new_vsp FROM ces_agency WHERE id = NEW.holding_agency_id FOR SHARE;
    IF TG_OP = 'UPDATE' AND NEW.holding_agency_id IS DISTINCT FROM OLD.holding_agency_id THEN
        SELECT is_vsp INTO old_vsp FROM ces_agency WHERE id = OLD.holding_agency_id;
        IF old_vsp OR new_vsp THEN
            RAISE EXCEPTION 'ces_client %: a client never moves into or out of a victim service provider', OLD.id
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ces_client_vsp_holding
    BEFORE INSERT OR UPDATE OF holding_agency_id ON ces_client
    FOR EACH ROW EXECUTE FUNCTION ces_client_vsp_holding();

CREATE OR REPLACE FUNCTION ces_bnlentry_agency_share_lock() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM ces_agency WHERE id IN (NEW.list_owner_id, NEW.vsp_id) FOR SHARE;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ces_bnlentry_agency_share_lock
    BEFORE INSERT OR UPDATE OF list_owner_id, vsp_id ON bnl_bnlentry
    FOR EACH ROW EXECUTE FUNCTION ces_bnlentry_agency_share_lock();
"""

AGENCY_VSP_LOCKED_REVERSE = """
DROP TRIGGER IF EXISTS ces_bnlentry_agency_share_lock ON bnl_bnlentry;
DROP FUNCTION IF EXISTS ces_bnlentry_agency_share_lock();
DROP TRIGGER IF EXISTS ces_client_vsp_holding ON ces_client;
DROP FUNCTION IF EXISTS ces_client_vsp_holding();
DROP TRIGGER IF EXISTS ces_agency_vsp_locked ON ces_agency;
DROP FUNCTION IF EXISTS ces_agency_vsp_locked();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("ces", "0006_accesslog_more_actions"),
        ("bnl", "0004_open_list_order_index"),
    ]

    operations = [migrations.RunSQL(AGENCY_VSP_LOCKED, AGENCY_VSP_LOCKED_REVERSE)]
