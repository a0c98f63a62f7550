-- Telemetry metadata (DESIGN §5): how payloads decode, which datapoint a label is, and what could not be decoded.

-- Decoding is data, not code: a new controller model needs rows, added through the API.
CREATE TABLE sensor_fields (
    model       text NOT NULL CHECK (model ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    mode        integer NOT NULL CHECK (mode BETWEEN 0 AND 255),
    field       text NOT NULL CHECK (field ~ '^[a-z][a-z0-9_]{0,63}$'),
    byte_offset integer NOT NULL CHECK (byte_offset BETWEEN 0 AND 1024),
    type        text NOT NULL CHECK (type IN ('int16', 'uint16', 'int32', 'uint32', 'float32')),
    endian      text NOT NULL DEFAULT 'big' CHECK (endian IN ('big', 'little')),
    scale       double precision NOT NULL DEFAULT 1,
    unit        text NOT NULL DEFAULT '',
    PRIMARY KEY (model, mode, field)
);

-- Seed: the FACES2 controller (seed 003).
INSERT INTO sensor_fields (model, mode, field, byte_offset, type, endian, scale, unit) VALUES
    ('faces2', 1, 'temperature', 0, 'int16',  'big', 0.1,   '°C'),
    ('faces2', 1, 'humidity',    2, 'uint16', 'big', 0.1,   '%RH'),
    ('faces2', 1, 'co2',         4, 'uint16', 'big', 1,     'ppm'),
    ('faces2', 2, 'voltage',     0, 'uint16', 'big', 0.1,   'V'),
    ('faces2', 2, 'current',     2, 'uint16', 'big', 0.001, 'A'),
    ('faces2', 2, 'power',       4, 'uint32', 'big', 0.1,   'W');

-- label = sensor-<n>.<field>; a new label is inserted once (ON CONFLICT), whoever sees it first.
CREATE TABLE datapoints (
    id    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    label text NOT NULL UNIQUE,
    unit  text NOT NULL DEFAULT ''
);

-- The latest undecodable inputs per tenant (tenant_id is null when the device is unknown); pruned by count and age.
CREATE TABLE telemetry_dlq (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   uuid,
    mac         text,
    reason      text NOT NULL,
    detail      text NOT NULL DEFAULT '',
    topic       text NOT NULL,
    payload     bytea NOT NULL,
    received_at timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX telemetry_dlq_tenant_idx ON telemetry_dlq (tenant_id, id DESC);
CREATE INDEX telemetry_dlq_created_idx ON telemetry_dlq (created_at);
