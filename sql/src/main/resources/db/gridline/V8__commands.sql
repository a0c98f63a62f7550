-- Commands, one lifecycle for every device kind (an MQTT publish, a LoRaWAN downlink, a charger or instrument
-- command): queued → sent → acked | completed, or failed | timed_out | dead. The protocol verticle that owns the device
-- moves the status; a queued command survives its owner's restart. Readable through the api, tenant-scoped.
CREATE TABLE commands (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    device_id   integer NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    device_kind text NOT NULL CHECK (device_kind IN ('mqtt', 'lorawan', 'charger', 'instrument')),
    type        text NOT NULL CHECK (length(type) BETWEEN 1 AND 64),
    payload     jsonb NOT NULL DEFAULT '{}'::jsonb,
    priority    integer NOT NULL DEFAULT 0,
    status      text NOT NULL CHECK (status IN ('queued', 'sent', 'acked', 'completed', 'failed', 'timed_out', 'dead')),
    attempts    integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    result      jsonb,
    error       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    finished_at timestamptz
);
-- a device's history, newest first (GET /devices/{id}/commands)
CREATE INDEX commands_device_idx ON commands (device_id, created_at DESC);
-- a device's open commands in the order they go out (the owner's queue: highest priority, then oldest)
CREATE INDEX commands_open_idx ON commands (device_id, priority DESC, created_at) WHERE status IN ('queued', 'sent');
