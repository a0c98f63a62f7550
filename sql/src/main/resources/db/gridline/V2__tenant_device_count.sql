-- A tenant's device count, kept by triggers, so the maxDevices limit costs one row update per insert instead of a
-- count(*) over the tenant's devices, and holds for every path that inserts devices.
-- The AFTER INSERT update locks the tenant row until the statement's transaction ends: concurrent inserts for one
-- tenant queue on it, and each sees the count its predecessors committed, so the limit is never overshot.

ALTER TABLE tenants ADD COLUMN device_count integer NOT NULL DEFAULT 0;

UPDATE tenants t SET device_count = (SELECT count(*) FROM devices d WHERE d.tenant_id = t.id);

-- SQLSTATE GL001: the tenant is at max_devices (the api answers 422).
CREATE FUNCTION gridline_device_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    counted integer;
    allowed integer;
BEGIN
    UPDATE tenants SET device_count = device_count + 1 WHERE id = NEW.tenant_id
        RETURNING device_count, max_devices INTO counted, allowed;
    IF counted > allowed THEN
        RAISE EXCEPTION 'tenant % already has its maximum of % devices', NEW.tenant_id, allowed
            USING ERRCODE = 'GL001';
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION gridline_device_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenants SET device_count = device_count - 1 WHERE id = OLD.tenant_id;
    RETURN NULL;
END
$$;

-- AFTER, not BEFORE: an INSERT … ON CONFLICT DO NOTHING that inserts nothing must count nothing.
CREATE TRIGGER devices_count_insert AFTER INSERT ON devices
    FOR EACH ROW EXECUTE FUNCTION gridline_device_inserted();
CREATE TRIGGER devices_count_delete AFTER DELETE ON devices
    FOR EACH ROW EXECUTE FUNCTION gridline_device_deleted();
