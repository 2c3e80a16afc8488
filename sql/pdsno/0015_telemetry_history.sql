-- Per-interface rate history: one row per interface and sample time, the average rates over the sample's step and the
-- speed they are measured against. Partitioned by UTC day so retention drops whole partitions instead of deleting rows;
-- rows are written in batches (COPY), never one statement per sample.
CREATE TABLE IF NOT EXISTS interface_samples (
    tenant      text             NOT NULL,
    device      text             NOT NULL,
    interface   text             NOT NULL,
    at          timestamptz      NOT NULL,
    step_s      integer          NOT NULL CHECK (step_s > 0),
    in_bps      double precision NOT NULL CHECK (in_bps >= 0),
    out_bps     double precision NOT NULL CHECK (out_bps >= 0),
    speed_bps   bigint           NOT NULL CHECK (speed_bps >= 0),
    CONSTRAINT pk_interface_samples PRIMARY KEY (tenant, device, interface, at)
) PARTITION BY RANGE (at);

-- Creates the day partitions covering [p_from, p_to] that are missing; returns how many it created. Runs as the
-- schema's owner, so a silo whose role may not create tables can still make room for the days it writes; silos
-- creating the same day at once serialize on a transaction lock.
CREATE OR REPLACE FUNCTION pdsno_interface_sample_partitions(p_from date, p_to date)
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
    IF p_to - p_from > 400 THEN
        RAISE EXCEPTION 'interface_samples: % days of partitions at once is more than 400', p_to - p_from + 1;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('pdsno.interface_samples'));
    WHILE d <= p_to LOOP
        part := 'interface_samples_' || to_char(d, 'YYYYMMDD');
        IF to_regclass(part) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF interface_samples FOR VALUES FROM (%L) TO (%L)',
                part, to_char(d, 'YYYY-MM-DD') || ' 00:00:00+00', to_char(d + 1, 'YYYY-MM-DD') || ' 00:00:00+00');
            created := created + 1;
        END IF;
        d := d + 1;
    END LOOP;
    RETURN created;
END
$fn$;

-- Retention: drops the day partitions wholly before p_before; returns how many it dropped.
CREATE OR REPLACE FUNCTION pdsno_drop_interface_samples_before(p_before date)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public
AS $fn$
DECLARE
    part    record;
    dropped integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('pdsno.interface_samples'));
    FOR part IN
        SELECT c.relname
          FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'interface_samples'::regclass
           AND c.relname ~ '^interface_samples_[0-9]{8}$'
           AND to_date(substring(c.relname FROM 19), 'YYYYMMDD') < p_before
    LOOP
        EXECUTE format('DROP TABLE %I', part.relname);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END
$fn$;

-- Owner-run functions are for the silo's role alone (granted by 'Pdsno.Silo migrate'), not for every role.
REVOKE EXECUTE ON FUNCTION pdsno_interface_sample_partitions(date, date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pdsno_drop_interface_samples_before(date) FROM PUBLIC;
