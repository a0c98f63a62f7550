-- Time series (DESIGN §5). Lives where sink.pg-url points (default pg.url), so it has its own migration history.
-- The key makes the first reading for a (time, device, datapoint) win: a retransmitted publish is dropped.
CREATE TABLE decoded_data (
    "timestamp"  timestamptz NOT NULL,
    device_id    integer NOT NULL,
    datapoint_id integer NOT NULL,
    value        double precision NOT NULL,
    PRIMARY KEY ("timestamp", device_id, datapoint_id)
);
CREATE INDEX decoded_data_series_idx ON decoded_data (device_id, datapoint_id, "timestamp" DESC);

-- TimescaleDB when the extension is installed (it is not in Debian; then this stays a plain table).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS timescaledb;
            PERFORM create_hypertable('decoded_data', 'timestamp', if_not_exists => TRUE, migrate_data => TRUE);
            ALTER TABLE decoded_data SET (timescaledb.compress, timescaledb.compress_segmentby = 'device_id, datapoint_id');
            PERFORM add_compression_policy('decoded_data', INTERVAL '7 days', if_not_exists => TRUE);
        EXCEPTION WHEN OTHERS THEN
            -- e.g. available but not in shared_preload_libraries: keep the plain table, say why
            RAISE WARNING 'timescaledb not used for decoded_data: %', SQLERRM;
        END;
    END IF;
END
$$;
