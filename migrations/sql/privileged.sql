-- The two operations of the twin's clients that need the owner's rights,
-- each one narrow, as SECURITY DEFINER functions of the owner with a fixed
-- search_path; only twin_write may call them.  Re-runnable.

-- The partition of live.reading for the UTC month of ``at``, created when
-- missing; returns its name when it was created here, NULL when it was there.
-- The month is computed here, so a caller can only add monthly partitions.
CREATE OR REPLACE FUNCTION live.ensure_reading_partition(at timestamptz) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET TimeZone = 'UTC'
AS $$
DECLARE
    month_start timestamptz := date_trunc('month', at);
    part text := 'reading_' || to_char(month_start, 'YYYYMM');
BEGIN
    IF at IS NULL THEN
        RAISE EXCEPTION 'a reading partition needs a time' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF to_regclass(format('live_part.%I', part)) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('CREATE TABLE IF NOT EXISTS live_part.%I PARTITION OF live.reading '
                   'FOR VALUES FROM (%L) TO (%L)', part, month_start, month_start + interval '1 month');
    RETURN part;
END
$$;
REVOKE ALL ON FUNCTION live.ensure_reading_partition(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION live.ensure_reading_partition(timestamptz) TO twin_write;

-- ``n`` consecutive asset ids in one step: the first of them, or NULL when the
-- sequence was never used (its first value is not yet taken).  Raising the
-- increment for one nextval needs the sequence's owner; the lock it takes
-- blocks other nextval calls, so it waits 100 ms at most and the caller
-- commits at once.
CREATE OR REPLACE FUNCTION assets.reserve_asset_ids(n bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET lock_timeout = '100ms'
AS $$
DECLARE
    last bigint;
BEGIN
    IF n IS NULL OR n < 1 OR n > 100000000 THEN
        RAISE EXCEPTION 'cannot reserve % asset ids: between 1 and 100000000 at once', n
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('ALTER SEQUENCE assets.asset_id_seq INCREMENT BY %s', n);
    IF NOT (SELECT is_called FROM assets.asset_id_seq) THEN
        ALTER SEQUENCE assets.asset_id_seq INCREMENT BY 1;
        RETURN NULL;
    END IF;
    last := nextval('assets.asset_id_seq');
    ALTER SEQUENCE assets.asset_id_seq INCREMENT BY 1;
    RETURN last - n + 1;
END
$$;
REVOKE ALL ON FUNCTION assets.reserve_asset_ids(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION assets.reserve_asset_ids(bigint) TO twin_write;
