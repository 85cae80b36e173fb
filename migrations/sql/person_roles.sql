-- The group roles of personal database logins (QGIS, psql), cluster-wide, one
-- per twin role.  A person's login (twin_u_<name>, made by `twin users add
-- --db-login` or `twin users db-login`) is a member of exactly one of them;
-- grants live in person_grants.sql.  None of them can log in, own anything or
-- run DDL, and none is a member of twin_read/twin_write, whose table-level
-- SELECT includes personal fields.  The owner role is granted to nobody.
--   twin_role_viewer   reads the qgis views (personal fields left out)
--   twin_role_crew     viewer + the live state + normal_state/status of devices
--   twin_role_editor   viewer + writes the asset views
--   twin_role_planner  viewer + writes the base views and the plans
--   twin_role_admin    editor + planner + the tables themselves (personal fields)
--                      and the history
-- Re-runnable, and safe when two sessions run it at once.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES
                 (1, 'twin_role_viewer', NULL::text[]),
                 (2, 'twin_role_crew', NULL),
                 (3, 'twin_role_editor', NULL),
                 (4, 'twin_role_planner', NULL),
                 (5, 'twin_role_admin', ARRAY['twin_role_editor', 'twin_role_planner']))
             AS wanted(n, name, parents) ORDER BY n LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r.name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE '
                               'NOREPLICATION NOBYPASSRLS', r.name);
            EXCEPTION
                WHEN duplicate_object OR unique_violation THEN NULL;
                WHEN insufficient_privilege THEN
                    RAISE EXCEPTION 'role % is missing and % may not create roles', r.name, current_user
                        USING HINT = 'A superuser runs migrations/sql/person_roles.sql once per server';
            END;
        END IF;
        IF r.parents IS NOT NULL THEN
            FOR i IN 1 .. array_length(r.parents, 1) LOOP
                IF NOT pg_catalog.pg_has_role(r.name, r.parents[i], 'MEMBER') THEN
                    BEGIN
                        EXECUTE format('GRANT %I TO %I', r.parents[i], r.name);
                    EXCEPTION WHEN unique_violation THEN NULL;
                    END;
                END IF;
            END LOOP;
        END IF;
    END LOOP;
END
$$;
