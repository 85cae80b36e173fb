-- Retiring a month of live readings: its numeric and true/false readings
-- rolled up into live.reading_rollup (hourly, UTC; daily, Asia/Ho_Chi_Minh),
-- then its partition dropped, in the caller's transaction.  Dropping needs the
-- owner's rights; the function takes only a partition of live.reading whose
-- month ended more than 31 days ago (the ingest accepts readings up to 30 days
-- old), so the app login can retire old months and nothing else.  Re-runnable.
CREATE OR REPLACE FUNCTION live.retire_reading_partition(part text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET TimeZone = 'UTC'
AS $$
DECLARE
    month_end timestamptz;
    rolled bigint;
BEGIN
    IF part IS NULL OR part !~ '^reading_[0-9]{6}$' THEN
        RAISE EXCEPTION '% is not a reading partition (reading_YYYYMM)', part
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                   WHERE i.inhparent = 'live.reading'::regclass
                     AND c.oid = to_regclass(format('live_part.%I', part))) THEN
        RETURN NULL;
    END IF;
    month_end := to_timestamp(substr(part, 9), 'YYYYMM') + interval '1 month';
    IF month_end > now() - interval '31 days' THEN
        RAISE EXCEPTION 'partition % still takes readings: its month ended less than 31 days ago', part
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format($q$
        INSERT INTO live.reading_rollup AS r
            (grain, bucket, device_id, name, kind, asset_code, n, total, low, high)
        SELECT g.grain,
               CASE g.grain WHEN 'hour' THEN date_trunc('hour', x.ts)
                            ELSE date_trunc('day', x.ts, 'Asia/Ho_Chi_Minh') END,
               x.device_id, e.key, max(x.kind), max(x.asset_code),
               count(*), sum(e.v), min(e.v), max(e.v)
        FROM live_part.%I x
        CROSS JOIN LATERAL (
            SELECT key, CASE jsonb_typeof(value)
                            WHEN 'number' THEN value::float8
                            WHEN 'boolean' THEN CASE WHEN value::boolean THEN 1.0 ELSE 0.0 END
                        END AS v
            FROM jsonb_each(x.readings)) e
        CROSS JOIN (VALUES ('hour'), ('day')) g(grain)
        WHERE e.v IS NOT NULL
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (grain, bucket, device_id, name) DO UPDATE
            SET n = r.n + excluded.n, total = r.total + excluded.total,
                low = least(r.low, excluded.low), high = greatest(r.high, excluded.high)
    $q$, part);
    GET DIAGNOSTICS rolled = ROW_COUNT;
    EXECUTE format('DROP TABLE live_part.%I', part);
    RETURN rolled;
END
$$;
REVOKE ALL ON FUNCTION live.retire_reading_partition(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION live.retire_reading_partition(text) TO twin_write;
