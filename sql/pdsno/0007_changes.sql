-- Governed changes: one row per change, projected from the change grain's state (the authority). Lists filter on
-- the columns; the API shows the change from its document, written in the same transaction as its events.
CREATE TABLE IF NOT EXISTS changes (
    tenant          text        NOT NULL,
    change          text        NOT NULL,
    title           text        NOT NULL,
    status          text        NOT NULL,
    sensitivity     text        NOT NULL,
    emergency       boolean     NOT NULL,
    acknowledged    boolean     NOT NULL,
    proposer        text        NOT NULL,
    regions         text[]      NOT NULL,
    devices         text[]      NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    state_version   bigint      NOT NULL,
    document        jsonb       NOT NULL,
    CONSTRAINT pk_changes PRIMARY KEY (tenant, change)
);

CREATE INDEX IF NOT EXISTS ix_changes_status ON changes (tenant, status, change);
CREATE INDEX IF NOT EXISTS ix_changes_regions ON changes USING gin (regions);
CREATE INDEX IF NOT EXISTS ix_changes_devices ON changes USING gin (devices);
