-- Webhooks hardening: who holds a delivery's lease, and custom headers sealed like the secrets.

-- Set by every claim (one random token per claim statement) together with next_attempt_at = now() + lease. The worker
-- renews its lease while the attempt runs and records the outcome only where the token is still its own, so a worker
-- whose lease ran out (another one claimed the row since) cannot mark the row succeeded or failed over the new owner.
-- next_attempt_at alone could not say that once a lease is renewed. NULL: never claimed (or claimed before V7).
ALTER TABLE webhook_deliveries ADD COLUMN lease_token uuid;

-- Custom headers often carry a receiver's credentials (Authorization, API keys): SecretBox (AES-256-GCM under
-- secrets.encryption-key) ciphertext of the headers' JSON object, with the subscription id's string form as associated
-- data, as for secret. The api writes it and leaves headers '{}'; a row written before V7 keeps its plaintext headers
-- (headers_sealed NULL), which are read as they are until the next write of the subscription seals them.
ALTER TABLE webhook_subscriptions ADD COLUMN headers_sealed bytea;
