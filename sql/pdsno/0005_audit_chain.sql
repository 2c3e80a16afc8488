-- The audit trail: one hash-chained, append-only sequence of records per tenant.
-- hash = SHA-256(prev_hash || canonical encoding of the record's fields); the first record of a tenant chains
-- from 32 zero bytes. Appends of a tenant are serialized by a transaction-scoped advisory lock, so seq has no gap.
--
-- The table belongs to the role that applies the schema. Roles that only run the service get SELECT and INSERT
-- (Pdsno.Silo migrate grants them); UPDATE, DELETE and TRUNCATE are refused to everyone but the owner, and a
-- trigger refuses them to the owner too unless the owner disables it on purpose.

CREATE TABLE IF NOT EXISTS audit_log (
    tenant      text        NOT NULL,
    seq         bigint      NOT NULL,
    at          timestamptz NOT NULL,
    actor       text        NOT NULL,
    operation   text        NOT NULL,
    target      text        NOT NULL,
    outcome     text        NOT NULL,
    detail      text        NOT NULL,
    prev_hash   bytea       NOT NULL,
    hash        bytea       NOT NULL,
    PRIMARY KEY (tenant, seq),
    CONSTRAINT ck_audit_log_seq CHECK (seq > 0),
    CONSTRAINT ck_audit_log_hashes CHECK (length(prev_hash) = 32 AND length(hash) = 32)
);

CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

REVOKE ALL ON audit_log FROM PUBLIC;
