-- PDSNO: Orleans ADO.NET clustering (membership) for PostgreSQL 15+.
-- Requires 0001_orleans_main.sql. Idempotent.
--
-- Concurrency model: the single row per cluster in OrleansMembershipVersionTable
-- is the optimistic-concurrency token for the whole membership table. Every
-- membership write (insert or status/suspicion update) must name the version
-- it read; the write succeeds only if that version is still current, and it
-- then bumps the version by one. Heartbeats and cleanup never touch it.
-- @DeploymentId is ClusterOptions.ClusterId.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId text           NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId),
    -- The provider only accepts canonical non-negative integers as etags.
    CONSTRAINT CK_OrleansMembershipVersionTable_Version CHECK (Version >= 0)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId text           NOT NULL,
    Address      text           NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     text           NOT NULL,
    HostName     text           NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes text           NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Insert a member row and bump the table version, as one unit.
-- Returns 1 on success; 0 (with nothing changed) if the caller's version is
-- stale, the version row is missing or saturated, or the member already exists.
-- The version row is claimed first (this also serialises concurrent writers on
-- its row lock); if the insert then finds the member already present, a private
-- SQLSTATE is raised so the enclosing block rolls the version bump back. This
-- does not depend on plpgsql.check_asserts.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    p_deployment_id   text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_silo_name       text,
    p_host_name       text,
    p_status          integer,
    p_proxy_port      integer,
    p_start_time      timestamptz,
    p_i_am_alive_time timestamptz,
    p_version         integer)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    affected integer;
BEGIN
    IF p_deployment_id IS NULL OR p_address IS NULL OR p_port IS NULL
       OR p_generation IS NULL OR p_version IS NULL THEN
        RETURN 0;
    END IF;

    BEGIN
        UPDATE OrleansMembershipVersionTable
           SET Version = Version + 1,
               Timestamp = now()
         WHERE DeploymentId = p_deployment_id
           AND Version = p_version
           AND Version < 2147483647;
        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected = 0 THEN
            RETURN 0;  -- stale or missing version: nothing has been changed
        END IF;

        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName,
             Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime)
        VALUES
            (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
             p_status, p_proxy_port, NULL, p_start_time, p_i_am_alive_time)
        ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected = 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'OR001',
                MESSAGE = 'orleans membership row already exists';
        END IF;

        RETURN 1;
    EXCEPTION
        WHEN SQLSTATE 'OR001' THEN
            RETURN 0;  -- the version bump above has been rolled back
    END;
END
$fn$;

-- Update a member's status, suspicion list and liveness time, and bump the
-- table version, as one unit. Returns 1 on success, 0 with nothing changed if
-- the version is stale/missing/saturated or the member row does not exist.
-- IAmAliveTime never moves backwards.
CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deployment_id   text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_status          integer,
    p_suspect_times   text,
    p_i_am_alive_time timestamptz,
    p_version         integer)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    affected integer;
BEGIN
    IF p_deployment_id IS NULL OR p_address IS NULL OR p_port IS NULL
       OR p_generation IS NULL OR p_version IS NULL THEN
        RETURN 0;
    END IF;

    BEGIN
        UPDATE OrleansMembershipVersionTable
           SET Version = Version + 1,
               Timestamp = now()
         WHERE DeploymentId = p_deployment_id
           AND Version = p_version
           AND Version < 2147483647;
        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected = 0 THEN
            RETURN 0;
        END IF;

        UPDATE OrleansMembershipTable
           SET Status       = p_status,
               SuspectTimes = p_suspect_times,
               IAmAliveTime = GREATEST(IAmAliveTime, p_i_am_alive_time)
         WHERE DeploymentId = p_deployment_id
           AND Address = p_address
           AND Port = p_port
           AND Generation = p_generation;
        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected = 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'OR001',
                MESSAGE = 'orleans membership row not found';
        END IF;

        RETURN 1;
    EXCEPTION
        WHEN SQLSTATE 'OR001' THEN
            RETURN 0;  -- the version bump above has been rolled back
    END;
END
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'InsertMembershipVersionKey',
    $q$
    WITH created AS (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId)
        SELECT @DeploymentId
        WHERE @DeploymentId IS NOT NULL
        ON CONFLICT (DeploymentId) DO NOTHING
        RETURNING 1
    )
    SELECT count(*)::integer AS created FROM created;
    $q$
),
(
    'InsertMembershipKey',
    $q$
    SELECT orleans_membership_insert(
        @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS succeeded;
    $q$
),
(
    'UpdateMembershipKey',
    $q$
    SELECT orleans_membership_update(
        @DeploymentId, @Address, @Port, @Generation,
        @Status, @SuspectTimes, @IAmAliveTime, @Version) AS succeeded;
    $q$
),
(
    -- Heartbeat: only ever moves IAmAliveTime forward; never touches Version.
    'UpdateIAmAlivetimeKey',
    $q$
    UPDATE OrleansMembershipTable
       SET IAmAliveTime = @IAmAliveTime
     WHERE DeploymentId = @DeploymentId
       AND Address = @Address
       AND Port = @Port
       AND Generation = @Generation
       AND IAmAliveTime < @IAmAliveTime;
    $q$
),
(
    -- One statement, hence one snapshot: the version and the members agree.
    -- The outer join yields a single all-NULL member row when there are no members.
    'MembershipReadAllKey',
    $q$
    SELECT
        v.DeploymentId,
        v.Version,
        m.Address,
        m.Port,
        m.Generation,
        m.SiloName,
        m.HostName,
        m.Status,
        m.ProxyPort,
        m.SuspectTimes,
        m.StartTime,
        m.IAmAliveTime
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m
           ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId;
    $q$
),
(
    'MembershipReadRowKey',
    $q$
    SELECT
        v.DeploymentId,
        v.Version,
        m.Address,
        m.Port,
        m.Generation,
        m.SiloName,
        m.HostName,
        m.Status,
        m.ProxyPort,
        m.SuspectTimes,
        m.StartTime,
        m.IAmAliveTime
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m
           ON m.DeploymentId = v.DeploymentId
          AND m.Address = @Address
          AND m.Port = @Port
          AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId;
    $q$
),
(
    'GatewaysQueryKey',
    $q$
    SELECT Address, ProxyPort, Generation
    FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
      AND Status = @Status
      AND ProxyPort > 0;
    $q$
),
(
    'DeleteMembershipTableEntriesKey',
    $q$
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
    $q$
),
(
    -- Bulk fallback (used only when CleanupDefunctSiloEntryKey is absent, e.g. by
    -- older providers): removes only Dead rows that started and last reported
    -- before the cutoff and carry no suspicion votes. Version is not touched.
    'CleanupDefunctSiloEntriesKey',
    $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
      AND Status = 6
      AND StartTime < @IAmAliveTime
      AND IAmAliveTime < @IAmAliveTime
      AND COALESCE(SuspectTimes, '') = '';
    $q$
),
(
    -- Captured-row cleanup (10.4.x): the provider has already decided the row is
    -- defunct from a membership read; delete it only if it is still exactly the
    -- row that was read (NULL and '' suspicion lists count as equal).
    'CleanupDefunctSiloEntryKey',
    $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
      AND Address = @Address
      AND Port = @Port
      AND Generation = @Generation
      AND Status = 6
      AND StartTime = @StartTime
      AND IAmAliveTime = @IAmAliveTime
      AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
    $q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
