-- Device secrets for MQTT username/password auth (DESIGN §8): 256-bit random tokens, only their SHA-256 is kept.
-- One current secret per device; issuing a new one replaces it (rotation), so the old one stops working at once.
CREATE TABLE device_credentials (
    device_id   integer PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
    created_at  timestamptz NOT NULL DEFAULT now(),
    rotated_at  timestamptz
);
