-- PDSNO: Orleans ADO.NET query registry (PostgreSQL 15+).
--
-- Every Orleans ADO.NET provider (clustering, persistence, reminders) loads the
-- SQL it runs from this table at start-up, keyed by QueryKey. The following
-- scripts (0002..0004) fill it. Names are unquoted so that they fold to lower
-- case and match the unqualified names the providers use on the search_path.
--
-- Idempotent: safe to run again on an already initialised database.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);
