-- What personal database logins may do in this database (person_roles.sql
-- makes the groups; the qgis views are made from the layer declarations by
-- twin.db.qgis_views).  Run by the owner after the views; re-runnable.
-- Personal fields are hidden by the views, not by column privileges: QGIS
-- selects every column of a table, and one refused column fails the layer.
-- Views named base_* show base layers, the others assets.  Writes through a
-- view reach its table with the table's constraints and triggers.
DO $$
DECLARE
    v record;
    everyone text := 'twin_role_viewer, twin_role_crew, twin_role_editor, twin_role_planner';
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %s', current_database(), everyone);
    EXECUTE format('GRANT USAGE ON SCHEMA qgis TO %s', everyone);
    -- Inserts take ids from the shared asset sequence (schema assets).
    GRANT USAGE ON SCHEMA assets TO twin_role_editor, twin_role_planner;
    GRANT USAGE ON ALL SEQUENCES IN SCHEMA assets TO twin_role_editor, twin_role_planner;

    FOR v IN SELECT c.relname AS name,
                    EXISTS (SELECT FROM pg_catalog.pg_attribute a
                            WHERE a.attrelid = c.oid AND a.attname = 'normal_state'
                              AND NOT a.attisdropped) AS device
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'qgis' AND c.relkind = 'v' LOOP
        EXECUTE format('REVOKE ALL ON qgis.%I FROM %s', v.name, everyone);
        EXECUTE format('GRANT SELECT ON qgis.%I TO %s', v.name, everyone);
        IF v.name LIKE 'base\_%' THEN
            EXECUTE format('GRANT INSERT, UPDATE, DELETE ON qgis.%I TO twin_role_planner', v.name);
        ELSE
            EXECUTE format('GRANT INSERT, UPDATE, DELETE ON qgis.%I TO twin_role_editor', v.name);
            IF v.device THEN
                EXECUTE format('GRANT UPDATE (normal_state, status) ON qgis.%I TO twin_role_crew',
                               v.name);
            END IF;
        END IF;
    END LOOP;

    -- The crew reads the live state of the network; planners write the plans.
    GRANT USAGE ON SCHEMA live TO twin_role_crew;
    GRANT SELECT ON ALL TABLES IN SCHEMA live TO twin_role_crew;
    GRANT USAGE ON SCHEMA planning TO twin_role_planner;
    GRANT USAGE ON ALL SEQUENCES IN SCHEMA planning TO twin_role_planner;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA planning TO twin_role_planner;
    REVOKE UPDATE, DELETE ON planning.finding_history FROM twin_role_planner;

    -- Admins see personal fields and the history, in the tables themselves.
    GRANT USAGE ON SCHEMA audit TO twin_role_admin;
    GRANT SELECT ON ALL TABLES IN SCHEMA assets, base, audit TO twin_role_admin;
END
$$;
