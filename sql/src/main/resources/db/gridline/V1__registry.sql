-- Registry: tenants, their API keys and their devices (DESIGN §5).

CREATE TABLE tenants (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    max_devices integer NOT NULL CHECK (max_devices >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Tokens are 256-bit random values: only their SHA-256 is kept, and requests look the key up by it.
CREATE TABLE api_keys (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         text,
    role         text NOT NULL CHECK (role IN ('write', 'read')),
    token_hash   bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at);

-- external_id is canonical per kind and unique per kind across all tenants: a device names itself on the wire.
CREATE TABLE devices (
    id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    kind         text NOT NULL CHECK (kind IN ('mqtt', 'lorawan', 'charger', 'instrument')),
    external_id  text NOT NULL,
    name         text NOT NULL DEFAULT '',
    metadata     jsonb NOT NULL DEFAULT '{}'::jsonb,
    status       text NOT NULL DEFAULT 'unknown',
    last_seen_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT devices_kind_external_id_key UNIQUE (kind, external_id)
);
CREATE INDEX devices_tenant_idx ON devices (tenant_id, kind, id);
