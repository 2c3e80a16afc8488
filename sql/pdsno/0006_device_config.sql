-- A device's config as its grain keeps it: the intended config and its version, the config the driver last read
-- (null when it reads none) and which sections that covered, whether the two differ, the change holding the device's
-- lock and why it is DEGRADED. Written with the rest of the device row, keyed by its state version.
ALTER TABLE devices ADD COLUMN IF NOT EXISTS config_version  bigint      NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS intended_config jsonb;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS observed_config jsonb;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS observed_at     timestamptz;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS config_sections integer     NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS config_drift    boolean     NOT NULL DEFAULT false;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS locked_by       text;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS degraded_reason text;

-- Every applied version of a device's config (1 = as first observed). Rows are written once and never changed:
-- the projection inserts them with ON CONFLICT DO NOTHING, so a replay after a crash is harmless.
CREATE TABLE IF NOT EXISTS device_config_versions (
    tenant      text        NOT NULL,
    device      text        NOT NULL,
    version     bigint      NOT NULL,
    config      jsonb       NOT NULL,
    change_id   text,
    actor       text        NOT NULL,
    applied_at  timestamptz NOT NULL,
    rollback    boolean     NOT NULL DEFAULT false,
    CONSTRAINT pk_device_config_versions PRIMARY KEY (tenant, device, version)
);
