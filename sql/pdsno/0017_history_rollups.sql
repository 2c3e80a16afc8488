-- Live interface history: the 1-minute rows also keep the highest rate of their minute, and an hourly rollup (average
-- weighted by each row's step, highest rate) outlives them. Both tables are partitioned by UTC day, so retention
-- drops whole days; the partitions are made and dropped by owner-run functions, as for interface_samples alone before.
ALTER TABLE interface_samples ADD COLUMN IF NOT EXISTS in_max_bps double precision CHECK (in_max_bps >= 0);
ALTER TABLE interface_samples ADD COLUMN IF NOT EXISTS out_max_bps double precision CHECK (out_max_bps >= 0);

CREATE TABLE IF NOT EXISTS interface_samples_hourly (
    tenant       text             NOT NULL,
    device       text             NOT NULL,
    interface    text             NOT NULL,
    at           timestamptz      NOT NULL,
    in_bps       double precision NOT NULL CHECK (in_bps >= 0),
    out_bps      double precision NOT NULL CHECK (out_bps >= 0),
    in_max_bps   double precision NOT NULL CHECK (in_max_bps >= 0),
    out_max_bps  double precision NOT NULL CHECK (out_max_bps >= 0),
    speed_bps    bigint           NOT NULL CHECK (speed_bps >= 0),
    CONSTRAINT pk_interface_samples_hourly PRIMARY KEY (tenant, device, interface, at)
) PARTITION BY RANGE (at);

-- Creates the missing day partitions of one history table (interface_samples or interface_samples_hourly) covering
-- [p_from, p_to]; returns how many it created.
CREATE OR REPLACE FUNCTION pdsno_history_partitions(p_table text, p_from date, p_to date)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public
AS $fn$
DECLARE
    d       date := p_from;
    created integer := 0;
    part    text;
BEGIN
    IF p_table NOT IN ('interface_samples', 'interface_samples_hourly') THEN
        RAISE EXCEPTION '% is not a history table', p_table;
    END IF;
    IF p_to - p_from > 400 THEN
        RAISE EXCEPTION '%: % days of partitions at once is more than 400', p_table, p_to - p_from + 1;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('pdsno.' || p_table));
    WHILE d <= p_to LOOP
        part := p_table || '_' || to_char(d, 'YYYYMMDD');
        IF to_regclass(part) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                part, p_table, to_char(d, 'YYYY-MM-DD') || ' 00:00:00+00', to_char(d + 1, 'YYYY-MM-DD') || ' 00:00:00+00');
            created := created + 1;
        END IF;
        d := d + 1;
    END LOOP;
    RETURN created;
END
$fn$;

-- Retention: drops the day partitions of one history table wholly before p_before; returns how many it dropped.
CREATE OR REPLACE FUNCTION pdsno_drop_history_before(p_table text, p_before date)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public
AS $fn$
DECLARE
    part    record;
    dropped integer := 0;
BEGIN
    IF p_table NOT IN ('interface_samples', 'interface_samples_hourly') THEN
        RAISE EXCEPTION '% is not a history table', p_table;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('pdsno.' || p_table));
    FOR part IN
        SELECT c.relname
          FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = p_table::regclass
           AND c.relname ~ ('^' || p_table || '_[0-9]{8}$')
           AND to_date(right(c.relname, 8), 'YYYYMMDD') < p_before
    LOOP
        EXECUTE format('DROP TABLE %I', part.relname);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END
$fn$;

-- The functions of interface_samples alone are replaced by these two.
DROP FUNCTION IF EXISTS pdsno_interface_sample_partitions(date, date);
DROP FUNCTION IF EXISTS pdsno_drop_interface_samples_before(date);

REVOKE EXECUTE ON FUNCTION pdsno_history_partitions(text, date, date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pdsno_drop_history_before(text, date) FROM PUBLIC;
