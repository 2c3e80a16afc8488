-- SSH host keys pinned by the ssh config driver, one per device, shared by every silo: the first key seen is kept
-- (INSERT ... ON CONFLICT DO NOTHING), later connections must present it. A device that was really re-keyed is
-- released by deleting its row.
CREATE TABLE IF NOT EXISTS ssh_host_keys (
    tenant      text        NOT NULL,
    device      text        NOT NULL,
    address     text        NOT NULL,
    fingerprint text        NOT NULL CHECK (fingerprint LIKE 'SHA256:%'),
    pinned_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, device)
);
