-- PDSNO: Orleans ADO.NET reminder table (AdoNetReminderTable) for PostgreSQL 15+.
-- Requires 0001_orleans_main.sql. Idempotent.
--
-- GrainId is GrainId.ToString() (text: no length cap). GrainHash is the grain's
-- uint ring hash reinterpreted as a signed int32, and the range queries compare
-- signed values, which is what the provider expects. Period is milliseconds.
-- Version is the reminder's etag: 0 on insert, +1 on each re-registration.

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    text           NOT NULL,
    GrainId      text           NOT NULL,
    ReminderName text           NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,
    CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName
        PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Ring-range reads (ReadRangeRows1Key/ReadRangeRows2Key) filter on service and hash.
CREATE INDEX IF NOT EXISTS IX_RemindersTable_ServiceId_GrainHash
    ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    -- Last writer wins (no etag check). The version wraps to 0 instead of
    -- overflowing after 2^31-1 re-registrations.
    'UpsertReminderRowKey',
    $q$
    INSERT INTO OrleansRemindersTable AS r
        (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES
        (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
        SET StartTime = EXCLUDED.StartTime,
            Period    = EXCLUDED.Period,
            GrainHash = EXCLUDED.GrainHash,
            Version   = CASE WHEN r.Version < 2147483647 THEN r.Version + 1 ELSE 0 END
    RETURNING r.Version AS Version;
    $q$
),
(
    'ReadReminderRowsKey',
    $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
      AND GrainId = @GrainId;
    $q$
),
(
    'ReadReminderRowKey',
    $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
      AND GrainId = @GrainId
      AND ReminderName = @ReminderName;
    $q$
),
(
    -- Non-wrapping range: BeginHash < GrainHash <= EndHash (signed).
    'ReadRangeRows1Key',
    $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
      AND GrainHash > @BeginHash
      AND GrainHash <= @EndHash;
    $q$
),
(
    -- Wrapping range (also Begin = End, the whole ring).
    'ReadRangeRows2Key',
    $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId
      AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
    $q$
),
(
    -- Boolean scalar: 1 if the row with that version was deleted, else 0.
    'DeleteReminderRowKey',
    $q$
    WITH deleted AS (
        DELETE FROM OrleansRemindersTable
        WHERE ServiceId = @ServiceId
          AND GrainId = @GrainId
          AND ReminderName = @ReminderName
          AND Version = @Version
        RETURNING 1
    )
    SELECT count(*)::integer AS deleted FROM deleted;
    $q$
),
(
    'DeleteReminderRowsKey',
    $q$
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId;
    $q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
