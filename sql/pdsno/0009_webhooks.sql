-- Webhooks: one row per webhook with its durable cursor (the last event sequence delivered) and the lease that says
-- which silo runs its delivery loop. A silo renews its leases every few seconds; a lease that lapses (the silo died)
-- is claimed by another silo, which resumes from the cursor. `generation` grows with every resume and redeliver,
-- so a loop that started before one cannot move the cursor it reset.
CREATE TABLE IF NOT EXISTS webhooks (
    tenant           text        NOT NULL,
    webhook          text        NOT NULL,
    url              text        NOT NULL,
    event_types      text[]      NOT NULL,
    regions          text[]      NOT NULL,
    secret           text        NOT NULL,
    max_events       integer     NOT NULL CHECK (max_events BETWEEN 1 AND 1000),
    max_delay_ms     integer     NOT NULL CHECK (max_delay_ms BETWEEN 0 AND 60000),
    status           text        NOT NULL CHECK (status IN ('ACTIVE', 'PAUSED', 'DEAD_LETTER')),
    delivered_seq    bigint      NOT NULL,
    generation       bigint      NOT NULL DEFAULT 0,
    failed_attempts  integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    last_error       text,
    lease_owner      text,
    lease_until      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    created_by       text        NOT NULL,
    CONSTRAINT pk_webhooks PRIMARY KEY (tenant, webhook)
);

CREATE INDEX IF NOT EXISTS ix_webhooks_claim ON webhooks (status, lease_until);

-- Every delivery attempt, kept for webhookDeliveries: the sequences it carried and how the receiver answered.
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id            bigserial   PRIMARY KEY,
    tenant        text        NOT NULL,
    webhook       text        NOT NULL,
    first_seq     bigint      NOT NULL,
    last_seq      bigint      NOT NULL,
    event_count   integer     NOT NULL,
    attempt       integer     NOT NULL,
    status_code   integer,
    error         text,
    succeeded     boolean     NOT NULL,
    started_at    timestamptz NOT NULL,
    duration_ms   integer     NOT NULL,
    CONSTRAINT fk_webhook_deliveries FOREIGN KEY (tenant, webhook) REFERENCES webhooks (tenant, webhook) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS ix_webhook_deliveries ON webhook_deliveries (tenant, webhook, id);
