-- The data version of each layer (audit.layer_version), bumped once per
-- writing statement on any of its feature tables, whoever writes (the app,
-- QGIS, a bulk load).  The function runs with the owner's rights: clients
-- may read the versions, never set them.  Re-runnable.
CREATE OR REPLACE FUNCTION audit.bump_layer_version() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO audit.layer_version AS v (layer, version, changed_at)
    VALUES (TG_ARGV[0], 1, clock_timestamp())
    ON CONFLICT (layer) DO UPDATE SET version = v.version + 1, changed_at = excluded.changed_at;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION audit.bump_layer_version() FROM PUBLIC;
REVOKE INSERT, UPDATE, DELETE ON audit.layer_version FROM twin_write;
