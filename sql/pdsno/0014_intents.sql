-- Intents: one row per intent, projected from the intent grain's state (the authority) in the same transaction as its
-- events. Lists filter on the columns; the API shows the intent from its document. The tenant's intent network reads
-- the rows not withdrawn to rebuild its capacity ledger after a restart.
CREATE TABLE IF NOT EXISTS intents (
    tenant          text        NOT NULL,
    intent          text        NOT NULL,
    kind            text        NOT NULL,
    status          text        NOT NULL,
    regions         text[]      NOT NULL,
    devices         text[]      NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    state_version   bigint      NOT NULL,
    document        jsonb       NOT NULL,
    CONSTRAINT pk_intents PRIMARY KEY (tenant, intent)
);

CREATE INDEX IF NOT EXISTS ix_intents_status ON intents (tenant, status, intent);
CREATE INDEX IF NOT EXISTS ix_intents_regions ON intents USING gin (regions);
CREATE INDEX IF NOT EXISTS ix_intents_devices ON intents USING gin (devices);
