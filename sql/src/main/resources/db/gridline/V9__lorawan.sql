-- The LoRaWAN network server (verticle lorawan; provisioning through the api). A device of kind 'lorawan' in the
-- registry has one lorawan_devices row; its session lives in Redis (lorawan:ds:<DevEUI>) and is written through to
-- lorawan_sessions, so a Redis flush loses nothing. Keys are SecretBox ciphertext (AES-256-GCM under
-- secrets.encryption-key) with the DevEUI as associated data: a key copied to another device does not open.
-- Downlinks are rows of the shared commands table (type 'lorawan.downlink').

CREATE TABLE lorawan_gateways (
    gateway_id   text PRIMARY KEY CHECK (gateway_id ~ '^[0-9a-f]{16}$'),
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    region       text NOT NULL CHECK (region IN ('EU868', 'US915')),
    last_seen_at timestamptz,
    stats        jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lorawan_gateways_tenant_idx ON lorawan_gateways (tenant_id, gateway_id);

CREATE TABLE lorawan_devices (
    device_id         integer PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    dev_eui           text NOT NULL UNIQUE CHECK (dev_eui ~ '^[0-9a-f]{16}$'),
    join_eui          text CHECK (join_eui ~ '^[0-9a-f]{16}$'),
    -- sealed AppKey (OTAA); NULL for a device only activated by personalisation, or whose keys ChirpStack holds
    app_key           bytea,
    mac_version       text NOT NULL DEFAULT '1.0.3' CHECK (mac_version IN ('1.0.3', '1.0.4')),
    device_class      text NOT NULL DEFAULT 'A' CHECK (device_class = 'A'),
    region            text NOT NULL CHECK (region IN ('EU868', 'US915')),
    -- how FRMPayloads decode into readings: 'sensor-fields' (the model's sensor_fields with mode = FPort),
    -- 'cayenne-lpp', or 'none'
    payload_codec     text NOT NULL DEFAULT 'sensor-fields'
                      CHECK (payload_codec IN ('sensor-fields', 'cayenne-lpp', 'none')),
    -- DevNonces seen in JoinRequests (1.0.3: a nonce never repeats; 1.0.4: each is above the last)
    dev_nonces        integer[] NOT NULL DEFAULT '{}',
    last_dev_nonce    integer,
    -- JoinNonce of the last join accept (increasing)
    join_nonce        integer NOT NULL DEFAULT 0,
    joined_at         timestamptz,
    battery_level     real,
    margin            integer,
    last_rssi         integer,
    last_snr          real,
    chirpstack_synced boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lorawan_devices_unsynced_idx ON lorawan_devices (device_id) WHERE NOT chirpstack_synced;

CREATE TABLE lorawan_sessions (
    device_id    integer PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    dev_eui      text NOT NULL UNIQUE CHECK (dev_eui ~ '^[0-9a-f]{16}$'),
    dev_addr     text NOT NULL CHECK (dev_addr ~ '^[0-9a-f]{8}$'),
    activation   text NOT NULL CHECK (activation IN ('abp', 'otaa')),
    nwk_s_key    bytea NOT NULL,
    app_s_key    bytea NOT NULL,
    -- the next uplink FCnt expected (32 bits) and the next downlink FCnt
    f_cnt_up     bigint NOT NULL DEFAULT 0 CHECK (f_cnt_up >= 0),
    n_f_cnt_down bigint NOT NULL DEFAULT 0 CHECK (n_f_cnt_down >= 0),
    -- what else the network server keeps: RX settings, a pending ACK, the confirmed downlink awaiting its ACK
    state        jsonb NOT NULL DEFAULT '{}'::jsonb,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lorawan_sessions_dev_addr_idx ON lorawan_sessions (dev_addr);

-- uplinks kept for GET /api/v1/lorawan/devices/{devEui}/frames, bounded per device
CREATE TABLE lorawan_frames (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- derived from the frame's identity (UUIDv5): a frame handled twice is stored once
    frame_id    uuid NOT NULL UNIQUE,
    device_id   integer NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    source      text NOT NULL CHECK (source IN ('network-server', 'chirpstack')),
    f_cnt       bigint,
    f_port      integer,
    data        bytea NOT NULL,
    confirmed   boolean NOT NULL DEFAULT false,
    rx_info     jsonb NOT NULL DEFAULT '[]'::jsonb,
    received_at timestamptz NOT NULL
);
CREATE INDEX lorawan_frames_device_idx ON lorawan_frames (device_id, id DESC);

-- ChirpStack integration log events, bounded per device
CREATE TABLE lorawan_device_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id   integer NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    level       text NOT NULL,
    code        text NOT NULL,
    description text NOT NULL,
    context     jsonb NOT NULL DEFAULT '{}'::jsonb,
    received_at timestamptz NOT NULL
);
CREATE INDEX lorawan_device_log_device_idx ON lorawan_device_log (device_id, id DESC);
