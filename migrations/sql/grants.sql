-- What the twin's client roles may do in this database (roles.sql makes them).
-- Run by the owner of the tables; re-runnable.  Default privileges extend the
-- same grants to tables and sequences the owner creates later (migrations,
-- monthly partitions), so a new table needs no grant of its own.
--   twin_read   reads the data: assets, base map, live state, plans, history,
--               the job queue, hydraulic runs
--   twin_write  reads and writes it, users and tokens included; history is
--               appended, never rewritten; the DEM register is read only
-- Nothing here lets either role create, alter, drop or truncate anything,
-- bypass a constraint or disable a trigger.
DO $$
DECLARE
    s text;
    read_schemas text[] := ARRAY['assets', 'base', 'audit', 'live', 'live_part', 'planning', 'ops',
                                  'simulation'];
    write_schemas text[] := ARRAY['assets', 'base', 'live', 'live_part', 'planning', 'ops',
                                   'simulation'];
BEGIN
    -- A schema made by a later migration (ops, simulation) is granted when it re-runs this file.
    read_schemas := ARRAY(SELECT n FROM unnest(read_schemas) n WHERE to_regnamespace(n) IS NOT NULL);
    write_schemas := ARRAY(SELECT n FROM unnest(write_schemas) n WHERE to_regnamespace(n) IS NOT NULL);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO twin_read', current_database());
    -- Bulk loads and the ingest stage rows in temporary tables.
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO twin_write', current_database());
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;

    FOREACH s IN ARRAY read_schemas LOOP
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO twin_read', s);
        EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO twin_read', s);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO twin_read', s);
    END LOOP;

    FOREACH s IN ARRAY write_schemas || ARRAY['audit', 'auth'] LOOP
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO twin_write', s);
        EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO twin_write', s);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE ON SEQUENCES TO twin_write', s);
    END LOOP;
    FOREACH s IN ARRAY write_schemas || ARRAY['auth'] LOOP
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO twin_write', s);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I '
                       'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO twin_write', s);
    END LOOP;

    -- History is appended, never rewritten.
    GRANT INSERT ON ALL TABLES IN SCHEMA audit TO twin_write;
    ALTER DEFAULT PRIVILEGES IN SCHEMA audit GRANT INSERT ON TABLES TO twin_write;
    REVOKE UPDATE, DELETE ON live.incident_event, planning.finding_history FROM twin_write;
    -- Rasters are registered by the demo loader, run by the owner.
    REVOKE INSERT, UPDATE, DELETE ON base.raster_layer FROM twin_write;
END
$$;
