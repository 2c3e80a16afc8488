-- Tenants, API tokens and the audit trail.
-- A token's secret is never stored: only an HMAC-SHA256 digest of it under a server-side key. The key comes
-- from the Security:TokenKey setting or, when that is not set, from security_keys (created once, shared by
-- every silo of the cluster).

CREATE TABLE IF NOT EXISTS tenants (
    tenant          text        PRIMARY KEY,
    display_name    text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      text        NOT NULL
);

CREATE TABLE IF NOT EXISTS security_keys (
    name        text        PRIMARY KEY,
    key_bytes   bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS api_tokens (
    token_id        text        PRIMARY KEY,
    tenant          text        NOT NULL,
    name            text        NOT NULL,
    digest          bytea       NOT NULL,
    roles           text[]      NOT NULL,
    regions         text[],
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      text        NOT NULL,
    expires_at      timestamptz,
    revoked_at      timestamptz,
    revoked_by      text,
    last_used_at    timestamptz,
    bootstrap       boolean     NOT NULL DEFAULT false,
    CONSTRAINT ck_api_tokens_roles CHECK (cardinality(roles) > 0)
);

CREATE INDEX IF NOT EXISTS ix_api_tokens_tenant ON api_tokens (tenant, created_at, token_id);

-- At most one live first-start admin token per tenant, so silos starting together create one between them.
CREATE UNIQUE INDEX IF NOT EXISTS uq_api_tokens_bootstrap ON api_tokens (tenant) WHERE bootstrap AND revoked_at IS NULL;

-- Who did it: the token (id and name) behind an audited action, or "system". Never a secret.
ALTER TABLE events ADD COLUMN IF NOT EXISTS actor text;

INSERT INTO tenants (tenant, display_name, created_by) VALUES ('default', 'default', 'system') ON CONFLICT DO NOTHING;
