-- Every client certificate Gridline's device CA issued, bound to the device row it was issued for. mqtt-bridge accepts
-- a certificate at CONNECT only when its serial is here, not revoked, not expired, and names the very device row the
-- client id resolves to: a certificate taken for a MAC that was later deleted and registered again (by another tenant,
-- say) names a row that no longer exists, and is refused. Rows are kept after revocation, for the record.
CREATE TABLE device_certificates (
    serial        text PRIMARY KEY CHECK (serial ~ '^[0-9a-f]{1,40}$'),
    device_id     integer REFERENCES devices (id) ON DELETE SET NULL,
    tenant_id     uuid NOT NULL,
    subject       text NOT NULL,
    not_after     timestamptz NOT NULL,
    issued_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);
CREATE INDEX device_certificates_device_idx ON device_certificates (device_id, issued_at);

-- Deleting a device revokes its certificates (before the foreign key clears device_id).
CREATE FUNCTION revoke_certificates_of_deleted_device() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE device_certificates SET revoked_at = now() WHERE device_id = OLD.id AND revoked_at IS NULL;
    RETURN OLD;
END
$$;
CREATE TRIGGER devices_revoke_certificates BEFORE DELETE ON devices
    FOR EACH ROW EXECUTE FUNCTION revoke_certificates_of_deleted_device();
