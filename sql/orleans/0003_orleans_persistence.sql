-- PDSNO: Orleans ADO.NET grain persistence (AdoNetGrainStorage) for PostgreSQL 15+.
-- Requires 0001_orleans_main.sql. Idempotent. Uses UNIQUE ... NULLS NOT DISTINCT (PG 15).
--
-- One row per (service, state name, grain key). The grain key is stored as
-- (grainidn0, grainidn1, grainidextensionstring): long keys are (0, key, NULL or
-- extension), Guid keys are the two halves, string keys are (0, 0, key).
-- grainidhash/graintypehash are only lookup aids (they can collide); every
-- statement also matches the full natural key, with the extension compared
-- NULL-safely. `version` is the etag: 1 on first write, +1 on every write/clear.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    grainidhash            integer     NOT NULL,
    grainidn0              bigint      NOT NULL,
    grainidn1              bigint      NOT NULL,
    graintypehash          integer     NOT NULL,
    graintypestring        text        NOT NULL,
    grainidextensionstring text        NULL,
    serviceid              text        NOT NULL,
    payloadbinary          bytea       NULL,      -- NULL = cleared (tombstone)
    modifiedon             timestamptz NOT NULL DEFAULT now(),
    version                integer     NOT NULL,
    CONSTRAINT ck_orleansstorage_version CHECK (version >= 0)
);

-- The natural key is unique; a NULL extension collides with another NULL
-- extension, so two concurrent first writes cannot both create a row.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleansstorage_natural_key
    ON OrleansStorage (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring)
    NULLS NOT DISTINCT;

-- Hash lookup aid (keeps lookups index-driven even with generic plans).
CREATE INDEX IF NOT EXISTS ix_orleansstorage
    ON OrleansStorage (grainidhash, graintypehash);

-- Write state. p_version is the grain's current etag (NULL = never stored).
--   NULL etag : insert version 1 unless the key already exists -> 1, else NULL.
--   etag n    : update where version = n -> n + 1, else n (unchanged).
-- Returning the caller's own etag (or NULL for a NULL etag) is how the
-- provider recognises a conflict and raises InconsistentStateException.
CREATE OR REPLACE FUNCTION orleans_storage_write(
    p_grainidhash            integer,
    p_grainidn0              bigint,
    p_grainidn1              bigint,
    p_graintypehash          integer,
    p_graintypestring        text,
    p_grainidextensionstring text,
    p_serviceid              text,
    p_version                integer,
    p_payloadbinary          bytea)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    new_version integer;
BEGIN
    IF p_version IS NULL THEN
        INSERT INTO OrleansStorage
            (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
             grainidextensionstring, serviceid, payloadbinary, modifiedon, version)
        VALUES
            (p_grainidhash, p_grainidn0, p_grainidn1, p_graintypehash, p_graintypestring,
             p_grainidextensionstring, p_serviceid, p_payloadbinary, now(), 1)
        ON CONFLICT (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring)
            DO NOTHING
        RETURNING version INTO new_version;
        RETURN new_version;  -- NULL when the row already existed
    END IF;

    UPDATE OrleansStorage
       SET payloadbinary = p_payloadbinary,
           modifiedon    = now(),
           version       = version + 1
     WHERE grainidhash = p_grainidhash
       AND graintypehash = p_graintypehash
       AND serviceid = p_serviceid
       AND graintypestring = p_graintypestring
       AND grainidn0 = p_grainidn0
       AND grainidn1 = p_grainidn1
       AND (grainidextensionstring = p_grainidextensionstring
            OR (grainidextensionstring IS NULL AND p_grainidextensionstring IS NULL))
       AND version = p_version
       AND version < 2147483647
    RETURNING version INTO new_version;

    RETURN COALESCE(new_version, p_version);
END
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'ReadFromStorageKey',
    $q$
    SELECT payloadbinary AS PayloadBinary, version AS Version
    FROM OrleansStorage
    WHERE grainidhash = @GrainIdHash
      AND graintypehash = @GrainTypeHash
      AND serviceid = @ServiceId
      AND graintypestring = @GrainTypeString
      AND grainidn0 = @GrainIdN0
      AND grainidn1 = @GrainIdN1
      AND (grainidextensionstring = @GrainIdExtensionString
           OR (grainidextensionstring IS NULL AND @GrainIdExtensionString IS NULL));
    $q$
),
(
    'WriteToStorageKey',
    $q$
    SELECT orleans_storage_write(
        @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
        @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary)
        AS NewGrainStateVersion;
    $q$
),
(
    -- Keep the row as a tombstone (payload NULL) and bump the version; no row
    -- back means a version conflict.
    'ClearStorageKey',
    $q$
    UPDATE OrleansStorage
       SET payloadbinary = NULL,
           modifiedon    = now(),
           version       = version + 1
     WHERE grainidhash = @GrainIdHash
       AND graintypehash = @GrainTypeHash
       AND serviceid = @ServiceId
       AND graintypestring = @GrainTypeString
       AND grainidn0 = @GrainIdN0
       AND grainidn1 = @GrainIdN1
       AND (grainidextensionstring = @GrainIdExtensionString
            OR (grainidextensionstring IS NULL AND @GrainIdExtensionString IS NULL))
       AND version = @GrainStateVersion
       AND version < 2147483647
    RETURNING version AS NewGrainStateVersion;
    $q$
),
(
    -- DeleteStateOnClear=true: remove the row. The value returned only has to
    -- differ from the caller's etag; bigint so it cannot overflow.
    'DeleteStorageKey',
    $q$
    DELETE FROM OrleansStorage
     WHERE grainidhash = @GrainIdHash
       AND graintypehash = @GrainTypeHash
       AND serviceid = @ServiceId
       AND graintypestring = @GrainTypeString
       AND grainidn0 = @GrainIdN0
       AND grainidn1 = @GrainIdN1
       AND (grainidextensionstring = @GrainIdExtensionString
            OR (grainidextensionstring IS NULL AND @GrainIdExtensionString IS NULL))
       AND version = @GrainStateVersion
    RETURNING version::bigint + 1 AS NewGrainStateVersion;
    $q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
