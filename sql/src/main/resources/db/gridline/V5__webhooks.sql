-- Webhook push (issue 4, DESIGN §6 Webhooks): tenant-scoped subscriptions and the delivery outbox.

-- secret / previous_secret are SecretBox (AES-256-GCM under secrets.encryption-key) ciphertexts: a webhook secret must
-- be usable to sign, so it cannot be hashed. After a rotation the previous secret keeps signing alongside the new one
-- until previous_secret_until (webhooks.secret-overlap).
CREATE TABLE webhook_subscriptions (
    id                    uuid PRIMARY KEY,
    tenant_id             uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    url                   text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    event_types           text[] NOT NULL CHECK (cardinality(event_types) BETWEEN 1 AND 100),
    headers               jsonb NOT NULL DEFAULT '{}'::jsonb,
    secret                bytea NOT NULL,
    previous_secret       bytea,
    previous_secret_until timestamptz,
    active                boolean NOT NULL DEFAULT true,
    -- why the subscription is inactive when Gridline deactivated it, e.g. 'webhook.disabled: 20 deliveries dead in a row'
    status_note           text,
    -- deliveries that went dead in a row (reset by a success): webhooks.disable-after deactivates the subscription
    consecutive_dead      integer NOT NULL DEFAULT 0,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_subscriptions_tenant_idx ON webhook_subscriptions (tenant_id, active, created_at);

-- The outbox: one row per (subscription, event). The webhooks consumer inserts it (ON CONFLICT DO NOTHING: a
-- redelivered event creates nothing new) before committing the Kafka offset; delivery workers on any node claim due
-- rows with FOR UPDATE SKIP LOCKED. body is the exact JSON sent (and signed), so every attempt sends the same bytes.
-- deliveryId in the API is id.
CREATE TABLE webhook_deliveries (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    tenant_id        uuid NOT NULL,
    event_id         uuid NOT NULL,
    event_type       text NOT NULL,
    device_id        integer,
    body             text NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying', 'succeeded', 'dead')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_status_code integer,
    last_error       text,
    occurred_at      timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    succeeded_at     timestamptz,
    CONSTRAINT webhook_deliveries_subscription_event_key UNIQUE (subscription_id, event_id)
);
-- what delivery workers scan: due rows only
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at, id) WHERE status IN ('pending', 'retrying');
-- GET /api/v1/webhooks/{id}/deliveries?status=…, newest first
CREATE INDEX webhook_deliveries_subscription_idx ON webhook_deliveries (subscription_id, status, id DESC);
