-- The rules every write to a feature table keeps, whatever client makes it
-- (the web app, QGIS, psql, ogr2ogr, a script).  Re-runnable; the triggers
-- themselves are made per declared table by twin.db.triggers.
--
-- A transaction tells the triggers who writes and why with local settings
-- (set_config(name, value, true) or SET LOCAL):
--   twin.username        the twin user the change is recorded for (else the login)
--   twin.reason          why, recorded with the change
--   twin.action          'revert' to record an update as a revert
--   twin.snap_tolerance_m  how far (metres) a line end reaches for a node
--   twin.bulk_load       'on' while twin.bulk copies rows, recorded once per
--                        load in audit.bulk_load rather than per row
-- twin.username is heeded and twin.bulk_load allowed only from trusted
-- logins (the owner and members of twin_write, the web app's group), so
-- nobody else can write in another's name or leave a write out of the history.

CREATE OR REPLACE FUNCTION audit.trusted_login() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT pg_catalog.pg_has_role(session_user, 'twin_write', 'MEMBER')
        OR pg_catalog.pg_has_role(session_user, (SELECT c.relowner FROM pg_catalog.pg_class c
                                                 WHERE c.oid = 'audit.history'::pg_catalog.regclass),
                                  'MEMBER')
$$;

-- Whether this transaction copies rows in bulk: the row triggers' WHEN
-- clause, so a bulk load neither calls them nor queues an event per row.
-- Only the setting is read per row; the statement trigger below checks once
-- per statement that the login may load in bulk.
CREATE OR REPLACE FUNCTION audit.bulk_loading() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT pg_catalog.current_setting('twin.bulk_load', true) IS NOT DISTINCT FROM 'on'
$$;

-- BEFORE each statement of a bulk load: refused unless the login is trusted,
-- so no other client can leave its writes out of the history.
CREATE OR REPLACE FUNCTION audit.check_bulk_load() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT audit.trusted_login() THEN
        RAISE EXCEPTION 'twin.bulk_load is for the twin''s own loads: % writes % without it',
            session_user, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$;

-- Who a change is recorded for: the twin user the app names, else the login.
CREATE OR REPLACE FUNCTION audit.actor() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN audit.trusted_login()
                THEN coalesce(nullif(pg_catalog.current_setting('twin.username', true), ''),
                              session_user::text)
                ELSE session_user::text END
$$;

-- A stored row as the twin's GeoJSON feature: every column but the geometry
-- as a property, plus the feature type (the shape twin.features reads).
CREATE OR REPLACE FUNCTION audit.feature_json(row_data jsonb, geom geometry, feature_type text)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT jsonb_build_object(
        'type', 'Feature', 'id', row_data->'code',
        'geometry', ST_AsGeoJSON(geom, 9)::jsonb,
        'properties', (row_data - 'geom') || jsonb_build_object('feature_type', feature_type))
$$;

-- The nearest node (not abandoned) of ``tables`` within ``tol_m`` metres
-- (geodesic) of ``pt``; the box test lets the tables' GiST indexes find it.
CREATE OR REPLACE FUNCTION audit.nearest_node(tables text[], pt geometry, tol_m float8,
                                              OUT id bigint, OUT geom geometry)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    candidates text;
BEGIN
    SELECT string_agg(format('SELECT id, geom FROM %s WHERE geom && ST_Expand($1, $3) '
                             'AND status <> %L', t::regclass, 'abandoned'), ' UNION ALL ')
      INTO candidates FROM unnest(tables) AS t;
    EXECUTE format('SELECT n.id, n.geom FROM (%s) n '
                   'WHERE ST_DWithin(n.geom::geography, $1::geography, $2) '
                   'ORDER BY ST_Distance(n.geom::geography, $1::geography) LIMIT 1', candidates)
      INTO id, geom USING pt, tol_m, tol_m * 1.5e-5;
END
$$;

-- BEFORE INSERT OR UPDATE: version, audit stamps, snapped line ends, commune.
-- Arguments of an edge table's trigger: the default tolerance (metres), then
-- the node tables of its network.
CREATE OR REPLACE FUNCTION audit.keep_feature_rules() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    who text := audit.actor();
    moved_geom boolean := true;
    tol float8;
    nodes text[];
    first_node record;
    last_node record;
    snapped geometry;
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.version := 1;
        NEW.created_at := now();
        NEW.created_by := who;
    ELSE
        moved_geom := NEW.geom IS DISTINCT FROM OLD.geom;
        -- The app's optimistic lock (WHERE version = the version read) sets the same.
        NEW.version := OLD.version + 1;
        NEW.created_at := OLD.created_at;
        NEW.created_by := OLD.created_by;
    END IF;
    NEW.updated_at := now();
    NEW.updated_by := who;

    IF TG_NARGS > 0 AND moved_geom THEN
        tol := coalesce(nullif(current_setting('twin.snap_tolerance_m', true), '')::float8,
                        TG_ARGV[0]::float8);
        nodes := TG_ARGV[1:TG_NARGS - 1];
        SELECT * INTO first_node FROM audit.nearest_node(nodes, ST_StartPoint(NEW.geom), tol);
        SELECT * INTO last_node FROM audit.nearest_node(nodes, ST_EndPoint(NEW.geom), tol);
        snapped := NEW.geom;
        IF first_node.id IS NOT NULL THEN
            snapped := ST_SetPoint(snapped, 0, first_node.geom);
        END IF;
        IF last_node.id IS NOT NULL THEN
            snapped := ST_SetPoint(snapped, ST_NPoints(snapped) - 1, last_node.geom);
        END IF;
        -- Both ends on one node would make a zero-length line: keep the drawn one.
        IF ST_Length(snapped) > 0 THEN
            NEW.geom := snapped;
        END IF;
        NEW.start_node := first_node.id;
        NEW.end_node := last_node.id;
    END IF;

    IF coalesce(NEW.commune, '') = ''
       OR (TG_OP = 'UPDATE' AND moved_geom AND NEW.commune IS NOT DISTINCT FROM OLD.commune) THEN
        NEW.commune := (SELECT u.code FROM base.base_admin_unit u
                        WHERE u.level = 'commune' AND u.valid_to IS NULL
                          AND ST_Intersects(u.geom, ST_PointOnSurface(NEW.geom))
                        ORDER BY u.code LIMIT 1);
    END IF;
    RETURN NEW;
END
$$;

-- AFTER INSERT OR UPDATE OR DELETE: one audit.history row per change, with
-- the whole feature before and after.
CREATE OR REPLACE FUNCTION audit.record_feature_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    before_state jsonb;
    after_state jsonb;
    action text;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        before_state := audit.feature_json(to_jsonb(OLD), OLD.geom, TG_TABLE_NAME);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        after_state := audit.feature_json(to_jsonb(NEW), NEW.geom, TG_TABLE_NAME);
    END IF;
    action := CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'DELETE' THEN 'delete'
                         ELSE CASE current_setting('twin.action', true)
                              WHEN 'revert' THEN 'revert' ELSE 'update' END END;
    INSERT INTO audit.history (asset_id, feature_type, code, version, action, changed_by,
                               reason, old, new)
    VALUES ((coalesce(after_state, before_state)->'properties'->>'id')::bigint, TG_TABLE_NAME,
            coalesce(after_state, before_state)->>'id',
            (coalesce(after_state, before_state)->'properties'->>'version')::integer,
            action, audit.actor(), nullif(current_setting('twin.reason', true), ''),
            before_state, after_state);
    RETURN NULL;
END
$$;

-- Trigger functions run for whoever writes; nobody calls them directly.
REVOKE ALL ON FUNCTION audit.keep_feature_rules() FROM PUBLIC;
REVOKE ALL ON FUNCTION audit.record_feature_change() FROM PUBLIC;
