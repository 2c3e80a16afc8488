-- Grain state written in the same transaction as the read-model rows and events it projects to, so a grain's
-- durable state and what the API reads move together in one commit. Rows are versioned for optimistic
-- concurrency: a write names the version it replaces (none for the first write).
CREATE TABLE IF NOT EXISTS grain_state (
    service_id  text        NOT NULL,
    grain_type  text        NOT NULL,
    grain_key   text        NOT NULL,
    state_name  text        NOT NULL,
    version     integer     NOT NULL CHECK (version > 0),
    payload     bytea       NOT NULL,
    modified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, grain_type, grain_key, state_name)
);

-- Writes many grain states at once and returns their new versions in input order. A state that is not at the
-- version its writer read raises SQLSTATE PD409 naming the state's index (0-based) as "[write N]", which rolls back
-- everything sent with it; the caller drops that write and sends the rest again.
CREATE OR REPLACE FUNCTION pdsno_write_grain_states(
    p_service  text,
    p_types    text[],
    p_keys     text[],
    p_names    text[],
    p_expected integer[],
    p_payloads bytea[])
RETURNS integer[]
LANGUAGE plpgsql
AS $fn$
DECLARE
    result integer[] := '{}';
    written integer;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_types, 1), 0) LOOP
        written := NULL;
        IF p_expected[i] IS NULL THEN
            INSERT INTO grain_state (service_id, grain_type, grain_key, state_name, version, payload)
            VALUES (p_service, p_types[i], p_keys[i], p_names[i], 1, p_payloads[i])
            ON CONFLICT DO NOTHING
            RETURNING version INTO written;
        ELSE
            UPDATE grain_state
               SET payload = p_payloads[i], version = version + 1, modified_at = now()
             WHERE service_id = p_service AND grain_type = p_types[i] AND grain_key = p_keys[i]
               AND state_name = p_names[i] AND version = p_expected[i]
            RETURNING version INTO written;
        END IF;
        IF written IS NULL THEN
            RAISE EXCEPTION USING
                ERRCODE = 'PD409',
                MESSAGE = format('grain state %s/%s (%s) is not at version %s [write %s]', p_types[i], p_keys[i], p_names[i], coalesce(p_expected[i]::text, 'none'), i - 1);
        END IF;
        result := result || written;
    END LOOP;
    RETURN result;
END
$fn$;
