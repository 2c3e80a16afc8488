-- The application schema: the durable event log and the relational read model projected from grain state.
-- Grain state (OrleansStorage) is the authority; every row here carries the state version it was
-- projected from, and a projection only ever moves a row forward, so replays after a crash are harmless.

CREATE TABLE IF NOT EXISTS tenant_event_sequence (
    tenant      text PRIMARY KEY,
    last_seq    bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS events (
    tenant              text        NOT NULL,
    seq                 bigint      NOT NULL,
    type                text        NOT NULL,
    aggregate_id        text        NOT NULL,
    aggregate_version   bigint      NOT NULL,
    ordinal             integer     NOT NULL,
    region              text,
    device              text,
    interface           text,
    link                text,
    old_value           text,
    new_value           text,
    occurred_at         timestamptz NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_events PRIMARY KEY (tenant, seq),
    CONSTRAINT uq_events_origin UNIQUE (tenant, aggregate_id, aggregate_version, ordinal)
);

CREATE INDEX IF NOT EXISTS ix_events_device ON events (tenant, device, seq) WHERE device IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_events_region ON events (tenant, region, seq) WHERE region IS NOT NULL;

CREATE TABLE IF NOT EXISTS regions (
    tenant          text        NOT NULL,
    region          text        NOT NULL,
    policy_version  bigint      NOT NULL DEFAULT 0,
    state_version   bigint      NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_regions PRIMARY KEY (tenant, region)
);

CREATE TABLE IF NOT EXISTS devices (
    tenant              text        NOT NULL,
    device              text        NOT NULL,
    region              text        NOT NULL,
    chassis_id          text        NOT NULL,
    name                text        NOT NULL,
    vendor              text        NOT NULL,
    model               text        NOT NULL,
    os_version          text        NOT NULL,
    management_address  text        NOT NULL,
    role                text        NOT NULL,
    status              text        NOT NULL,
    status_since        timestamptz NOT NULL,
    first_seen          timestamptz NOT NULL,
    state_version       bigint      NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_devices PRIMARY KEY (tenant, device)
);

CREATE INDEX IF NOT EXISTS ix_devices_region ON devices (tenant, region, device);
CREATE INDEX IF NOT EXISTS ix_devices_status ON devices (tenant, status, device);
CREATE INDEX IF NOT EXISTS ix_devices_name ON devices (tenant, lower(name));

CREATE TABLE IF NOT EXISTS interfaces (
    tenant          text    NOT NULL,
    device          text    NOT NULL,
    name            text    NOT NULL,
    if_index        integer NOT NULL,
    mac             text    NOT NULL,
    speed_bps       bigint  NOT NULL,
    admin_status    text    NOT NULL,
    oper_status     text    NOT NULL,
    state_version   bigint  NOT NULL,
    CONSTRAINT pk_interfaces PRIMARY KEY (tenant, device, name)
);

CREATE TABLE IF NOT EXISTS links (
    tenant          text        NOT NULL,
    link            text        NOT NULL,
    region          text        NOT NULL,
    device_a        text        NOT NULL,
    interface_a     text        NOT NULL,
    device_b        text        NOT NULL,
    interface_b     text        NOT NULL,
    speed_bps       bigint      NOT NULL,
    status          text        NOT NULL,
    status_since    timestamptz NOT NULL,
    state_version   bigint      NOT NULL,
    CONSTRAINT pk_links PRIMARY KEY (tenant, link)
);

CREATE INDEX IF NOT EXISTS ix_links_region ON links (tenant, region, link);
CREATE INDEX IF NOT EXISTS ix_links_device_a ON links (tenant, device_a);
CREATE INDEX IF NOT EXISTS ix_links_device_b ON links (tenant, device_b);
