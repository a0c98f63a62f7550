-- Devices pushed into an external ChirpStack (lorawan.chirpstack.api-url; seed 001's sync). lorawan_devices
-- .chirpstack_synced says whether ChirpStack has the device as it is now: a change of the registry row (name,
-- metadata) clears it, and the lorawan verticle pushes the device again in the background. A device deleted after
-- it was pushed leaves a row here until ChirpStack has deleted it too (the device row is gone by then).

CREATE TABLE lorawan_chirpstack_deletions (
    dev_eui         text PRIMARY KEY CHECK (dev_eui ~ '^[0-9a-f]{16}$'),
    requested_at    timestamptz NOT NULL DEFAULT now(),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text
);
CREATE INDEX lorawan_chirpstack_deletions_due_idx ON lorawan_chirpstack_deletions (next_attempt_at);

-- a pushed device that is deleted is deleted from ChirpStack too
CREATE FUNCTION lorawan_chirpstack_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.chirpstack_synced THEN
        INSERT INTO lorawan_chirpstack_deletions (dev_eui) VALUES (OLD.dev_eui)
            ON CONFLICT (dev_eui) DO UPDATE SET requested_at = now(), attempts = 0, next_attempt_at = now();
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER lorawan_chirpstack_deleted AFTER DELETE ON lorawan_devices
    FOR EACH ROW EXECUTE FUNCTION lorawan_chirpstack_deleted();

-- a renamed device (or new metadata) is pushed again
CREATE FUNCTION lorawan_chirpstack_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind = 'lorawan' AND (NEW.name IS DISTINCT FROM OLD.name OR NEW.metadata IS DISTINCT FROM OLD.metadata) THEN
        UPDATE lorawan_devices SET chirpstack_synced = false WHERE device_id = NEW.id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER lorawan_chirpstack_changed AFTER UPDATE OF name, metadata ON devices
    FOR EACH ROW EXECUTE FUNCTION lorawan_chirpstack_changed();
